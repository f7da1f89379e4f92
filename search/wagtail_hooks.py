"""Admin for search: the editors' report "Zoekvragen zonder resultaat", the nightly index checks
and the indexing outbox. All read-only: these rows are written by the system, never by hand."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.admin_views import synonym_preview_view
from search.models import ReconcileRun, SearchOutbox, SearchQueryLog, SynonymSet


class ReadOnlyPolicy(ModelPermissionPolicy):
    """View for staff with the model's view permission (or change permission); never write."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "copy"):
            return False
        if action in ("view", "inspect"):
            return bool(user.is_active and user.is_staff) and (
                user.is_superuser
                or super().user_has_permission(user, "view")
                or super().user_has_permission(user, "change")
            )
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields: list[str] = []


class SearchQueryLogViewSet(ReadOnlyViewSet):
    model = SearchQueryLog
    icon = "search"
    menu_label = _("Zoekvragen zonder resultaat")
    list_display = ["query", "result_count", "times", "day"]
    list_filter = ["day", "result_count"]
    search_fields = ["query"]
    ordering = ["-day", "-times"]


class ReconcileRunViewSet(ReadOnlyViewSet):
    model = ReconcileRun
    icon = "tasks"
    menu_label = _("Indexcontroles")
    list_display = ["started_at", "ok", "checked", "missing", "stale", "orphaned", "repaired"]
    list_filter = ["ok"]
    ordering = ["-started_at"]


class SearchOutboxViewSet(ReadOnlyViewSet):
    model = SearchOutbox
    icon = "list-ul"
    menu_label = _("Zoekindex-wachtrij")
    list_display = ["doc_id", "action", "version", "attempts", "created_at", "last_error"]
    ordering = ["id"]


class SearchViewSetGroup(ViewSetGroup):
    menu_label = _("Zoeken")
    menu_icon = "search"
    menu_order = 900
    items = (SearchQueryLogViewSet, ReconcileRunViewSet, SearchOutboxViewSet)


for _model in (SearchQueryLog, ReconcileRun, SearchOutbox):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


@hooks.register("register_admin_viewset")
def register_search_viewsets():
    return SearchViewSetGroup()


class SynonymSetViewSet(SnippetViewSet):
    """Editors' synonyms. Saving one rebuilds the index behind the alias when its synonym data
    changed (``search.signal_handlers``); the preview shows what a query expands to."""

    model = SynonymSet
    icon = "list-ul"
    menu_label = _("Synoniemen")
    add_to_admin_menu = False
    list_display = ["name", "kind", "terms", "expansions", "active", "updated_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


register_snippet(SynonymSetViewSet)


@hooks.register("register_admin_urls")
def register_synonym_preview_url():
    return [path("zoeken/synoniemen-testen/", synonym_preview_view, name="search_synonym_preview")]


@hooks.register("register_admin_menu_item")
def register_synonym_preview_menu_item():
    return MenuItem(
        _("Synoniemen testen"),
        reverse("search_synonym_preview"),
        icon_name="search",
        order=905,
    )
