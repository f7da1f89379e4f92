"""Learning communities: ``from communities.models import Community, Thread, …``.

Dependency direction inside the package: ``community`` (Community, Membership, the access rule of
community content, join requests, invitations) ← ``posts`` (threads, replies, reactions, follows,
attachments) ← ``events``, ``moderation`` and ``routing``. Outside it, communities depends on
``kpo.core.access`` and ``search.registry`` only.
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
from communities.models.moderation import CaseDataConfirmation, Flag, ModerationLog, Suspension
from communities.models.pins import CommunityPin
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
from communities.models.routing import (
    CommunityRoutingDefault,
    QuestionRoute,
    QuestionRouteRecipient,
)

__all__ = [
    "CaseDataConfirmation",
    "RSVP",
    "Attachment",
    "Community",
    "CommunityContent",
    "CommunityPin",
    "CalendarToken",
    "CommunityRoutingDefault",
    "Event",
    "Flag",
    "Follow",
    "Invitation",
    "JoinRequest",
    "Membership",
    "ModerationLog",
    "Post",
    "PrivateStorage",
    "QuestionRoute",
    "QuestionRouteRecipient",
    "Reaction",
    "Reply",
    "ReplyRevision",
    "Suspension",
    "Thread",
    "ThreadRevision",
    "ThreadKnowledgeLink",
    "attachment_path",
    "invitation_token",
    "private_storage",
]
