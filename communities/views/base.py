"""Shared pieces of the community views: the community/thread/post resolvers that apply the
access rule (404 for what the user may not see, the join prompt for closed content), and error
helpers.

Access: a community that is not visible (secret, non-member) is a 404 everywhere. Content of a
closed community for a non-member is a join prompt (403); content of a secret community for a
non-member never gets that far.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors
from communities.models import Community, Reply
from communities.selectors import CommunityRights
from communities.services import suspension_message


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Dat mag je hier niet doen.")


def form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def community_view(content: bool = False):
    """Resolve ``slug`` to a community the user may see (else 404). With ``content=True`` the user
    must also be able to read its content; a closed community shows the join prompt."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            lookup = (
                selectors.community_get_for_reading
                if request.method in ("GET", "HEAD")
                else selectors.community_get_for_user
            )
            community = lookup(user=request.user, slug=slug)
            if community is None:
                raise Http404
            if content and not selectors.community_content_visible(
                community=community, user=request.user
            ):
                return join_prompt(request, community)
            return view(request, community, *args, **kwargs)

        return wrapper

    return decorator


def rights(request, community: Community) -> CommunityRights:
    """The user's membership and rights in the community, looked up once per request (the
    decorator, the post actions and the page context share it)."""
    cache = request.__dict__.setdefault("_community_rights", {})
    if community.pk not in cache:
        cache[community.pk] = selectors.community_rights(community=community, user=request.user)
    return cache[community.pk]


def join_prompt(request, community: Community):
    return render(
        request,
        "communities/join_prompt.html",
        {
            "community": community,
            "membership": rights(request, community).membership,
            "pending": selectors.join_request_pending(community=community, user=request.user),
        },
        status=403,
    )


def community_context(request, community: Community, **extra) -> dict:
    r = rights(request, community)
    suspension = selectors.suspension_active(user=request.user, community=community)
    return {
        "community": community,
        "membership": r.membership,
        "is_member": r.is_member,
        "can_moderate": r.can_moderate,
        "can_manage": r.can_manage,
        "suspension": suspension,
        "suspension_message": suspension_message(suspension=suspension) if suspension else "",
        **extra,
    }


def thread_or_404(request, community: Community, pk: int, include_removed: bool = False):
    thread = selectors.thread_get_for_user(
        user=request.user, pk=pk, include_removed=include_removed
    )
    if thread is None or thread.community_id != community.pk:
        raise Http404
    return thread


def post_or_404(
    request, community: Community, pk: int, reply_pk: int | None, include_removed=False
):
    thread = thread_or_404(request, community, pk, include_removed=include_removed)
    if reply_pk is None:
        return thread, thread
    reply = get_object_or_404(Reply, pk=reply_pk, thread=thread, is_deleted=False)
    reply.thread = thread
    return thread, reply


def post_action(handler):
    """POST-only action on a thread or reply, redirecting back with a message."""

    @require_POST
    @community_view(content=True)
    @wraps(handler)
    def wrapper(request, community, pk, reply_pk=None):
        moderator = rights(request, community).can_moderate
        thread, post = post_or_404(request, community, pk, reply_pk, include_removed=moderator)
        try:
            message = handler(request, thread=thread, post=post)
            if message:
                messages.success(request, message)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        return redirect(
            post.get_absolute_url() if post is not thread else thread.get_absolute_url()
        )

    return wrapper
