"""The theme taxonomy and the two pages that bring everything together: HomePage and ThemePage.

Theme pages list the theme's documents, communities and e-learnings without importing those apps:
each pillar's AppConfig names a ``theme_section`` callable (see ``kpo.themes.selectors``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from kpo.core.access import PLATFORM, PUBLIC
from kpo.core.guards import page_read_guard
from kpo.core.publication import NoPagePrivacyMixin


@register_snippet
class Theme(models.Model):
    """A theme of undermining crime (Wet Bibob, vastgoed, OMG …). Everything is tagged with it."""

    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("introductie"), blank=True)
    synonyms = models.JSONField(
        _("synoniemen en afkortingen"),
        default=list,
        blank=True,
        help_text=_("Lijst van synoniemen en afkortingen; de zoekfunctie gebruikt ze."),
    )
    ambassadors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ambassadeurs"),
        blank=True,
        related_name="ambassador_of",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldPanel("synonyms"),
        FieldPanel("ambassadors"),
    ]

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class HomePage(NoPagePrivacyMixin, Page):
    """The platform's front page: welcome text and the themes."""

    # Whole-page cache per principal set (ADR 0024): the page shows nothing else per reader.
    page_cache = True

    intro = RichTextField(_("introductie"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("homepagina")

    def get_context(self, request, *args, **kwargs):
        from kpo.themes.selectors import theme_page_list_for_user

        context = super().get_context(request, *args, **kwargs)
        context["theme_pages"] = theme_page_list_for_user(user=request.user)
        return context


class ThemePage(NoPagePrivacyMixin, Page):
    """One page per theme: intro, owner, last review, and the theme's content from every pillar."""

    # Whole-page cache per principal set (ADR 0024): the page shows nothing else per reader.
    page_cache = True

    class Visibility(models.TextChoices):
        PUBLIC = PUBLIC, _("Openbaar")
        PLATFORM = PLATFORM, _("Alleen ingelogde professionals")

    theme = models.OneToOneField(
        Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="page"
    )
    intro = models.TextField(_("introductie"), blank=True)
    body = StreamField(
        [
            ("text", blocks.RichTextBlock(label=_("Tekst"))),
            ("quote", blocks.BlockQuoteBlock(label=_("Citaat"))),
        ],
        blank=True,
        verbose_name=_("inhoud"),
    )
    last_reviewed_at = models.DateField(_("laatst beoordeeld op"), null=True, blank=True)
    next_review_due = models.DateField(
        _("volgende beoordeling"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("De eigenaar (of, als die vertrokken is, de ambassadeurs) beoordeelt dan."),
    )
    visibility = models.CharField(
        _("zichtbaarheid"), max_length=20, choices=Visibility.choices, default=PUBLIC
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("owner"),
                FieldPanel("last_reviewed_at"),
                FieldPanel("next_review_due"),
                FieldPanel("visibility"),
            ],
            heading=_("Beheer"),
        ),
    ]
    parent_page_types = ["themes.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("themapagina")
        verbose_name_plural = _("themapagina's")

    # --- access rule --------------------------------------------------------------------------
    def read_principals(self) -> frozenset[str]:
        return frozenset({self.visibility})

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return models.Q(visibility__in=principals)

    # --- search (registered by search.apps.SearchConfig) ---------------------------------
    search_type = "theme"

    def search_document(self) -> dict | None:
        """The theme page in the shared index schema; None while it is not live."""
        if not self.live:
            return None
        from kpo.core.text import html_to_text

        body = "\n".join(html_to_text(str(block.value)) for block in self.body)
        reviewed = self.last_reviewed_at or (
            self.first_published_at.date() if self.first_published_at else None
        )
        return {
            "title": self.title,
            "summary": self.intro or self.theme.intro,
            "body": "\n".join([body, ", ".join(self.theme.synonyms or [])]).strip(),
            "url": self.get_url() or f"/{self.slug}/",
            "date": reviewed.isoformat() if reviewed else None,
            "updated_at": self.last_published_at.isoformat() if self.last_published_at else None,
            "themes": [self.theme.slug],
            "principals": sorted(self.read_principals()),
        }

    @classmethod
    def search_queryset(cls):
        return cls.objects.live().select_related("theme")

    def serve(self, request, *args, **kwargs):
        denied = page_read_guard(request, self)
        if denied is not None:
            return denied
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        from kpo.themes.selectors import theme_sections_for_user

        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template's fragment cache (ADR 0013) skips these queries on a hit.
        context["sections"] = SimpleLazyObject(
            lambda: theme_sections_for_user(theme=self.theme, user=request.user)
        )
        return context


@register_snippet
class GlossaryTerm(models.Model):
    """A term of the glossary (begrippenlijst): editors' content, not code. Its acronyms and
    variants also feed the search synonyms (``search.schema.synonym_rules``)."""

    slug = models.SlugField(unique=True, max_length=120)
    term = models.CharField(_("begrip"), max_length=200)
    acronyms = models.JSONField(
        _("afkortingen"), default=list, blank=True, help_text=_("Bijvoorbeeld: RIEC, LFT.")
    )
    variants = models.JSONField(
        _("varianten en voluit geschreven vormen"),
        default=list,
        blank=True,
        help_text=_("Andere schrijfwijzen of de volledige naam; de zoekfunctie gebruikt ze."),
    )
    definition = models.TextField(_("omschrijving"))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), blank=True, related_name="glossary_terms"
    )
    sources = models.JSONField(
        _("bronnen"), default=list, blank=True, help_text=_("Titels of adressen van bronnen.")
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("slug"),
        FieldPanel("acronyms"),
        FieldPanel("variants"),
        FieldPanel("definition"),
        FieldPanel("themes"),
        FieldPanel("sources"),
    ]

    class Meta:
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippenlijst")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    @property
    def letter(self) -> str:
        first = (self.term[:1] or "#").upper()
        return first if first.isalpha() else "#"

    # --- access rule: the glossary is public ---------------------------------------------------
    def read_principals(self) -> frozenset[str]:
        return frozenset({PUBLIC})

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return models.Q() if PUBLIC in principals else models.Q(pk__in=[])

    # --- search --------------------------------------------------------------------------------
    search_type = "term"

    def search_document(self) -> dict | None:
        names = [*(self.acronyms or []), *(self.variants or [])]
        return {
            "title": self.term if not names else f"{self.term} ({', '.join(names)})",
            "summary": self.definition,
            "body": " ".join(str(s) for s in self.sources or []),
            "url": f"/begrippen/#{self.slug}",
            "themes": sorted(t.slug for t in self.themes.all()),
            "principals": sorted(self.read_principals()),
        }

    @classmethod
    def search_queryset(cls):
        return cls.objects.prefetch_related("themes")
