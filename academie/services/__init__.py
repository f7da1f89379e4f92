"""Writes of the academy. Every caller (web, API, admin, tasks) goes through these functions.

Each function is atomic, takes keyword-only arguments and raises ``ValidationError`` with a Dutch
message when a rule is broken (never a partial write) or ``PermissionDenied`` for staff-only
actions.

One module per topic (learning, certificates, sessions, legal review); this package re-exports
every write so ``from academie.services import x`` keeps working.
"""

from __future__ import annotations

# Callers catch ``academie.services.ValidationError`` (the module's name before the split).
from django.core.exceptions import ValidationError as ValidationError

from academie.services.certificates import (
    ACADEMY_ROLE,
    certificate_issue,
    certificate_issue_for_attendance,
    certificate_renewal_reminders_send,
    certificate_revoke,
)
from academie.services.learning import (
    QuizScore,
    course_enrol,
    lesson_complete,
    lesson_visit,
    parse_answers,
    quiz_score,
    quiz_submit,
)
from academie.services.legal import NOTIFY_KIND_LEGAL_REVIEW, legal_review_task_started
from academie.services.sessions import (
    attendance_mark,
    registration_cancel,
    session_register,
    session_reminders_send,
    session_update_capacity,
)

__all__ = [
    "ACADEMY_ROLE",
    "course_enrol",
    "lesson_visit",
    "lesson_complete",
    "QuizScore",
    "parse_answers",
    "quiz_score",
    "quiz_submit",
    "certificate_issue",
    "session_register",
    "registration_cancel",
    "session_update_capacity",
    "attendance_mark",
    "session_reminders_send",
    "NOTIFY_KIND_LEGAL_REVIEW",
    "legal_review_task_started",
    "certificate_issue_for_attendance",
    "certificate_revoke",
    "certificate_renewal_reminders_send",
]
