"""Reads of certificates: the latest one, renewal, by owner or code, verification."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from academie.models import Certificate, CoursePage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


def certificate_latest_for(*, user: User, course: CoursePage) -> Certificate | None:
    certificates = Certificate.objects.filter(user=user, course=course)
    return certificates.order_by("-issued_at", "-pk").first()


def certificate_renewal_open(*, certificate: Certificate, now: datetime | None = None) -> bool:
    """Whether the holder may earn ``certificate`` again: it has a validity period, is not
    revoked, and ``KPO_CERTIFICATE_RENEWAL_DAYS`` before its expiry has been reached (the day the
    reminder goes out)."""
    if certificate.revoked_at is not None or certificate.expires_at is None:
        return False
    now = now or timezone.now()
    return now >= certificate.expires_at - timedelta(days=certificate_renewal_days())


def certificate_renewal_days() -> int:
    return int(getattr(settings, "KPO_CERTIFICATE_RENEWAL_DAYS", 30))


def certificate_get_for_owner(*, user: User | AnonymousUser, pk: int) -> Certificate | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Certificate.objects.filter(pk=pk, user=cast("User", user)).first()


def certificate_get_by_code(*, code: str) -> Certificate | None:
    """Public verification: look a certificate up by its code (case-insensitive)."""
    return Certificate.objects.filter(code=(code or "").strip().upper()).first()


def certificate_verify_url(*, code: str) -> str:
    """The public verification page: ``/certificaat/<code>/`` once ``kpo/urls.py`` mounts
    ``academie.urls.certificate_urlpatterns`` (namespace "certificaat"), else the copy inside
    ``/academie/``."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("certificaat:verify", args=[code])
    except NoReverseMatch:
        return reverse("academie:certificate_verify", args=[code])


def certificate_list_for_user(*, user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).order_by("-issued_at")


# --- certificates: verification, status (#18) ---------------------------------------------------


def certificate_verification(
    *, certificate: Certificate | None, now: datetime | None = None
) -> dict[str, Any]:
    """What public verification may show, and nothing more: name, title, date and status. An
    unknown code gives the same keys (``found`` false, the rest empty), so the web page and the
    API answer in one shape either way."""
    if certificate is None:
        return {
            "found": False,
            "learner_name": "",
            "title": "",
            "issued_at": None,
            "status": "",
            "status_label": "",
            "course_version_at": None,
            "law_version": None,
            "session_label": "",
        }
    return {
        "found": True,
        "learner_name": certificate.learner_name,
        "title": certificate.course_title,
        "issued_at": certificate.issued_at,
        "status": str(certificate.status(now)),
        "status_label": certificate.status_label(now),
        # the versions it was earned on (ADR 0026)
        "course_version_at": certificate.course_version_at,
        "law_version": certificate.law_version,
        "session_label": certificate.session_label,
    }


def certificate_get_for_staff(*, pk: int) -> Certificate | None:
    """A certificate by id, for academy staff (the caller checks the role)."""
    return Certificate.objects.filter(pk=pk).first()
