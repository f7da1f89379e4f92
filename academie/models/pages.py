"""Academie content pages (Wagtail): the index, courses (lessons, quiz questions), trainings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page

from academie.media import validate_embed_url
from academie.models.legal import (
    LegalReviewMixin,
    PlatformContentMixin,
)
from kpo.core.guards import page_read_guard
from kpo.core.publication import (
    NoPagePrivacyMixin,
)
from kpo.law.models import CitationBase
from search.registry import searchable


class AcademieIndexPage(NoPagePrivacyMixin, PlatformContentMixin, Page):
    """The academy's root page. ``/academie/`` itself is served by ``academie.views.overview``."""

    intro = RichTextField(_("introductie"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["themes.HomePage"]
    subpage_types = ["academie.CoursePage", "academie.TrainingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("academie-overzicht")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect("academie:overview")


class LessonBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Tekst"), icon="doc-full")
    image = blocks.StructBlock(
        [
            ("image", ImageChooserBlock(label=_("Afbeelding"))),
            ("alt", blocks.CharBlock(label=_("Alternatieve tekst"), required=True)),
            ("caption", blocks.CharBlock(label=_("Onderschrift"), required=False)),
        ],
        label=_("Afbeelding"),
        icon="image",
    )
    # The default media: a video served by the platform itself, with captions and a transcript
    # (WCAG 1.2); see ADR 0012.
    media = blocks.StructBlock(
        [
            ("title", blocks.CharBlock(label=_("Titel"))),
            ("video", DocumentChooserBlock(label=_("Videobestand (MP4 of WebM)"))),
            (
                "captions",
                DocumentChooserBlock(label=_("Ondertitels (WebVTT, .vtt)"), required=False),
            ),
            ("transcript", blocks.TextBlock(label=_("Uitgeschreven tekst"), required=True)),
        ],
        label=_("Video (eigen server)"),
        icon="media",
    )
    # A YouTube or Vimeo video, played through the no-cookie player behind a click-to-load
    # facade: nothing reaches the third party before the learner chooses to load it.
    video = blocks.URLBlock(
        label=_("Video van YouTube of Vimeo"),
        icon="media",
        validators=[validate_embed_url],
        help_text=_("Wordt pas geladen als de cursist erop klikt (privacyvriendelijke speler)."),
    )
    download = blocks.StructBlock(
        [
            ("document", DocumentChooserBlock(label=_("Document"))),
            ("title", blocks.CharBlock(label=_("Titel"), required=False)),
        ],
        label=_("Download"),
        icon="download",
    )


@searchable
class CoursePage(LegalReviewMixin, PlatformContentMixin, Page):
    """An e-learning: ordered lessons and a final quiz."""

    search_type = "course"

    summary = models.TextField(_("samenvatting"))
    themes = ParentalManyToManyField(
        "themes.Theme", verbose_name=_("thema's"), blank=True, related_name="courses"
    )
    audience = models.TextField(_("doelgroep"), blank=True)
    estimated_minutes = models.PositiveIntegerField(
        _("geschatte duur (minuten)"), default=30, validators=[MinValueValidator(1)]
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("vereiste e-learnings"),
        blank=True,
        symmetrical=False,
        related_name="required_for",
    )
    quiz_pass_mark = models.PositiveSmallIntegerField(
        _("slagingspercentage"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    quiz_max_attempts = models.PositiveSmallIntegerField(
        _("maximaal aantal pogingen"), default=3, validators=[MinValueValidator(1)]
    )
    quiz_shuffle = models.BooleanField(_("vragen en antwoorden schudden"), default=False)

    class Explanations(models.TextChoices):
        FINAL = "final", _("Na slagen of na de laatste poging")
        ALWAYS = "always", _("Na elke poging")

    quiz_explanations = models.CharField(
        _("juiste antwoorden en toelichting tonen"),
        max_length=10,
        choices=Explanations.choices,
        default=Explanations.FINAL,
        help_text=_(
            "Na een niet-geslaagde poging verraadt de toelichting anders de antwoorden voor de "
            "volgende poging."
        ),
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificaat geldig (maanden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leeg: het certificaat blijft onbeperkt geldig."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("themes"),
        FieldPanel("audience"),
        FieldPanel("estimated_minutes"),
        FieldPanel("prerequisites"),
        InlinePanel("lessons", label=_("Lessen"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("quiz_pass_mark"),
                FieldPanel("quiz_max_attempts"),
                FieldPanel("quiz_shuffle"),
                FieldPanel("quiz_explanations"),
                InlinePanel("questions", label=_("Vragen")),
                InlinePanel(
                    "draw_rules",
                    label=_("Vraagbank: aantal vragen per categorie per poging"),
                    help_text=_(
                        "Leeg: elke poging bevat alle vragen. Anders trekt elke poging per "
                        "categorie het opgegeven aantal vragen willekeurig uit de vragen met die "
                        "categorie."
                    ),
                ),
            ],
            heading=_("Eindtoets"),
        ),
        InlinePanel("citations", label=_("Bronnen: wetsartikelen en uitspraken")),
        FieldPanel("certificate_valid_months"),
        FieldPanel("legal_review_required"),
    ]
    parent_page_types = ["academie.AcademieIndexPage"]
    subpage_types: list[str] = []
    template = "academie/course_page.html"

    class Meta:
        verbose_name = _("e-learning")
        verbose_name_plural = _("e-learnings")

    def __str__(self) -> str:
        return self.title

    def get_context(self, request, *args, **kwargs):
        from academie.selectors import course_progress_for_user

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = course_progress_for_user(course=self, user=request.user)
        from academie.selectors import refresher_open_for
        from kpo.law.selectors import open_law_changes_for_page

        context["citations"] = list(self.citations.all())
        context["law_changes"] = open_law_changes_for_page(page_id=self.pk)
        context["refresher"] = refresher_open_for(user=request.user, course=self)
        return context

    def serve(self, request, *args, **kwargs):
        denied = page_read_guard(request, self)
        if denied is not None:
            return denied
        return super().serve(request, *args, **kwargs)

    # --- search ---------------------------------------------------------------------------
    def search_document(self) -> dict | None:
        if not self.live:
            return None
        from kpo.core.access import item_principals

        return {
            "title": self.title,
            "summary": self.summary,
            "body": "\n".join(lesson.title for lesson in self.lessons.all()),
            "url": self.url_path_for_site(),
            "date": (self.first_published_at or self.latest_revision_created_at).isoformat()
            if (self.first_published_at or self.latest_revision_created_at)
            else None,
            "themes": sorted(self.themes.values_list("slug", flat=True)),
            "citations": sorted({k for c in self.citations.all() for k in c.search_keys()}),
            "principals": sorted(item_principals(self)),
        }

    @classmethod
    def search_queryset(cls):
        return cls.objects.all()

    def url_path_for_site(self) -> str:
        return self.get_url() or self.url_path

    @property
    def legal_review_label(self) -> str:
        if self.legal_reviewed_at:
            return _("Juridisch getoetst op %(date)s") % {
                "date": self.legal_reviewed_at.strftime("%d-%m-%Y")
            }
        return ""


class CourseCitation(CitationBase):
    """A legal source the course teaches (ADR 0026): a law change of it sends the course back to
    legal review ("Juridische toetsing")."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="citations")

    class Meta(CitationBase.Meta):
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")


class Lesson(Orderable):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("titel"), max_length=255)
    body = StreamField(LessonBlock(), blank=True, verbose_name=_("inhoud"))

    panels = [FieldPanel("title"), FieldPanel("body")]

    class Meta(Orderable.Meta):
        verbose_name = _("les")
        verbose_name_plural = _("lessen")

    def __str__(self) -> str:
        return self.title


class QuizQuestion(ClusterableModel, Orderable):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Eén antwoord")
        MULTIPLE = "multiple", _("Meerdere antwoorden")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("vraag"))
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    explanation = models.TextField(_("toelichting"), blank=True)
    # The question bank: a course with draw rules draws, per attempt, ``count`` questions of
    # each tag (``QuizDrawRule``); a course without draw rules asks every question.
    tag = models.CharField(
        _("categorie (vraagbank)"),
        max_length=60,
        blank=True,
        help_text=_("Alleen nodig als de toets vragen trekt uit een vraagbank."),
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("kind"),
        FieldPanel("tag"),
        FieldPanel("explanation"),
        InlinePanel("choices", label=_("Antwoorden"), min_num=2),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self) -> str:
        return self.text[:80]


class QuizChoice(Orderable):
    question = ParentalKey(QuizQuestion, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("antwoord"), max_length=500)
    is_correct = models.BooleanField(_("juist"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self) -> str:
        return self.text


class QuizDrawRule(Orderable):
    """How many questions of one tag each attempt draws from the course's question bank."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="draw_rules")
    tag = models.CharField(_("categorie"), max_length=60)
    count = models.PositiveSmallIntegerField(
        _("aantal vragen per poging"), default=1, validators=[MinValueValidator(1)]
    )

    panels = [FieldPanel("tag"), FieldPanel("count")]

    class Meta(Orderable.Meta):
        verbose_name = _("trekregel")
        verbose_name_plural = _("trekregels")

    def __str__(self) -> str:
        return f"{self.count} × {self.tag}"


@searchable
class TrainingPage(LegalReviewMixin, PlatformContentMixin, Page):
    """A classroom training with sessions (``TrainingSession``) people register for."""

    search_type = "training"

    summary = models.TextField(_("samenvatting"))
    themes = ParentalManyToManyField(
        "themes.Theme", verbose_name=_("thema's"), blank=True, related_name="trainings"
    )
    audience = models.TextField(_("doelgroep"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("duur (minuten)"), default=180)
    recommended_courses = ParentalManyToManyField(
        CoursePage,
        verbose_name=_("aanbevolen e-learnings vooraf"),
        blank=True,
        related_name="recommended_for_trainings",
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificaat geldig (maanden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Wie aanwezig was, krijgt een certificaat. Leeg: het certificaat blijft onbeperkt "
            "geldig."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("themes"),
        FieldPanel("audience"),
        FieldPanel("estimated_minutes"),
        FieldPanel("recommended_courses"),
        FieldPanel("certificate_valid_months"),
        FieldPanel("legal_review_required"),
    ]
    parent_page_types = ["academie.AcademieIndexPage"]
    subpage_types: list[str] = []
    template = "academie/training_page.html"

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainingen")

    def __str__(self) -> str:
        return self.title

    def get_context(self, request, *args, **kwargs):
        from academie.selectors import session_list_for_training

        context = super().get_context(request, *args, **kwargs)
        from kpo.core.access import has_staff_role

        context["sessions"] = session_list_for_training(training=self, user=request.user)
        context["is_academy_staff"] = has_staff_role(request.user, "academie")
        return context

    def serve(self, request, *args, **kwargs):
        denied = page_read_guard(request, self)
        if denied is not None:
            return denied
        return super().serve(request, *args, **kwargs)

    def search_document(self) -> dict | None:
        if not self.live:
            return None
        from kpo.core.access import item_principals

        sessions = list(self.sessions.order_by("starts_at"))
        return {
            "title": self.title,
            "summary": self.summary,
            "body": "\n".join(f"{s.location} {s.starts_at:%d-%m-%Y}" for s in sessions),
            "url": self.get_url() or self.url_path,
            "date": sessions[0].starts_at.isoformat() if sessions else None,
            "themes": sorted(self.themes.values_list("slug", flat=True)),
            "principals": sorted(item_principals(self)),
        }

    @classmethod
    def search_queryset(cls):
        return cls.objects.all()
