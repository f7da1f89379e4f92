"""Writes of communities: every write that has rules (``from communities.services import …``).

Atomic, typed, keyword-only; rule violations raise ``ValidationError`` (bad input, wrong state)
or ``PermissionDenied`` (not allowed), both with Dutch messages. Index changes and notifications
are written in the same transaction. Modules: ``rights`` ← ``suspension`` ← ``membership`` ←
``posts``, ``post_actions``, ``events``; ``posts`` ← ``routing``.
"""

from communities.services.attendance import attendance_set
from communities.services.casedata import CaseDataWarning, case_data_review
from communities.services.events import (
    calendar_token_get_or_create,
    calendar_token_regenerate,
    calendar_token_revoke,
    can_organise_network_events,
    event_cancel,
    event_create,
    event_reminders_send,
    event_update,
    rsvp_set,
)
from communities.services.files import attachment_delete
from communities.services.membership import (
    community_create,
    community_update,
    invitation_accept,
    invitation_claim_for_user,
    invitation_create,
    invitation_revoke,
    join_request_decide,
    membership_change_role,
    membership_join,
    membership_leave,
    membership_remove,
    membership_request,
)
from communities.services.pins import (
    community_landing_update,
    community_pin_add,
    community_pin_remove,
)
from communities.services.post_actions import (
    community_follow,
    flag_create,
    flag_dismiss,
    moderation_hide,
    moderation_restore,
    reaction_toggle,
    thread_follow,
    thread_lock,
    thread_pin,
    thread_unfollow,
)
from communities.services.posts import (
    attachment_create,
    post_edit,
    post_soft_delete,
    reply_accept,
    reply_create,
    thread_create,
)
from communities.services.rights import (
    community_reindex,
)
from communities.services.routing import (
    question_ask,
    question_route_create,
    question_routes_process,
    routing_default_set,
)
from communities.services.suspension import (
    MemberSuspended,
    account_suspend,
    member_suspend,
    require_not_suspended,
    suspension_lift,
    suspension_message,
)

__all__ = [
    "attendance_set",
    "community_landing_update",
    "community_pin_add",
    "community_pin_remove",
    "MemberSuspended",
    "account_suspend",
    "member_suspend",
    "require_not_suspended",
    "suspension_lift",
    "suspension_message",
    "CaseDataWarning",
    "case_data_review",
    "calendar_token_get_or_create",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "event_update",
    "community_reindex",
    "attachment_create",
    "attachment_delete",
    "community_create",
    "community_follow",
    "community_update",
    "can_organise_network_events",
    "event_cancel",
    "event_create",
    "event_reminders_send",
    "flag_create",
    "flag_dismiss",
    "invitation_accept",
    "invitation_claim_for_user",
    "invitation_create",
    "invitation_revoke",
    "join_request_decide",
    "membership_change_role",
    "membership_join",
    "membership_leave",
    "membership_remove",
    "membership_request",
    "moderation_hide",
    "moderation_restore",
    "post_edit",
    "post_soft_delete",
    "question_ask",
    "question_route_create",
    "question_routes_process",
    "routing_default_set",
    "reaction_toggle",
    "reply_accept",
    "reply_create",
    "rsvp_set",
    "thread_create",
    "thread_follow",
    "thread_lock",
    "thread_pin",
    "thread_unfollow",
]
