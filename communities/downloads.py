"""How a private community file leaves the platform: always as a download, never rendered in
the browser (the web page and the API serve it the same way, after their own access check)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse

from communities.models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as an attachment, with its type, no sniffing and a sandbox for whatever opens it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type or mimetypes.guess_type(attachment.filename)[0],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
