"""Community files: the platform's one upload validator (``kpo.core.uploads``) with the kinds a
community may share (documents, OpenDocument spreadsheets, images, plain text)."""

from __future__ import annotations

from kpo.core.uploads import COMMUNITY_KINDS, CheckedUpload, upload_check


def attachment_check(*, uploaded) -> CheckedUpload:
    """Validate an uploaded file; raise ``ValidationError`` (Dutch) before anything is stored.
    Images come back re-encoded without metadata (``CheckedUpload.file``)."""
    return upload_check(uploaded=uploaded, allowed=COMMUNITY_KINDS)
