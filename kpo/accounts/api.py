"""API of accounts: the current user and the "Wie weet wat" directory."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from kpo.accounts.models import Profile
from kpo.accounts.selectors import person_list_for_user
from kpo.core.access import user_principals


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


@extend_schema(
    parameters=[
        OpenApiParameter("q", str),
        OpenApiParameter("theme", str),
        OpenApiParameter("organisation", str),
        OpenApiParameter("region", str),
    ]
)
class PeopleApi(generics.ListAPIView):
    serializer_class = PersonOutputSerializer

    def get_queryset(self):
        params = self.request.query_params
        return person_list_for_user(
            user=self.request.user,
            q=(params.get("q") or "")[:100] or None,
            theme=params.get("theme") or None,
            organisation=params.get("organisation") or None,
            region=params.get("region") or None,
        )


class TokenApi(ObtainAuthToken):
    """API token for a professional. Staff accounts (who need a second factor) get none: a
    token would bypass two-factor authentication."""

    def post(self, request, *args, **kwargs):
        from kpo.security.roles import user_requires_2fa

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if user_requires_2fa(user):
            raise PermissionDenied(
                "Beheeraccounts krijgen geen API-token; gebruik de beheeromgeving met "
                "tweestapsverificatie."
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
