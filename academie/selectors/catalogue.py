"""The academy's catalogue as a reader sees it: courses, trainings and their sessions, the
theme section and the expertise evidence of people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from academie.models import Certificate, CoursePage, Registration, TrainingPage, TrainingSession
from kpo.core.access import can_read, filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


def course_list_for_user(*, user: User | AnonymousUser) -> QuerySet[CoursePage]:
    return (
        filter_visible(CoursePage.objects.live(), user).prefetch_related("themes").order_by("title")
    )


def course_get_for_user(*, user: User | AnonymousUser, pk: int) -> CoursePage | None:
    return course_list_for_user(user=user).filter(pk=pk).first()


def training_list_for_user(*, user: User | AnonymousUser) -> QuerySet[TrainingPage]:
    return (
        filter_visible(TrainingPage.objects.live(), user)
        .prefetch_related("themes")
        .order_by("title")
    )


def training_get_for_user(*, user: User | AnonymousUser, pk: int) -> TrainingPage | None:
    return training_list_for_user(user=user).filter(pk=pk).first()


def session_get_for_user(*, user: User | AnonymousUser, pk: int) -> TrainingSession | None:
    session = TrainingSession.objects.select_related("training").filter(pk=pk).first()
    if session is None or not session.training.live or not can_read(user, session.training):
        return None
    return session


def session_list_for_training(
    *, training: TrainingPage, user: User | AnonymousUser
) -> list[dict[str, Any]]:
    sessions = training.sessions.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status="registered")),
        waitlist_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
    ).order_by("starts_at")
    mine = {}
    if getattr(user, "is_authenticated", False):
        mine = {
            r.session_id: r
            for r in Registration.objects.filter(
                user=cast("User", user), session__training=training
            ).exclude(status=Registration.Status.CANCELLED)
        }
    now = timezone.now()
    result = []
    for session in sessions:
        registration = mine.get(session.pk)
        position = None
        if registration is not None and registration.status == Registration.Status.WAITLISTED:
            position = (
                session.registrations.filter(
                    status=Registration.Status.WAITLISTED,
                    waitlisted_at__lt=registration.waitlisted_at,
                ).count()
                + 1
            )
        result.append(
            {
                "session": session,
                "registered": session.registered_count,
                "waitlisted": session.waitlist_count,
                "places_left": max(0, session.capacity - session.registered_count),
                "open": now <= session.registration_deadline,
                "registration": registration,
                "waitlist_position": position,
                "past": session.starts_at < now,
            }
        )
    return result


def session_attendees(*, session: TrainingSession) -> QuerySet[Registration]:
    return (
        session.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("user", "user__profile__organisation")
        .order_by("user__last_name", "user__first_name")
    )


def theme_section(*, theme: Theme, user: User | AnonymousUser) -> dict[str, Any] | None:
    """E-learnings and trainings of a theme, for the theme page (access rule applied)."""
    courses = course_list_for_user(user=user).filter(themes=theme)
    trainings = training_list_for_user(user=user).filter(themes=theme)
    pages: list[Any] = [*courses[:5], *trainings[:3]]
    items = [{"title": page.title, "url": page.url, "summary": page.summary} for page in pages]
    return {
        "key": "academie",
        "title": "E-learnings en trainingen",
        "items": items,
        "more_url": "/academie/",
    }


# --- people: expertise evidence (docs/decisions/0031) ---------------------------------------------


def expertise_evidence(
    *, person: User, themes: list[Theme], user: User | AnonymousUser
) -> dict[str, Any]:
    """The live e-learnings ``person`` passed (holds a valid certificate of), per theme, as far as
    the reader ``user`` may read them. Two queries, whatever the number of courses."""
    from django.utils.translation import gettext as _

    theme_ids = {t.pk for t in themes}
    certificates = (
        Certificate.objects.filter(
            user=person,
            course__in=filter_visible(CoursePage.objects.live(), user),
            course__themes__in=theme_ids,
            # only what still holds: not revoked, not expired (ADR 0030)
            revoked_at__isnull=True,
        )
        .exclude(expires_at__lte=timezone.now())
        .distinct()
        .select_related("course")
        .prefetch_related("course__themes")
        .order_by("-issued_at", "-pk")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for certificate in certificates:
        if certificate.course is None:  # a training's attendance certificate (not a course)
            continue
        entry = {
            "title": certificate.course.title,
            "url": certificate.course.url,
            "date": certificate.issued_at,
            "context": "",
        }
        for theme in certificate.course.themes.all():
            if theme.pk in theme_ids:
                items.setdefault(theme.pk, []).append(entry)
    return {"key": "courses", "title": _("Behaalde e-learnings"), "items": items}
