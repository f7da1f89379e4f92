"""RSS feed of a community's newest threads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404

from communities import selectors
from communities.models import Community, Thread


@dataclass(frozen=True)
class FeedSubject:
    """What one feed request is about: the community and the reader. Django's ``Feed`` is one
    shared instance for all requests (and threads), so per-request state travels here, never on
    the instance."""

    community: Community
    user: Any


class CommunityThreadsFeed(Feed):
    """RSS of a community's newest threads, for logged-in readers (session); 404 for anyone who
    may not read the content. Stateless: everything a request needs is in its ``FeedSubject``."""

    def get_object(self, request, slug):
        if not request.user.is_authenticated:
            raise Http404
        community = selectors.community_get_for_user(user=request.user, slug=slug)
        if community is None or not selectors.community_content_visible(
            community=community, user=request.user
        ):
            raise Http404
        return FeedSubject(community=community, user=request.user)

    def title(self, obj: FeedSubject):
        return obj.community.name

    def link(self, obj: FeedSubject):
        return obj.community.get_absolute_url()

    def description(self, obj: FeedSubject):
        return obj.community.description

    def items(self, obj: FeedSubject):
        return selectors.thread_list_for_user(user=obj.user, community=obj.community).order_by(
            "-created_at"
        )[:30]

    def item_title(self, item: Thread):
        return item.title

    def item_description(self, item: Thread):
        from communities.sanitize import html_to_text

        return html_to_text(item.body)[:500]

    def item_link(self, item: Thread):
        return item.get_absolute_url()

    def item_pubdate(self, item: Thread):
        return item.created_at


community_feed = CommunityThreadsFeed()
