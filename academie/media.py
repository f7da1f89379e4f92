"""Lesson media: privacy-friendly player URLs for YouTube and Vimeo videos.

A lesson stores the ordinary video URL; the page shows a click-to-load facade and only on the
learner's click loads the no-cookie player (``youtube-nocookie.com``, Vimeo with ``dnt=1``).
The CSP's ``frame-src`` allows exactly these two player hosts
(``kpo.security.middleware.EMBED_FRAME_HOSTS``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{5,12}$")


@dataclass(frozen=True)
class Embed:
    provider: str
    player_url: str


def embed_for_url(url: str) -> Embed | None:
    """The privacy-friendly player for a YouTube or Vimeo URL; None for anything else."""
    try:
        parsed = urlparse((url or "").strip())
    except ValueError:
        return None
    if parsed.scheme not in {"http", "https"}:
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif host == "youtu.be":
        video_id = parsed.path.lstrip("/").split("/")[0]
    if video_id is not None:
        if not _YOUTUBE_ID.match(video_id):
            return None
        return Embed("YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1")
    if host in {"vimeo.com", "player.vimeo.com"}:
        parts = [p for p in parsed.path.split("/") if p]
        candidate = parts[-1] if parts else ""
        if _VIMEO_ID.match(candidate):
            return Embed("Vimeo", f"https://player.vimeo.com/video/{candidate}?dnt=1&autoplay=1")
    return None


def validate_embed_url(value: str) -> None:
    if embed_for_url(value) is None:
        raise ValidationError(_("Geef de link van een video op YouTube of Vimeo."))
