"""``/api/v1/communities/{slug}/...``: community management (members, join requests, invitations)
and moderation (flags queue, hide / restore, pin / lock) — the same selectors and services as
the "Leden", "Beheer" and "Moderatie" pages.

A community the caller may not see is a 404; one they see but do not manage (or moderate) is a
403, checked before any id is looked up, so ids of members, requests and flags never leak.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from communities import selectors, services
from communities.api_common import (
    CommunityListMixin,
    CommunityScopedMixin,
    reply_for_moderation,
    thread_for_moderation,
)
from communities.models import Flag, Invitation, JoinRequest, Membership

MANAGE = ["communities: beheer"]
MODERATE = ["communities: moderatie"]


# --- serializers ---------------------------------------------------------------------------------


class MemberOutputSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.display_name")
    organisation = serializers.CharField(
        source="user.profile.organisation.name", default=None, allow_null=True
    )

    class Meta:
        model = Membership
        fields = ["id", "user", "name", "organisation", "role", "state", "created_at"]


class MemberInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, help_text="'manager', 'moderator' of 'member'."
    )


class PendingJoinRequestSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.display_name")

    class Meta:
        model = JoinRequest
        fields = ["id", "user", "name", "motivation", "status", "created_at"]


class JoinRequestDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("approve", "Toelaten"), ("deny", "Afwijzen")],
        help_text="'approve' (toelaten) of 'deny' (afwijzen).",
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Bericht aan de aanvrager."
    )


class InvitationOutputSerializer(serializers.ModelSerializer):
    expires_at = serializers.DateTimeField(read_only=True, help_text="Geldig tot.")
    expired = serializers.BooleanField(
        source="is_expired", read_only=True, help_text="Verlopen: kan niet meer worden aangenomen."
    )

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "created_at", "expires_at", "expired"]


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


class FlagQueueItemSerializer(serializers.ModelSerializer):
    thread = serializers.IntegerField(source="thread_id")
    reply = serializers.IntegerField(source="reply_id", allow_null=True)
    reported_by = serializers.CharField(
        source="reported_by.display_name", default=None, allow_null=True
    )
    excerpt = serializers.SerializerMethodField(help_text="Begin van het gemelde bericht.")

    class Meta:
        model = Flag
        fields = [
            "id",
            "thread",
            "reply",
            "reason",
            "reported_by",
            "status",
            "created_at",
            "excerpt",
        ]

    def get_excerpt(self, obj) -> str:
        from communities.sanitize import html_to_text

        return html_to_text(obj.post.body)[:300] if obj.post else ""


THREAD_ACTIONS = {
    "hide": "Verbergen",
    "restore": "Weer tonen",
    "pin": "Vastzetten",
    "unpin": "Losmaken",
    "lock": "Sluiten",
    "unlock": "Heropenen",
}


class ThreadModerationInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(THREAD_ACTIONS.items()),
        help_text="hide / restore (verbergen, weer tonen), pin / unpin (vastzetten), "
        "lock / unlock (sluiten, heropenen).",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Notitie voor het logboek."
    )


class ReplyModerationInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("hide", "Verbergen"), ("restore", "Weer tonen")],
        help_text="'hide' (verbergen) of 'restore' (weer tonen).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PostStateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hidden = serializers.BooleanField()
    pinned = serializers.BooleanField(required=False)
    locked = serializers.BooleanField(required=False)


# --- members -------------------------------------------------------------------------------------


class MemberListApi(CommunityListMixin, generics.ListAPIView):
    queryset = Membership.objects.none()  # schema only; get_queryset() decides
    serializer_class = MemberOutputSerializer
    community_content = True

    def list_for(self, community):
        members = selectors.member_list_for_user(user=self.request.user, community=community)
        if not members.exists() and not selectors.is_member(
            community=community, user=self.request.user
        ):
            raise PermissionDenied("Alleen leden zien wie er lid is.")
        return members

    @extend_schema(
        summary="Leden van een community",
        description="De actieve leden (alleen voor leden); 404 als je de community niet mag "
        "zien, 403 als je er geen lid van bent.",
        tags=MANAGE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberDetailApi(CommunityScopedMixin, generics.GenericAPIView):
    serializer_class = MemberOutputSerializer
    community_right = "manage"

    def _membership(self, pk: int) -> Membership:
        return self.community_row_or_404(Membership.objects.select_related("community", "user"), pk)

    @extend_schema(
        summary="Rol van een lid wijzigen",
        description="Community managers maken iemand manager, moderator of lid. Een community "
        "houdt minstens één manager.",
        request=MemberInputSerializer,
        responses={200: MemberOutputSerializer},
        tags=MANAGE,
    )
    def patch(self, request, slug: str, pk: int):
        membership = self._membership(pk)
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=data.validated_data["role"]
        )
        return Response(MemberOutputSerializer(membership).data)

    @extend_schema(
        summary="Lid verwijderen",
        description="Community managers verwijderen een lid uit de community.",
        request=None,
        responses={204: None},
        tags=MANAGE,
    )
    def delete(self, request, slug: str, pk: int):
        membership = self._membership(pk)
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- join requests -------------------------------------------------------------------------------


class JoinRequestListApi(CommunityListMixin, generics.ListAPIView):
    queryset = JoinRequest.objects.none()  # schema only; get_queryset() decides
    serializer_class = PendingJoinRequestSerializer
    community_right = "manage"

    def list_for(self, community):
        return selectors.join_request_list(community=community)

    @extend_schema(
        summary="Openstaande lidmaatschapsverzoeken",
        description="Verzoeken om lid te worden van een besloten community (managers).",
        tags=MANAGE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class JoinRequestDecideApi(CommunityScopedMixin, generics.GenericAPIView):
    serializer_class = PendingJoinRequestSerializer
    community_right = "manage"

    @extend_schema(
        summary="Over een verzoek beslissen",
        description="Laat de aanvrager toe of wijs het verzoek af, met een optioneel bericht. "
        "400 als er al over is beslist.",
        request=JoinRequestDecisionInputSerializer,
        responses={200: PendingJoinRequestSerializer},
        tags=MANAGE,
    )
    def post(self, request, slug: str, pk: int):
        join_request = self.community_row_or_404(
            JoinRequest.objects.select_related("community", "user"), pk
        )
        data = JoinRequestDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = services.join_request_decide(
            join_request=join_request,
            actor=request.user,
            approve=data.validated_data["decision"] == "approve",
            message=data.validated_data.get("message", ""),
        )
        return Response(PendingJoinRequestSerializer(join_request).data)


# --- invitations ---------------------------------------------------------------------------------


class InvitationListCreateApi(CommunityListMixin, generics.ListAPIView):
    queryset = Invitation.objects.none()  # schema only; get_queryset() decides
    serializer_class = InvitationOutputSerializer
    community_right = "manage"

    def list_for(self, community):
        return community.invitations.filter(status=Invitation.Status.PENDING).order_by(
            "-created_at"
        )

    @extend_schema(
        summary="Openstaande uitnodigingen",
        description="Uitnodigingen die nog niet zijn aangenomen (managers).",
        tags=MANAGE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Iemand uitnodigen",
        description="Nodig iemand uit per e-mailadres; zonder account wacht de uitnodiging tot "
        "die persoon inlogt. 400 als die al lid of al uitgenodigd is.",
        request=InvitationInputSerializer,
        responses={201: InvitationOutputSerializer},
        tags=MANAGE,
    )
    def post(self, request, slug: str):
        community = self.get_community()
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            community=community, actor=request.user, **data.validated_data
        )
        return Response(InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeApi(CommunityScopedMixin, generics.GenericAPIView):
    serializer_class = InvitationOutputSerializer
    community_right = "manage"

    @extend_schema(
        summary="Uitnodiging intrekken",
        description="Trek een openstaande uitnodiging in; de link werkt daarna niet meer.",
        request=None,
        responses={204: None},
        tags=MANAGE,
    )
    def delete(self, request, slug: str, pk: int):
        invitation = self.community_row_or_404(Invitation.objects.select_related("community"), pk)
        services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- moderation ----------------------------------------------------------------------------------


class FlagListApi(CommunityListMixin, generics.ListAPIView):
    queryset = Flag.objects.none()  # schema only; get_queryset() decides
    serializer_class = FlagQueueItemSerializer
    community_content = True
    community_right = "moderate"

    def list_for(self, community):
        return selectors.flag_queue(community=community)

    @extend_schema(
        summary="Meldingen van berichten",
        description="De open meldingen in de community, oudste eerst (moderatoren).",
        tags=MODERATE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FlagDismissApi(CommunityScopedMixin, generics.GenericAPIView):
    serializer_class = FlagQueueItemSerializer
    community_content = True
    community_right = "moderate"

    @extend_schema(
        summary="Melding afhandelen",
        description="Sluit een melding zonder het bericht te verbergen.",
        request=None,
        responses={200: FlagQueueItemSerializer},
        tags=MODERATE,
    )
    def post(self, request, slug: str, pk: int):
        flag = self.community_row_or_404(Flag.objects.all(), pk)
        flag = services.flag_dismiss(flag=flag, actor=request.user)
        return Response(FlagQueueItemSerializer(flag).data)


class ThreadModerationApi(generics.GenericAPIView):
    serializer_class = PostStateOutputSerializer

    @extend_schema(
        summary="Onderwerp modereren",
        description="Verberg of toon een onderwerp, zet het vast of los, sluit of heropen het "
        "(moderatoren). Verbergen handelt de open meldingen erover af.",
        request=ThreadModerationInputSerializer,
        responses={200: PostStateOutputSerializer},
        tags=MODERATE,
    )
    def post(self, request, pk: int):
        thread = thread_for_moderation(request, pk)
        data = ThreadModerationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action, note = data.validated_data["action"], data.validated_data.get("note", "")
        if action == "hide":
            services.moderation_hide(post=thread, actor=request.user, note=note)
        elif action == "restore":
            services.moderation_restore(post=thread, actor=request.user, note=note)
        elif action in ("pin", "unpin"):
            services.thread_pin(thread=thread, actor=request.user, pinned=action == "pin")
        else:
            services.thread_lock(thread=thread, actor=request.user, locked=action == "lock")
        thread.refresh_from_db()
        return Response(
            PostStateOutputSerializer(
                {
                    "id": thread.pk,
                    "hidden": thread.is_hidden,
                    "pinned": thread.pinned,
                    "locked": thread.locked,
                }
            ).data
        )


class ReplyModerationApi(generics.GenericAPIView):
    serializer_class = PostStateOutputSerializer

    @extend_schema(
        summary="Reactie modereren",
        description="Verberg een reactie of toon haar weer (moderatoren).",
        request=ReplyModerationInputSerializer,
        responses={200: PostStateOutputSerializer},
        tags=MODERATE,
    )
    def post(self, request, pk: int):
        reply = reply_for_moderation(request, pk)
        data = ReplyModerationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("note", "")
        if data.validated_data["action"] == "hide":
            services.moderation_hide(post=reply, actor=request.user, note=note)
        else:
            services.moderation_restore(post=reply, actor=request.user, note=note)
        reply.refresh_from_db()
        return Response(PostStateOutputSerializer({"id": reply.pk, "hidden": reply.is_hidden}).data)


_c = "communities/<slug:slug>/"
urlpatterns = [
    path(_c + "members", MemberListApi.as_view(), name="api-community-members"),
    path(_c + "members/<id:pk>", MemberDetailApi.as_view(), name="api-community-member"),
    path(_c + "join-requests", JoinRequestListApi.as_view(), name="api-community-join-requests"),
    path(
        _c + "join-requests/<id:pk>/decision",
        JoinRequestDecideApi.as_view(),
        name="api-community-join-request-decision",
    ),
    path(_c + "invitations", InvitationListCreateApi.as_view(), name="api-community-invitations"),
    path(
        _c + "invitations/<id:pk>", InvitationRevokeApi.as_view(), name="api-community-invitation"
    ),
    path(_c + "flags", FlagListApi.as_view(), name="api-community-flags"),
    path(_c + "flags/<id:pk>/dismiss", FlagDismissApi.as_view(), name="api-community-flag-dismiss"),
    path("threads/<id:pk>/moderation", ThreadModerationApi.as_view(), name="api-thread-moderation"),
    path("replies/<id:pk>/moderation", ReplyModerationApi.as_view(), name="api-reply-moderation"),
]
