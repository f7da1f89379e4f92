"""The API's one pagination class (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``). Kept apart from
``kpo.core.api`` because DRF imports it while ``rest_framework.generics`` is loading."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """The one pagination of every API list: ``?page=`` and ``?pageSize=`` (max 100); the body
    is ``{count, next, previous, results}``. A page past the end is a 404 problem."""

    page_size = 20
    page_size_query_param = "pageSize"
    max_page_size = 100

    def _positive_int(self, request, name: str) -> None:
        value = request.query_params.get(name)
        if value is not None and not (re.fullmatch(r"[0-9]{1,9}", value) and int(value) > 0):
            raise exceptions.ValidationError(
                {name: [_("Geef een positief geheel getal.")]}, code="invalid"
            )

    def paginate_queryset(self, queryset, request, view=None):
        # A page or page size that is not a number is bad input (400), not "page 1".
        self._positive_int(request, self.page_query_param)
        self._positive_int(request, self.page_size_query_param)
        return super().paginate_queryset(queryset, request, view)
