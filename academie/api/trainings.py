"""Training endpoints: the list, one training, registering for and cancelling a session."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from academie import selectors, services
from academie.api.serializers import (
    ERRORS,
    RegistrationSerializer,
    TrainingSerializer,
    training_data,
)
from academie.filters import TrainingFilterSet
from academie.models import TrainingPage
from kpo.core.api import paginated_response


class TrainingListApi(generics.GenericAPIView):
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet
    queryset = TrainingPage.objects.none()  # the schema's model; reads go through the selector

    @extend_schema(
        operation_id="trainings_list",
        responses={200: TrainingSerializer(many=True)},
        tags=["academie"],
    )
    def get(self, request):
        trainings = self.filter_queryset(selectors.training_list_for_user(user=request.user))
        return paginated_response(
            view=self,
            items=trainings,
            serializer_class=TrainingSerializer,
            to_data=lambda training: training_data(training, request.user),
        )


class TrainingDetailApi(APIView):
    @extend_schema(
        operation_id="trainings_detail",
        responses={200: TrainingSerializer, **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        training = selectors.training_get_for_user(user=request.user, pk=pk)
        if training is None:
            raise Http404
        return Response(TrainingSerializer(training_data(training, request.user)).data)


def _session(request, pk: int):
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    if session is None:
        raise Http404
    return session


class SessionRegisterApi(APIView):
    @extend_schema(
        operation_id="trainings_session_register",
        request=None,
        responses={201: RegistrationSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        registration = services.session_register(user=request.user, session=_session(request, pk))
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class SessionCancelApi(APIView):
    @extend_schema(
        operation_id="trainings_session_cancel",
        request=None,
        responses={200: RegistrationSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        registration = services.registration_cancel(
            user=request.user, session=_session(request, pk)
        )
        return Response(RegistrationSerializer(registration).data)
