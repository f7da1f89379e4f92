"""``{% personal "template.html" %}``: a part of the page that belongs to one reader (ADR 0024).

Renders the include in place; while the page is rendered for the whole-page cache it writes a
marker instead, which ``kpo.core.pagecache.personalize`` fills in per request."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from kpo.core.pagecache import markers, rendering_for_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name: str) -> str:
    if rendering_for_cache(context.get("request")):
        return mark_safe(markers.personal(name))  # noqa: S308 - our own marker, no user input
    return context.template.engine.get_template(name).render(context)
