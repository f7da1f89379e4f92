"""Filters of the academy's API lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from academie.models import Certificate, CoursePage, TrainingPage
from kpo.core.filters import theme_filter


class CourseFilterSet(django_filters.FilterSet):
    theme = theme_filter("themes")

    class Meta:
        model = CoursePage
        fields: list[str] = []


class TrainingFilterSet(django_filters.FilterSet):
    theme = theme_filter("themes")

    class Meta:
        model = TrainingPage
        fields: list[str] = []


class CertificateFilterSet(django_filters.FilterSet):
    course = django_filters.NumberFilter(
        field_name="course_id", min_value=1, label=_("Cursus (id)")
    )

    class Meta:
        model = Certificate
        fields: list[str] = []
