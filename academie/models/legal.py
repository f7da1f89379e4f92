"""The access rule and legal review shared by courses and trainings: platform-wide readers,
the Juristen's workflow gate and the page form/permission tester that keep it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from kpo.core.access import PLATFORM
from kpo.core.publication import (
    GuardedPublicationMixin,
    NoPrivacyPermissionTester,
)
from kpo.core.roles import ACADEMY_GROUP as ACADEMY_GROUP  # re-exported by academie.models
from kpo.core.roles import LAWYERS_GROUP, is_jurist

LEGAL_GROUP = LAWYERS_GROUP


LEGAL_WORKFLOW_NAME = "Juridische toetsing"


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
        return is_jurist(self.user)


class LegalReviewPageForm(WagtailAdminPageForm):
    """Once a page needs legal review, only a Juristen member may switch that off: for everyone
    else the checkbox is disabled (Django then keeps the stored value, whatever is posted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("legal_review_required")
        user = getattr(self, "for_user", None)
        if field is not None and self.instance.legal_review_required and not is_jurist(user):
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
        return is_jurist(user)

    def with_content_json(self, content):
        """``legal_reviewed_at`` belongs to the page, not to a revision: keep the stored value."""
        obj = super().with_content_json(content)
        obj.legal_reviewed_at = self.legal_reviewed_at
        return obj
