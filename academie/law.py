"""The academy's side of a law change (ADR 0026): the course goes back to legal review, and when
it is republished after that review, earlier certificate holders are offered a refresher.

Declared on ``AcademieConfig.cites_law`` (``course_law_reassessment_open``,
``course_law_responsible``) and called by ``kpo.law.services.law_change_apply``;
``course_law_revision_published`` runs on every publish of a course
(``academie.signal_handlers``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision, WorkflowState

from academie.legal import legal_workflow_ensure, revision_legally_approved
from academie.models import (
    Certificate,
    CertificateRefresher,
    CoursePage,
    Enrolment,
    QuizAttempt,
)
from academie.selectors import (
    course_law_version,
    lessons_changed_between,
    refresher_open_for,
)
from academie.services import parse_answers, quiz_score
from kpo.core.roles import ACADEMY_GROUP
from kpo.law.selectors import open_law_changes_for_page
from kpo.law.services import law_reassessments_resolve
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User

NOTIFY_KIND_REFRESHER = "academie.refresher"


def course_law_reassessment_open(*, page: CoursePage, law_change: Any) -> None:
    """A cited law changed: the course goes through "Juridische toetsing" again (the workflow
    starts on its latest revision; a running workflow is left as it is)."""
    running = WorkflowState.objects.active().filter(
        base_content_type=page.get_base_content_type(), object_id=str(page.pk)
    )
    if not running.exists():
        legal_workflow_ensure().start(page, None)


def course_law_responsible(*, page: CoursePage) -> list[Any]:
    """The course's owner while active, else the Academie group."""
    from kpo.accounts.models import User

    owner = page.owner
    if owner is not None and owner.is_active:
        return [owner]
    return list(
        User.objects.filter(is_active=True, groups__name=ACADEMY_GROUP).distinct().order_by("pk")
    )


@transaction.atomic
def course_law_revision_published(*, page: CoursePage, revision: Revision | None) -> int:
    """A course with an open law re-assessment was published. When a jurist approved (or wrote)
    this revision, the re-assessment is done: it closes, and every active holder of a
    certificate earned on an earlier version is offered a refresher. Returns the number of
    refreshers offered (idempotent: one per certificate and revision)."""
    if revision is None or not open_law_changes_for_page(page_id=page.pk):
        return 0
    if not revision_legally_approved(revision):
        return 0
    law_reassessments_resolve(page_id=page.pk)
    return refreshers_offer(course=page, revision=revision)


def refreshers_offer(*, course: CoursePage, revision: Revision) -> int:
    offered = 0
    holders = (
        Certificate.objects.filter(course=course, user__is_active=True)
        .exclude(course_revision=revision)
        .select_related("user", "course_revision")
    )
    for certificate in holders:
        refresher, created = CertificateRefresher.objects.get_or_create(
            certificate=certificate,
            revision=revision,
            defaults={
                "lesson_ids": lessons_changed_between(old=certificate.course_revision, new=revision)
            },
        )
        if not created:
            continue
        offered += 1
        notify(
            recipients=[certificate.user],
            kind=NOTIFY_KIND_REFRESHER,
            title=_("Bijgewerkt na een wetswijziging: %(title)s") % {"title": course.title},
            body=_(
                "De e-learning “%(title)s” is herzien na een wetswijziging. Je certificaat is "
                "behaald op een eerdere versie. Lees de gewijzigde lessen en maak de toets "
                "opnieuw om je certificaat bij te werken."
            )
            % {"title": course.title},
            url=reverse("academie:refresher", args=[course.pk]),
            key=f"academie-refresher:{refresher.pk}",
        )
    return offered


@transaction.atomic
def certificate_refresh_submit(
    *, user: User, course: CoursePage, answers: Mapping[Any, Any]
) -> QuizAttempt:
    """The refresher's quiz: scored like the course quiz (``quiz_score``), at most
    ``quiz_max_attempts`` attempts since the offer. Passing moves the certificate to the
    refresher's course version and today's law version and completes the refresher."""
    refresher = refresher_open_for(user=user, course=course)
    if refresher is None or not course.live:
        raise ValidationError(
            _("Er staat geen opfrisser voor je klaar bij deze e-learning."), code="no_refresher"
        )
    refresher = CertificateRefresher.objects.select_for_update().get(pk=refresher.pk)
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None:
        raise ValidationError(_("Schrijf je eerst in voor deze e-learning."), code="not_enrolled")
    attempts = list(enrolment.attempts.order_by("number"))
    since = [a for a in attempts if a.submitted_at >= refresher.offered_at]
    if len(since) >= course.quiz_max_attempts:
        raise ValidationError(
            _("Je hebt het maximale aantal pogingen (%(max)s) gebruikt.")
            % {"max": course.quiz_max_attempts},
            code="attempts_exhausted",
        )
    questions = list(course.questions.prefetch_related("choices").order_by("sort_order", "pk"))
    if not questions:
        raise ValidationError(_("Deze e-learning heeft geen toets."), code="no_quiz")
    parsed = parse_answers(questions, answers)
    score = quiz_score(questions=questions, answers=parsed)
    passed = score.percent >= course.quiz_pass_mark
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        number=(attempts[-1].number if attempts else 0) + 1,
        answers={str(k): sorted(v) for k, v in parsed.items()},
        results=score.results,
        correct_count=score.correct,
        question_count=score.total,
        score=score.percent,
        passed=passed,
    )
    if passed:
        certificate = Certificate.objects.select_for_update().get(pk=refresher.certificate_id)
        certificate.course_revision = refresher.revision
        certificate.course_version_at = refresher.revision.created_at
        certificate.law_version = course_law_version(course=course)
        certificate.save(update_fields=["course_revision", "course_version_at", "law_version"])
        now = timezone.now()
        # this refresher and any older one still open are done
        CertificateRefresher.objects.filter(
            certificate=certificate, completed_at__isnull=True
        ).update(completed_at=now)
        refresher.refresh_from_db()
        refresher.attempt = attempt
        refresher.save(update_fields=["attempt"])
    return attempt
