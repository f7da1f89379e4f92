"""``/api/v1/courses``, ``/api/v1/trainings``, ``/api/v1/certificates`` (with the public
``certificates/verify``, the Open Badges export and staff revocation): thin views over
``academie.selectors`` and ``academie.services``.

Errors are Problem Details (``kpo.core.problems``): a broken rule is 400 with the service's Dutch
message, something you may not see is 404.

One module per resource (serializers, courses, certificates, trainings) and the routes; this
package re-exports the views and ``urlpatterns`` so ``include("academie.api")`` keeps working.
"""

from __future__ import annotations

from academie.api.certificates import (
    CertificateListApi,
    CertificateOpenBadgeApi,
    CertificatePdfApi,
    CertificateRevokeApi,
    CertificateVerifyApi,
    OpenBadgeSerializer,
    RevokeInputSerializer,
    VerificationSerializer,
    VerifyInputSerializer,
)
from academie.api.courses import (
    CourseDetailApi,
    CourseEnrolApi,
    CourseListApi,
    CourseProgressApi,
    LessonCompleteApi,
    QuizAttemptApi,
)
from academie.api.routes import urlpatterns
from academie.api.serializers import (
    ERRORS,
    AnswersInputSerializer,
    AttemptSerializer,
    CertificateSerializer,
    ChoiceSerializer,
    CourseDetailSerializer,
    CourseListSerializer,
    LessonSerializer,
    ProgressSerializer,
    QuestionSerializer,
    RegistrationSerializer,
    SessionSerializer,
    TrainingSerializer,
)
from academie.api.trainings import (
    SessionCancelApi,
    SessionRegisterApi,
    TrainingDetailApi,
    TrainingListApi,
)

__all__ = [
    "ERRORS",
    "CourseListSerializer",
    "LessonSerializer",
    "ProgressSerializer",
    "ChoiceSerializer",
    "QuestionSerializer",
    "CourseDetailSerializer",
    "AnswersInputSerializer",
    "AttemptSerializer",
    "CertificateSerializer",
    "SessionSerializer",
    "TrainingSerializer",
    "RegistrationSerializer",
    "CourseListApi",
    "CourseDetailApi",
    "CourseEnrolApi",
    "CourseProgressApi",
    "LessonCompleteApi",
    "QuizAttemptApi",
    "CertificateListApi",
    "CertificatePdfApi",
    "OpenBadgeSerializer",
    "CertificateOpenBadgeApi",
    "RevokeInputSerializer",
    "CertificateRevokeApi",
    "VerifyInputSerializer",
    "VerificationSerializer",
    "CertificateVerifyApi",
    "TrainingListApi",
    "TrainingDetailApi",
    "SessionRegisterApi",
    "SessionCancelApi",
    "urlpatterns",
]
