"""Admin hooks of the publication guards (``kpo.core.publication``): refuse an unapproved publish
before Wagtail writes anything more, and do not offer "Publiceren" where it would be refused."""

from __future__ import annotations

from wagtail import hooks

from kpo.core.publication import GuardedPublicationMixin, PublicationRefused


def _needs_approval(page) -> bool:
    page = page.specific if hasattr(page, "specific") else page
    return isinstance(page, GuardedPublicationMixin) and page.publication_rule_applies(None)


@hooks.register("before_publish_page")
def refuse_unapproved_publication(request, page):
    """The create and edit views call this after saving the revision and before publishing it:
    refuse there (the admin request is then rolled back, see ``AdminAtomicMiddleware``), so a
    refused create leaves no page behind."""
    page = page.specific
    if not _needs_approval(page):
        return None
    revision = page.get_latest_revision()
    if page.permissions_for_user(request.user).can_publish() and page.publication_approved(
        revision
    ):
        return None
    raise PublicationRefused(page.publication_refused_message)


@hooks.register("construct_page_action_menu")
def hide_refused_publish(menu_items, request, context):
    """No "Publiceren" where the guard would refuse the revision this user saves (the button
    would only answer "geen toegang"): the edit view publishes a new revision of the user's."""
    page = context.get("page")
    if page is None or not _needs_approval(page):
        return
    if page.specific.own_revision_approved(request.user):
        return
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]
