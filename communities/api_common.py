"""Lookups shared by the communities API modules: what the caller may not see is a 404."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import PermissionDenied

from communities import selectors
from communities.models import Community, Reply, Thread


def community_or_404(request, slug: str, *, content: bool = False) -> Community:
    """The community if the caller may see it (and, with ``content``, read inside it)."""
    community = selectors.community_get_for_user(user=request.user, slug=slug)
    if community is None:
        raise Http404
    if content and not selectors.community_content_visible(community=community, user=request.user):
        raise Http404
    return community


def require_manager(request, community: Community) -> None:
    """Members who do not manage get a 403 (they can see the community exists)."""
    if not selectors.can_manage(community=community, user=request.user):
        raise PermissionDenied("Alleen community managers mogen dit doen.")


def require_moderator(request, community: Community) -> None:
    if not selectors.can_moderate(community=community, user=request.user):
        raise PermissionDenied("Alleen moderatoren en community managers mogen dit doen.")


def thread_for_moderation(request, pk: int) -> Thread:
    """A thread for a moderation action: hidden ones too for the community's moderators."""
    thread = selectors.thread_get_for_user(user=request.user, pk=pk)
    if thread is None:
        candidate = selectors.thread_get_for_user(user=request.user, pk=pk, include_removed=True)
        if candidate is not None and selectors.can_moderate(
            community=candidate.community, user=request.user
        ):
            thread = candidate
    if thread is None:
        raise Http404
    return thread


def reply_for_moderation(request, pk: int) -> Reply:
    """A reply for a moderation action, in a thread the caller may act on (as the web does)."""
    reply = selectors.reply_get_for_user(user=request.user, pk=pk)
    if reply is None:
        raise Http404
    reply.thread = thread_for_moderation(request, reply.thread_id)
    return reply


class CommunityScopedMixin:
    """For API views under ``communities/<slug>/``: resolve the URL's community once per request
    (a 404 when the caller may not see it, or with ``community_content`` may not read inside it),
    then check ``community_right`` (a 403), before any id in the URL is looked up."""

    community_content: bool = False
    community_right: Literal["manage", "moderate"] | None = None
    request: Any
    kwargs: dict[str, Any]

    def get_community(self) -> Community:
        community = getattr(self, "scoped_community", None)
        if community is None:
            community = community_or_404(
                self.request, self.kwargs["slug"], content=self.community_content
            )
            if self.community_right == "manage":
                require_manager(self.request, community)
            elif self.community_right == "moderate":
                require_moderator(self.request, community)
            self.scoped_community = community
        return community

    def community_row_or_404(self, queryset: QuerySet[Any], pk: int) -> Any:
        """A row of the community by the URL's id (a 404 for another community's row)."""
        return get_object_or_404(queryset, pk=pk, community=self.get_community())


class CommunityListMixin(CommunityScopedMixin):
    """A list under ``communities/<slug>/``: the rows ``list_for`` gives for the checked
    community, paginated by the ``ListAPIView`` it is mixed into."""

    def list_for(self, community: Community) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.list_for(self.get_community())
