"""The Ondermijningsacademie: e-learnings (courses) and trainings.

Content (Wagtail pages, editable by the academy team):

* ``AcademieIndexPage`` → ``CoursePage`` (lessons, quiz questions and choices as inline children)
  and ``TrainingPage`` (its ``TrainingSession`` rows are plain models, managed in the admin, so
  that republishing a page never touches registrations).

Learner records (plain models, written only through ``academie.services``):

* ``Enrolment`` → ``LessonProgress``, ``QuizAttempt``; ``Certificate`` per user and course;
* ``Registration`` per user and training session (registered / waitlisted / cancelled).

Dependency direction: academie imports kpo.core, kpo.accounts, kpo.themes and search; nothing in
the foundation imports academie.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page

from academie.media import validate_embed_url
from kpo.core.access import PLATFORM
from kpo.core.publication import (
    GuardedPublicationMixin,
    NoPagePrivacyMixin,
    NoPrivacyPermissionTester,
)
from search.registry import searchable

LEGAL_GROUP = "Juristen"
ACADEMY_GROUP = "Academie"
LEGAL_WORKFLOW_NAME = "Juridische toetsing"


# --- access rule and legal review, shared by courses and trainings ------------------------------


class PlatformContentMixin:
    """Academy content is ``platform`` content: every active, logged-in professional reads it."""

    def read_principals(self) -> frozenset[str]:
        return frozenset({PLATFORM})

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return models.Q() if PLATFORM in principals else models.Q(pk__in=[])


class LegalReviewPermissionTester(NoPrivacyPermissionTester):
    """A page that needs legal review is published only by a member of the Juristen group: by
    approving the "Juridische toetsing" workflow task (the normal route for editors, who submit
    the page) or by publishing it themselves. Nobody else — not even a superuser — sees or can
    use "Publiceren"; everything else follows Wagtail's normal permissions."""

    def can_publish(self) -> bool:
        if not super().can_publish():
            return False
        if not getattr(self.page, "legal_review_required", False):
            return True
        return self.user.groups.filter(name=LEGAL_GROUP).exists()


class LegalReviewPageForm(WagtailAdminPageForm):
    """Once a page needs legal review, only a Juristen member may switch that off: for everyone
    else the checkbox is disabled (Django then keeps the stored value, whatever is posted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("legal_review_required")
        user = getattr(self, "for_user", None)
        is_jurist = user is not None and user.groups.filter(name=LEGAL_GROUP).exists()
        if field is not None and self.instance.legal_review_required and not is_jurist:
            field.disabled = True
            field.help_text = _("Alleen een jurist kan de juridische toetsing uitzetten.")


class LegalReviewMixin(GuardedPublicationMixin, models.Model):
    legal_review_required = models.BooleanField(
        _("juridische toetsing vereist"),
        default=False,
        help_text=_("Publiceren kan pas na goedkeuring in de workflow 'Juridische toetsing'."),
    )
    legal_reviewed_at = models.DateField(
        _("juridisch getoetst op"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Wordt gezet wanneer een jurist de workflow goedkeurt."),
    )

    base_form_class = LegalReviewPageForm

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return LegalReviewPermissionTester(user, self)

    # --- publication guard (kpo.core.publication): no live revision without a jurist ----------
    publication_refused_message = _(
        "Deze pagina vraagt juridische toetsing: alleen een door een jurist goedgekeurde versie "
        "kan live gaan."
    )

    def _guard_stored_fields(self) -> tuple[str, ...]:
        return (*super()._guard_stored_fields(), "legal_review_required")

    def publication_rule_applies(self, stored: dict | None) -> bool:
        return bool(self.legal_review_required or (stored or {}).get("legal_review_required"))

    def publication_approved(self, revision) -> bool:
        from academie.legal import revision_legally_approved

        return revision_legally_approved(revision)

    def own_revision_approved(self, user) -> bool:
        return bool(
            user and user.is_authenticated and user.groups.filter(name=LEGAL_GROUP).exists()
        )

    def with_content_json(self, content):
        """``legal_reviewed_at`` belongs to the page, not to a revision: keep the stored value."""
        obj = super().with_content_json(content)
        obj.legal_reviewed_at = self.legal_reviewed_at
        return obj


# --- pages --------------------------------------------------------------------------------------


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
            ],
            heading=_("Eindtoets"),
        ),
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
        return context

    def serve(self, request, *args, **kwargs):
        from academie.views import require_platform_reader

        denied = require_platform_reader(request, self)
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

    panels = [
        FieldPanel("text"),
        FieldPanel("kind"),
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

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("themes"),
        FieldPanel("audience"),
        FieldPanel("estimated_minutes"),
        FieldPanel("recommended_courses"),
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
        from academie.views import require_platform_reader

        denied = require_platform_reader(request, self)
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


# --- learner records ----------------------------------------------------------------------------


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("inschrijving e-learning")
        verbose_name_plural = _("inschrijvingen e-learning")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="academie_enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesvoortgang")
        verbose_name_plural = _("lesvoortgang")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="academie_lessonprogress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson}"


class QuizAttempt(models.Model):
    """One submitted quiz. ``answers`` maps question id → chosen choice ids; ``results`` maps
    question id → correct (bool). The score is computed on the server only."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("poging"))
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(_("score (%)"), validators=[MaxValueValidator(100)])
    passed = models.BooleanField(_("geslaagd"), default=False)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("toetspoging")
        verbose_name_plural = _("toetspogingen")
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "number"], name="academie_quizattempt_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="academie_quizattempt_score_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — poging {self.number}: {self.score}%"


def new_certificate_code() -> str:
    """An unguessable verification code (about 100 bits), readable on paper."""
    raw = secrets.token_hex(10).upper()
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


class Certificate(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="certificates")
    attempt = models.OneToOneField(
        QuizAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    code = models.CharField(
        _("verificatiecode"), max_length=40, unique=True, default=new_certificate_code
    )
    learner_name = models.CharField(_("naam"), max_length=300)
    course_title = models.CharField(_("e-learning"), max_length=300)
    issued_at = models.DateTimeField(_("uitgereikt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificaat")
        verbose_name_plural = _("certificaten")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="academie_certificate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course_title} — {self.learner_name} ({self.code})"


class TrainingSession(models.Model):
    training = models.ForeignKey(TrainingPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("plaats"), max_length=255)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(_("aanmelden kan tot"))

    panels = [
        FieldPanel("training"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("location"),
        FieldPanel("capacity"),
        FieldPanel("registration_deadline"),
    ]

    class Meta:
        verbose_name = _("trainingssessie")
        verbose_name_plural = _("trainingssessies")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="academie_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="academie_session_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training.title} — {self.location}, {self.starts_at:%d-%m-%Y}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Het einde moet na het begin liggen.")
        if (
            self.starts_at
            and self.registration_deadline
            and (self.registration_deadline > self.starts_at)
        ):
            errors["registration_deadline"] = _("Aanmelden moet sluiten vóór de sessie begint.")
        if self.pk and self.capacity:
            message = self.capacity_error(self.capacity)
            if message:
                errors["capacity"] = message
        if errors:
            raise ValidationError(errors)

    def capacity_error(self, capacity: int) -> str | None:
        """The one capacity rule (the admin form and ``session_update_capacity`` both ask it):
        at least one seat, never fewer than the people registered."""
        registered = self.registrations.filter(status="registered").count() if self.pk else 0
        if capacity < max(1, registered):
            return _("Er zijn al %(n)s aanmeldingen; de capaciteit kan niet lager.") % {
                "n": registered
            }
        return None


class Registration(models.Model):
    """A place on a session or on its waiting list.

    ``seat`` (1..capacity) is set while registered; a partial unique constraint on
    (session, seat) makes it impossible for two registrations to hold the same seat, on top of the
    row lock ``session_register`` takes on the session.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Aangemeld")
        WAITLISTED = "waitlisted", _("Op de wachtlijst")
        CANCELLED = "cancelled", _("Afgemeld")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    seat = models.PositiveIntegerField(null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="academie_registration_unique_user"
            ),
            models.UniqueConstraint(
                fields=["session", "seat"],
                condition=models.Q(status="registered"),
                name="academie_registration_unique_seat",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="registered", seat__isnull=False)
                    | (~models.Q(status="registered") & models.Q(seat__isnull=True))
                ),
                name="academie_registration_seat_iff_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session} ({self.get_status_display()})"
