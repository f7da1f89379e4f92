"""The first hour of a newcomer: a short `make run`, Dutch error pages in the demo, a local
mailbox for staff, and a "Beheer" link for staff roles."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
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
def test_make_run_prints_at_most_60_lines_and_serves_the_site(tmp_path, require_services):
    """`tools/run` on a fresh run directory (SQLite, in-process tasks, the local node), as a
    newcomer runs it: a short summary, then a server whose pages and static files answer with
    DEBUG off (no collectstatic needed)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    prefix = f"kpo-run-{uuid.uuid4().hex[:6]}"
    port = _free_port()
    env.update(
        KPO_RUN_DIR=str(tmp_path),
        KPO_ENV="development",
        SEARCH_INDEX_PREFIX=prefix,
        PORT=str(port),
        STATIC_ROOT=str(tmp_path / "static_collected"),
    )
    for name in ("DEBUG", "LOG_LEVEL", "KPO_RUN_PREPARE_ONLY", "KPO_MANIFEST_STATIC"):
        env.pop(name, None)
    log_path = tmp_path / "run.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(ROOT / "tools" / "run")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        home = _wait_for(f"{base}/", server, timeout=1500)
        assert home.status == 200, log_path.read_text()[-3000:]
        html = home.read().decode()
        assert 'lang="nl"' in html
        stylesheet = html.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(base + stylesheet, timeout=30) as css:  # noqa: S310
            assert css.status == 200 and b"{" in css.read()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        node = f"http://127.0.0.1:{env.get('SEARCH_NODE_PORT', '9250')}"
        request = urllib.request.Request(f"{node}/{prefix}-*", method="DELETE")  # noqa: S310
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback only
    output = log_path.read_text()
    summary = output.split(f"Kennisplatform Ondermijning: {base}/")[0]
    lines = summary.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines:\n" + "\n".join(lines[:80])
    assert "professional@demo.kpo.nl" in summary and "KPO-demo-2026!" in summary
    assert "audit" not in summary and "celery" not in summary.lower() and "<html" not in summary
    assert "Warning" not in output and "Traceback" not in output, output[-3000:]
    assert (tmp_path / "kpo.sqlite3").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, *, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "tools/run stopped before serving"
        try:
            return urllib.request.urlopen(url, timeout=30)  # noqa: S310 - loopback only
        except urllib.error.HTTPError as error:
            return error
        except OSError:
            time.sleep(2)
    raise AssertionError(f"{url} did not answer within {timeout} s")
