"""People and where they work: User (e-mail login), Profile, Organisation and Region.

Dependency direction: accounts knows themes (expertise) only by model label; nothing in accounts
imports the pillars (kennisbank, communities, academie).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.access import PLATFORM
from kpo.core.storage import PrivateStorage


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person with an account. Logs in with e-mail; ``username`` is not used."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mailadres"), unique=True)
    is_demo = models.BooleanField(
        _("demo-account"),
        default=False,
        help_text=_("Alleen voor de lokale demo-omgeving; wordt in productie geweigerd."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]


class Region(models.Model):
    """A RIEC, EURIEC or the LIEC."""

    class Kind(models.TextChoices):
        RIEC = "riec", "RIEC"
        EURIEC = "euriec", "EURIEC"
        LIEC = "liec", "LIEC"

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    focus = models.TextField(_("focus"), blank=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A participating or partner organisation (gemeente, politie, OM, Belastingdienst …)."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=40, db_index=True)
    role = models.CharField(_("rol in het netwerk"), max_length=40, blank=True)
    email_domains = models.TextField(
        _("e-maildomeinen"),
        blank=True,
        help_text=_(
            "Eén domein per regel; alleen adressen op deze domeinen mogen zich registreren."
        ),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def profile_photo_storage() -> PrivateStorage:
    """Profile photos live in ``STORAGES["private"]`` (filesystem or S3), never under a public
    URL."""
    return PrivateStorage()


class Profile(models.Model):
    """What colleagues may know about a professional ("Wie weet wat")."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    function = models.CharField(_("functie"), max_length=200, blank=True)
    expertise_themes = models.ManyToManyField(
        "themes.Theme", verbose_name=_("expertise"), blank=True, related_name="experts"
    )
    bio = models.TextField(_("korte introductie"), blank=True, max_length=2000)
    # The photo is personal data for colleagues only: private storage, streamed by
    # ``accounts:person_photo`` through the access rule. ``photo`` is the largest size as JPEG;
    # ``photo_variants`` maps each size (``KPO_PROFILE_PHOTO_SIZES``) to its WebP file.
    photo = models.ImageField(
        _("foto"), upload_to="profiles/", blank=True, storage=profile_photo_storage
    )
    photo_variants = models.JSONField(default=dict, blank=True, editable=False)
    accepts_contact = models.BooleanField(
        _("collega's mogen mij via het platform een bericht sturen"),
        default=True,
        help_text=_("Je e-mailadres blijft verborgen; je leest en beantwoordt berichten hier."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")

    def __str__(self) -> str:
        return f"Profiel van {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:person", args=[self.user_id])

    @property
    def photo_small_size(self) -> str:
        """The smallest stored photo size (for lists), "" without a photo."""
        sizes = sorted(self.photo_variants or {}, key=int)
        return sizes[0] if sizes else ""

    @property
    def photo_medium_size(self) -> str:
        """The second size (for the profile page), else the largest; "" without a photo."""
        sizes = sorted(self.photo_variants or {}, key=int)
        return sizes[min(1, len(sizes) - 1)] if sizes else ""

    # --- access rule (kpo.core.access): people are visible to logged-in professionals only -----
    def read_principals(self) -> frozenset[str]:
        """Every professional may find an active colleague; an inactive account nobody."""
        return frozenset({PLATFORM}) if self.user.is_active else frozenset()

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        if PLATFORM not in principals:
            return models.Q(pk__in=[])
        return models.Q(user__is_active=True)

    # --- search (registered by search.apps.SearchConfig): visible to logged-in professionals --
    search_type = "person"

    def search_document(self) -> dict | None:
        """The person in the shared index schema; None for inactive accounts."""
        if not self.user.is_active:
            return None
        expertise = list(self.expertise_themes.all())
        organisation = self.organisation.name if self.organisation else ""
        region = self.region.name if self.region else ""
        return {
            "title": self.user.display_name,
            "summary": ", ".join(part for part in (self.function, organisation) if part),
            "body": self.bio,
            "url": self.get_absolute_url(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "themes": [theme.slug for theme in expertise],
            "regions": [self.region.slug] if self.region else [],
            "organisations": [self.organisation.slug] if self.organisation else [],
            "people": {
                "name": self.user.display_name,
                "organisation": organisation,
                "region": region,
                "function": self.function,
                "expertise": [theme.title for theme in expertise],
            },
            "principals": sorted(self.read_principals()),
        }

    @classmethod
    def search_queryset(cls):
        return cls.objects.select_related("user", "organisation", "region").prefetch_related(
            "expertise_themes"
        )


# --- contact between colleagues ("Wie weet wat") -------------------------------------------------


class Conversation(models.Model):
    """A private conversation a professional started with a colleague from their profile.

    Only the two take part; neither sees the other's e-mail address (docs/decisions/0031)."""

    sender = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("afzender")
    )
    expert = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("expert")
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["-last_message_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("accounts:conversation", args=[self.pk])

    def other_party(self, user: User) -> User:
        return self.expert if user.pk == self.sender_id else self.sender


class ConversationMessage(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("bericht"), max_length=5000)
    # The author kept what the case-data guard found: the kinds and the reason, never the values.
    case_data_kinds = models.JSONField(default=list, blank=True)
    case_data_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Bericht {self.pk} in {self.conversation_id}"
