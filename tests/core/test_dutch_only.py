"""Dutch only: the platform offers one language, and no page mixes Django's or Wagtail's English
strings into it, whatever language the browser asks for (docs/decisions/0011)."""

from __future__ import annotations

import re
from pathlib import Path

import django
import pytest
import wagtail
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Strings Django, its forms and Wagtail show in English when no Dutch catalog is active.
ENGLISH = [
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Please correct",
    "Page not found",
    "Log in",
    "Log out",
    "Forgotten password",
    "Password",
    "Search",
    "Previous",
    "Next",
    "Submit",
    "Save",
    "Cancel",
    "Dashboard",
    "Welcome to the",
    "Pages",
    "Documents",
    "Images",
]


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    return [phrase for phrase in ENGLISH if re.search(rf"\b{re.escape(phrase)}\b", text)]


def test_one_language_and_the_catalogs_exist():
    assert [code for code, _ in settings.LANGUAGES] == ["nl"]
    assert [code for code, _ in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["nl"]
    assert settings.LANGUAGE_CODE == "nl"
    for package, relative in (
        (django, "conf/locale/nl/LC_MESSAGES/django.mo"),
        (wagtail, "admin/locale/nl/LC_MESSAGES/django.mo"),
    ):
        assert (Path(package.__file__).parent / relative).exists(), (package, relative)


@pytest.mark.parametrize("accept_language", ["en", "en-GB,en;q=0.9", "de", ""])
@pytest.mark.parametrize(
    "path", ["/", "/account/inloggen/", "/account/wachtwoord-vergeten/", "/bestaat-niet/"]
)
def test_public_pages_are_dutch_whatever_the_browser_asks(client, path, accept_language):
    response = client.get(path, headers={"Accept-Language": accept_language})
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert response["Content-Language"] == "nl"
    assert english_in(html) == []


def test_form_errors_are_dutch(client):
    response = client.post(
        "/account/inloggen/", {"username": "", "password": ""}, headers={"Accept-Language": "en"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Je e-mailadres of wachtwoord klopt niet." in html
    assert english_in(html) == []
    # Django's own validation messages (required field, password validators) in Dutch.
    response = client.post(
        "/account/registreren/",
        {"email": "", "first_name": "", "password1": "123", "password2": "123"},
        headers={"Accept-Language": "en"},
    )
    assert english_in(response.content.decode()) == []
    # Django's own validation messages come from its Dutch catalog.
    from kpo.security.forms import RegistrationForm

    errors = RegistrationForm(data={}).errors
    (message,) = [str(message) for message in errors["email"]]
    assert "verplicht" in message and english_in(message) == [], message
    response = client.post(
        "/account/wachtwoord-vergeten/", {"email": "geen-adres"}, headers={"Accept-Language": "en"}
    )
    html = response.content.decode()
    assert "Voer een geldig e-mailadres in." in html
    assert english_in(html) == []


def test_a_professionals_pages_are_dutch(client):
    client.force_login(UserFactory())
    for path in ("/", "/zoeken/?q=vastgoed", "/meldingen/", "/account/profiel/"):
        response = client.get(path, headers={"Accept-Language": "en"}, follow=True)
        assert response.status_code == 200, path
        assert english_in(response.content.decode()) == [], path
