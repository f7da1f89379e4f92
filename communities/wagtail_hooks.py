"""Admin configuration of communities: snippets (communities, join requests, moderation log) and
the insight view per community. Admin writes go through the same indexing as the services."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from communities import admin_views
from communities.models import Community, JoinRequest, ModerationLog
from kpo.core.access import has_staff_role


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    menu_label = _("Communities")
    list_display = ["name", "visibility", "slug", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "description"]
    form_fields = ["name", "slug", "description", "visibility", "themes", "regions"]


class JoinRequestViewSet(SnippetViewSet):
    model = JoinRequest
    icon = "user"
    menu_label = _("Lidmaatschapsverzoeken")
    list_display = ["user", "community", "status", "created_at"]
    list_filter = ["status"]
    form_fields = ["status", "decision_message"]


class ModerationLogViewSet(SnippetViewSet):
    model = ModerationLog
    icon = "warning"
    menu_label = _("Moderatielogboek")
    list_display = ["community", "action", "actor", "created_at"]
    list_filter = ["action"]
    form_fields = ["note"]


class CommunitiesGroup(ViewSetGroup):
    menu_label = _("Communities")
    menu_icon = "group"
    menu_order = 260
    items = (CommunityViewSet, JoinRequestViewSet, ModerationLogViewSet)


register_snippet(CommunitiesGroup)


def _reindex(instance) -> None:
    if isinstance(instance, Community):
        from communities.services import _reindex_community

        _reindex_community(instance)


@hooks.register("after_create_snippet")
def index_created_community(request, instance):
    _reindex(instance)


@hooks.register("after_edit_snippet")
def index_edited_community(request, instance):
    _reindex(instance)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("communities/inzicht/", admin_views.insight_index, name="communities_insight_index"),
        path("communities/inzicht/<id:pk>/", admin_views.insight, name="communities_insight"),
    ]


class InsightMenuItem(MenuItem):
    def is_shown(self, request):
        return has_staff_role(request.user, "communitymanager")


@hooks.register("register_admin_menu_item")
def register_insight_menu_item():
    return InsightMenuItem(
        _("Community-inzicht"), reverse("communities_insight_index"), icon_name="group", order=265
    )
