"""``/api/v1/documents``: knowledge documents the user may read (list with filters, detail)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from kennisbank import selectors
from kennisbank.filters import DocumentFilterSet
from kennisbank.models import KnowledgeDocumentPage


class AttachmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    file_extension = serializers.CharField()
    download_url = serializers.CharField()


class DocumentOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    doc_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    regions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organisations = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = KnowledgeDocumentPage
        fields = [
            "id",
            "title",
            "summary",
            "url",
            "doc_type",
            "themes",
            "regions",
            "organisations",
            "year",
            "community",
            "review_status",
            "last_reviewed_at",
            "next_review_due",
            "first_published_at",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.url or ""


class DocumentDetailOutputSerializer(DocumentOutputSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta(DocumentOutputSerializer.Meta):
        fields = [*DocumentOutputSerializer.Meta.fields, "attachments"]
        read_only_fields = fields

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, obj) -> list[dict]:
        return [
            {
                "id": row.document.pk,
                "title": row.document.title,
                "file_extension": row.document.file_extension,
                "download_url": reverse("kennisbank:download", args=[row.document.pk]),
            }
            for row in obj.attachments.select_related("document")
        ]


class DocumentListApi(generics.ListAPIView):
    """Knowledge documents the user may read, with the index page's filters."""

    serializer_class = DocumentOutputSerializer
    filterset_class = DocumentFilterSet

    def get_queryset(self):
        return selectors.document_list_for_user(user=self.request.user).prefetch_related(
            "regions", "organisations"
        )


class DocumentDetailApi(generics.RetrieveAPIView):
    """One document with its attachments' download links; 404 when the user may not read it."""

    serializer_class = DocumentDetailOutputSerializer

    def get_object(self):
        page = selectors.document_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        if page is None:
            raise Http404
        return page


urlpatterns = [
    path("documents", DocumentListApi.as_view(), name="api-documents"),
    path("documents/<id:pk>", DocumentDetailApi.as_view(), name="api-document-detail"),
]
