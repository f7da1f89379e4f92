"""Corpus loader of the academy: the AcademieIndexPage, the "Juridische toetsing" workflow, the
e-learnings (lessons, quiz) and the trainings (sessions) of ``elearnings`` in the corpus.

Idempotent: existing pages are left untouched (editors own them once they exist); sessions are
upserted, so a second load changes no rows. Courses that need legal review go through the real
workflow (submitted by the academy demo account, approved by the jurist demo account), so they
are live with ``legal_reviewed_at`` set.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from wagtail.models import WorkflowState

from academie.legal import legal_workflow_ensure
from academie.models import (
    AcademieIndexPage,
    CoursePage,
    Lesson,
    QuizChoice,
    QuizQuestion,
    TrainingPage,
    TrainingSession,
)
from kpo.core.corpus import CorpusContext, date_shift, upsert
from kpo.core.roles import LAWYERS_GROUP

logger = logging.getLogger(__name__)

INDEX_INTRO = (
    "<p>De Ondermijningsacademie verdiept kennis en brengt die in de praktijk: e-learnings die "
    "je in je eigen tempo volgt en trainingen waarin je met collega's oefent.</p>"
)
SESSION_START = time(9, 30)
# The corpus's first training session lies this far ahead of the load date, so that the demo
# always has sessions open for registration (the deadline is a week before the session).
FIRST_SESSION_AHEAD = timedelta(days=21)


def load(ctx: CorpusContext) -> None:
    from kpo.themes.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return
    index = ensure_index(ctx, home)
    workflow = legal_workflow_ensure(index_page=index)
    items = ctx.section("elearnings")
    new_pages: list[tuple[Any, dict]] = []
    for item in items:
        kind = item.get("kind", "elearning")
        if kind == "training":
            page, created = ensure_training(ctx, index, item)
        else:
            page, created = ensure_course(ctx, index, item)
        if created:
            new_pages.append((page, item))
    for page, item in new_pages:
        publish_new_page(ctx, page, item, workflow)
    shift = date_shift(
        [s["date"] for item in items for s in item.get("sessions") or []],
        anchor="first",
        target=ctx.today + FIRST_SESSION_AHEAD,
    )
    for item in items:
        if item.get("kind") == "training":
            training = TrainingPage.objects.get(slug=item["slug"])
            ensure_sessions(ctx, training, item, shift)


def ensure_index(ctx: CorpusContext, home) -> AcademieIndexPage:
    index = AcademieIndexPage.objects.first()
    if index is not None:
        return index
    index = home.add_child(
        instance=AcademieIndexPage(
            title="Ondermijningsacademie", slug="academie", intro=INDEX_INTRO
        )
    )
    index.save_revision().publish()
    ctx.stats["academie-overzicht: nieuw"] += 1
    return index


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _lesson_body(text: str) -> list[tuple[str, str]]:
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    html = "".join(f"<p>{' '.join(p.split())}</p>" for p in paragraphs)
    return [("text", html)]


def ensure_course(ctx: CorpusContext, index, item: dict) -> tuple[CoursePage, bool]:
    page = CoursePage.objects.filter(slug=item["slug"]).first()
    if page is not None:
        return page, False
    quiz = item.get("quiz") or {}
    lessons = [
        Lesson(title=lesson["title"], body=_lesson_body(lesson.get("body", "")), sort_order=i)
        for i, lesson in enumerate(item.get("lessons") or [])
    ]
    questions = []
    for i, q in enumerate(quiz.get("questions") or []):
        correct = q.get("correct")
        correct_set = set(correct) if isinstance(correct, list) else {correct}
        questions.append(
            QuizQuestion(
                text=q["question"],
                kind=QuizQuestion.Kind.MULTIPLE
                if isinstance(correct, list)
                else QuizQuestion.Kind.SINGLE,
                explanation=q.get("explanation", ""),
                sort_order=i,
                choices=[
                    QuizChoice(text=str(option), is_correct=j in correct_set, sort_order=j)
                    for j, option in enumerate(q.get("options") or [])
                ],
            )
        )
    page = CoursePage(
        title=item["title"],
        slug=item["slug"],
        summary=_text(item.get("description")),
        audience=_text(item.get("audience")),
        estimated_minutes=item.get("estimated_minutes") or 30,
        legal_review_required=bool(item.get("legal_review_required")),
        quiz_pass_mark=quiz.get("pass_mark_percent") or 70,
        quiz_max_attempts=quiz.get("max_attempts") or 3,
        quiz_shuffle=bool(quiz.get("shuffle", False)),
        live=False,
        lessons=lessons,
        questions=questions,
    )
    index.add_child(instance=page)
    ctx.stats["e-learnings: nieuw"] += 1
    return page, True


def ensure_training(ctx: CorpusContext, index, item: dict) -> tuple[TrainingPage, bool]:
    page = TrainingPage.objects.filter(slug=item["slug"]).first()
    if page is not None:
        return page, False
    page = TrainingPage(
        title=item["title"],
        slug=item["slug"],
        summary=_text(item.get("description")),
        audience=_text(item.get("audience")),
        estimated_minutes=item.get("estimated_minutes") or 180,
        legal_review_required=bool(item.get("legal_review_required")),
        live=False,
    )
    index.add_child(instance=page)
    ctx.stats["trainingen: nieuw"] += 1
    return page, True


def publish_new_page(ctx: CorpusContext, page, item: dict, workflow) -> None:
    """Set the relations, then publish: through the legal workflow when required."""
    from kpo.accounts.models import User
    from kpo.themes.models import Theme

    page = type(page).objects.get(pk=page.pk)
    page.themes = list(Theme.objects.filter(slug__in=item.get("themes") or []))
    prerequisites = list(CoursePage.objects.filter(slug__in=item.get("prerequisites") or []))
    if isinstance(page, CoursePage):
        page.prerequisites = prerequisites
    else:
        page.recommended_courses = prerequisites
    revision = page.save_revision()
    if not page.legal_review_required:
        revision.publish()
        return
    submitter = User.objects.filter(email="academie@demo.kpo.nl").first()
    jurist = User.objects.filter(email="jurist@demo.kpo.nl", groups__name=LAWYERS_GROUP).first()
    if not (ctx.demo_accounts and submitter and jurist):
        logger.warning("No jurist account: %s stays a draft until it is legally reviewed.", page)
        return
    state: WorkflowState = workflow.start(page, submitter)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, jurist, "approve")
    ctx.stats["juridische toetsingen: goedgekeurd"] += 1


def ensure_sessions(
    ctx: CorpusContext, training: TrainingPage, item: dict, shift: timedelta
) -> None:
    """Sessions keyed by training and location, dated relative to the load date (``shift``)."""
    tz = timezone.get_current_timezone()
    duration = timedelta(minutes=item.get("estimated_minutes") or 180)
    for session in item.get("sessions") or []:
        day = session["date"] + shift
        starts_at = timezone.make_aware(datetime.combine(day, SESSION_START), tz)
        upsert(
            ctx,
            TrainingSession,
            {"training": training, "location": session["location"]},
            {
                "starts_at": starts_at,
                "ends_at": starts_at + duration,
                "capacity": session.get("capacity") or 20,
                "registration_deadline": starts_at - timedelta(days=7),
            },
        )
