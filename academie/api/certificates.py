"""Certificate endpoints: the list, the PDF, the Open Badge, revoking and public verification."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from academie import selectors, services
from academie.api.serializers import ERRORS, CertificateSerializer, certificate_data
from academie.filters import CertificateFilterSet
from academie.models import Certificate
from academie.openbadges import openbadges_credential, openbadges_jwt
from academie.pdf import certificate_pdf
from kpo.core.access import has_staff_role
from kpo.core.api import paginated_response
from kpo.security.ratelimit import rate_limit_check


class CertificateListApi(generics.GenericAPIView):
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilterSet
    queryset = Certificate.objects.none()  # the schema's model; reads go through the selector

    @extend_schema(
        operation_id="certificates_list",
        responses={200: CertificateSerializer(many=True)},
        tags=["academie"],
    )
    def get(self, request):
        certificates = self.filter_queryset(selectors.certificate_list_for_user(user=request.user))
        return paginated_response(
            view=self,
            items=certificates,
            serializer_class=CertificateSerializer,
            to_data=certificate_data,
        )


class CertificatePdfApi(APIView):
    @extend_schema(
        operation_id="certificates_pdf",
        responses={(200, "application/pdf"): OpenApiResponse(description="PDF"), **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        certificate = selectors.certificate_get_for_owner(user=request.user, pk=pk)
        if certificate is None:
            raise Http404
        response = HttpResponse(
            certificate_pdf(certificate=certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="certificaat-{certificate.code}.pdf"'
        )
        return response


class OpenBadgeSerializer(serializers.Serializer):
    credential = serializers.DictField(help_text="De OpenBadgeCredential (Open Badges 3.0).")
    jwt = serializers.CharField(
        help_text="Dezelfde credential ondertekend (JWT, EdDSA/Ed25519); de sleutel staat op kid."
    )


class CertificateOpenBadgeApi(APIView):
    @extend_schema(
        operation_id="certificates_openbadge",
        responses={200: OpenBadgeSerializer, **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        """The holder's certificate as a signed Open Badges 3.0 credential (not when revoked)."""
        certificate = selectors.certificate_get_for_owner(user=request.user, pk=pk)
        if certificate is None:
            raise Http404
        if certificate.revoked_at is not None:
            raise ValidationError(
                _("Dit certificaat is ingetrokken en kan niet worden geëxporteerd."),
                code="revoked",
            )
        return Response(
            {
                "credential": openbadges_credential(certificate=certificate),
                "jwt": openbadges_jwt(certificate=certificate),
            }
        )


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Reden van de intrekking.")


class CertificateRevokeApi(APIView):
    @extend_schema(
        operation_id="certificates_revoke",
        request=RevokeInputSerializer,
        responses={200: CertificateSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        """Academy staff revoke a certificate, with a reason (audited)."""
        if not has_staff_role(request.user, services.ACADEMY_ROLE):
            raise Http404
        certificate = selectors.certificate_get_for_staff(pk=pk)
        if certificate is None:
            raise Http404
        payload = RevokeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(
            certificate=certificate, by=request.user, reason=payload.validated_data["reason"]
        )
        return Response(CertificateSerializer(certificate_data(certificate)).data)


class VerifyInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="De verificatiecode van het certificaat.")


class VerificationSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    learner_name = serializers.CharField()
    title = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(help_text="valid, expired, revoked (leeg als niet gevonden).")
    status_label = serializers.CharField()


class CertificateVerifyApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="certificates_verify",
        request=VerifyInputSerializer,
        responses={200: VerificationSerializer, 400: ERRORS[400]},
        tags=["academie"],
    )
    def post(self, request):
        """Public, no login: check a verification code. The answer has the same shape for an
        unknown code (``found`` false); rate limited per client like the web form."""
        too_many = rate_limit_check(request=request, action="verify")
        if too_many is not None:
            return too_many
        payload = VerifyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = selectors.certificate_get_by_code(code=payload.validated_data["code"])
        return Response(
            VerificationSerializer(selectors.certificate_verification(certificate=certificate)).data
        )
