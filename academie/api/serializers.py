"""The academy API's shapes: serializers for courses, lessons, progress, quizzes, certificates
and trainings, the data builders the views share, and the problem codes (``ERRORS``)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from academie import selectors
from academie.models import Certificate, CoursePage, Registration, TrainingPage

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


def course_data(course: CoursePage) -> dict:
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


def progress_data(progress) -> dict:
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


def certificate_data(certificate: Certificate) -> dict:
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


def training_data(training: TrainingPage, user) -> dict:
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
