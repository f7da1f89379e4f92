"""``/api/v1/submissions``, ``/api/v1/reviews``: sharing knowledge and reviewing it through the
API — the same services and selectors as "Kennis delen", "Mijn bijdragen" and "Beoordelen".

Thin views: a submission that is not the caller's and a review the caller may not act on are a
404 (never revealing that it exists); a broken rule is a 400 or 403 in the error format.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from kennisbank import selectors, services
from kennisbank.models import DocumentType, KnowledgeDocumentPage
from kpo.themes.models import Theme

TAG = ["kennisbank: bijdragen en beoordelen"]

# Actions of the API and the workflow action each maps to ("reject" in Wagtail's workflow is
# "wijzigingen vragen": the contributor can change and resubmit).
REVIEW_ACTIONS = {"approve": "approve", "request_changes": "reject"}


# --- serializers ---------------------------------------------------------------------------------


class SubmissionCommentSerializer(serializers.Serializer):
    task = serializers.CharField(help_text="De beoordelingsstap (ambassadeur, Redactieraad).")
    status = serializers.CharField(help_text="Uitkomst van de stap.")
    rejected = serializers.BooleanField(help_text="Waar als om wijzigingen is gevraagd.")
    comment = serializers.CharField(help_text="Toelichting van de beoordelaar.")
    by = serializers.CharField(help_text="Naam van de beoordelaar.")
    at = serializers.DateTimeField(allow_null=True)


class SubmissionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="page.pk")
    title = serializers.CharField(source="page.draft_title")
    status = serializers.CharField(
        help_text="Stand van de beoordeling, bv. 'In beoordeling: …' of 'Wijzigingen gevraagd'."
    )
    can_edit = serializers.BooleanField(
        help_text="Waar als om wijzigingen is gevraagd: de bijdrage kan opnieuw worden ingediend."
    )
    live = serializers.BooleanField(source="page.live", help_text="Gepubliceerd.")
    comments = SubmissionCommentSerializer(many=True)


class _SubmissionFields(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(max_length=2000)
    themes = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), many=True, help_text="Thema-slugs."
    )
    doc_type = serializers.SlugRelatedField(
        slug_field="slug", queryset=DocumentType.objects.all(), help_text="Documenttype-slug."
    )


class SubmissionInputSerializer(_SubmissionFields):
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, PPTX of ODT.")
    community = serializers.SlugField(
        required=False,
        allow_blank=True,
        help_text="Slug van een community waarvan je actief lid bent: alleen haar leden zien "
        "het document. Leeg: alle professionals op het platform.",
    )


class ResubmissionInputSerializer(_SubmissionFields):
    file = serializers.FileField(required=False, help_text="Optioneel: een nieuw bestand.")


class ReviewOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="page.pk")
    title = serializers.CharField(source="page.draft_title")
    task = serializers.CharField(source="task.name", help_text="De stap die op jou wacht.")
    workflow = serializers.CharField(
        source="state.workflow.name",
        help_text="'Redactieraad' (nieuwe bijdrage) of 'Herbeoordeling' (periodiek).",
    )
    requested_by = serializers.CharField(
        source="state.requested_by.display_name", default=None, allow_null=True
    )
    submitted_at = serializers.DateTimeField(source="state.created_at")


class ReviewAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    download_url = serializers.CharField()


class ReviewDetailOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    doc_type = serializers.CharField(allow_null=True)
    themes = serializers.ListField(child=serializers.CharField())
    attachments = ReviewAttachmentSerializer(many=True)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(REVIEW_ACTIONS)),
        help_text="De beoordelingen die jij nu mag geven.",
    )


class ReviewInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("approve", "Goedkeuren"), ("request_changes", "Wijzigingen vragen")],
        help_text="'approve' (goedkeuren) of 'request_changes' (wijzigingen vragen, met "
        "toelichting).",
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Toelichting; in de stap van de Redactieraad de verplichte motivering.",
    )
    relevance = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=5,
        help_text="Redactieraad: relevantie 1–5 (verplicht in die stap).",
    )
    reliability = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=5,
        help_text="Redactieraad: betrouwbaarheid 1–5 (verplicht in die stap).",
    )


class TaskStateOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="Uitkomst van jouw stap.")


class ConfirmCurrentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    last_reviewed_at = serializers.DateField()
    next_review_due = serializers.DateField()


# --- helpers -------------------------------------------------------------------------------------


def _community_for(request, slug: str | None):
    if not slug:
        return None
    from communities.selectors import community_get_for_user

    community = community_get_for_user(user=request.user, slug=slug)
    if community is None:
        raise serializers.ValidationError({"community": ["Onbekende community."]})
    return community


def _review_page(request, pk: int) -> KnowledgeDocumentPage:
    """The document when the caller may review it now (the workflow task decides), else 404."""
    page = KnowledgeDocumentPage.objects.filter(pk=pk).first()
    if page is None or not selectors.review_actions_for(user=request.user, page=page):
        raise Http404
    return page


def _api_actions(workflow_actions: list[str]) -> list[str]:
    return [api for api, action in REVIEW_ACTIONS.items() if action in workflow_actions]


# --- views ---------------------------------------------------------------------------------------


class SubmissionListCreateApi(generics.ListAPIView):
    """Jouw bijdragen aan de kennisbank (Mijn bijdragen) met hun beoordelingsstand, en een nieuwe
    bijdrage delen (Kennis delen)."""

    queryset = KnowledgeDocumentPage.objects.none()  # schema only; get_queryset() decides
    serializer_class = SubmissionOutputSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.submission_list_for_user(user=self.request.user)

    @extend_schema(
        summary="Mijn bijdragen",
        description="Je eigen bijdragen, nieuwste eerst, met stand en opmerkingen.",
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Kennis delen",
        description="Dien een document in; het gaat langs een ambassadeur en de Redactieraad. "
        "Een geweigerd bestand is een 400 en er wordt niets bewaard.",
        request={"multipart/form-data": SubmissionInputSerializer},
        responses={201: SubmissionOutputSerializer},
        tags=TAG,
    )
    def post(self, request):
        data = SubmissionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        community = _community_for(request, values.pop("community", None))
        page = services.document_submit(user=request.user, community=community, **values)
        submission = selectors.submission_detail_for_user(user=request.user, pk=page.pk)
        return Response(SubmissionOutputSerializer(submission).data, status=status.HTTP_201_CREATED)


class SubmissionDetailApi(generics.GenericAPIView):
    serializer_class = SubmissionOutputSerializer

    @extend_schema(
        summary="Eén bijdrage",
        description="Stand en opmerkingen van een van je eigen bijdragen; 404 voor andermans.",
        tags=TAG,
    )
    def get(self, request, pk: int):
        submission = selectors.submission_detail_for_user(user=request.user, pk=pk)
        if submission is None:
            raise Http404
        return Response(SubmissionOutputSerializer(submission).data)


class SubmissionResubmitApi(generics.GenericAPIView):
    serializer_class = SubmissionOutputSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Opnieuw indienen",
        description="Pas je bijdrage aan na 'wijzigingen gevraagd' en dien haar opnieuw in; de "
        "beoordeling gaat verder bij de stap die om wijzigingen vroeg. 403 als er niet om "
        "wijzigingen is gevraagd.",
        request={"multipart/form-data": ResubmissionInputSerializer},
        responses={200: SubmissionOutputSerializer},
        tags=TAG,
    )
    def post(self, request, pk: int):
        page = selectors.submission_get_for_user(user=request.user, pk=pk)
        if page is None:
            raise Http404
        data = ResubmissionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.document_resubmit(user=request.user, page=page, **data.validated_data)
        submission = selectors.submission_detail_for_user(user=request.user, pk=pk)
        return Response(SubmissionOutputSerializer(submission).data)


class ReviewListApi(generics.ListAPIView):
    """Wat op jouw beoordeling wacht: nieuwe bijdragen en periodieke herbeoordelingen."""

    queryset = KnowledgeDocumentPage.objects.none()  # schema only; get_queryset() decides
    serializer_class = ReviewOutputSerializer

    def get_queryset(self):
        return selectors.review_queue_for_user(user=self.request.user)

    @extend_schema(
        summary="Te beoordelen",
        description="Documenten die op jouw beoordeling wachten (ambassadeur van hun thema, "
        "Redactieraad), oudste eerst; ook de periodieke herbeoordelingen.",
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReviewDetailApi(generics.GenericAPIView):
    serializer_class = ReviewDetailOutputSerializer

    @extend_schema(
        summary="Te beoordelen document",
        description="De ingediende versie met bijlagen en de beoordelingen die jij mag geven; "
        "404 als je dit document nu niet beoordeelt.",
        tags=TAG,
    )
    def get(self, request, pk: int):
        page = _review_page(request, pk)
        draft = page.get_latest_revision_as_object()
        data = {
            "id": page.pk,
            "title": draft.title,
            "summary": draft.summary,
            "doc_type": draft.doc_type.slug if draft.doc_type else None,
            "themes": [t.slug for t in draft.themes.all()],
            "attachments": [
                {
                    "id": row.document.pk,
                    "title": row.document.title,
                    "download_url": reverse("kennisbank:download", args=[row.document.pk]),
                }
                for row in draft.attachments.all()
                if row.document is not None
            ],
            "actions": _api_actions(selectors.review_actions_for(user=request.user, page=page)),
        }
        return Response(ReviewDetailOutputSerializer(data).data)

    @extend_schema(
        summary="Beoordelen",
        description="Keur goed of vraag wijzigingen (toelichting verplicht). Werkt voor de stap "
        "van de ambassadeur, die van de Redactieraad (een stem met scores en motivering; de "
        "stap is klaar bij het quorum) en de periodieke herbeoordeling.",
        request=ReviewInputSerializer,
        responses={200: TaskStateOutputSerializer},
        tags=TAG,
    )
    def post(self, request, pk: int):
        page = _review_page(request, pk)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task_state = services.document_review_action(
            page=page,
            user=request.user,
            action=REVIEW_ACTIONS[data.validated_data["action"]],
            comment=data.validated_data.get("comment", ""),
            relevance=data.validated_data.get("relevance"),
            reliability=data.validated_data.get("reliability"),
        )
        return Response(TaskStateOutputSerializer({"status": task_state.status}).data)


class ConfirmCurrentApi(generics.GenericAPIView):
    serializer_class = ConfirmCurrentOutputSerializer

    @extend_schema(
        summary="Actueel bevestigen",
        description="De Redactieraad bevestigt bij de periodieke herbeoordeling dat een "
        "document nog actueel is, zonder het te wijzigen: de termijn begint opnieuw en een "
        "lopende herbeoordeling stopt. 403 voor wie geen lid van de Redactieraad is.",
        request=None,
        responses={200: ConfirmCurrentOutputSerializer},
        tags=TAG,
    )
    def post(self, request, pk: int):
        page = selectors.document_get_for_user(user=request.user, pk=pk)
        if page is None:
            raise Http404
        page = services.document_confirm_current(page=page, user=request.user)
        return Response(
            ConfirmCurrentOutputSerializer(
                {
                    "id": page.pk,
                    "last_reviewed_at": page.last_reviewed_at,
                    "next_review_due": page.next_review_due,
                }
            ).data
        )


urlpatterns = [
    path("submissions", SubmissionListCreateApi.as_view(), name="api-submissions"),
    path("submissions/<id:pk>", SubmissionDetailApi.as_view(), name="api-submission"),
    path(
        "submissions/<id:pk>/resubmit",
        SubmissionResubmitApi.as_view(),
        name="api-submission-resubmit",
    ),
    path("reviews", ReviewListApi.as_view(), name="api-reviews"),
    path("reviews/<id:pk>", ReviewDetailApi.as_view(), name="api-review"),
    path(
        "documents/<id:pk>/confirm-current",
        ConfirmCurrentApi.as_view(),
        name="api-document-confirm-current",
    ),
]
