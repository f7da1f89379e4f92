"""Reads of the academy, through the access rule (``kpo.core.access``).
One module per topic (catalogue, progress, quizzes, certificates); this package re-exports every
read so ``from academie.selectors import x`` keeps working.
"""

from __future__ import annotations

from academie.selectors.catalogue import (
    course_get_for_user,
    course_list_for_user,
    expertise_evidence,
    session_attendees,
    session_get_for_user,
    session_list_for_training,
    theme_section,
    training_get_for_user,
    training_list_for_user,
)
from academie.selectors.certificates import (
    certificate_get_by_code,
    certificate_get_for_owner,
    certificate_get_for_staff,
    certificate_latest_for,
    certificate_list_for_user,
    certificate_renewal_days,
    certificate_renewal_open,
    certificate_verification,
    certificate_verify_url,
)
from academie.selectors.progress import (
    CourseProgress,
    LessonState,
    course_citation_pairs,
    course_law_version,
    course_progress_for_user,
    lessons_changed_between,
    my_learning,
    prerequisites_missing,
    refresher_lessons,
    refresher_open_for,
)
from academie.selectors.quizzes import (
    QuizRound,
    attempt_feedback,
    attempt_get_for_user,
    attempt_question_ids,
    attempt_reveals_answers,
    quiz_draw,
    quiz_draw_seed,
    quiz_questions_for_attempt,
    quiz_round_for,
)

__all__ = [
    "course_list_for_user",
    "course_get_for_user",
    "training_list_for_user",
    "training_get_for_user",
    "session_get_for_user",
    "LessonState",
    "CourseProgress",
    "prerequisites_missing",
    "course_progress_for_user",
    "QuizRound",
    "certificate_latest_for",
    "certificate_renewal_open",
    "certificate_renewal_days",
    "quiz_round_for",
    "quiz_draw_seed",
    "quiz_draw",
    "quiz_questions_for_attempt",
    "attempt_question_ids",
    "attempt_reveals_answers",
    "attempt_feedback",
    "attempt_get_for_user",
    "certificate_get_for_owner",
    "certificate_get_by_code",
    "certificate_verify_url",
    "certificate_list_for_user",
    "session_list_for_training",
    "my_learning",
    "session_attendees",
    "theme_section",
    "course_citation_pairs",
    "course_law_version",
    "refresher_open_for",
    "refresher_lessons",
    "lessons_changed_between",
    "certificate_verification",
    "certificate_get_for_staff",
    "expertise_evidence",
]
