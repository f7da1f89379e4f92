"""Building blocks for the API's django-filter FilterSets: filters by the public taxonomy's
slugs. An unknown slug is bad input (400), never silently "no filter"."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kpo.themes.models import Theme


def theme_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Theme.objects.all(),
        label=_("Thema (slug)"),
        distinct=True,
    )
