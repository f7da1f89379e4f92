"""``/api/v1/notifications``: the caller's notifications (list, mark read) and e-mail
preferences — the same selectors and services as the "Meldingen" pages. Notifications about
content the caller may no longer read are not listed (the access rule, in the selector)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from kpo.core.access import community_ids_in, user_principals
from kpo.notifications.models import EmailMode, Notification, NotificationPreference
from kpo.notifications.selectors import (
    notification_list_for_user,
    notification_preferences_for_user,
    notification_unread_count,
)
from kpo.notifications.services import notification_mark_read, notification_preference_set

TAG = ["meldingen"]


def _community_model():
    # The community a preference is about, through the preference's own relation: this app does
    # not import the communities app.
    return NotificationPreference._meta.get_field("community").related_model


class NotificationOutputSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Aantal meldingen dat nu gelezen is.")
    unread = serializers.IntegerField(help_text="Aantal ongelezen meldingen dat overblijft.")


class CommunityPreferenceSerializer(serializers.Serializer):
    community = serializers.SlugField(help_text="Slug van een community waarvan je lid bent.")
    name = serializers.CharField(read_only=True)
    email_mode = serializers.ChoiceField(choices=EmailMode.choices)


class PreferencesSerializer(serializers.Serializer):
    email_mode = serializers.ChoiceField(
        choices=EmailMode.choices,
        required=False,
        help_text="Standaard voor alle communities: instant (direct), daily, weekly "
        "(samenvatting) of off (geen e-mail).",
    )
    communities = CommunityPreferenceSerializer(many=True, required=False)


def _marked(user, marked: int) -> dict:
    return {"marked": marked, "unread": notification_unread_count(user=user)}


def _member_communities(user):
    """The communities a preference may be about: those the user is a member of."""
    return _community_model().objects.filter(pk__in=community_ids_in(user_principals(user)))


def _preferences(user) -> dict:
    current = {p.community_id: p.email_mode for p in notification_preferences_for_user(user=user)}
    default = current.get(None, EmailMode.INSTANT)
    communities = _member_communities(user).order_by("name")
    return {
        "email_mode": default,
        "communities": [
            {"community": c.slug, "name": c.name, "email_mode": current.get(c.pk, default)}
            for c in communities
        ],
    }


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationOutputSerializer

    def get_queryset(self):
        return notification_list_for_user(user=self.request.user)

    @extend_schema(
        summary="Mijn meldingen",
        description="Je meldingen, nieuwste eerst.",
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadApi(generics.GenericAPIView):
    serializer_class = MarkedReadOutputSerializer

    @extend_schema(
        summary="Melding gelezen",
        description="Markeer één van je meldingen als gelezen; 404 voor een andermans melding.",
        request=None,
        responses={200: MarkedReadOutputSerializer},
        tags=TAG,
    )
    def post(self, request, pk: int):
        if not notification_list_for_user(user=request.user).filter(pk=pk).exists():
            raise NotFound("Niet gevonden.")
        marked = notification_mark_read(user=request.user, notification_id=pk)
        return Response(MarkedReadOutputSerializer(_marked(request.user, marked)).data)


class NotificationReadAllApi(generics.GenericAPIView):
    serializer_class = MarkedReadOutputSerializer

    @extend_schema(
        summary="Alles gelezen",
        description="Markeer al je meldingen als gelezen.",
        request=None,
        responses={200: MarkedReadOutputSerializer},
        tags=TAG,
    )
    def post(self, request):
        marked = notification_mark_read(user=request.user)
        return Response(MarkedReadOutputSerializer(_marked(request.user, marked)).data)


class NotificationPreferencesApi(generics.GenericAPIView):
    serializer_class = PreferencesSerializer

    @extend_schema(
        summary="Meldingsvoorkeuren",
        description="Hoe je e-mail krijgt: een standaard en per community waarvan je lid bent "
        "(direct, dagelijkse of wekelijkse samenvatting, of geen e-mail).",
        tags=TAG,
    )
    def get(self, request):
        return Response(PreferencesSerializer(_preferences(request.user)).data)

    @extend_schema(
        summary="Meldingsvoorkeuren wijzigen",
        description="Wijzig de standaard en/of de voorkeur per community; wat je weglaat blijft "
        "zoals het was. Een community waarvan je geen lid bent is een 400.",
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer},
        tags=TAG,
    )
    def patch(self, request):
        data = PreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = data.validated_data.get("communities", [])
        allowed = {
            c.slug: c
            for c in _member_communities(request.user).filter(
                slug__in=[row["community"] for row in rows]
            )
        }
        unknown = sorted({row["community"] for row in rows} - set(allowed))
        if unknown:
            raise ValidationError(
                {"communities": [f"Je bent geen lid van de community '{s}'." for s in unknown]}
            )
        if "email_mode" in data.validated_data:
            notification_preference_set(
                user=request.user, email_mode=data.validated_data["email_mode"]
            )
        for row in rows:
            notification_preference_set(
                user=request.user,
                community=allowed[row["community"]],
                email_mode=row["email_mode"],
            )
        return Response(PreferencesSerializer(_preferences(request.user)).data)


urlpatterns = [
    path("notifications", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<id:pk>/read", NotificationReadApi.as_view(), name="api-notification-read"),
    path("notifications/read-all", NotificationReadAllApi.as_view(), name="api-notifications-read"),
    path(
        "notifications/preferences",
        NotificationPreferencesApi.as_view(),
        name="api-notification-preferences",
    ),
]
