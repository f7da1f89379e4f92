"""Where uploaded files live (docs/decisions/0022).

Two storage aliases in ``settings.STORAGES``:

- ``default``: Wagtail images and documents (media). Documents are still only served through
  Wagtail's serve view (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which applies the access
  rule.
- ``private``: files of restricted content (community attachments). Never served directly,
  only streamed by views that check the access rule.

Both are the filesystem by default and django-storages' ``S3Storage`` when
``KPO_MEDIA_S3_BUCKET`` is set (``kpo/settings.py``, "static and media").
"""

from __future__ import annotations

import os
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

PRIVATE_STORAGE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT`` (read at use, so tests can point it
    elsewhere); no URL: never served directly."""

    @property
    def base_location(self):  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[override]
        return None


class PrivateStorage(Storage):
    """The storage of private files as a model field sees it: every call goes to the backend
    configured as ``STORAGES["private"]`` at the time of the call (a field evaluates its storage
    once, at import; this keeps ``override_settings(STORAGES=...)`` and the environment in
    charge)."""

    @property
    def backend(self) -> Storage:
        return storages[PRIVATE_STORAGE_ALIAS]

    def open(self, name: str, mode: str = "rb") -> Any:
        return self.backend.open(name, mode)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name: str) -> str:
        return self.backend.get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        return self.backend.generate_filename(filename)

    def path(self, name: str) -> str:
        return self.backend.path(name)

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return self.backend.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(path)

    def size(self, name: str) -> int:
        return self.backend.size(name)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL; serve them through a view.")

    def get_accessed_time(self, name: str) -> Any:
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name: str) -> Any:
        return self.backend.get_created_time(name)

    def get_modified_time(self, name: str) -> Any:
        return self.backend.get_modified_time(name)
