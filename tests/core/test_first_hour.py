"""The first hour of a newcomer: a short `make run`, Dutch error pages in the demo, a local
mailbox for staff, and a "Beheer" link for staff roles."""

from __future__ import annotations

import contextlib
import os
import subprocess
import urllib.request
import uuid

import pytest
from django.core import mail as django_mail
from django.urls import reverse

from kpo.accounts.models import User
from tests.conftest import ROOT
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


def test_platform_admin_reads_a_sent_mail_and_its_link(client, corpus, mailbox):
    django_mail.send_mail(
        "Bevestig je e-mailadres",
        "Klik op https://kpo.example/account/bevestigen/abc123/ om je account te bevestigen.",
        None,
        ["nieuw@gemeente.nl"],
    )
    admin_login(client, User.objects.get(email="beheerder@demo.kpo.nl"))
    listing = client.get(reverse("core:mailbox"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Bevestig je e-mailadres" in html and "nieuw@gemeente.nl" in html
    detail_url = html.split('href="/beheer/e-mail/')[1].split('"')[0]
    detail = client.get(f"/beheer/e-mail/{detail_url}")
    assert detail.status_code == 200
    assert '<a href="https://kpo.example/account/bevestigen/abc123/"' in detail.content.decode()


def test_mailbox_is_for_platform_admins_only(client, professional, corpus, mailbox):
    client.force_login(professional)
    assert client.get(reverse("core:mailbox")).status_code == 403
    jurist = User.objects.get(email="jurist@demo.kpo.nl")
    admin_login(client, jurist)
    assert client.get(reverse("core:mailbox")).status_code == 403


def test_no_mailbox_without_the_file_backend(client, corpus, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    admin_login(client, User.objects.get(email="beheerder@demo.kpo.nl"))
    assert client.get(reverse("core:mailbox")).status_code == 404


def test_staff_see_a_beheer_link_professionals_do_not(client, professional, corpus):
    client.force_login(professional)
    assert "Beheer</a>" not in client.get("/").content.decode()
    admin_login(client, User.objects.get(email="redactieraad@demo.kpo.nl"))
    html = client.get("/").content.decode()
    assert 'href="/admin/">Beheer</a>' in html


def test_demo_runs_without_debug_and_shows_the_dutch_404(client, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-echt-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="nl"' in html and "URLconf" not in html


@pytest.mark.integration
@pytest.mark.timeout(1800)
def test_make_run_prints_at_most_60_lines_before_serving(tmp_path, require_services):
    """`tools/run` on a fresh run directory (SQLite, in-process tasks, the local node) up to the
    point where it would start the server."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    prefix = f"kpo-run-{uuid.uuid4().hex[:6]}"
    env.update(
        KPO_RUN_DIR=str(tmp_path),
        KPO_RUN_PREPARE_ONLY="1",
        KPO_ENV="development",
        SEARCH_INDEX_PREFIX=prefix,
    )
    env.pop("DEBUG", None)
    env.pop("LOG_LEVEL", None)
    try:
        result = subprocess.run(
            [str(ROOT / "tools" / "run")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=1500,
        )
    finally:
        node = f"http://127.0.0.1:{env.get('SEARCH_NODE_PORT', '9250')}"
        request = urllib.request.Request(f"{node}/{prefix}-*", method="DELETE")  # noqa: S310
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback only
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout[-3000:]
    assert len(lines) <= 60, f"{len(lines)} lines:\n" + "\n".join(lines[:80])
    text = result.stdout
    assert "professional@demo.kpo.nl" in text and "KPO-demo-2026!" in text
    assert "http://127.0.0.1:8000/" in text
    assert "audit" not in text and "celery" not in text.lower() and "<html" not in text
    assert (tmp_path / "kpo.sqlite3").exists()
