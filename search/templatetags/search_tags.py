from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name, value):
    """The current query string with facet ``name`` toggled to ``value`` (page reset)."""
    params = context["request"].GET.copy()
    params.pop("pagina", None)
    if params.get(name) == str(value):
        params.pop(name)
    else:
        params[name] = value
    return "?" + params.urlencode()
