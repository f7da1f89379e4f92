"""Corpus part of communities: the communities, their threads and replies (with accepted answers),
their members and managers, the sub-group links, the corpus events of a community and the
network-wide events (not bound to a community).

The corpus names people by role ("Beleidsmedewerker OOV, gemeente in Noord-Brabant"). With demo
accounts allowed, each role becomes a fictional demo member (``<slug>@demo.kpo.nl``, no usable
password); otherwise all content is attributed to one non-login system user
"Kennisplatform". Idempotent: a second load changes no rows.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.text import slugify

from communities.models import Community, Event, Follow, Membership, Reply, Thread
from communities.sanitize import sanitize_html
from kpo.accounts.models import Region, User
from kpo.core.corpus import CorpusContext, date_shift, set_m2m, upsert
from kpo.themes.models import Theme
from search.services import index_enqueue

SYSTEM_EMAIL = "kennisplatform@systeem.kpo.nl"
PROFESSIONAL_DEMO = "professional@demo.kpo.nl"
MANAGER_DEMO = "communitymanager@demo.kpo.nl"
# The newest corpus thread lies about this far before the load date (threads spread over the
# months before it); the corpus's events are centred on the load date (half upcoming, half past).
NEWEST_THREAD_AGO = dt.timedelta(days=7)
PROFESSIONAL_COMMUNITIES = ("lerend-netwerk-buitengebied", "bibob-praktijk", "weerbare-overheid")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour % 24), tzinfo=timezone.get_current_timezone())


def system_user(ctx: CorpusContext) -> User:
    user = User.objects.filter(email=SYSTEM_EMAIL).first()
    if user is None:
        user = User(email=SYSTEM_EMAIL, first_name="Kennisplatform", is_active=False)
        user.set_unusable_password()
        user.save()
        ctx.stats["systeemgebruiker: nieuw"] += 1
    return user


class People:
    """Maps corpus role strings to users (demo users or the system user)."""

    def __init__(self, ctx: CorpusContext) -> None:
        self.ctx = ctx
        self.cache: dict[str, User] = {}
        self.system = None if ctx.demo_accounts else system_user(ctx)

    def __call__(self, role: str) -> User:
        if self.system is not None:
            return self.system
        if role not in self.cache:
            email = f"{slugify(role)[:60].strip('-')}@demo.kpo.nl"
            user = User.objects.filter(email=email).first()
            if user is None:
                # Not ``is_demo``: the seven demo logins are counted as such; these fictional
                # members have no usable password and exist only where demo accounts are allowed.
                user = User(email=email, first_name=role[:150])
                user.set_unusable_password()
                user.save()
                self.ctx.stats["demo-leden: nieuw"] += 1
            self.cache[role] = user
        return self.cache[role]


def _member(ctx: CorpusContext, community: Community, user: User, role: str) -> None:
    membership = Membership.objects.filter(community=community, user=user).first()
    if membership is None:
        Membership.objects.create(community=community, user=user, role=role)
        ctx.stats["lidmaatschappen: nieuw"] += 1
    elif role == Membership.Role.MANAGER and (
        membership.role != role or membership.state != Membership.State.ACTIVE
    ):
        membership.role, membership.state = role, Membership.State.ACTIVE
        membership.save(update_fields=["role", "state", "updated_at"])
        ctx.stats["lidmaatschappen: bijgewerkt"] += 1
    _, created = Follow.objects.get_or_create(user=user, community=community, thread=None)
    if created:
        ctx.stats["volgers: nieuw"] += 1


def load(ctx: CorpusContext) -> None:
    people = People(ctx)
    demo = ctx.demo_accounts
    manager_demo = User.objects.filter(email=MANAGER_DEMO).first() if demo else None
    professional_demo = User.objects.filter(email=PROFESSIONAL_DEMO).first() if demo else None
    by_slug: dict[str, Community] = {}
    thread_shift = date_shift(
        [_day(t["created"]) for c in ctx.section("communities") for t in c.get("threads") or []],
        anchor="last",
        target=ctx.today - NEWEST_THREAD_AGO,
    )
    event_days = _event_days(ctx)

    for item in ctx.section("communities"):
        community, changed = upsert(
            ctx,
            Community,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "description": item.get("description") or "",
                "visibility": item.get("visibility") or Community.Visibility.OPEN,
            },
        )
        changed |= set_m2m(
            community.themes, Theme.objects.filter(slug__in=item.get("themes") or [])
        )
        changed |= set_m2m(
            community.regions, Region.objects.filter(slug__in=item.get("regions") or [])
        )
        by_slug[community.slug] = community
        if demo:
            for role in item.get("managers") or []:
                _member(ctx, community, people(role), Membership.Role.MANAGER)
            if manager_demo:
                _member(ctx, community, manager_demo, Membership.Role.MANAGER)
            if professional_demo and community.slug in PROFESSIONAL_COMMUNITIES:
                _member(ctx, community, professional_demo, Membership.Role.MEMBER)
        if changed:
            index_enqueue(community)

        for t in item.get("threads") or []:
            _load_thread(ctx, community, t, people, demo, thread_shift)

    for item in ctx.section("communities"):
        parent = by_slug.get(item.get("parent") or "")
        if parent is not None:
            upsert(ctx, Community, {"pk": by_slug[item["slug"]].pk}, {"parent": parent})

    for item in ctx.section("events"):
        # An event without a community (the corpus marks most with ``scope: netwerkbreed``) is
        # network-wide: not bound to a community, on the platform agenda for every professional.
        community_slug = item.get("community") or ""
        event_community = by_slug.get(community_slug) if community_slug else None
        if community_slug and event_community is None:
            continue
        day = event_days.get(item["slug"])
        if day is None:
            continue
        event, changed = upsert(
            ctx,
            Event,
            {"slug": item["slug"]},
            {
                "community": event_community,
                "title": item["title"],
                "description": item.get("description") or "",
                "starts_at": _at(day, 10),
                "ends_at": _at(day, 16),
                "location": item.get("location") or "",
            },
        )
        if changed:
            index_enqueue(event)


_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


EVENT_SPACING = dt.timedelta(days=12)


def _event_days(ctx: CorpusContext) -> dict[str, dt.date]:
    """Each corpus event's day in the demo: most corpus events are known only by period ("2025"),
    so they keep their corpus order but are spread evenly around the load date, half of them
    past and half upcoming."""
    dated = sorted(
        ((day, item["slug"]) for item in ctx.section("events") if (day := _event_day(item))),
    )
    middle = len(dated) // 2
    return {
        slug: ctx.today + (position - middle) * EVENT_SPACING
        for position, (_day, slug) in enumerate(dated)
    }


def _event_day(item: dict) -> dt.date | None:
    """The event's date; for events known only by period ("maart 2025", "2025") the first day of
    that month (or of the year)."""
    value = item.get("date")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    period = str(item.get("period") or "").lower()
    year = re.search(r"(19|20)\d{2}", period)
    if not year:
        return None
    month = next((i for i, name in enumerate(_MONTHS, start=1) if name in period), 1)
    return dt.date(int(year.group(0)), month, 1)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _load_thread(
    ctx, community: Community, t: dict, people: People, demo: bool, shift: dt.timedelta
) -> None:
    day = _day(t["created"]) + shift
    author = people(t["author"])
    if demo:
        _member(ctx, community, author, Membership.Role.MEMBER)
    replies_data = t.get("replies") or []
    thread, changed = upsert(
        ctx,
        Thread,
        {"corpus_id": t["id"]},
        {
            "community": community,
            "author": author,
            "title": t["title"],
            "body": sanitize_html(t["body"]),
            "kind": t.get("kind") or Thread.Kind.QUESTION,
            "created_at": _at(day, 9),
            "last_activity_at": _at(day, 9 + 3 * len(replies_data)),
        },
    )
    accepted = None
    for i, r in enumerate(replies_data, start=1):
        reply_author = people(r["author"])
        if demo:
            _member(ctx, community, reply_author, Membership.Role.MEMBER)
        # Keyed by its text: the date moves with the load date.
        reply, reply_changed = upsert(
            ctx,
            Reply,
            {"thread": thread, "body": sanitize_html(r["body"])},
            {"author": reply_author, "created_at": _at(day, 9 + 3 * i)},
        )
        changed |= reply_changed
        if r.get("accepted"):
            accepted = reply
    _, accepted_changed = upsert(ctx, Thread, {"pk": thread.pk}, {"accepted_reply": accepted})
    if changed or accepted_changed:
        index_enqueue(thread)
