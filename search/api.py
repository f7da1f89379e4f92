"""``/api/v1/search`` and ``/api/v1/search/suggest``: thin views over ``search.selectors``.

Engine down: 503 Problem Details (code ``service_unavailable``). Bad input: 400 with every
invalid parameter in ``invalid-params``. Query parameters are lowerCamelCase (``docType``).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kpo.core.api import ServiceUnavailable
from search.engine import EngineError
from search.query import FACETS, SORTS, TYPES, InvalidSearch
from search.selectors import search_for_user, suggest_for_user

SUGGESTIONS = 8
ENGINE_DOWN = (
    "De zoekfunctie is tijdelijk niet beschikbaar. De rest van het platform werkt gewoon; "
    "probeer het over een paar minuten opnieuw."
)


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField(help_text="Document-id: '<app.model>:<pk>'.")
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML-escaped text; matches wrapped in <mark>.")
    themes = serializers.ListField(child=serializers.CharField())
    date = serializers.DateField(
        allow_null=True, help_text="Publicatie-, aanmaak- of bijeenkomstdatum (JJJJ-MM-DD)."
    )


class FacetBucketSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    type = FacetBucketSerializer(many=True)
    theme = FacetBucketSerializer(many=True)
    region = FacetBucketSerializer(many=True)
    organisation = FacetBucketSerializer(many=True)
    doc_type = FacetBucketSerializer(many=True)
    year = FacetBucketSerializer(many=True)


class SearchOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_exact = serializers.BooleanField(
        help_text="Onwaar als het tellen is gestopt: count is dan een ondergrens."
    )
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    did_you_mean = serializers.CharField(allow_null=True)
    results = SearchResultSerializer(many=True)
    facets = FacetsSerializer()


class SuggestionSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class SuggestOutputSerializer(serializers.Serializer):
    # Not a collection (no pagination): at most SUGGESTIONS completions while typing.
    suggestions: serializers.ListSerializer = serializers.ListSerializer(
        child=SuggestionSerializer(),
        max_length=SUGGESTIONS,
        help_text="Hoogstens 8 titels, beste eerst.",
    )


ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer (Problem Details)."),
    503: OpenApiResponse(description="Zoekfunctie niet beschikbaar (Problem Details)."),
}


def _camel(name: str) -> str:
    """The API's query parameter for a facet: ``doc_type`` → ``docType``."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class SearchApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Zoeken in alles wat je mag zien",
        parameters=[
            OpenApiParameter("q", str, description="Zoekvraag"),
            OpenApiParameter("type", str, enum=list(TYPES)),
            OpenApiParameter("theme", str, description="Thema-slug"),
            OpenApiParameter("region", str, description="Regio-slug"),
            OpenApiParameter("organisation", str, description="Organisatie-slug"),
            OpenApiParameter("docType", str, description="Documentsoort-slug"),
            OpenApiParameter("year", int),
            OpenApiParameter("sort", str, enum=list(SORTS)),
            OpenApiParameter("page", int),
        ],
        responses={200: SearchOutputSerializer, **ERRORS},
    )
    def get(self, request):
        params = request.query_params
        try:
            result = search_for_user(
                user=request.user,
                q=params.get("q", ""),
                filters={
                    name: params.get(_camel(name)) for name in FACETS if params.get(_camel(name))
                },
                page=params.get("page", 1),
                sort=params.get("sort"),
            )
        except InvalidSearch as exc:
            raise exceptions.ValidationError({_camel(exc.field): [exc.message]}) from exc
        except EngineError as exc:
            raise ServiceUnavailable(ENGINE_DOWN) from exc
        data = {
            "count": result.count,
            "count_exact": result.count_exact,
            "page": result.page,
            "num_pages": result.num_pages,
            "did_you_mean": result.did_you_mean,
            "results": [
                {
                    "type": r.type,
                    "id": r.id,
                    "title": r.title,
                    "url": r.url,
                    "snippet": r.snippet,
                    "themes": r.themes,
                    # The index holds an ISO date or date-time; the API gives the date.
                    "date": r.date[:10] if r.date else None,
                }
                for r in result.results
            ],
            "facets": result.facets,
        }
        return Response(SearchOutputSerializer(data).data)


class SearchSuggestApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Suggesties tijdens het typen",
        parameters=[OpenApiParameter("q", str, description="Begin van een titel")],
        responses={200: SuggestOutputSerializer, 503: ERRORS[503]},
    )
    def get(self, request):
        try:
            items = suggest_for_user(
                user=request.user, q=request.query_params.get("q", ""), size=SUGGESTIONS
            )
        except EngineError as exc:
            raise ServiceUnavailable(ENGINE_DOWN) from exc
        return Response(SuggestOutputSerializer({"suggestions": items}).data)


urlpatterns = [
    path("search", SearchApi.as_view(), name="api-search"),
    path("search/suggest", SearchSuggestApi.as_view(), name="api-search-suggest"),
]
