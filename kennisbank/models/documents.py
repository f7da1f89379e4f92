"""Knowledge documents: document types, the index page, the document page and its attachments.

Review state (``last_reviewed_at``, ``next_review_due``, ``review_status``,
``review_reminder_sent_for``) belongs to the page as a whole, not to a revision: it is changed by
services (``kennisbank.services``) with queryset updates and survives publishing an older draft
(see ``KnowledgeDocumentPage.with_content_json``).
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from kennisbank.blocks import BODY_BLOCKS
from kpo.core.access import PLATFORM
from kpo.core.guards import page_read_guard
from kpo.core.publication import GuardedPublicationMixin, NoPagePrivacyMixin
from kpo.core.text import html_to_text
from kpo.law.models import CitationBase
from search.registry import searchable

REVIEW_STATE_FIELDS = (
    "last_reviewed_at",
    "next_review_due",
    "review_status",
    "review_reminder_sent_for",
)


class ReviewStatus(models.TextChoices):
    CURRENT = "actueel", _("Actueel")
    REVIEW_NEEDED = "herbeoordeling_nodig", _("Herbeoordeling nodig")
    OUTDATED = "verouderd", _("Verouderd")


# The index schema names the middle state "herbeoordeling" (search/registry.py).
SEARCH_REVIEW_STATUS = {
    ReviewStatus.CURRENT: "actueel",
    ReviewStatus.REVIEW_NEEDED: "herbeoordeling",
    ReviewStatus.OUTDATED: "verouderd",
}


class DocumentType(models.Model):
    """Kind of knowledge product; each kind has its own default re-assessment interval."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("naam"), max_length=120)
    review_interval_months = models.PositiveSmallIntegerField(
        _("herbeoordelingstermijn (maanden)"), default=24
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("review_interval_months")]

    class Meta:
        verbose_name = _("documenttype")
        verbose_name_plural = _("documenttypen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KennisbankIndexPage(NoPagePrivacyMixin, Page):
    """``/kennisbank/``: all knowledge documents the user may read, with filters and sorting."""

    # Whole-page cache per principal set (ADR 0024): the list (and its filters, in the URL)
    # depends only on the reader's principals.
    page_cache = True

    intro = models.TextField(_("introductie"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["themes.HomePage"]
    subpage_types = ["kennisbank.KnowledgeDocumentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("kennisbank")

    def serve(self, request, *args, **kwargs):
        denied = page_read_guard(request)
        if denied is not None:
            return denied
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from kennisbank.selectors import document_index_for_user

        context = super().get_context(request, *args, **kwargs)
        context.update(document_index_for_user(user=request.user, params=request.GET))
        return context


@searchable
class KnowledgeDocumentPage(GuardedPublicationMixin, NoPagePrivacyMixin, Page):
    """One knowledge document. Readable by every professional, or by one community's members.

    Goes live only with a revision the "Redactieraad" (or "Herbeoordeling") workflow approved, or
    one a platform admin published through the audited emergency path
    (``kennisbank.services.document_emergency_publish``) — see ``publication_approved``."""

    # Whole-page cache per principal set (ADR 0024); attachment downloads are their own
    # (audited) route, never cached.
    page_cache = True

    search_type: ClassVar[str] = "document"

    summary = models.TextField(_("samenvatting"))
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("inhoud"))
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("documenttype"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    themes = ParentalManyToManyField(
        "themes.Theme", verbose_name=_("thema's"), related_name="knowledge_documents"
    )
    regions = ParentalManyToManyField(
        "accounts.Region", verbose_name=_("regio's"), blank=True, related_name="+"
    )
    organisations = ParentalManyToManyField(
        "accounts.Organisation", verbose_name=_("organisaties"), blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True, db_index=True)
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_documents",
        help_text=_("Leeg: zichtbaar voor alle professionals. Anders alleen voor de leden."),
    )
    last_reviewed_at = models.DateField(_("laatst beoordeeld op"), null=True, blank=True)
    next_review_due = models.DateField(
        _("volgende beoordeling"), null=True, blank=True, db_index=True
    )
    review_status = models.CharField(
        _("betrouwbaarheid"),
        max_length=30,
        choices=ReviewStatus.choices,
        default=ReviewStatus.CURRENT,
        db_index=True,
    )
    review_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Bijlagen")),
        InlinePanel("citations", label=_("Bronnen: wetsartikelen en uitspraken")),
    ]
    promote_panels = Page.promote_panels
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("doc_type"),
                FieldPanel("themes"),
                FieldPanel("regions"),
                FieldPanel("organisations"),
                FieldPanel("year"),
                FieldPanel("community"),
                FieldPanel("owner"),
            ],
            heading=_("Kenmerken en zichtbaarheid"),
        ),
        *Page.settings_panels,
    ]
    parent_page_types = ["kennisbank.KennisbankIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("kennisdocument")
        verbose_name_plural = _("kennisdocumenten")

    # --- access rule --------------------------------------------------------------------------
    def read_principals(self) -> frozenset[str]:
        if self.community_id is None:
            return frozenset({PLATFORM})
        return self.community.content_principals()

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        from communities.models import Community

        q = Community.content_principals_q(principals, prefix="community__")
        if PLATFORM in principals:
            q |= models.Q(community__isnull=True)
        return q

    # --- publication guard (kpo.core.publication) ---------------------------------------------
    publication_refused_message = _(
        "Een kennisdocument gaat pas live na goedkeuring door een ambassadeur en de Redactieraad "
        "(of via de noodpublicatie door een platformbeheerder)."
    )

    def publication_approved(self, revision) -> bool:
        from kennisbank.selectors import revision_publication_approved

        return revision_publication_approved(revision=revision)

    # --- review state -------------------------------------------------------------------------
    def review_interval(self) -> relativedelta:
        return relativedelta(months=self.doc_type.review_interval_months)

    def due_date_after(self, reviewed: datetime.date) -> datetime.date:
        return reviewed + self.review_interval()

    def with_content_json(self, content):
        """Publishing a revision never rolls the review state back (it is page-wide state)."""
        obj = super().with_content_json(content)
        for name in REVIEW_STATE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    # --- serving ------------------------------------------------------------------------------
    def serve(self, request, *args, **kwargs):
        # A community's document is a 404 to anonymous readers too: its existence is private.
        denied = page_read_guard(request, self, login_for_anonymous=self.community_id is None)
        if denied is not None:
            return denied
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A queryset, not a list: the template's fragment cache (ADR 0013) skips it on a hit.
        context["attachment_rows"] = self.attachments.select_related("document")
        context["review_badge"] = self.review_badge_text()
        from kennisbank.selectors import can_see_board_decisions, thread_knowledge_credit

        context["can_see_decisions"] = can_see_board_decisions(user=request.user)
        from kpo.law.selectors import open_law_changes_for_page

        context["citations"] = list(self.citations.all())
        context["law_changes"] = open_law_changes_for_page(page_id=self.pk)
        # where it came from (issue #17): only the threads this reader may read
        context["thread_credits"] = thread_knowledge_credit(user=request.user, page=self)
        return context

    def review_badge_text(self) -> str:
        """The board's dated badge (ADR 0017), or "" when no quorum decision exists."""
        from kennisbank.selectors import document_review_badge, review_badge_text

        badge = document_review_badge(page=self)
        return review_badge_text(badge) if badge else ""

    # --- search -------------------------------------------------------------------------------
    def body_text(self) -> str:
        parts = []
        for block in self.body:
            if block.block_type == "text":
                parts.append(html_to_text(str(block.value)))
            elif block.block_type == "quote":
                parts.append(block.value["text"])
            elif block.block_type == "table":
                rows = (block.value or {}).get("data") or []
                parts.extend(" ".join(str(c) for c in row if c) for row in rows)
        return "\n".join(p for p in parts if p)

    def attachment_text(self) -> str:
        return "\n".join(
            AttachmentInfo.objects.filter(
                document__in=self.attachments.values("document")
            ).values_list("text", flat=True)
        )

    def _search_date(self) -> str | None:
        """The document's own date: its year of publication (``year``), not the moment the page
        was created on the platform (an import sets that to the import time)."""
        if self.year:
            published = self.first_published_at
            if published and published.year == self.year:
                return published.date().isoformat()
            return f"{self.year:04d}-01-01"
        moment = self.first_published_at or self.latest_revision_created_at
        return moment.isoformat() if moment else None

    def search_document(self) -> dict[str, Any] | None:
        from kpo.core.access import item_principals

        if not self.live:
            return None
        return {
            "title": self.title,
            "summary": self.summary,
            "body": self.body_text(),
            "attachment_text": self.attachment_text(),
            "url": self.url or f"/kennisbank/{self.slug}/",
            "date": self._search_date(),
            "updated_at": self.last_published_at.isoformat() if self.last_published_at else None,
            "themes": sorted(t.slug for t in self.themes.all()),
            "regions": sorted(r.slug for r in self.regions.all()),
            "organisations": sorted(o.slug for o in self.organisations.all()),
            "doc_type": self.doc_type.slug,
            "year": self.year,
            "community": self.community.slug if self.community_id else None,
            "review_status": SEARCH_REVIEW_STATUS[ReviewStatus(self.review_status)],
            "review_badge": self.review_badge_text(),
            "citations": sorted({k for c in self.citations.all() for k in c.search_keys()}),
            "principals": sorted(item_principals(self)),
        }

    @classmethod
    def search_queryset(cls):
        return cls.objects.live().select_related("doc_type", "community")


class KnowledgeDocumentAttachment(Orderable):
    """An attachment (a Wagtail document) of a knowledge document, in order."""

    page = ParentalKey(KnowledgeDocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("bestand"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")


class DocumentCitation(CitationBase):
    """A legal source the document rests on (ADR 0026): a law change of it re-opens the
    document's review."""

    page = ParentalKey(KnowledgeDocumentPage, on_delete=models.CASCADE, related_name="citations")

    class Meta(CitationBase.Meta):
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")


class AttachmentInfo(models.Model):
    """Per-file state that is not part of a page revision: detected type, extracted text and
    the download counter."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="kennisbank_info"
    )
    detected_type = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    # Set when extraction ran but failed (``timeout``, ``limit``, ``error``): the file is kept
    # and downloadable, it just contributes no text to search.
    extraction_error = models.CharField(max_length=20, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("bijlage-informatie")
        verbose_name_plural = _("bijlage-informatie")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.download_count} downloads"
