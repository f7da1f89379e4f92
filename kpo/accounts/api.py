"""API of accounts: the current user and the "Wie weet wat" directory."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import generics, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kpo.accounts.models import Organisation, Profile, Region
from kpo.accounts.selectors import person_list_for_user
from kpo.core.access import user_principals
from kpo.core.api import paginated_response
from kpo.themes.models import Theme


class PersonOutputSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.display_name")
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    expertise = serializers.SlugRelatedField(
        source="expertise_themes", slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Profile
        fields = ["id", "name", "organisation", "region", "function", "expertise"]


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    principals = serializers.ListField(child=serializers.CharField())


class MeApi(APIView):
    @extend_schema(responses=MeOutputSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "name": user.display_name,
            "principals": sorted(user_principals(user)),
        }
        return Response(MeOutputSerializer(data).data)


class PersonFilterSet(django_filters.FilterSet):
    """Filters of "Wie weet wat"; the selector applies them (``person_list_for_user``)."""

    q = django_filters.CharFilter(method="by_selector", max_length=100, label=_("Zoektekst"))
    theme = django_filters.ModelChoiceFilter(
        field_name="expertise_themes",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        method="by_selector",
    )
    organisation = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Organisation.objects.all(), method="by_selector"
    )
    region = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Region.objects.all(), method="by_selector"
    )

    class Meta:
        model = Profile
        fields: list[str] = []

    def by_selector(self, queryset, name, value):
        return queryset  # applied all at once in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return person_list_for_user(
            user=self.request.user,
            q=data.get("q") or None,
            theme=data["theme"].slug if data.get("theme") else None,
            organisation=data["organisation"].slug if data.get("organisation") else None,
            region=data["region"].slug if data.get("region") else None,
        )


class PeopleApi(generics.ListAPIView):
    serializer_class = PersonOutputSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        return person_list_for_user(user=self.request.user)


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="E-mailadres")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Het token; wordt maar één keer getoond.")
    token_key = serializers.CharField(help_text="Publiek deel, om het token in te trekken.")
    expiry = serializers.DateTimeField()


class TokenInfoSerializer(serializers.Serializer):
    token_key = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()


class TokenApi(APIView):
    """A new API token (hashed at rest, expires after ``KPO_API_TOKEN_TTL_DAYS``) for a
    professional, with e-mail address and password; the password check has the login's
    lock-out. Staff accounts (who need a second factor) get none: a token would bypass it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInputSerializer, responses=TokenOutputSerializer, auth=[], tags=["auth"]
    )
    def post(self, request):
        from kpo.security.services import ApiTokenRefused, api_token_create

        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            instance, token = api_token_create(user=serializer.validated_data["user"])
        except ApiTokenRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        data = {"token": token, "token_key": instance.token_key, "expiry": instance.expiry}
        return Response(TokenOutputSerializer(data).data)


class TokenListApi(generics.GenericAPIView):
    """The caller's live API tokens (never the secret itself)."""

    serializer_class = TokenInfoSerializer
    queryset = AuthToken.objects.none()  # the schema's model; reads go through the selector

    @extend_schema(responses=TokenInfoSerializer(many=True), tags=["auth"])
    def get(self, request):
        from kpo.security.selectors import api_token_list

        return paginated_response(
            view=self,
            items=api_token_list(user=request.user),
            serializer_class=TokenInfoSerializer,
        )


class TokenRevokeApi(APIView):
    """Revoke one of the caller's API tokens by its ``token_key``."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request, token_key: str):
        from kpo.security.services import api_token_revoke

        if not api_token_revoke(user=request.user, token_key=token_key, actor=request.user):
            raise NotFound("Geen token met deze sleutel.")
        return Response(status=204)
