"""The guard against case data in community posts and file names.

Before a thread, reply, edit or file is saved, :func:`case_data_check` (``kpo.core.casedata``,
shared with the contact messages of "Wie weet wat") looks for values that identify a person or an
address. Found and no reason given: it raises
:class:`CaseDataWarning` and nothing is written; the author removes the value or saves again with
a reason. Saved with a reason: :func:`case_data_confirm` keeps a :class:`CaseDataConfirmation`
(kinds only) for the community's moderators and an audit entry (kinds only). The detected values
never leave the request: not in the exception message, the database, the audit log or a log line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from communities.models import Attachment, CaseDataConfirmation, Community, Reply, Thread
from communities.services.rights import require_moderator
from kpo.audit.services import audit_record

# The warning and the check are the core's (kpo.core.casedata), shared with contact messages;
# they are re-exported here for the communities' callers.
from kpo.core.casedata import (  # noqa: F401
    REASON_MAX,
    CaseDataWarning,
    case_data_check,
    filename_text,
)

if TYPE_CHECKING:
    from kpo.accounts.models import User


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
