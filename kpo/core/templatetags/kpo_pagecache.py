"""Personal parts of a cached page (ADR 0024, ADR 0035).

``{% personal "template.html" %}`` renders the include in place; while the page is rendered for
the page cache it writes a marker instead, which ``kpo.core.pagecache.personalize`` fills in per
request.

``{% reader_if "condition" key [or flag] %}…{% reader_else %}…{% end_reader_if %}`` keeps the
first branch for a reader the registered condition holds for (``user``: the reader is the user
with id ``key``), the ``else`` branch (optional) for everyone else. While rendering for the cache
both branches are stored and ``personalize`` chooses per request; otherwise the condition is
decided right away. ``or flag`` shows the first branch outright when ``flag`` is true. The flag
must be one of the facts the page is cached under (``cached_view``'s variant, e.g. "may
moderate"), never a fact about one reader. Regions do not nest."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from kpo.core.pagecache import markers, reader_condition_holds, region_key, rendering_for_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name: str) -> str:
    if rendering_for_cache(context.get("request")):
        return mark_safe(markers.personal(name))  # noqa: S308 - our own marker, no user input
    return context.template.engine.get_template(name).render(context)


class ReaderIfNode(template.Node):
    def __init__(self, name, key, flag, then, otherwise):
        self.name, self.key, self.flag = name, key, flag
        self.then, self.otherwise = then, otherwise

    def render(self, context) -> str:
        if self.flag is not None and self.flag.resolve(context, ignore_failures=True):
            return self.then.render(context)
        name = self.name.resolve(context)
        key = region_key(self.key.resolve(context))
        request = context.get("request")
        if not rendering_for_cache(request):
            holds = request is not None and reader_condition_holds(request, name, key)
            return (self.then if holds else self.otherwise).render(context)
        then, otherwise = self.then.render(context), self.otherwise.render(context)
        if markers.region_end in then or markers.region_end in otherwise:
            # The region's pattern would cut a nested region apart.
            raise template.TemplateSyntaxError("reader_if regions do not nest")
        else_part = markers.region_else + otherwise if otherwise else ""
        return mark_safe(  # noqa: S308 - our own markers around rendered template output
            markers.region(name, key) + then + else_part + markers.region_end
        )


@register.tag("reader_if")
def reader_if(parser, token):
    """``{% reader_if "name" key %}`` or ``{% reader_if "name" key or flag %}``."""
    bits = token.split_contents()
    if len(bits) == 3:
        flag = None
    elif len(bits) == 5 and bits[3] == "or":
        flag = parser.compile_filter(bits[4])
    else:
        raise template.TemplateSyntaxError(
            'Usage: {% reader_if "condition" key %} or {% reader_if "condition" key or flag %}'
        )
    name, key = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    then = parser.parse(("reader_else", "end_reader_if"))
    otherwise = template.NodeList()
    if parser.next_token().contents == "reader_else":
        otherwise = parser.parse(("end_reader_if",))
        parser.delete_first_token()
    return ReaderIfNode(name, key, flag, then, otherwise)
