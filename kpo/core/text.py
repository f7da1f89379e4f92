"""Plain text of stored HTML, for search, summaries and e-mail."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|table|tr|td|th|br|hr|section|article|pre)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str | None) -> str:
    """Block elements become line breaks (a heading and the next sentence stay apart), other
    tags go, and entities are decoded once (``boa&#x27;s`` -> ``boa's``)."""
    text = _BLOCK.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()
