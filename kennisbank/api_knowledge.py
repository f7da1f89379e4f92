"""``/api/v1/threads/{id}/knowledge-proposal``: the API door of "Voorstellen voor de kennisbank"
(ADR 0015 parity) — the same selector and service as the thread page's form.

A thread the caller may not read is a 404; one they read but may not propose (not a moderator of
its community, not an ambassador) a 403; a broken rule a 400 in the problem format.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from communities import selectors as community_selectors
from kennisbank import services
from kennisbank.models import DocumentType, KnowledgeRequest
from kpo.themes.models import Theme

TAG = ["kennisbank: bijdragen en beoordelen"]


class ThreadProposalInputSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=[("answer", "Het geaccepteerde antwoord"), ("thread", "Het hele onderwerp")],
        default="answer",
        help_text="'answer': het geaccepteerde antwoord; 'thread': alle zichtbare reacties.",
    )
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    themes = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), many=True, help_text="Thema-slugs."
    )
    doc_type = serializers.SlugRelatedField(
        slug_field="slug", queryset=DocumentType.objects.all(), help_text="Documenttype-slug."
    )
    network_wide = serializers.BooleanField(
        default=False,
        help_text="Alleen bij een besloten of geheime community, alleen voor haar moderatoren: "
        "het document geldt voor het hele netwerk. Vereist confirm_network_wide.",
    )
    confirm_network_wide = serializers.BooleanField(
        default=False, help_text="Uitdrukkelijke bevestiging van network_wide."
    )
    knowledge_request = serializers.PrimaryKeyRelatedField(
        queryset=KnowledgeRequest.objects.filter(status=KnowledgeRequest.Status.OPEN),
        required=False,
        allow_null=True,
        help_text="Id van een open kennisvraag die dit document beantwoordt.",
    )


class ThreadProposalOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id van het concept (ook onder /submissions).")
    title = serializers.CharField()
    live = serializers.BooleanField(help_text="Altijd onwaar: het concept wacht op beoordeling.")
    community = serializers.CharField(
        allow_null=True, help_text="Slug als het document alleen voor die community geldt."
    )


class ThreadKnowledgeProposalApi(generics.GenericAPIView):
    serializer_class = ThreadProposalOutputSerializer

    @extend_schema(
        summary="Onderwerp voorstellen voor de kennisbank",
        description="Een moderator van de community of een ambassadeur maakt van het "
        "geaccepteerde antwoord (of het hele onderwerp) een concept-kennisdocument; het gaat "
        "langs een ambassadeur en de Redactieraad en publiceert nooit zelf. 404 voor een "
        "onderwerp dat je niet kunt lezen, 403 als je het niet mag voorstellen.",
        request=ThreadProposalInputSerializer,
        responses={201: ThreadProposalOutputSerializer},
        tags=TAG,
    )
    def post(self, request, pk: int):
        thread = community_selectors.thread_get_for_user(user=request.user, pk=pk)
        if thread is None:
            raise Http404
        if not community_selectors.thread_can_propose_knowledge(user=request.user, thread=thread):
            raise PermissionDenied("Je mag dit onderwerp niet voorstellen voor de kennisbank.")
        data = ThreadProposalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        page = services.thread_knowledge_propose(
            actor=request.user, thread=thread, **data.validated_data
        )
        return Response(
            ThreadProposalOutputSerializer(
                {
                    "id": page.pk,
                    "title": page.title,
                    "live": page.live,
                    "community": page.community.slug if page.community_id else None,
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path(
        "threads/<id:pk>/knowledge-proposal",
        ThreadKnowledgeProposalApi.as_view(),
        name="api-thread-knowledge-proposal",
    ),
]
