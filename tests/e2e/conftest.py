"""Browser journeys: a real server (own PostgreSQL database, the demo corpus, the real search
node) driven by Playwright in Debian's Chromium, with axe-core accessibility checks.

The server runs in a subprocess like a deployment would; tasks run in-process (as on the
embedded default) so that what a journey writes is indexed before the next step.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "test-artifacts" / "e2e-screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "KPO-demo-2026!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_connection(url: str):
    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="session")
def e2e_server(require_services):
    """A running platform at a loopback URL with the demo corpus loaded."""
    base_url = os.environ["DATABASE_URL"]
    db_name = f"kpo_e2e_{uuid.uuid4().hex[:8]}"
    with _admin_connection(base_url) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    parsed = urlparse(base_url)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=parsed._replace(path=f"/{db_name}").geturl(),
        KPO_ENV="test",
        CELERY_TASK_ALWAYS_EAGER="1",
        SEARCH_INDEX_PREFIX=f"kpo-e2e-{db_name[-8:]}",
        KPO_RUN_DIR=str(ROOT / ".run" / db_name),
        MEDIA_ROOT=str(ROOT / ".run" / db_name / "media"),
        PRIVATE_MEDIA_ROOT=str(ROOT / ".run" / db_name / "private"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    manage = [sys.executable, "manage.py"]

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            manage + list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        return result

    for args in (["migrate", "--no-input", "-v0"], ["kpo_load_corpus"]):
        result = run(*args)
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    if run("help", "search_reindex").returncode == 0:
        result = run("search_reindex")
        assert result.returncode == 0, f"search_reindex failed:\n{result.stderr[-3000:]}"
    port = _free_port()
    log = open(ROOT / ".run" / f"{db_name}-server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/health/", timeout=2)  # noqa: S310 - loopback only
            break
        except Exception:  # noqa: BLE001
            time.sleep(0.3)
    else:
        server.terminate()
        raise RuntimeError("The e2e server did not start; see .run/*-server.log")
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        with _admin_connection(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, e2e_server):
    context = browser.new_context(base_url=e2e_server, locale="nl-NL")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/")
    page.get_by_role("link", name="Inloggen").click()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def check_accessibility(page) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page; fail on any violation."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOT_DIR.exists() and any(SCREENSHOT_DIR.iterdir()):
        terminalreporter.write_line(f"E2E screenshots: {SCREENSHOT_DIR}")
