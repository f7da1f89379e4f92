"""Filters of the communities API lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Thread
from kpo.core.filters import theme_filter


class CommunityFilterSet(django_filters.FilterSet):
    theme = theme_filter("themes")
    visibility = django_filters.ChoiceFilter(
        choices=Community.Visibility.choices, label=_("Zichtbaarheid")
    )

    class Meta:
        model = Community
        fields: list[str] = []


class ThreadFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Thread.Kind.choices, label=_("Soort"))
    # A choice, not a BooleanFilter: that one reads "abc" as "no filter" instead of a 400.
    unanswered = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="only_unanswered",
        label=_("Alleen onbeantwoorde vragen"),
    )

    class Meta:
        model = Thread
        fields: list[str] = []

    def only_unanswered(self, queryset, name, value):
        if value == "true":
            return queryset.filter(kind=Thread.Kind.QUESTION, accepted_reply__isnull=True)
        return queryset
