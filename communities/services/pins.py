"""A community's own landing text and its pinned resources, managed by its managers.

The landing text is rich text made safe with the one sanitizer (``communities.sanitize``) when it
is saved. A pin is added from a link: a thread or file of this community, a page of this site
(a knowledge document: any page that carries the access rule) or an outside http(s) link. The
manager must be able to read what they pin; readers see a pin only when the access rule lets
them read its target (``selectors.community_pins_for_user``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from communities.models import Attachment, Community, CommunityPin, Thread
from communities.sanitize import html_to_text, sanitize_html
from communities.services.rights import require_manager
from kpo.core.access import AccessControlled, can_read
from kpo.core.converters import MAX_ID

if TYPE_CHECKING:
    from kpo.accounts.models import User

MAX_PINS = 12
LANDING_TEXT_MAX = 20_000


@transaction.atomic
def community_landing_update(*, community: Community, actor: User, landing_text: str) -> Community:
    """Set the community's landing text (managers); stored sanitised, empty to remove it."""
    require_manager(community, actor)
    clean = sanitize_html(landing_text or "")
    if not html_to_text(clean).strip():
        clean = ""
    if len(clean) > LANDING_TEXT_MAX:
        raise ValidationError({"landing_text": _("De tekst is te lang (maximaal 20.000 tekens).")})
    community.landing_text = clean
    community.save(update_fields=["landing_text", "updated_at"])
    return community


def _own_host(netloc: str) -> bool:
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return any(host == h.lstrip(".") or (h.startswith(".") and host.endswith(h)) for h in hosts)


def _page_for_path(path: str) -> Page | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    parts = [p for p in path.split("/") if p]
    url_path = site.root_page.url_path + ("/".join(parts) + "/" if parts else "")
    return Page.objects.filter(url_path=url_path, live=True).first()


def _target(*, community: Community, actor: User, link: str) -> dict[str, object]:
    """What a pasted link points at, as the fields of a pin (refused: ``ValidationError``)."""
    unknown = ValidationError(
        {
            "link": _(
                "Deze link wijst niet naar een onderwerp, bestand of kennisdocument dat je kunt "
                "lezen."
            )
        }
    )
    parts = urlsplit(link)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ValidationError({"link": _("Gebruik een link die met http:// of https:// begint.")})
    internal = not parts.netloc or _own_host(parts.netloc)
    if not internal:
        return {"kind": CommunityPin.Kind.LINK, "url": link}
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        match = None
    if match is not None and match.namespace == "communities":
        pk = match.kwargs.get("pk")
        if match.kwargs.get("slug") != community.slug or not isinstance(pk, int) or pk > MAX_ID:
            raise unknown
        if match.url_name == "thread":
            thread = Thread.objects.filter(
                community=community, pk=pk, is_deleted=False, is_hidden=False
            ).first()
            if thread is None or not can_read(actor, thread):
                raise unknown
            return {"kind": CommunityPin.Kind.THREAD, "thread": thread}
        if match.url_name == "attachment":
            attachment = Attachment.objects.filter(community=community, pk=pk).first()
            if attachment is None or not can_read(actor, attachment):
                raise unknown
            return {"kind": CommunityPin.Kind.FILE, "attachment": attachment}
        raise unknown
    page = _page_for_path(parts.path)
    if page is None:
        raise unknown
    specific = page.specific
    if not isinstance(specific, AccessControlled) or not can_read(actor, specific):
        raise unknown
    return {"kind": CommunityPin.Kind.PAGE, "page": page}


@transaction.atomic
def community_pin_add(
    *, community: Community, actor: User, link: str, title: str = ""
) -> CommunityPin:
    """Pin a resource on the community page (managers), at the end of the list."""
    require_manager(community, actor)
    link = (link or "").strip()
    title = (title or "").strip()[:200]
    if not link:
        raise ValidationError({"link": _("Plak de link van wat je wilt vastzetten.")})
    if len(link) > 500:
        raise ValidationError({"link": _("De link is te lang.")})
    if community.pins.count() >= MAX_PINS:
        raise ValidationError(_("Er staan al 12 items vast; maak er eerst een los."))
    fields = _target(community=community, actor=actor, link=link)
    if fields["kind"] == CommunityPin.Kind.LINK and not title:
        raise ValidationError({"title": _("Geef een link naar buiten een titel.")})
    if community.pins.filter(**{k: v for k, v in fields.items() if k != "kind"}).exists():
        raise ValidationError({"link": _("Dit staat al vast.")})
    position = (community.pins.aggregate(m=Max("position"))["m"] or 0) + 1
    return CommunityPin.objects.create(
        community=community, pinned_by=actor, title=title, position=position, **fields
    )


@transaction.atomic
def community_pin_remove(*, pin: CommunityPin, actor: User) -> None:
    """Unpin (managers)."""
    require_manager(pin.community, actor)
    pin.delete()
