"""``/api/v1/communities/{slug}/events``: a community's events and RSVP — the same selectors and
services as the "Bijeenkomsten" pages. An event the caller may not read is a 404."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from communities import selectors, services
from communities.api_common import CommunityListMixin, CommunityScopedMixin
from communities.models import RSVP, Event

TAG = ["communities: bijeenkomsten"]


class EventOutputSerializer(serializers.ModelSerializer):
    community: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    yes_count = serializers.IntegerField(
        read_only=True, required=False, help_text="Aantal aanmeldingen met 'ja'."
    )

    class Meta:
        model = Event
        fields = [
            "slug", "community", "title", "description", "starts_at", "ends_at", "location",
            "online_url", "capacity", "yes_count", "url",
        ]  # fmt: skip


class EventDetailOutputSerializer(EventOutputSerializer):
    my_answer = serializers.SerializerMethodField(
        help_text="Jouw antwoord: yes, no, maybe of leeg."
    )
    counts = serializers.SerializerMethodField(help_text="Aantal antwoorden per soort.")

    class Meta(EventOutputSerializer.Meta):
        fields = [*EventOutputSerializer.Meta.fields, "my_answer", "counts"]

    def get_my_answer(self, obj) -> str | None:
        mine = RSVP.objects.filter(event=obj, user=self.context["request"].user).first()
        return mine.answer if mine else None

    def get_counts(self, obj) -> dict[str, int]:
        counts = dict(
            obj.rsvps.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n")
        )
        return {answer: counts.get(answer, 0) for answer in RSVP.Answer.values}


class EventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    location = serializers.CharField(required=False, allow_blank=True, max_length=300)
    online_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100_000
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class RsvpInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=RSVP.Answer.choices, help_text="'yes' (ja), 'no' (nee) of 'maybe' (misschien)."
    )


class RsvpOutputSerializer(serializers.Serializer):
    answer = serializers.CharField()


class EventScopedMixin(CommunityScopedMixin):
    """The views of one event: its community's content must be readable, then the event."""

    community_content = True

    def event_or_404(self, event_slug: str) -> Event:
        event = selectors.event_get_for_user(
            user=self.request.user, community=self.get_community(), slug=event_slug
        )
        if event is None:
            raise Http404
        return event


class EventListCreateApi(CommunityListMixin, generics.ListAPIView):
    queryset = Event.objects.none()  # schema only; get_queryset() decides
    serializer_class = EventOutputSerializer
    community_content = True

    def list_for(self, community):
        return selectors.event_list_for_user(user=self.request.user, community=community)

    @extend_schema(
        summary="Bijeenkomsten van een community",
        description="Alle bijeenkomsten van de community, op begintijd; 404 als je de inhoud "
        "van de community niet mag zien.",
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Bijeenkomst plannen",
        description="Moderatoren en community managers plannen een bijeenkomst.",
        request=EventInputSerializer,
        responses={201: EventOutputSerializer},
        tags=TAG,
    )
    def post(self, request, slug: str):
        community = self.get_community()
        data = EventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_create(
            community=community, actor=request.user, **data.validated_data
        )
        return Response(EventOutputSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailApi(EventScopedMixin, generics.GenericAPIView):
    serializer_class = EventDetailOutputSerializer

    @extend_schema(
        summary="Eén bijeenkomst",
        description="De bijeenkomst met jouw antwoord en de aantallen per antwoord.",
        tags=TAG,
    )
    def get(self, request, slug: str, event_slug: str):
        event = self.event_or_404(event_slug)
        return Response(EventDetailOutputSerializer(event, context={"request": request}).data)

    @extend_schema(
        summary="Bijeenkomst aanpassen",
        description="Moderatoren passen een bijeenkomst aan; abonnementen krijgen de wijziging.",
        request=EventInputSerializer(partial=True),
        responses={200: EventOutputSerializer},
        tags=TAG,
    )
    def patch(self, request, slug: str, event_slug: str):
        event = self.event_or_404(event_slug)
        data = EventInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        event = services.event_update(event=event, actor=request.user, **data.validated_data)
        return Response(EventOutputSerializer(event).data)


class RsvpApi(EventScopedMixin, generics.GenericAPIView):
    serializer_class = RsvpOutputSerializer

    @extend_schema(
        summary="Aanmelden voor een bijeenkomst",
        description="Zeg ja, nee of misschien. 'Ja' wordt geweigerd (400) als de bijeenkomst "
        "vol is.",
        request=RsvpInputSerializer,
        responses={200: RsvpOutputSerializer},
        tags=TAG,
    )
    def put(self, request, slug: str, event_slug: str):
        event = self.event_or_404(event_slug)
        data = RsvpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rsvp = services.rsvp_set(event=event, user=request.user, **data.validated_data)
        return Response(RsvpOutputSerializer({"answer": rsvp.answer}).data)


urlpatterns = [
    path(
        "communities/<slug:slug>/events",
        EventListCreateApi.as_view(),
        name="api-community-events",
    ),
    path(
        "communities/<slug:slug>/events/<slug:event_slug>",
        EventDetailApi.as_view(),
        name="api-community-event",
    ),
    path(
        "communities/<slug:slug>/events/<slug:event_slug>/rsvp",
        RsvpApi.as_view(),
        name="api-community-event-rsvp",
    ),
]
