"""The audit log in the Wagtail admin: searchable, filterable and exportable (CSV/XLSX) by
platform admins only; nobody can add, change or delete entries there."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from kpo.audit.models import AuditEntry
from kpo.security.roles import is_platform_admin


class AuditPermissionPolicy(BasePermissionPolicy):
    """Platform admins may view; no one may add, change or delete."""

    def user_has_permission(self, user, action):
        return action in {"view", "export"} and is_platform_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return AuditEntry.objects.all()
        return AuditEntry.objects.none()


register_permission_policy(AuditEntry, AuditPermissionPolicy(AuditEntry))


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Auditlog")
    menu_order = 900
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["created_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = {"action": ["exact"], "target_type": ["exact"], "created_at": ["gte", "lte"]}
    search_fields = ["actor_label", "action", "target_label", "target_id", "target_type"]
    search_backend_name = None
    list_export = [
        "created_at",
        "actor_id",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "data",
        "ip_address",
    ]
    export_filename = "kpo-auditlog"
    form_fields = ["action"]  # required by ModelViewSet; the policy forbids add and edit
    ordering = ["-created_at", "-id"]

    def get_permissions_to_register(self):
        from django.contrib.auth.models import Permission

        return Permission.objects.none()


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet("auditlog")
