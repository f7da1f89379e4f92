import mimetypes

from django import template

from academie.media import embed_for_url

register = template.Library()


@register.filter
def privacy_embed(url: str):
    """The no-cookie player of a YouTube/Vimeo URL (``academie.media.embed_for_url``)."""
    return embed_for_url(url)


@register.filter
def video_type(document) -> str:
    """The MIME type of a video document, for ``<source type>``."""
    guessed, _ = mimetypes.guess_type(getattr(document, "filename", "") or "")
    return guessed or "video/mp4"
