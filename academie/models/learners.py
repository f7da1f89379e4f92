"""Learner records, written only through ``academie.services``: enrolments, lesson progress,
quiz attempts and certificates.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academie.models.pages import CoursePage, Lesson


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
    question id → correct (bool). The score is computed on the server only. ``question_ids`` are
    the questions this attempt asked, in the order shown: all of the course's questions, or the
    attempt's own draw from the question bank (score and review use exactly these)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("poging"))
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    question_ids = models.JSONField(_("gestelde vragen"), default=list, blank=True)
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
    """A certificate for a passed e-learning (``course``, ``attempt``) or for attending a training
    session (``training``, ``session``, ``registration``). Names and titles are snapshots, so the
    certificate reads the same after a course is renamed. A user keeps every certificate they
    earned (re-certification adds a new one); ``expires_at`` (from the course's or training's
    validity) and ``revoked_at`` decide the status shown on verification."""

    class Status(models.TextChoices):
        VALID = "valid", _("geldig")
        EXPIRED = "expired", _("verlopen")
        REVOKED = "revoked", _("ingetrokken")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(
        CoursePage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    attempt = models.OneToOneField(
        QuizAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    training = models.ForeignKey(
        "academie.TrainingPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    session = models.ForeignKey(
        "academie.TrainingSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    registration = models.OneToOneField(
        "academie.Registration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )
    code = models.CharField(
        _("verificatiecode"), max_length=40, unique=True, default=new_certificate_code
    )
    learner_name = models.CharField(_("naam"), max_length=300)
    course_title = models.CharField(_("e-learning of training"), max_length=300)
    session_label = models.CharField(_("sessie"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("uitgereikt op"), auto_now_add=True)
    # The versions it was earned on (ADR 0026): the course's live revision and the law version
    # (latest effective date of a known change of the cited articles). A refresher updates them.
    course_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    course_version_at = models.DateTimeField(_("versie van de e-learning"), null=True, blank=True)
    law_version = models.DateField(_("stand van de wet"), null=True, blank=True)
    expires_at = models.DateTimeField(_("geldig tot"), null=True, blank=True, db_index=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.TextField(_("reden van intrekking"), blank=True)

    class Meta:
        verbose_name = _("certificaat")
        verbose_name_plural = _("certificaten")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, training__isnull=True)
                    | models.Q(course__isnull=True, training__isnull=False)
                ),
                name="academie_certificate_course_xor_training",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} — {self.learner_name} ({self.code})"

    def status(self, now: datetime | None = None) -> str:
        """``valid``, ``expired`` or ``revoked`` at ``now`` (revocation wins)."""
        if self.revoked_at is not None:
            return self.Status.REVOKED
        now = now or timezone.now()
        if self.expires_at is not None and self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.VALID

    def status_label(self, now: datetime | None = None) -> str:
        """The status in words, as the certificate page and the verification show it."""
        status = self.status(now)
        if status == self.Status.REVOKED:
            return _("ingetrokken op %(date)s") % {
                "date": timezone.localtime(self.revoked_at).strftime("%d-%m-%Y")
            }
        if status == self.Status.EXPIRED:
            return _("verlopen op %(date)s") % {
                "date": timezone.localtime(self.expires_at).strftime("%d-%m-%Y")
            }
        if self.expires_at is not None:
            return _("geldig tot %(date)s") % {
                "date": timezone.localtime(self.expires_at).strftime("%d-%m-%Y")
            }
        return str(_("geldig"))


class CertificateRefresher(models.Model):
    """A short refresher offered to a holder after the course was revised for a law change
    (ADR 0026): the lessons changed since the holder's version and the quiz again. Passing it
    moves the certificate to ``revision``."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="refreshers"
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    lesson_ids = models.JSONField(default=list)
    offered_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    attempt = models.ForeignKey(
        QuizAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("opfrisser")
        verbose_name_plural = _("opfrissers")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "revision"], name="academie_refresher_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.revision_id}"
