"""Corpus part of the kennisbank: document types, the index page, the review workflows, the
board's and ambassadors' admin rights, and the corpus ``documents`` as published pages.

Idempotent: existing rows are left alone (a document page that exists is not published again).
Review dates are spread relative to the load date so the demo always shows current documents,
documents due within 30 days, overdue ones and one more than 90 days overdue.
"""

from __future__ import annotations

import datetime
import html
import re

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, WorkflowPage
from wagtail.rich_text import RichText

from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage, ReviewStatus
from kennisbank.services import (
    BOARD_GROUP,
    SUBMISSION_WORKFLOW,
    document_import_published,
    workflows_ensure,
)
from kpo.core.corpus import CorpusContext, upsert
from kpo.core.roles import AMBASSADORS_GROUP

DOCUMENT_TYPES = [
    # slug, name, default review interval (months)
    ("strategisch-beeld", "Strategisch beeld", 24),
    ("handreiking", "Handreiking", 24),
    ("toolbox", "Toolbox", 12),
    ("casus", "Casus", 36),
    ("onderzoek", "Onderzoek", 36),
    ("factsheet", "Factsheet", 12),
    ("werkwijze", "Werkwijze", 24),
]

INDEX_INTRO = (
    "Kennis uit de praktijk van het RIEC-LIEC-netwerk: strategische beelden, handreikingen, "
    "casussen en werkwijzen, beoordeeld door de inhoudelijke ambassadeurs en de Redactieraad."
)

# Days from the load date to next_review_due, by position in the corpus (the rest is current).
REVIEW_OFFSETS = {3: 10, 11: 20, 19: 28, 5: -15, 13: -40, 7: -120}
CURRENT_OFFSET = 300


def load(ctx: CorpusContext) -> None:
    types = {
        slug: upsert(
            ctx, DocumentType, {"slug": slug}, {"name": name, "review_interval_months": m}
        )[0]
        for slug, name, m in DOCUMENT_TYPES
    }
    index = ensure_index_page(ctx)
    workflows = workflows_ensure()
    WorkflowPage.objects.get_or_create(
        page=index, defaults={"workflow": workflows[SUBMISSION_WORKFLOW]}
    )
    ensure_group_permissions(index)
    owner = _demo_user(ctx, "redactieraad@demo.kpo.nl")
    today = ctx.today
    for position, item in enumerate(ctx.section("documents")):
        if item.get("doc_type") not in types:
            continue
        ensure_document(ctx, index, item, types[item["doc_type"]], owner, position, today)


def _demo_user(ctx: CorpusContext, email: str):
    if not ctx.demo_accounts:
        return None
    from kpo.accounts.models import User

    return User.objects.filter(email=email).first()


def ensure_index_page(ctx: CorpusContext) -> KennisbankIndexPage:
    index = KennisbankIndexPage.objects.first()
    if index is not None:
        return index
    from kpo.themes.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("The themes corpus (HomePage) must load before the kennisbank.")
    index = home.add_child(
        instance=KennisbankIndexPage(title="Kennisbank", slug="kennisbank", intro=INDEX_INTRO)
    )
    index.save_revision().publish()
    ctx.stats["kennisbank: nieuw"] += 1
    return index


def ensure_group_permissions(index: KennisbankIndexPage) -> None:
    """The board and the ambassadors work in the Wagtail admin on the kennisbank pages."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    page_perms = {
        codename: Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for codename in ("change_page", "publish_page")
    }
    wanted = {BOARD_GROUP: ("change_page", "publish_page"), AMBASSADORS_GROUP: ("change_page",)}
    for name, codenames in wanted.items():
        group = Group.objects.get_or_create(name=name)[0]
        if not group.permissions.filter(pk=access_admin.pk).exists():
            group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=page_perms[codename]
            )


def markdown_to_html(text: str) -> str:
    """The corpus body format: '## ' headings, '- ' lists, blank lines between paragraphs."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            out.append(f"<h2>{html.escape(lines[0][3:])}</h2>")
            lines = lines[1:]
            if not lines:
                continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{html.escape(' '.join(lines))}</p>")
    return "".join(out)


def _community_for(ctx: CorpusContext, visibility: str):
    if not visibility.startswith("community:"):
        return None
    from communities.models import Community

    slug = visibility.removeprefix("community:")
    community = Community.objects.filter(slug=slug).first()
    if community is not None:
        return community
    spec = next((c for c in ctx.section("communities") if c.get("slug") == slug), {})
    community, _created = Community.objects.get_or_create(
        slug=slug,
        defaults={
            "name": spec.get("name", slug),
            "visibility": spec.get("visibility", Community.Visibility.CLOSED),
            "description": (spec.get("description") or "").strip(),
        },
    )
    return community


def ensure_document(ctx, index, item, doc_type, owner, position, today) -> KnowledgeDocumentPage:
    page = KnowledgeDocumentPage.objects.filter(slug=item["id"]).first()
    if page is not None:
        return page
    from kpo.accounts.models import Organisation, Region
    from kpo.themes.models import Theme

    offset = REVIEW_OFFSETS.get(position, CURRENT_OFFSET - position)
    interval = relativedelta(months=doc_type.review_interval_months)
    reviewed = today + datetime.timedelta(days=offset) - interval
    due = reviewed + interval
    if offset < -90:
        status = ReviewStatus.OUTDATED
    elif offset <= 0:
        status = ReviewStatus.REVIEW_NEEDED
    else:
        status = ReviewStatus.CURRENT
    page = KnowledgeDocumentPage(
        title=item["title"],
        slug=item["id"],
        summary=(item.get("summary") or "").strip(),
        body=[("text", RichText(markdown_to_html(item.get("body", ""))))],
        doc_type=doc_type,
        year=item.get("year"),
        community=_community_for(ctx, item.get("visibility") or "platform"),
        owner=owner,
        last_reviewed_at=reviewed,
        next_review_due=due,
        review_status=status,
    )
    page.themes = list(Theme.objects.filter(slug__in=item.get("themes") or []))
    page.regions = list(Region.objects.filter(slug=item["region"])) if item.get("region") else []
    page.organisations = list(Organisation.objects.filter(slug__in=item.get("organisations") or []))
    index.add_child(instance=page)
    document_import_published(page=page, user=owner)
    # Dated by its own year (spread over it, never after today), not by the load date.
    published = _published_at(item.get("year"), position, today)
    if published is not None:
        KnowledgeDocumentPage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
    ctx.stats["kennisdocumenten: nieuw"] += 1
    return page


def _published_at(year, position: int, today: datetime.date) -> datetime.datetime | None:
    if not isinstance(year, int):
        return None
    day = min(datetime.date(year, 1, 15) + datetime.timedelta(days=(position * 29) % 330), today)
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
