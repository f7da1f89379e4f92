"""Corpus part of themes: the Theme snippets, the home page and one ThemePage per theme."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from wagtail.models import Page, Site

from kpo.accounts.corpus import load_demo_expertise
from kpo.accounts.models import User
from kpo.core.corpus import CorpusContext, set_m2m, upsert
from kpo.themes.models import GlossaryTerm, HomePage, Theme, ThemePage

HOME_INTRO = (
    "<p>Het Kennisplatform Ondermijning is de plek waar professionals van gemeenten, politie, "
    "OM, Belastingdienst en andere partners in het RIEC-LIEC-netwerk kennis vinden, vragen "
    "stellen en van elkaar leren.</p>"
)


def load(ctx: CorpusContext) -> None:
    ambassador = (
        User.objects.filter(email="ambassadeur@demo.kpo.nl").first() if ctx.demo_accounts else None
    )
    themes = []
    for item in ctx.section("themes"):
        theme, _ = upsert(
            ctx,
            Theme,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                "intro": (item.get("intro") or "").strip(),
                "synonyms": list(item.get("synonyms") or []),
            },
        )
        if ambassador is not None and not theme.ambassadors.exists():
            set_m2m(theme.ambassadors, [ambassador])
        themes.append(theme)

    if ctx.demo_accounts:
        load_demo_expertise(ctx)

    home = ensure_home_page(ctx)
    for position, theme in enumerate(themes):
        ensure_theme_page(ctx, home, theme, owner=ambassador, position=position)
    load_glossary(ctx)


def load_glossary(ctx: CorpusContext) -> None:
    """The corpus ``glossary`` section as demo content for the glossary (``GlossaryTerm``).
    An entry with an expansion is an acronym: the expansion is the term, the entry's term its
    acronym ("RIEC" -> "Regionaal Informatie- en Expertisecentrum", acronym RIEC)."""
    from django.utils.text import slugify

    for item in ctx.section("glossary"):
        short = str(item["term"]).strip()
        expansion = (item.get("expansion") or "").strip()
        term = expansion or short
        upsert(
            ctx,
            GlossaryTerm,
            {"slug": slugify(short)[:120]},
            {
                "term": term,
                "acronyms": [short] if expansion else [],
                "variants": [str(a) for a in item.get("aliases") or []],
                "definition": (item.get("explanation") or "").strip(),
            },
        )


@transaction.atomic
def ensure_home_page(ctx: CorpusContext) -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    if root is None:
        # A flushed database (after a transactional test) has lost Wagtail's initial rows.
        from django.conf import settings
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Collection, Locale

        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
    # Wagtail's initial "Welcome" page occupies the slug "home"; replace it.
    for page in root.get_children():
        if page.slug == "home" and not isinstance(page.specific, HomePage):
            page.delete()
    root.refresh_from_db()
    home = root.add_child(
        instance=HomePage(title="Kennisplatform Ondermijning", slug="home", intro=HOME_INTRO)
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Kennisplatform Ondermijning",
        )
    else:
        site.root_page = home
        site.site_name = "Kennisplatform Ondermijning"
        site.save()
    ctx.stats["homepagina: nieuw"] += 1
    return home


# Theme pages were last reviewed between a few weeks and about fourteen months before the
# load date (spread by position), so the editors' overview shows recent and stale pages.
REVIEW_SPREAD_DAYS = 420


def ensure_theme_page(
    ctx: CorpusContext, home: HomePage, theme: Theme, *, owner: User | None, position: int
) -> ThemePage:
    page = ThemePage.objects.filter(theme=theme).first()
    if page is not None:
        return page
    reviewed = ctx.today - timedelta(days=14 + (position * 97) % REVIEW_SPREAD_DAYS)
    page = home.add_child(
        instance=ThemePage(
            title=theme.title,
            slug=theme.slug,
            theme=theme,
            intro=theme.intro,
            owner=owner,
            last_reviewed_at=reviewed,
            next_review_due=reviewed + timedelta(days=365),
        )
    )
    page.save_revision().publish()
    ctx.stats["themapagina's: nieuw"] += 1
    return page
