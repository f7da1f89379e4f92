"""Corpus part of accounts: regions, organisations, staff groups and (embedded default only)
the demo accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group

from kpo.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpo.accounts.models import Organisation, Profile, Region, User
from kpo.core.access import STAFF_GROUPS
from kpo.core.corpus import CorpusContext, set_m2m, upsert


def load(ctx: CorpusContext) -> None:
    for item in ctx.section("regions"):
        upsert(
            ctx,
            Region,
            {"slug": item["slug"]},
            {"name": item["name"], "kind": item["kind"], "focus": item.get("focus") or ""},
        )
    for item in ctx.section("organisations"):
        upsert(
            ctx,
            Organisation,
            {"slug": item["slug"]},
            {"name": item["name"], "kind": item["kind"], "role": item.get("role") or ""},
        )
    for name in STAFF_GROUPS:
        _, created = Group.objects.get_or_create(name=name)
        if created:
            ctx.stats["groepen: nieuw"] += 1
    if ctx.demo_accounts:
        load_demo_accounts(ctx)


def load_demo_accounts(ctx: CorpusContext) -> None:
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email,
                DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
                is_demo=True,
                is_staff=account.superuser or bool(account.groups),
                is_superuser=account.superuser,
            )
            ctx.stats["demo-accounts: nieuw"] += 1
        if set_m2m(user.groups, Group.objects.filter(name__in=account.groups)):
            ctx.stats["demo-accounts: groepen"] += 1
        profile, _ = Profile.objects.get_or_create(user=user)
        upsert(
            ctx,
            Profile,
            {"pk": profile.pk},
            {
                "organisation": Organisation.objects.filter(slug=account.organisation).first(),
                "region": Region.objects.filter(slug=account.region).first(),
                "function": account.function,
            },
        )


def load_demo_expertise(ctx: CorpusContext) -> None:
    """The demo accounts' expertise themes; called by the themes loader once themes exist."""
    from kpo.themes.models import Theme

    for account in DEMO_ACCOUNTS:
        profile = Profile.objects.filter(user__email=account.email).first()
        if profile is not None and set_m2m(
            profile.expertise_themes, Theme.objects.filter(slug__in=account.expertise)
        ):
            ctx.stats["demo-accounts: expertise"] += 1


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, e-mail, password) of the demo accounts that exist."""
    existing = set(User.objects.filter(is_demo=True).values_list("email", flat=True))
    return [(a.role, a.email, DEMO_PASSWORD) for a in DEMO_ACCOUNTS if a.email in existing]
