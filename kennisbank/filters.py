"""Filters of ``GET /api/v1/documents`` (django-filter), the same as the index page's."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kennisbank import selectors
from kennisbank.models import DocumentType, KnowledgeDocumentPage
from kpo.accounts.models import Organisation, Region
from kpo.core.filters import theme_filter


class DocumentFilterSet(django_filters.FilterSet):
    theme = theme_filter("themes")
    docType = django_filters.ModelChoiceFilter(
        field_name="doc_type",
        to_field_name="slug",
        queryset=DocumentType.objects.all(),
        label=_("Documentsoort (slug)"),
    )
    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Regio (slug)"),
        distinct=True,
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="organisations",
        to_field_name="slug",
        queryset=Organisation.objects.all(),
        label=_("Organisatie (slug)"),
        distinct=True,
    )
    year = django_filters.NumberFilter(
        field_name="year", min_value=1900, max_value=2999, label=_("Jaar")
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in selectors.SORTS],
        method="sort_by",
        label=_("Sortering"),
    )

    class Meta:
        model = KnowledgeDocumentPage
        fields: list[str] = []

    def sort_by(
        self, queryset: QuerySet[KnowledgeDocumentPage], name: str, value: str
    ) -> QuerySet[KnowledgeDocumentPage]:
        return queryset.order_by(*selectors.SORTS[value])
