"""The one page access guard: what a page or view answers a reader who may not read it.

Anonymous readers are sent to the login page (they may well be allowed once logged in);
logged-in readers without access get a 404, so nobody learns that the item exists. Pages call it
from ``serve()``, views before they render; the rule itself is ``kpo.core.access.can_read``.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from kpo.core.access import AccessControlled, can_read


def page_read_guard(
    request: HttpRequest,
    item: AccessControlled | None = None,
    *,
    login_for_anonymous: bool = True,
) -> HttpResponse | None:
    """``None`` when the reader may read ``item`` (without an item: when logged in); otherwise a
    login redirect for an anonymous reader, or ``Http404``. ``login_for_anonymous=False`` answers
    404 to anonymous readers too (items whose existence is itself private, such as content of a
    closed community)."""
    if item is None:
        if request.user.is_authenticated:
            return None
    elif can_read(request.user, item):
        return None
    if login_for_anonymous and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404
