from django import template

register = template.Library()


@register.filter
def has_required(form) -> bool:
    """Whether a form has a visible required field (then the form says what * means)."""
    return any(field.field.required for field in form.visible_fields())
