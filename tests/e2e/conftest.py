"""Browser journeys: a real server (own PostgreSQL database, the demo corpus, the real search
node) driven by Playwright in Debian's Chromium, with axe-core accessibility checks.

The server runs in a subprocess like a deployment would; tasks run in-process (as on the
embedded default) so that what a journey writes is indexed before the next step.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
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
from playwright.sync_api import expect

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_connection(url: str):
    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
        autocommit=True,
    )


SERVER: dict = {}  # "url" and "env" of the running e2e server (for `manage()`)


def server_env(db_name: str) -> dict:
    """The environment of an e2e server on its own database ``db_name``."""
    parsed = urlparse(os.environ["DATABASE_URL"])
    env = dict(os.environ)
    env.update(
        DATABASE_URL=parsed._replace(path=f"/{db_name}").geturl(),
        KPO_ENV="test",
        CELERY_TASK_ALWAYS_EAGER="1",
        SEARCH_INDEX_PREFIX=f"kpo-e2e-{db_name[-8:]}",
        KPO_RUN_DIR=str(ROOT / ".run" / db_name),
        MEDIA_ROOT=str(ROOT / ".run" / db_name / "media"),
        PRIVATE_MEDIA_ROOT=str(ROOT / ".run" / db_name / "private"),
        # The embedded default's file backend: journeys read mail in the staff mailbox.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(ROOT / ".run" / db_name / "mail"),
    )
    return env


def manage(*args: str, env: dict | None = None, timeout: int = 600) -> str:
    """Run ``manage.py`` against the e2e server's database; returns stdout, fails on errors."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env or SERVER["env"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def django_shell(code: str) -> str:
    """Run Python in a Django shell on the e2e database (to arrange data a journey starts from
    that no screen makes, or to read what a person would get from elsewhere)."""
    return manage("shell", "--no-startup", "-c", code)


def _migrations_key() -> str:
    """A digest of everything ``migrate`` depends on: the project's migration files and the
    installed packages (their migrations come with their versions)."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:12]


def create_migrated_database(db_name: str) -> None:
    """Create ``db_name`` with all migrations applied. ``migrate`` runs once per set of
    migrations: its result is kept as a template database (``<database>_e2e_tpl_<digest>``)
    that later runs copy in a second; templates of older migration sets are dropped."""
    base_url = os.environ["DATABASE_URL"]
    # Prefixed with the checkout's own database name: checkouts sharing a cluster never drop
    # each other's templates.
    prefix = f"{urlparse(base_url).path.lstrip('/')}_e2e_tpl_"
    template = f"{prefix}{_migrations_key()}"
    with admin_connection(base_url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
    if not exists:
        build = f"{template}_b{uuid.uuid4().hex[:6]}"
        with admin_connection(base_url) as conn:
            conn.execute(f'CREATE DATABASE "{build}"')
        try:
            manage("migrate", "--no-input", "-v0", env=server_env(build))
            with admin_connection(base_url) as conn:
                for (old,) in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s"
                    " AND datname <> %s AND datname NOT LIKE %s",
                    [prefix.replace("_", "\\_") + "%", build, f"{template}%"],
                ).fetchall():
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
                try:
                    conn.execute(f'ALTER DATABASE "{build}" RENAME TO "{template}"')
                except psycopg.errors.DuplicateDatabase:  # built in parallel by another run
                    conn.execute(f'DROP DATABASE IF EXISTS "{build}" WITH (FORCE)')
        except BaseException:
            with admin_connection(base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{build}" WITH (FORCE)')
            raise
    with admin_connection(base_url) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{template}"')


def prepare_database(env: dict) -> None:
    """Demo corpus and search index on a migrated database."""
    manage("kpo_load_corpus", env=env)
    manage("search_reindex", env=env)


def start_server(env: dict, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
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
            return server, url
        except Exception:  # noqa: BLE001
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"The e2e server did not start; see {log_path}")


@pytest.fixture(scope="session")
def e2e_server(require_services):
    """A running platform at a loopback URL with the demo corpus loaded.

    ``KPO_E2E_REUSE=<url> <db_name>`` (development only) drives an already running server
    started by ``python -m tests.e2e.devserver`` instead of a fresh one."""
    shutil.rmtree(SCREENSHOT_DIR, ignore_errors=True)  # this run's screenshots only
    reuse = os.environ.get("KPO_E2E_REUSE")
    if reuse:
        url, db_name = reuse.split()
        SERVER.update(url=url, env=server_env(db_name))
        yield url
        return
    base_url = os.environ["DATABASE_URL"]
    db_name = f"kpo_e2e_{uuid.uuid4().hex[:8]}"
    create_migrated_database(db_name)
    env = server_env(db_name)
    server = None
    try:
        prepare_database(env)
        server, url = start_server(env, ROOT / ".run" / f"{db_name}-server.log")
        SERVER.update(url=url, env=env)
        yield url
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin_connection(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(env["KPO_RUN_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def new_page(browser, base_url: str, storage_state=None):
    """A fresh browser context (Dutch) with the site's Content Security Policy enforced.

    axe-core is added as an init script (injected by the browser's debugging protocol, which a
    CSP does not govern), so the journeys prove the site works under its real policy; every CSP
    violation the browser reports fails the test (see ``_no_csp_violations``)."""
    context = browser.new_context(base_url=base_url, locale="nl-NL", storage_state=storage_state)
    context.route("**/*", _only_loopback)
    context.add_init_script(path=str(AXE_JS))
    context.set_default_timeout(15000)
    page = context.new_page()
    page.on("console", _record_csp_violation)
    _OPEN_PAGES.append(page)
    return page


_CSP_VIOLATIONS: list[str] = []
_EXTERNAL_REQUESTS: list[str] = []
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _only_loopback(route) -> None:
    """The platform runs in an air-tight network: a request to any other host (a CDN, Gravatar,
    an update check, an embed provider) is blocked and fails the test
    (``_no_external_requests``)."""
    url = route.request.url
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOOPBACK_HOSTS:
        _EXTERNAL_REQUESTS.append(url)
        route.abort("blockedbyclient")
    else:
        route.continue_()


@pytest.fixture(autouse=True)
def _no_external_requests():
    _EXTERNAL_REQUESTS.clear()
    yield
    assert not _EXTERNAL_REQUESTS, "requests to third parties:\n" + "\n".join(
        _EXTERNAL_REQUESTS[:10]
    )


def _record_csp_violation(message) -> None:
    if "Content Security Policy" in message.text:
        _CSP_VIOLATIONS.append(message.text)


@pytest.fixture(autouse=True)
def _no_csp_violations():
    _CSP_VIOLATIONS.clear()
    yield
    assert not _CSP_VIOLATIONS, "CSP violations:\n" + "\n".join(_CSP_VIOLATIONS[:5])


_OPEN_PAGES: list = []  # pages of the running test, for the failure report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing journey step: a screenshot and the visible text of every open page."""
    report = yield
    if report.when == "call" and report.failed:
        for number, open_page in enumerate(_OPEN_PAGES):
            try:
                text = open_page.locator("main").inner_text(timeout=2000)[:1500]
                screenshot(open_page, f"FAILED-{item.name}-{number}")
            except Exception as exc:  # noqa: BLE001 - best effort diagnostics
                text = f"(no page text: {exc})"
            report.sections.append((f"page {number}: {open_page.url}", text))
    if report.when == "teardown":
        _OPEN_PAGES.clear()
    return report


@pytest.fixture
def page(browser, e2e_server):
    page = new_page(browser, e2e_server)
    yield page
    page.context.close()


_SESSIONS: dict[str, dict] = {}  # e-mail -> Playwright storage state of a logged-in session


@pytest.fixture
def as_user(browser, e2e_server):
    """``as_user(email)``: a page in its own browser context, logged in as ``email``. The session
    is kept for the test run, so a person logs in (and passes two-factor) once."""
    pages = []

    def make(email: str):
        page = new_page(browser, e2e_server, storage_state=_SESSIONS.get(email))
        pages.append(page)
        if email not in _SESSIONS:
            login(page, email)
        return page

    yield make
    for page in pages:
        page.context.close()


def _totp_file() -> Path:
    return Path(SERVER["env"]["KPO_RUN_DIR"]) / "e2e-authenticator.json"


def _authenticator() -> dict[str, dict]:
    """The authenticator "app": e-mail -> {"secret": base32, "last": last time step used}; kept
    next to the server's database (a reused development server keeps its devices)."""
    path = _totp_file()
    return json.loads(path.read_text()) if path.exists() else {}


def _authenticator_save(data: dict) -> None:
    path = _totp_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def totp_token(email: str) -> str:
    """What an authenticator app shows for ``email``: never a time step used before (the server
    refuses replays), within the server's tolerance of one step."""
    from django_otp.oath import hotp

    data = _authenticator()
    state = data[email]
    step = max(int(time.time()) // 30, state["last"] + 1)
    state["last"] = step
    _authenticator_save(data)
    return f"{hotp(base64.b32decode(state['secret']), step):06d}"


def second_factor_pass(page, email: str) -> None:
    if "/tweestapsverificatie/controleren/" in page.url:
        page.get_by_label("Code").fill(totp_token(email))
        page.get_by_role("button", name="Controleren").click()
    elif "/tweestapsverificatie/" in page.url:
        check_accessibility(page)
        data = _authenticator()
        secret = page.locator("code.kpo-secret").inner_text().replace(" ", "").strip()
        data[email] = {"secret": secret, "last": 0}
        _authenticator_save(data)
        page.get_by_label("Code").fill(totp_token(email))
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url("**/herstelcodes/**")
        check_accessibility(page)
        page.get_by_role("link", name="Verder").click()
    page.wait_for_load_state()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in from the home page; staff roles pass the second step (TOTP set-up or check) the
    way a person with an authenticator app would."""
    page.goto("/")
    page.get_by_role("link", name="Inloggen").click()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    second_factor_pass(page, email)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    _SESSIONS[email] = page.context.storage_state()


def check_accessibility(page) -> None:
    """Run axe-core (WCAG 2.0-2.2 A/AA rules) on the current page; fail on any violation."""
    # Right after a click the new document may still be loading its stylesheets: axe would
    # judge the unstyled page (e.g. the off-screen skip link next to the logo).
    page.wait_for_load_state()
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)


def make_pdf(path: Path, text: str) -> Path:
    """A small, real PDF file with ``text`` on its page."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, text)
    pdf.save()
    return path


def tab_to(page, predicate: str, limit: int = 60) -> None:
    """Press Tab (keyboard only) until ``predicate`` (a JS expression over ``el``, the focused
    element) holds; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({predicate}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    write_screenshot_index()
    return path


def write_screenshot_index() -> Path:
    """``index.html`` next to the screenshots: every PNG with its name, to page through."""
    import html

    shots = sorted(SCREENSHOT_DIR.glob("*.png"))
    items = "\n".join(
        f'<figure id="{html.escape(p.stem)}"><figcaption><a href="#{html.escape(p.stem)}">'
        f'{html.escape(p.stem)}</a></figcaption><a href="{html.escape(p.name)}">'
        f'<img src="{html.escape(p.name)}" alt="{html.escape(p.stem)}" loading="lazy"></a></figure>'
        for p in shots
    )
    index = SCREENSHOT_DIR / "index.html"
    index.write_text(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        "<title>KPO e2e-screenshots</title><style>body{font-family:sans-serif;margin:1rem}"
        "figure{display:inline-block;vertical-align:top;margin:0 1rem 2rem 0;max-width:32rem}"
        "img{max-width:100%;border:1px solid #ccc}</style></head><body>"
        f"<h1>Screenshots van de browsertests ({len(shots)})</h1>{items}</body></html>",
        encoding="utf-8",
    )
    return index


def pytest_collection_modifyitems(items):
    """The first journey also waits for the server to be prepared (migrations, corpus, index):
    allow more than the suite's default per-test timeout."""
    for item in items:
        if "tests/e2e/" in str(item.fspath) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(900))


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOT_DIR.exists() and any(SCREENSHOT_DIR.iterdir()):
        terminalreporter.write_line(f"E2E screenshots: {SCREENSHOT_DIR}")
