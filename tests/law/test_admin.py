"""The admin doors for law changes: jurists and the board enter a change or upload a file (the
same services), others are refused, bad files answer with Dutch errors per row (never a 500)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpo.law.models import LawChange, LawReassessment
from kpo.law.services import law_permissions_ensure
from tests.factories import UserFactory
from tests.law.conftest import BIBOB, cite_document
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def permissions(db):
    law_permissions_ensure()


def test_a_jurist_enters_a_change_in_the_admin(client, law_theme):
    page = cite_document(title="Admin-geraakt", citations=[(BIBOB, "3")], theme=law_theme)
    admin_login(client, UserFactory(groups=["Juristen"]))
    assert client.get(reverse("law_changes")).status_code == 200
    assert client.get(reverse("law_change_create")).status_code == 200
    response = client.post(
        reverse("law_change_create"),
        {
            "bwb_id": "bwbr0013798",
            "article": "artikel 3",
            "effective_date": "2027-01-01",
            "summary": "Nieuwe weigeringsgrond.",
        },
    )
    assert response.status_code == 302
    change = LawChange.objects.get()
    assert (change.bwb_id, change.article) == (BIBOB, "3")
    assert LawReassessment.objects.filter(page_id=page.pk, law_change=change).exists()
    assert "BWBR0013798" in client.get(reverse("law_changes")).content.decode()


def test_bad_input_is_a_dutch_form_error(client):
    admin_login(client, UserFactory(groups=["Redactieraad"]))
    response = client.post(
        reverse("law_change_create"),
        {"bwb_id": "Bibob", "article": "", "effective_date": "2027-01-01", "summary": "x"},
    )
    assert response.status_code == 400
    assert "geen geldig BWB-id" in response.content.decode()
    assert not LawChange.objects.exists()


def test_upload_good_and_bad_files(client):
    admin_login(client, UserFactory(groups=["Juristen"]))
    url = reverse("law_change_import")
    bad = (
        "bwb_id,artikel,ingangsdatum,samenvatting\n"
        f"{BIBOB},3,2027-01-01,Goed\nBWBR1,3,2027-01-01,Fout\n"
    ).encode()
    response = client.post(url, {"file": SimpleUploadedFile("w.csv", bad, "text/csv")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is niets geïmporteerd" in html and "Rij 3:" in html
    assert not LawChange.objects.exists()
    for name, content in [("w.exe", b"MZ\x90\x00"), ("w.csv", b""), ("w.json", b"<html>")]:
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400
    good = f'[{{"bwb_id": "{BIBOB}", "ingangsdatum": "01-01-2027", "samenvatting": "Hele wet"}}]'
    response = client.post(url, {"file": SimpleUploadedFile("w.json", good.encode())})
    assert response.status_code == 302
    assert LawChange.objects.get().article == ""


def test_others_cannot_reach_the_law_screens(client):
    admin_login(client, UserFactory(groups=["Ambassadeurs"]))
    for name in ("law_changes", "law_change_create", "law_change_import"):
        assert client.get(reverse(name)).status_code in (302, 403)
    assert client.post(reverse("law_change_create"), {"bwb_id": BIBOB}).status_code in (302, 403)
    assert not LawChange.objects.exists()
