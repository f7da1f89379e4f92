"""Fixtures for the bad-input tests: a small world of communities, a snapshot of every table and
of the media folders, and helpers to check that a refused request changed nothing."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Community, Membership, Reply, Thread
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

# Tables a request may touch without it being a "write" of the refused request: the session of
# the logged-in user (Django refreshes it) and the request audit trail of the security app.
IGNORED_TABLES = {"django_session"}


def _counts() -> dict[str, int]:
    return {
        m._meta.db_table: m._default_manager.using("default").count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in IGNORED_TABLES
    }


def _files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


class Snapshot:
    """Row counts of every model and the files under MEDIA_ROOT and PRIVATE_MEDIA_ROOT."""

    def __init__(self) -> None:
        self.counts = _counts()
        self.media = _files(Path(django_settings.MEDIA_ROOT))
        self.private = _files(Path(django_settings.PRIVATE_MEDIA_ROOT))

    def assert_unchanged(self) -> None:
        after = Snapshot()
        changed = {
            table: (n, after.counts.get(table))
            for table, n in self.counts.items()
            if after.counts.get(table) != n
        }
        assert not changed, f"refused request wrote rows: {changed}"
        assert after.media == self.media, f"files left in MEDIA_ROOT: {after.media - self.media}"
        assert after.private == self.private, (
            f"files left in PRIVATE_MEDIA_ROOT: {after.private - self.private}"
        )


@contextmanager
def unchanged():
    snapshot = Snapshot()
    yield snapshot
    snapshot.assert_unchanged()


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Uploads go to folders of this test, and the upload limit is small."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.KPO_MAX_UPLOAD_BYTES = 64 * 1024
    return settings


class World:
    """An open community the user belongs to (with a thread and a reply), a closed and a secret
    community the user is NOT in (each with a thread and reply)."""

    def __init__(self) -> None:
        self.user = UserFactory()
        self.other = UserFactory()
        self.communities: dict[str, Community] = {}
        self.threads: dict[str, Thread] = {}
        self.replies: dict[str, Reply] = {}
        for vis in Community.Visibility.values:
            c = CommunityFactory(visibility=vis, slug=f"robuust-{vis}", name=f"Robuust {vis}")
            MembershipFactory(community=c, user=self.other, role=Membership.Role.MANAGER)
            if vis == "open":
                MembershipFactory(community=c, user=self.user)
            thread = Thread.objects.create(
                community=c, author=self.other, title=f"Geheim onderwerp {vis}", body="<p>x</p>"
            )
            self.replies[vis] = Reply.objects.create(
                thread=thread, author=self.other, body=f"<p>Inhoud {vis}</p>"
            )
            self.communities[vis] = c
            self.threads[vis] = thread


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def user_client(client, world):
    client.force_login(world.user)
    return client


# --- files -----------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "notitie.pdf", size: int = 0) -> SimpleUploadedFile:
    body = PDF + (b"0" * max(0, size - len(PDF)))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def exe_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "application/pdf"
    )


def html_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "rapport.pdf", b"<html><body><script>alert(1)</script></body></html>", "application/pdf"
    )


def huge_pdf() -> SimpleUploadedFile:
    return pdf("groot.pdf", size=django_settings.KPO_MAX_UPLOAD_BYTES + 1)


BAD_UPLOADS = {"exe-as-pdf": exe_as_pdf, "html-as-pdf": html_as_pdf, "huge": huge_pdf}


def assert_api_error(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (response.status_code, response.content[:500])
    assert response.headers["Content-Type"] == "application/problem+json", response.headers
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= set(body), body
    assert body["status"] == response.status_code, body
    assert body["code"] and body["detail"], body
    return body
