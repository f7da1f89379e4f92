"""Learning communities: ``from communities.models import Community, Thread, …``.

Dependency direction inside the package: ``community`` (Community, Membership, the access rule of
community content, join requests, invitations) ← ``posts`` (threads, replies, reactions, follows,
attachments) ← ``events`` and ``moderation``. Outside it, communities depends on ``kpo.core.access``
and ``search.registry`` only.
"""

from communities.models.community import (
    Community,
    CommunityContent,
    Invitation,
    JoinRequest,
    Membership,
    PrivateStorage,
    invitation_token,
    private_storage,
)
from communities.models.events import RSVP, CalendarToken, Event
from communities.models.knowledge import ThreadKnowledgeLink
from communities.models.moderation import CaseDataConfirmation, Flag, ModerationLog
from communities.models.posts import (
    Attachment,
    Follow,
    Post,
    Reaction,
    Reply,
    ReplyRevision,
    Thread,
    ThreadRevision,
    attachment_path,
)

__all__ = [
    "CaseDataConfirmation",
    "RSVP",
    "Attachment",
    "Community",
    "CommunityContent",
    "CalendarToken",
    "Event",
    "Flag",
    "Follow",
    "Invitation",
    "JoinRequest",
    "Membership",
    "ModerationLog",
    "Post",
    "PrivateStorage",
    "Reaction",
    "Reply",
    "ReplyRevision",
    "Thread",
    "ThreadRevision",
    "ThreadKnowledgeLink",
    "attachment_path",
    "invitation_token",
    "private_storage",
]
