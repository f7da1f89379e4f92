"""``/api/v1/``: communities, their threads and replies. Thin views: selectors for reads, services
for writes, input and output serializers. A community (or its content) that the user may not read
is a 404 — also for closed communities' content (the web shows a join prompt instead)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from communities import selectors, services
from communities.api_common import community_or_404
from communities.filters import CommunityFilterSet, ThreadFilterSet
from communities.models import Attachment, Community, Membership, Reply, Thread
from kpo.core.api import paginated_response
from kpo.core.converters import MAX_ID

# --- serializers ---------------------------------------------------------------------------------


class CommunityOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url")
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    membership = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = ["slug", "name", "description", "visibility", "themes", "url", "membership"]

    def get_membership(self, obj) -> dict | None:
        memberships = self.context.get("memberships", {})
        m = memberships.get(obj.pk)
        return {"role": m.role, "state": m.state} if m else None


class ReplyOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", default=None)
    accepted = serializers.SerializerMethodField()
    edited = serializers.BooleanField(source="is_edited")

    class Meta:
        model = Reply
        fields = ["id", "author", "body", "created_at", "edited", "accepted"]

    def get_accepted(self, obj) -> bool:
        return obj.thread.accepted_reply_id == obj.pk


class ThreadOutputSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.CharField(source="author.display_name", default=None)
    url = serializers.CharField(source="get_absolute_url")
    edited = serializers.BooleanField(source="is_edited")
    reply_count = serializers.IntegerField(required=False)
    # Plain string here (the enum is documented once, on the input) so that the schema's enum
    # names stay unambiguous next to other apps' "kind" fields.
    kind = serializers.CharField(help_text="question of discussion")

    class Meta:
        model = Thread
        fields = [
            "id", "community", "kind", "title", "body", "author", "created_at",
            "last_activity_at", "pinned", "locked", "accepted_reply", "edited", "url",
            "reply_count",
        ]  # fmt: skip


class ThreadDetailOutputSerializer(ThreadOutputSerializer):
    replies = serializers.SerializerMethodField()

    class Meta(ThreadOutputSerializer.Meta):
        fields = [*ThreadOutputSerializer.Meta.fields, "replies"]

    @extend_schema_field(ReplyOutputSerializer(many=True))
    def get_replies(self, obj) -> list[dict]:
        replies = self.context["replies"]
        for r in replies:
            r.thread = obj
        return ReplyOutputSerializer(replies, many=True).data  # type: ignore[return-value]


class CaseDataRequired(APIException):
    """The case-data guard warned: 400 with code ``case_data``; send again with
    ``case_data_reason`` or without the values. The message names the kinds, never values."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "case_data"


def _case_data_guarded(call):
    try:
        return call()
    except services.CaseDataWarning as exc:
        raise CaseDataRequired(" ".join(exc.messages)) from exc


def case_data_reason_field() -> serializers.CharField:
    """The optional reason to keep what the case-data guard warns about (threads, replies, files;
    a field per serializer, so each keeps its place in the schema)."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Reden om gegevens te laten staan waarvoor de zaaksgegevens-controle waarschuwt "
        "(400 met code case_data zonder reden).",
    )


class ThreadInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50_000)
    kind = serializers.ChoiceField(choices=Thread.Kind.choices, default=Thread.Kind.QUESTION)
    case_data_reason = case_data_reason_field()


class ReplyInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=50_000)
    case_data_reason = case_data_reason_field()


class JoinRequestInputSerializer(serializers.Serializer):
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CommunityFileInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    case_data_reason = case_data_reason_field()


class CommunityFileOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "created_at", "url"]


class FlagInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    reply = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


# --- helpers -------------------------------------------------------------------------------------


def _thread(request, pk: int) -> Thread:
    thread = selectors.thread_get_for_user(user=request.user, pk=pk)
    if thread is None:
        raise Http404
    return thread


def _membership_out(membership: Membership | None) -> dict:
    return {"role": membership.role, "state": membership.state} if membership else {}


MembershipOut = inline_serializer(
    "MembershipOutput", {"role": serializers.CharField(), "state": serializers.CharField()}
)


# --- views ---------------------------------------------------------------------------------------


class CommunityListApi(generics.ListAPIView):
    """The communities the user may see (secret ones only for their members)."""

    serializer_class = CommunityOutputSerializer
    filterset_class = CommunityFilterSet

    def get_queryset(self):
        return selectors.community_list_for_user(user=self.request.user).prefetch_related("themes")

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["memberships"] = selectors.membership_map_for_user(user=self.request.user)
        return ctx


class CommunityJoinApi(APIView):
    @extend_schema(request=None, responses={201: MembershipOut})
    def post(self, request, slug: str):
        community = community_or_404(request, slug)
        membership = services.membership_join(community=community, user=request.user)
        return Response(_membership_out(membership), status=status.HTTP_201_CREATED)


class CommunityLeaveApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, slug: str):
        community = community_or_404(request, slug)
        services.membership_leave(community=community, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommunityRequestApi(APIView):
    @extend_schema(
        request=JoinRequestInputSerializer,
        responses={
            201: inline_serializer("JoinRequestOutput", {"status": serializers.CharField()})
        },
    )
    def post(self, request, slug: str):
        community = community_or_404(request, slug)
        data = JoinRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = services.membership_request(
            community=community, user=request.user, **data.validated_data
        )
        return Response({"status": join_request.status}, status=status.HTTP_201_CREATED)


class ThreadListCreateApi(generics.GenericAPIView):
    serializer_class = ThreadOutputSerializer
    filterset_class = ThreadFilterSet
    queryset = Thread.objects.none()  # the schema's model; reads go through the selector

    @extend_schema(responses=ThreadOutputSerializer(many=True))
    def get(self, request, slug: str):
        community = community_or_404(request, slug, content=True)
        threads = selectors.thread_list_for_user(user=request.user, community=community)
        return paginated_response(
            view=self, items=self.filter_queryset(threads), serializer_class=ThreadOutputSerializer
        )

    @extend_schema(request=ThreadInputSerializer, responses={201: ThreadOutputSerializer})
    def post(self, request, slug: str):
        community = community_or_404(request, slug, content=True)
        data = ThreadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        thread = _case_data_guarded(
            lambda: services.thread_create(
                community=community, author=request.user, **data.validated_data
            )
        )
        return Response(ThreadOutputSerializer(thread).data, status=status.HTTP_201_CREATED)


class ThreadDetailApi(APIView):
    @extend_schema(responses=ThreadDetailOutputSerializer)
    def get(self, request, pk: int):
        thread = _thread(request, pk)
        replies = list(selectors.reply_list_for_thread(user=request.user, thread=thread))
        return Response(ThreadDetailOutputSerializer(thread, context={"replies": replies}).data)


class ReplyCreateApi(APIView):
    @extend_schema(request=ReplyInputSerializer, responses={201: ReplyOutputSerializer})
    def post(self, request, pk: int):
        thread = _thread(request, pk)
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = _case_data_guarded(
            lambda: services.reply_create(thread=thread, author=request.user, **data.validated_data)
        )
        return Response(ReplyOutputSerializer(reply).data, status=status.HTTP_201_CREATED)


class ReplyAcceptApi(APIView):
    @extend_schema(request=None, responses={200: ThreadOutputSerializer})
    def post(self, request, pk: int, reply_pk: int):
        thread = _thread(request, pk)
        reply = selectors.reply_get_for_user(user=request.user, pk=reply_pk)
        if reply is None or reply.thread_id != thread.pk:
            raise Http404
        thread = services.reply_accept(reply=reply, actor=request.user)
        return Response(ThreadOutputSerializer(thread).data)


class FlagApi(APIView):
    @extend_schema(
        request=FlagInputSerializer,
        responses={201: inline_serializer("FlagOutput", {"id": serializers.IntegerField()})},
    )
    def post(self, request, pk: int):
        thread = _thread(request, pk)
        data = FlagInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = thread
        if data.validated_data.get("reply"):
            post = selectors.reply_get_for_user(user=request.user, pk=data.validated_data["reply"])  # type: ignore[assignment]
            if post is None or post.thread_id != thread.pk:  # type: ignore[attr-defined]
                raise Http404
        flag = services.flag_create(
            user=request.user, post=post, reason=data.validated_data["reason"]
        )
        return Response({"id": flag.pk}, status=status.HTTP_201_CREATED)


class AttachmentCreateApi(generics.ListAPIView):
    """The community's files (GET) and sharing a file in it (POST, multipart ``file``). The
    platform's upload validator decides; a refused file is a 400 in the error format and nothing
    is stored."""

    parser_classes = [MultiPartParser]
    queryset = Attachment.objects.none()  # schema only; get_queryset() decides
    serializer_class = CommunityFileOutputSerializer

    def get_queryset(self):
        community = community_or_404(self.request, self.kwargs["slug"], content=True)
        return selectors.attachment_list_for_user(user=self.request.user, community=community)

    @extend_schema(
        summary="Bestanden van een community",
        description="De bestanden die je in deze community mag zien, nieuwste eerst; 404 als je "
        "de inhoud van de community niet mag zien.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Bestand delen",
        request={"multipart/form-data": CommunityFileInputSerializer},
        responses={201: CommunityFileOutputSerializer},
    )
    def post(self, request, slug: str):
        community = community_or_404(request, slug, content=True)
        data = CommunityFileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attachment = services.attachment_create(
                community=community,
                user=request.user,
                uploaded=data.validated_data["file"],
                case_data_reason=data.validated_data.get("case_data_reason"),
            )
        except services.CaseDataWarning as exc:
            raise CaseDataRequired(" ".join(exc.messages)) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {"file": [ErrorDetail(message, code=exc.code) for message in exc.messages]}
            ) from exc
        return Response(
            CommunityFileOutputSerializer(attachment).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("communities", CommunityListApi.as_view(), name="api-communities"),
    path("communities/<slug:slug>/join", CommunityJoinApi.as_view(), name="api-community-join"),
    path("communities/<slug:slug>/leave", CommunityLeaveApi.as_view(), name="api-community-leave"),
    path(
        "communities/<slug:slug>/request",
        CommunityRequestApi.as_view(),
        name="api-community-request",
    ),
    path(
        "communities/<slug:slug>/threads",
        ThreadListCreateApi.as_view(),
        name="api-community-threads",
    ),
    path(
        "communities/<slug:slug>/files",
        AttachmentCreateApi.as_view(),
        name="api-community-files",
    ),
    path("threads/<id:pk>", ThreadDetailApi.as_view(), name="api-thread"),
    path("threads/<id:pk>/replies", ReplyCreateApi.as_view(), name="api-thread-replies"),
    path(
        "threads/<id:pk>/replies/<id:reply_pk>/accept",
        ReplyAcceptApi.as_view(),
        name="api-reply-accept",
    ),
    path("threads/<id:pk>/flag", FlagApi.as_view(), name="api-thread-flag"),
]
