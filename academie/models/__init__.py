"""The Ondermijningsacademie: e-learnings (courses) and trainings.

Content (Wagtail pages, editable by the academy team):

* ``AcademieIndexPage`` → ``CoursePage`` (lessons, quiz questions and choices as inline children)
  and ``TrainingPage`` (its ``TrainingSession`` rows are plain models, managed in the admin, so
  that republishing a page never touches registrations).

Learner records (plain models, written only through ``academie.services``):

* ``Enrolment`` → ``LessonProgress``, ``QuizAttempt``; ``Certificate`` per passed course or
  attended training session (a history: re-certification adds one);
* ``Registration`` per user and training session (registered / waitlisted / cancelled).

Dependency direction: academie imports kpo.core, kpo.accounts, kpo.themes and search; nothing in
the foundation imports academie.
"""

from academie.models.learners import (
    Certificate,
    CertificateRefresher,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    new_certificate_code,
)
from academie.models.legal import (
    ACADEMY_GROUP,
    LEGAL_GROUP,
    LEGAL_WORKFLOW_NAME,
    LegalReviewMixin,
    LegalReviewPageForm,
    LegalReviewPermissionTester,
    PlatformContentMixin,
)
from academie.models.pages import (
    AcademieIndexPage,
    CourseCitation,
    CoursePage,
    Lesson,
    LessonBlock,
    QuizChoice,
    QuizDrawRule,
    QuizQuestion,
    TrainingPage,
)
from academie.models.sessions import Registration, TrainingSession

__all__ = [
    "LEGAL_GROUP",
    "ACADEMY_GROUP",
    "LEGAL_WORKFLOW_NAME",
    "PlatformContentMixin",
    "LegalReviewPermissionTester",
    "LegalReviewPageForm",
    "LegalReviewMixin",
    "AcademieIndexPage",
    "LessonBlock",
    "CoursePage",
    "Lesson",
    "QuizQuestion",
    "QuizChoice",
    "QuizDrawRule",
    "TrainingPage",
    "Enrolment",
    "LessonProgress",
    "QuizAttempt",
    "new_certificate_code",
    "Certificate",
    "CertificateRefresher",
    "CourseCitation",
    "TrainingSession",
    "Registration",
]
