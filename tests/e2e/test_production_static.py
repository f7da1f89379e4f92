"""The production-like run serves every file its pages and the Wagtail admin load.

A second server on the journeys' database, the way production runs: gunicorn (``-c
kpo/gunicorn_conf.py``), DEBUG off, ``collectstatic`` into its own STATIC_ROOT with
``CompressedManifestStaticFilesStorage`` (hashed names) and whitenoise serving them, no
``runserver --insecure``. The browser visits public pages, a logged-in professional's pages and
the Wagtail admin; every request counts, and not one may fail (network error or HTTP >= 400).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import ROOT, SERVER, free_port, login, manage, new_page

HASHED = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js|svg|woff2?|png|ico)(\?|$)")


@pytest.fixture(scope="module")
def prod_server(e2e_server, tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static_collected")
    env = dict(
        SERVER["env"],
        DEBUG="0",
        KPO_MANIFEST_STATIC="1",
        STATIC_ROOT=str(static_root),
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        # The shared machine is loaded: a slow first search is load, not a static-file problem.
        SEARCH_TIMEOUT_SECONDS="30",
    )
    manage("collectstatic", "--no-input", "-v0", env=env)
    assert (static_root / "staticfiles.json").exists()
    port = free_port()
    log_path = ROOT / ".run" / f"prod-static-{port}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "kpo/gunicorn_conf.py",
                "kpo.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/health/", timeout=5)  # noqa: S310 - loopback
            break
        except Exception:  # noqa: BLE001
            time.sleep(0.5)
    else:
        server.terminate()
        raise RuntimeError(f"gunicorn did not start; see {log_path}")
    yield url
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(static_root, ignore_errors=True)


class RequestLog:
    def __init__(self, page) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.static: dict[str, str] = {}  # url -> Cache-Control
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "requestfailed",
            lambda request: self.failed.append(f"{request.url} ({request.failure})"),
        )
        page.on("response", self._response)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")
        if "/static/" in response.url:
            self.static[response.url] = response.headers.get("cache-control", "")


def _visit(page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        page.wait_for_load_state("networkidle")


def test_the_server_runs_with_debug_off(prod_server):
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(prod_server + "/pagina-bestaat-niet/")  # noqa: S310 - loopback
    assert missing.value.code == 404
    body = missing.value.read().decode()
    assert "Pagina niet gevonden" in body
    assert "URLconf" not in body and "DEBUG = True" not in body  # not Django's debug page


def test_public_pages_professional_pages_and_the_admin_fail_no_request(browser, prod_server):
    public = new_page(browser, prod_server)
    log = RequestLog(public)
    _visit(public, ["/", "/zoeken/?q=vastgoed"])
    public.context.close()

    professional = new_page(browser, prod_server)
    professional_log = RequestLog(professional)
    login(professional, "professional@demo.kpo.nl")
    _visit(professional, ["/", "/zoeken/?q=witwassen", "/communities/", "/academie/"])
    professional.context.close()

    admin = new_page(browser, prod_server)
    admin_log = RequestLog(admin)
    login(admin, "beheerder@demo.kpo.nl")
    _visit(admin, ["/admin/", "/admin/pages/", "/admin/documents/", "/admin/users/"])
    admin.context.close()

    logs = [log, professional_log, admin_log]
    requests = sum(len(one.requests) for one in logs)
    failed = [failure for one in logs for failure in one.failed]
    static = {url: cache for one in logs for url, cache in one.static.items()}
    print(f"\nprod-like: {requests} requests, {len(static)} static files, {len(failed)} failed")
    assert failed == [], failed[:10]
    # The site's own CSS/JS and the admin's files, under hashed names with a one-year cache.
    assert any("/static/vendor/utrecht-components." in url for url in static)
    assert any("/static/wagtailadmin/" in url for url in static)
    unhashed = [url for url in static if not HASHED.search(url)]
    assert unhashed == [], unhashed[:5]
    short_cache = [url for url, cache in static.items() if "max-age=31536000" not in cache]
    assert short_cache == [], short_cache[:5]
