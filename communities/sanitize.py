"""Sanitising user rich text with nh3: no scripts, no event handlers, only safe links."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_RE = re.compile(r"</(p|li|h3|h4|blockquote|pre|tr)>|<br\s*/?>", re.IGNORECASE)


def sanitize_html(value: str) -> str:
    """Return safe HTML. Plain text (no tags) becomes paragraphs.

    Scripts and styles are dropped with their content; event-handler attributes are dropped; links
    keep only http, https and mailto and get ``rel="noopener noreferrer"``.
    """
    value = (value or "").strip()
    if value and "<" not in value:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        value = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    ).strip()


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML (for search, e-mail and summaries)."""
    text = _BLOCK_RE.sub("\n", value or "")
    text = _TAG_RE.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()
