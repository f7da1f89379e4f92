"""Web views of communities, thin: reads through selectors, writes through services.

One module per room (communities, threads, moderation, files, events, feeds); this package
re-exports the views the URLconf names."""

from communities.views.community import (
    community_create,
    community_detail,
    community_edit,
    community_follow,
    community_join,
    community_leave,
    community_list,
    community_manage,
    community_members,
    community_preference,
    community_request,
    invitation_accept,
)
from communities.views.events import (
    calendar_feed,
    calendar_subscription,
    event_cancel,
    event_create,
    event_detail,
    event_edit,
    event_ics_download,
    event_list,
)
from communities.views.feeds import CommunityThreadsFeed, FeedSubject, community_feed
from communities.views.files import attachment_download, file_list
from communities.views.moderation import (
    flag,
    moderation_hide,
    moderation_queue,
    moderation_restore,
    thread_lock,
    thread_pin,
)
from communities.views.routing import open_questions, routing_default, similar
from communities.views.threads import (
    post_delete,
    post_edit,
    react,
    reply_accept,
    reply_create,
    thread_create,
    thread_detail,
    thread_follow,
    thread_list,
)

__all__ = [
    "community_list",
    "community_detail",
    "community_create",
    "community_edit",
    "community_join",
    "community_request",
    "community_leave",
    "community_follow",
    "community_preference",
    "community_members",
    "community_manage",
    "invitation_accept",
    "thread_list",
    "thread_create",
    "thread_detail",
    "reply_create",
    "reply_accept",
    "react",
    "thread_follow",
    "post_delete",
    "post_edit",
    "flag",
    "thread_pin",
    "thread_lock",
    "moderation_hide",
    "moderation_restore",
    "moderation_queue",
    "file_list",
    "attachment_download",
    "event_list",
    "event_cancel",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics_download",
    "calendar_subscription",
    "calendar_feed",
    "FeedSubject",
    "CommunityThreadsFeed",
    "community_feed",
    "open_questions",
    "routing_default",
    "similar",
]
