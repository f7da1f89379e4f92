"""``/api/v1/courses``, ``/api/v1/trainings``, ``/api/v1/certificates`` (with the public
``certificates/verify``, the Open Badges export and staff revocation): thin views over
``academie.selectors`` and ``academie.services``.

Errors are Problem Details (``kpo.core.problems``): a broken rule is 400 with the service's Dutch
message, something you may not see is 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from academie import selectors, services
from academie.filters import CertificateFilterSet, CourseFilterSet, TrainingFilterSet
from academie.models import Certificate, CoursePage, Registration, TrainingPage
from academie.openbadges import openbadges_credential, openbadges_jwt
from academie.pdf import certificate_pdf
from kpo.core.access import has_staff_role
from kpo.core.api import paginated_response
from kpo.security.ratelimit import rate_limit_check

ERRORS = {
    400: OpenApiResponse(description="Regel overtreden (Problem Details)."),
    404: OpenApiResponse(description="Niet gevonden (Problem Details)."),
}


# --- serializers --------------------------------------------------------------------------------


class CourseListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    estimated_minutes = serializers.IntegerField()
    legal_reviewed_at = serializers.DateField(allow_null=True)
    prerequisites = serializers.ListField(child=serializers.IntegerField())


def _course_data(course: CoursePage) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "url": course.url or "",
        "themes": [t.slug for t in course.themes.all()],
        "estimated_minutes": course.estimated_minutes,
        "legal_reviewed_at": course.legal_reviewed_at,
        "prerequisites": list(course.prerequisites.values_list("pk", flat=True)),
    }


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    done = serializers.BooleanField()
    available = serializers.BooleanField()
    body = serializers.CharField(help_text="HTML van de les.")


class ProgressSerializer(serializers.Serializer):
    enrolled = serializers.BooleanField()
    percent = serializers.IntegerField()
    resume_lesson = serializers.IntegerField(allow_null=True)
    quiz_available = serializers.BooleanField()
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField()
    passed = serializers.BooleanField()
    certificate = serializers.IntegerField(allow_null=True)


def _progress_data(progress) -> dict:
    return {
        "enrolled": progress.enrolled,
        "percent": progress.percent,
        "resume_lesson": progress.resume_lesson.pk if progress.resume_lesson else None,
        "quiz_available": progress.quiz_available,
        "attempts_used": len(progress.attempts),
        "attempts_left": progress.attempts_left,
        "passed": progress.passed,
        "certificate": progress.certificate.pk if progress.certificate else None,
    }


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField(help_text='"single" (één antwoord) of "multiple" (meerdere).')
    choices = ChoiceSerializer(many=True)


class CourseDetailSerializer(CourseListSerializer):
    audience = serializers.CharField()
    pass_mark = serializers.IntegerField()
    max_attempts = serializers.IntegerField()
    progress = ProgressSerializer()
    lessons = LessonSerializer(many=True, help_text="Alleen voor ingeschreven deelnemers.")
    quiz = QuestionSerializer(many=True, help_text="Alleen als de toets beschikbaar is.")


class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), allow_empty=True),
        help_text='Per vraag-id de gekozen antwoord-id\'s, bv. {"12": [40], "13": [41, 43]}.',
    )


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    score = serializers.IntegerField(help_text="Percentage goed (0-100).")
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    passed = serializers.BooleanField()
    attempts_left = serializers.IntegerField()
    feedback = inline_serializer(
        "AttemptFeedback",
        {
            "question": serializers.IntegerField(),
            "correct": serializers.BooleanField(),
            "explanation": serializers.CharField(),
        },
        many=True,
    )
    certificate = serializers.DictField(allow_null=True)


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    course = serializers.IntegerField(allow_null=True, help_text="E-learning (of null).")
    training = serializers.IntegerField(allow_null=True, help_text="Training (of null).")
    course_title = serializers.CharField(help_text="Titel van de e-learning of training.")
    session_label = serializers.CharField(help_text="Sessie (plaats, datum) bij een training.")
    learner_name = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=Certificate.Status.choices)
    status_label = serializers.CharField(help_text="Bv. 'geldig', 'verlopen op 01-02-2027'.")
    pdf_url = serializers.CharField()
    openbadge_url = serializers.CharField()
    verify_url = serializers.CharField()


def _certificate_data(certificate: Certificate) -> dict:
    return {
        "id": certificate.pk,
        "code": certificate.code,
        "course": certificate.course_id,
        "training": certificate.training_id,
        "course_title": certificate.course_title,
        "session_label": certificate.session_label,
        "learner_name": certificate.learner_name,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
        "revoked_at": certificate.revoked_at,
        "status": certificate.status(),
        "status_label": certificate.status_label(),
        "pdf_url": reverse("api-certificate-pdf", args=[certificate.pk]),
        "openbadge_url": reverse("api-certificate-openbadge", args=[certificate.pk]),
        "verify_url": selectors.certificate_verify_url(code=certificate.code),
    }


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField()
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    registration_deadline = serializers.DateTimeField()
    registration_open = serializers.BooleanField()
    my_status = serializers.CharField(allow_null=True)
    my_waitlist_position = serializers.IntegerField(allow_null=True)


class TrainingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    sessions = SessionSerializer(many=True)


def _training_data(training: TrainingPage, user) -> dict:
    sessions = selectors.session_list_for_training(training=training, user=user)
    return {
        "id": training.pk,
        "title": training.title,
        "summary": training.summary,
        "url": training.url or "",
        "themes": [t.slug for t in training.themes.all()],
        "sessions": [
            {
                "id": s["session"].pk,
                "starts_at": s["session"].starts_at,
                "ends_at": s["session"].ends_at,
                "location": s["session"].location,
                "capacity": s["session"].capacity,
                "places_left": s["places_left"],
                "waitlisted": s["waitlisted"],
                "registration_deadline": s["session"].registration_deadline,
                "registration_open": s["open"],
                "my_status": s["registration"].status if s["registration"] else None,
                "my_waitlist_position": s["waitlist_position"],
            }
            for s in sessions
        ],
    }


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    attended = serializers.BooleanField()


# --- views --------------------------------------------------------------------------------------


def _course(request, pk: int) -> CoursePage:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    if course is None:
        raise Http404
    return course


class CourseListApi(generics.GenericAPIView):
    serializer_class = CourseListSerializer
    filterset_class = CourseFilterSet
    queryset = CoursePage.objects.none()  # the schema's model; reads go through the selector

    @extend_schema(
        operation_id="courses_list",
        responses={200: CourseListSerializer(many=True)},
        tags=["academie"],
    )
    def get(self, request):
        courses = self.filter_queryset(selectors.course_list_for_user(user=request.user))
        return paginated_response(
            view=self, items=courses, serializer_class=CourseListSerializer, to_data=_course_data
        )


class CourseDetailApi(APIView):
    @extend_schema(
        operation_id="courses_detail",
        responses={200: CourseDetailSerializer, **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        course = _course(request, pk)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        data = {
            **_course_data(course),
            "audience": course.audience,
            "pass_mark": course.quiz_pass_mark,
            "max_attempts": course.quiz_max_attempts,
            "progress": _progress_data(progress),
            "lessons": [],
            "quiz": [],
        }
        if progress.enrolled:
            data["lessons"] = [
                {
                    "id": s.lesson.pk,
                    "number": s.number,
                    "title": s.lesson.title,
                    "done": s.done,
                    "available": s.available,
                    "body": str(s.lesson.body) if s.available else "",
                }
                for s in progress.lessons
            ]
        if progress.quiz_available:
            try:
                data["quiz"] = selectors.quiz_questions_for_attempt(
                    course=course, user=request.user
                )
            except ValidationError:
                # A question bank with too few questions: no quiz to show; submitting says why.
                data["quiz"] = []
        return Response(CourseDetailSerializer(data).data)


class CourseEnrolApi(APIView):
    @extend_schema(
        operation_id="courses_enrol",
        request=None,
        responses={201: ProgressSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        course = _course(request, pk)
        services.course_enrol(user=request.user, course=course)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        return Response(_progress_data(progress), status=status.HTTP_201_CREATED)


class CourseProgressApi(APIView):
    @extend_schema(
        operation_id="courses_progress",
        responses={200: ProgressSerializer, **ERRORS},
        tags=["academie"],
    )
    def get(self, request, pk: int):
        course = _course(request, pk)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        return Response(_progress_data(progress))


class LessonCompleteApi(APIView):
    @extend_schema(
        operation_id="courses_lesson_complete",
        request=None,
        responses={200: ProgressSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int, lesson_id: int):
        course = _course(request, pk)
        lesson = course.lessons.filter(pk=lesson_id).first()
        if lesson is None:
            raise Http404
        services.lesson_complete(user=request.user, lesson=lesson)
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        return Response(_progress_data(progress))


class QuizAttemptApi(APIView):
    @extend_schema(
        operation_id="courses_quiz_attempt",
        request=AnswersInputSerializer,
        responses={201: AttemptSerializer, **ERRORS},
        tags=["academie"],
    )
    def post(self, request, pk: int):
        course = _course(request, pk)
        payload = AnswersInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attempt = services.quiz_submit(
            user=request.user, course=course, answers=payload.validated_data["answers"]
        )
        progress = selectors.course_progress_for_user(course=course, user=request.user)
        certificate = getattr(attempt, "certificate", None) if attempt.passed else None
        if attempt.passed and certificate is None:
            certificate = progress.certificate
        data = {
            "id": attempt.pk,
            "number": attempt.number,
            "score": attempt.score,
            "correct": attempt.correct_count,
            "total": attempt.question_count,
            "passed": attempt.passed,
            "attempts_left": progress.attempts_left,
            "feedback": [
                {
                    "question": item["question"].pk,
                    "correct": item["correct"],
                    "explanation": item["explanation"],
                }
                for item in selectors.attempt_feedback(attempt=attempt)
            ],
            "certificate": _certificate_data(certificate) if certificate else None,
        }
        return Response(AttemptSerializer(data).data, status=status.HTTP_201_CREATED)


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
            to_data=_certificate_data,
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
        return Response(CertificateSerializer(_certificate_data(certificate)).data)


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
            to_data=lambda training: _training_data(training, request.user),
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
        return Response(TrainingSerializer(_training_data(training, request.user)).data)


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


urlpatterns = [
    path("courses", CourseListApi.as_view(), name="api-courses"),
    path("courses/<id:pk>", CourseDetailApi.as_view(), name="api-course"),
    path("courses/<id:pk>/enrol", CourseEnrolApi.as_view(), name="api-course-enrol"),
    path("courses/<id:pk>/progress", CourseProgressApi.as_view(), name="api-course-progress"),
    path(
        "courses/<id:pk>/lessons/<id:lesson_id>/complete",
        LessonCompleteApi.as_view(),
        name="api-lesson-complete",
    ),
    path("courses/<id:pk>/quiz/attempts", QuizAttemptApi.as_view(), name="api-quiz-attempt"),
    path("certificates", CertificateListApi.as_view(), name="api-certificates"),
    path("certificates/verify", CertificateVerifyApi.as_view(), name="api-certificate-verify"),
    path("certificates/<id:pk>/pdf", CertificatePdfApi.as_view(), name="api-certificate-pdf"),
    path(
        "certificates/<id:pk>/open-badge",
        CertificateOpenBadgeApi.as_view(),
        name="api-certificate-openbadge",
    ),
    path(
        "certificates/<id:pk>/revoke",
        CertificateRevokeApi.as_view(),
        name="api-certificate-revoke",
    ),
    path("trainings", TrainingListApi.as_view(), name="api-trainings"),
    path("trainings/<id:pk>", TrainingDetailApi.as_view(), name="api-training"),
    path(
        "trainings/sessions/<id:pk>/register",
        SessionRegisterApi.as_view(),
        name="api-session-register",
    ),
    path(
        "trainings/sessions/<id:pk>/cancel", SessionCancelApi.as_view(), name="api-session-cancel"
    ),
]
