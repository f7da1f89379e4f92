"""Reads of the law app (ADR 0026): which citations a change hits, the banner of a page, the law
version of a set of citations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q, QuerySet

from kpo.core.roles import LAWYERS_GROUP
from kpo.law.models import LawChange, LawReassessment

if TYPE_CHECKING:
    from kpo.accounts.models import User


def citations_hit_q(*, bwb_id: str, article: str) -> Q:
    """The citation rows a change of ``bwb_id`` (``article``; "" = the whole law) affects: a
    change of one article hits citations of that article and citations of the whole law (a page
    that rests on the whole law rests on each article); a change of the whole law hits every
    citation of that law. Nothing else: not another article, not another law."""
    q = Q(identifier=bwb_id)
    if article:
        q &= Q(article=article) | Q(article="")
    return q


def changes_hitting_q(*, citations: Iterable[tuple[str, str]]) -> Q:
    """The law changes that affect any of ``citations`` ((identifier, article) pairs) — the
    same rule as ``citations_hit_q``, seen from the citation."""
    q = Q(pk__in=[])
    for identifier, article in citations:
        if article:
            q |= Q(bwb_id=identifier, article__in=[article, ""])
        else:
            q |= Q(bwb_id=identifier)
    return q


def law_version_for(*, citations: Iterable[tuple[str, str]]) -> datetime.date | None:
    """The law version of a page: the latest effective date of the known changes of the
    articles it cites (``None``: no change known)."""
    pairs = list(citations)
    if not pairs:
        return None
    value: datetime.date | None = LawChange.objects.filter(
        changes_hitting_q(citations=pairs)
    ).aggregate(latest=Max("effective_date"))["latest"]
    return value


def open_law_changes_for_page(*, page_id: int) -> list[LawChange]:
    """The changes whose re-assessment of this page is still open (newest date first): the
    page shows "Wetswijziging per <datum>" while there is one."""
    return list(
        LawChange.objects.filter(
            reassessments__page_id=page_id, reassessments__resolved_at__isnull=True
        )
        .order_by("-effective_date", "pk")
        .distinct()
    )


def law_reassessments_for_change(*, law_change: LawChange) -> QuerySet[LawReassessment]:
    return law_change.reassessments.select_related("page").order_by("page__title")


def law_change_list() -> QuerySet[LawChange]:
    return LawChange.objects.select_related("created_by").order_by("-effective_date", "-pk")


def jurists() -> list[User]:
    """Active members of the Juristen group (``kpo.core.roles``)."""
    from kpo.accounts.models import User

    return list(
        User.objects.filter(is_active=True, groups__name=LAWYERS_GROUP).distinct().order_by("pk")
    )


def can_enter_law_changes(*, user: Any) -> bool:
    """Members of a group with the permission (Juristen and Redactieraad get it, migration
    ``law.0002``) and superusers."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("law.add_lawchange"))
