"""Admin configuration of communities: snippets (communities, join requests, moderation log) and
the insight view per community.

One write path: the admin's create and edit views call the same services as the front end and the
API (``community_create``/``community_update``, ``join_request_decide``), so the creator rights,
the creator-as-manager step, notifications, the moderation log and the audit log are the same
wherever a change is made. The moderation log is read-only; join requests are only decided here
(never added, copied or deleted)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from communities import admin_views, services
from communities.models import Community, JoinRequest, ModerationLog
from kpo.core.access import has_staff_role


class ServiceFormMixin:
    """Admin create/edit views whose ``save_instance`` calls a service: a ``ValidationError`` or
    ``PermissionDenied`` from it is shown on the form (nothing is written)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Je mag dit niet doen."))
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class CommunityCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        community = services.community_create(
            actor=self.request.user,
            name=data["name"],
            slug=data.get("slug") or "",
            description=data.get("description") or "",
            visibility=data["visibility"],
            themes=data.get("themes") or (),
            regions=data.get("regions") or (),
        )
        self.form.instance = community
        return community


class CommunityEditView(ServiceFormMixin, EditView):
    def get_form_class(self):
        base = super().get_form_class()

        class CommunityEditForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "slug" in self.fields:  # the community's address: fixed once created
                    self.fields["slug"].disabled = True

        return CommunityEditForm

    def save_instance(self):
        data = self.form.cleaned_data
        return services.community_update(
            community=Community.objects.get(pk=self.object.pk),
            actor=self.request.user,
            name=data["name"],
            description=data.get("description") or "",
            visibility=data["visibility"],
            themes=data.get("themes") or (),
            regions=data.get("regions") or (),
        )


class CommunityViewSet(SnippetViewSet):
    model = Community
    pk_path_converter = "id"  # bounded to bigint: a huge id is a 404, never a 500
    icon = "group"
    menu_label = _("Communities")
    list_display = ["name", "visibility", "slug", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "description"]
    add_view_class = CommunityCreateView
    edit_view_class = CommunityEditView
    copy_view_enabled = False

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("visibility"),
        FieldPanel("themes"),
        FieldPanel("regions"),
    ]


class JoinRequestEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        status = data["status"]
        if status not in (JoinRequest.Status.APPROVED, JoinRequest.Status.REJECTED):
            raise ValidationError({"status": _("Kies goedkeuren of afwijzen.")})
        return services.join_request_decide(
            join_request=JoinRequest.objects.get(pk=self.object.pk),
            actor=self.request.user,
            approve=status == JoinRequest.Status.APPROVED,
            message=data.get("decision_message") or "",
        )


class DecideOnlyPolicy(ModelPermissionPolicy):
    """Join requests are made by members and decided here: never added or deleted in the admin."""

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The moderation log is a record: viewing only."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class JoinRequestViewSet(SnippetViewSet):
    model = JoinRequest
    pk_path_converter = "id"  # bounded to bigint: a huge id is a 404, never a 500
    icon = "user"
    menu_label = _("Lidmaatschapsverzoeken")
    list_display = ["user", "community", "status", "created_at"]
    list_filter = ["status"]
    edit_view_class = JoinRequestEditView
    copy_view_enabled = False
    panels = [
        FieldPanel("community", read_only=True),
        FieldPanel("user", read_only=True),
        FieldPanel("motivation", read_only=True),
        FieldPanel("status"),
        FieldPanel("decision_message"),
    ]


class ModerationLogViewSet(SnippetViewSet):
    model = ModerationLog
    icon = "warning"
    menu_label = _("Moderatielogboek")
    list_display = ["community", "action", "actor", "note", "created_at"]
    list_filter = ["action"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [FieldPanel("note", read_only=True)]  # the policy forbids add and edit anyway


class CommunitiesGroup(ViewSetGroup):
    menu_label = _("Communities")
    menu_icon = "group"
    menu_order = 260
    items = (CommunityViewSet, JoinRequestViewSet, ModerationLogViewSet)


# The policies are registered for the models (Wagtail 8), so every admin view of them, and any
# other code asking Wagtail for the model's policy, gets the same rule.
register_permission_policy(JoinRequest, DecideOnlyPolicy(JoinRequest), exact_class=True)
register_permission_policy(ModerationLog, ReadOnlyPolicy(ModerationLog), exact_class=True)
register_snippet(CommunitiesGroup)


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
