"""The academy API's URL patterns (ADR 0014: no trailing slash)."""

from __future__ import annotations

from django.urls import path

from academie.api.certificates import (
    CertificateListApi,
    CertificateOpenBadgeApi,
    CertificatePdfApi,
    CertificateRevokeApi,
    CertificateVerifyApi,
)
from academie.api.courses import (
    CourseDetailApi,
    CourseEnrolApi,
    CourseListApi,
    CourseProgressApi,
    LessonCompleteApi,
    QuizAttemptApi,
)
from academie.api.trainings import (
    SessionCancelApi,
    SessionRegisterApi,
    TrainingDetailApi,
    TrainingListApi,
)

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
