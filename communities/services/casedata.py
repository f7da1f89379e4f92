"""The guard against case data in community posts and file names.

Before a thread, reply, edit or file is saved, :func:`case_data_check` looks for values that
identify a person or an address (``kpo.core.casedata``). Found and no reason given: it raises
:class:`CaseDataWarning` and nothing is written; the author removes the value or saves again with
a reason. Saved with a reason: :func:`case_data_confirm` keeps a :class:`CaseDataConfirmation`
(kinds only) for the community's moderators and an audit entry (kinds only). The detected values
never leave the request: not in the exception message, the database, the audit log or a log line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.models import Attachment, CaseDataConfirmation, Community, Reply, Thread
from communities.services.rights import require_moderator
from kpo.audit.services import audit_record
from kpo.core.casedata import Finding, case_data_find, case_data_kinds

if TYPE_CHECKING:
    from kpo.accounts.models import User

REASON_MAX = 2000


class CaseDataWarning(ValidationError):
    """Raised when a text looks like it contains case data and no reason was given.

    ``findings`` maps a part (``"title"``, ``"body"``, ``"filename"``) to what was found there,
    for the author's warning only; the message names the kinds, never the values."""

    def __init__(self, findings: dict[str, list[Finding]]) -> None:
        self.findings = findings
        labels = [f.label for f in {f.kind: f for part in findings.values() for f in part}.values()]
        super().__init__(
            "Dit lijkt persoonsgegevens uit een zaak te bevatten (%(kinds)s). Haal ze weg, of "
            "sla op met een reden waarom ze hier nodig zijn.",
            code="case_data",
            params={"kinds": ", ".join(labels)},
        )

    @property
    def kinds(self) -> list[str]:
        return case_data_kinds([f for part in self.findings.values() for f in part])

    def items(self) -> list[tuple[str, list[Finding]]]:
        return list(self.findings.items())


def filename_text(name: str) -> str:
    """A file name as text to check: separators that join words become spaces."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem.replace("_", " ").replace("+", " ")


def case_data_check(*, parts: dict[str, str], reason: str | None) -> list[str]:
    """Check every part; return the kinds found (empty: nothing found). Raises
    :class:`CaseDataWarning` when something was found and ``reason`` is empty, and
    ``ValidationError`` when the reason itself contains case data or is too long."""
    findings = {name: found for name, text in parts.items() if (found := case_data_find(text))}
    if not findings:
        return []
    reason = (reason or "").strip()
    if not reason:
        raise CaseDataWarning(findings)
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"case_data_reason": "De reden is te lang (maximaal 2.000 tekens)."}, code="invalid"
        )
    if case_data_find(reason):
        raise ValidationError(
            {"case_data_reason": "Zet in de reden zelf geen persoonsgegevens."}, code="case_data"
        )
    return case_data_kinds([f for found in findings.values() for f in found])


def case_data_confirm(
    *,
    community: Community,
    author: User,
    kinds: list[str],
    reason: str,
    thread: Thread | None = None,
    reply: Reply | None = None,
    attachment: Attachment | None = None,
) -> CaseDataConfirmation:
    """Record that ``author`` saved despite the warning (kinds and reason only)."""
    confirmation = CaseDataConfirmation.objects.create(
        community=community,
        author=author,
        kinds=list(kinds),
        reason=reason.strip()[:REASON_MAX],
        thread=thread,
        reply=reply,
        attachment=attachment,
    )
    target = reply or thread or attachment or community
    audit_record(
        actor=author,
        action="moderation.case_data_confirmed",
        target=target,
        # The label is the kind of item and its id, never its title or file name: those are
        # where the value was found.
        target_label=f"{target._meta.verbose_name} {target.pk}",
        data={"kinds": list(kinds), "community": community.slug},
    )
    return confirmation


@transaction.atomic
def case_data_review(*, confirmation: CaseDataConfirmation, actor: User) -> CaseDataConfirmation:
    """A moderator marks a confirmed case as judged (hiding the post is the separate action)."""
    require_moderator(confirmation.community, actor)
    confirmation.status = CaseDataConfirmation.Status.REVIEWED
    confirmation.reviewed_by = actor
    confirmation.save(update_fields=["status", "reviewed_by"])
    return confirmation
