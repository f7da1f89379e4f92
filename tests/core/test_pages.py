"""Home, theme pages, people directory, profile and the API basics."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.themes.models import Theme, ThemePage
from tests.factories import ProfileFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_lists_every_theme_for_anonymous_visitors(client, corpus):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for theme in Theme.objects.all():
        assert theme.title in html
    assert 'lang="nl"' in html
    for label in ("Thema", "Kennisbank", "Communities", "Academie", "Zoeken"):
        assert label in html


def test_theme_page_shows_intro_and_sections(client, corpus):
    page = ThemePage.objects.get(slug="outlaw-motorcycle-gangs")
    response = client.get(page.url)
    assert response.status_code == 200
    assert (
        "OMG-contactpersonen" in response.content.decode()
        or page.intro[:40] in response.content.decode()
    )


def test_platform_only_theme_page_asks_anonymous_to_log_in(client, corpus):
    page = ThemePage.objects.get(slug="wet-bibob")
    page.visibility = "platform"
    page.save()
    response = client.get(page.url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_people_directory_needs_login(client):
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302


def test_people_directory_filters_by_theme_organisation_and_region(client):
    bibob = ThemeFactory(slug="bibob-test")
    match = ProfileFactory(function="Bibob-adviseur")
    match.expertise_themes.add(bibob)
    other = ProfileFactory(function="Analist")
    inactive = ProfileFactory(user=UserFactory(is_active=False))
    inactive.expertise_themes.add(bibob)
    client.force_login(UserFactory())

    html = client.get(reverse("accounts:people"), {"theme": "bibob-test"}).content.decode()
    assert "Bibob-adviseur" in html and "Analist" not in html
    assert inactive.user.display_name not in html
    html = client.get(
        reverse("accounts:people"),
        {"organisation": other.organisation.slug, "region": other.region.slug},
    ).content.decode()
    assert "Analist" in html and "Bibob-adviseur" not in html


def test_people_directory_rejects_unknown_filter_values_without_error(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:people"), {"theme": "bestaat-niet"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_profile_can_be_edited(client, corpus):
    user = UserFactory()
    client.force_login(user)
    theme = Theme.objects.get(slug="wet-bibob")
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Fatima",
            "last_name": "El Amrani",
            "function": "Jurist",
            "expertise_themes": [theme.pk],
            "bio": "",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Fatima"
    assert list(user.profile.expertise_themes.all()) == [theme]


def test_login_with_email(client, corpus):
    response = client.post(
        reverse("accounts:login"),
        {"username": "PROFESSIONAL@demo.kpo.nl", "password": "KPO-demo-2026!"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_failed_login_shows_a_dutch_message(client, corpus):
    response = client.post(reverse("accounts:login"), {"username": "x@y.nl", "password": "fout"})
    assert "klopt niet" in response.content.decode()


def test_admin_login_works(client, corpus):
    """The admin needs the password and a second factor (kpo.security)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kpo.accounts.models import User

    client.post(
        reverse("accounts:login"),
        {"username": "beheerder@demo.kpo.nl", "password": "KPO-demo-2026!"},
    )
    assert client.get("/admin/").status_code == 302
    device = TOTPDevice.objects.create(
        user=User.objects.get(email="beheerder@demo.kpo.nl"), name="app", confirmed=True
    )
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    client.post(reverse("security:otp_verify"), {"token": f"{token:06d}"})
    assert client.get("/admin/").status_code == 200


def test_api_errors_are_json_with_a_message(client):
    response = client.get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_api_me_and_token_auth(client, corpus):
    token = client.post(
        "/api/v1/auth/token",
        {"username": "professional@demo.kpo.nl", "password": "KPO-demo-2026!"},
    ).json()["token"]
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert "platform" in response.json()["principals"]


def test_api_people_filters(client):
    target = ProfileFactory(function="Havenanalist")
    client.force_login(UserFactory())
    data = client.get("/api/v1/people", {"organisation": target.organisation.slug}).json()
    assert [p["function"] for p in data["results"]] == ["Havenanalist"]


def test_openapi_schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert b'"/people"' in response.content  # paths are relative to servers: /api/v1


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat/niet/")
    assert response.status_code == 404
    assert "niet gevonden" in response.content.decode().lower()


def test_accessibility_statement(client):
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    assert "(WCAG) 2.1" in response.content.decode()


def test_staff_accounts_get_no_api_token(client, corpus):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "redactieraad@demo.kpo.nl", "password": "KPO-demo-2026!"},
    )
    assert response.status_code == 403
    assert "tweestapsverificatie" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/people?q=a%00b", "/api/v1/documents?theme=%00"])
def test_nul_bytes_in_api_parameters_are_a_400(client, url):
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_bytes_in_page_parameters_are_a_400(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:people"), {"q": "a\x00"}).status_code == 400
