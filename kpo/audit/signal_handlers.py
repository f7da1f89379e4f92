"""Audit entries for changes made in other apps, recorded from their model signals.

Connected in ``AuditConfig.ready()``. Which pillar models are audited is declared by the pillar
(``audited_models`` on its AppConfig, see ``audited_models()``), so the core imports none.
Handlers never raise into the caller's write: a failure is logged (the write itself matters more
than its audit entry), but the entry is written in the caller's transaction so a rolled-back
change leaves no entry.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from kpo.audit.context import current_request, is_suppressed

logger = logging.getLogger("kpo.audit")

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
USER_AUDITED_FIELDS = ("email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")


def _request_actor():
    request = current_request()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def _record(**kwargs) -> None:
    if is_suppressed():
        return
    from kpo.audit.services import audit_record

    try:
        audit_record(**kwargs)
    except Exception:  # noqa: BLE001 - never break the caller's write over its audit entry
        logger.exception("Could not record audit entry %s", kwargs.get("action"))


# --- membership (communities.Membership) ----------------------------------------------------------


def _membership_label(m) -> str:
    return f"Lidmaatschap #{m.pk} in {m.community}"


def membership_pre_save(sender, instance, **kwargs):
    old = None
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values("role", "state").first()
    instance._audit_old = old


def membership_post_save(sender, instance, created, **kwargs):
    data = {
        "user_id": instance.user_id,
        "community_id": instance.community_id,
        "role": instance.role,
        "state": instance.state,
    }
    actor = _request_actor()
    label = _membership_label(instance)
    if created:
        _record(
            actor=actor, action="membership.created", target=instance, data=data, target_label=label
        )
        return
    old = getattr(instance, "_audit_old", None) or {}
    if old.get("role") and old["role"] != instance.role:
        _record(
            actor=actor,
            action="membership.role_changed",
            target=instance,
            data={**data, "old_role": old["role"]},
            target_label=label,
        )
    if old.get("state") and old["state"] != instance.state:
        # A join decision is recorded once, on the JoinRequest (join_request.approved/rejected);
        # the membership's own state change is recorded as what it is.
        _record(
            actor=actor,
            action="membership.state_changed",
            target=instance,
            data={**data, "old_state": old["state"]},
            target_label=label,
        )


def membership_post_delete(sender, instance, **kwargs):
    _record(
        actor=_request_actor(),
        action="membership.deleted",
        target=instance,
        data={
            "user_id": instance.user_id,
            "community_id": instance.community_id,
            "role": instance.role,
            "state": instance.state,
        },
        target_label=_membership_label(instance),
    )


# --- join_request (status pending → approved/rejected) --------------------------------------------


def join_request_pre_save(sender, instance, **kwargs):
    instance._audit_old_status = (
        sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if instance.pk
        else None
    )


def join_request_post_save(sender, instance, created, **kwargs):
    old = getattr(instance, "_audit_old_status", None)
    status = getattr(instance, "status", None)
    if created or old == status or status not in {"approved", "rejected"}:
        return
    actor = getattr(instance, "decided_by", None) or _request_actor()
    _record(
        actor=actor,
        action=f"join_request.{status}",
        target=instance,
        data={
            "user_id": instance.user_id,
            "community_id": instance.community_id,
            "old_status": old,
        },
        target_label=f"Lidmaatschapsverzoek #{instance.pk} voor {instance.community}",
    )


# --- moderation (every moderation action) ---------------------------------------------------------


def moderation_post_save(sender, instance, created, **kwargs):
    if not created:
        return
    target = instance.reply or instance.thread or instance.community
    _record(
        actor=instance.actor,
        action=f"moderation.{instance.action}",
        target=target,
        data={
            "community_id": instance.community_id,
            "thread_id": instance.thread_id,
            "reply_id": instance.reply_id,
            "target_user_id": instance.target_user_id,
            "note": (instance.note or "")[:500],
        },
        target_label=f"{target._meta.verbose_name} #{target.pk} in {instance.community}",
    )


# --- Wagtail workflows ----------------------------------------------------------------------------


def _workflow_target(state):
    obj = getattr(state, "content_object", None)
    if obj is None:
        obj = getattr(getattr(state, "workflow_state", None), "content_object", None)
    return obj


def _workflow_handler(action: str):
    def handler(sender, instance, user=None, **kwargs):
        target = _workflow_target(instance)
        data = {"state_id": instance.pk}
        workflow = getattr(instance, "workflow", None) or getattr(
            getattr(instance, "workflow_state", None), "workflow", None
        )
        if workflow is not None:
            data["workflow"] = str(workflow)
        task = getattr(instance, "task", None)
        if task is not None:
            data["task"] = str(task)
        comment = getattr(instance, "comment", "")
        if comment:
            data["comment"] = comment[:1000]
        _record(actor=user, action=action, target=target, data=data)

    handler.__name__ = f"audit_{action.replace('.', '_')}"
    return handler


# --- admin changes to users -----------------------------------------------------------------------


def _in_admin() -> bool:
    request = current_request()
    return request is not None and request.path.startswith(ADMIN_PREFIXES)


def user_pre_save(sender, instance, **kwargs):
    if not _in_admin() or not instance.pk:
        instance._audit_old = None
        return
    instance._audit_old = sender.objects.filter(pk=instance.pk).values(*USER_AUDITED_FIELDS).first()


def user_post_save(sender, instance, created, **kwargs):
    if not _in_admin():
        return
    old = getattr(instance, "_audit_old", None) or {}
    changes = {
        name: [old.get(name), getattr(instance, name)]
        for name in USER_AUDITED_FIELDS
        if not created and old.get(name) != getattr(instance, name)
    }
    if not created and not changes:
        return
    _record(
        actor=_request_actor(),
        action="user.admin_changed",
        target=instance,
        data={"created": created, "changes": changes},
        target_label=instance.email,
    )


def user_groups_changed(sender, instance, action, pk_set, model, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or not _in_admin():
        return
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if not isinstance(instance, user_model):
        return
    _record(
        actor=_request_actor(),
        action="user.admin_groups_changed",
        target=instance,
        data={
            "change": action.removeprefix("post_"),
            "groups": sorted(
                model.objects.filter(pk__in=pk_set or []).values_list("name", flat=True)
            ),
        },
        target_label=instance.email,
    )


def audited_models() -> dict[str, type]:
    """``{audit kind: model}`` from every app's ``audited_models`` declaration (its AppConfig maps
    a model label to one of the kinds this module audits: ``membership``, ``join_request``,
    ``moderation``). The core never imports a pillar (docs/decisions/0018)."""
    found: dict[str, type] = {}
    for config in apps.get_app_configs():
        for label, kind in getattr(config, "audited_models", {}).items():
            found[kind] = apps.get_model(label)
    return found


def connect() -> None:
    from wagtail import signals as wagtail_signals

    models = audited_models()
    if (membership := models.get("membership")) is not None:
        pre_save.connect(membership_pre_save, sender=membership, dispatch_uid="audit-m-pre")
        post_save.connect(membership_post_save, sender=membership, dispatch_uid="audit-m-post")
        post_delete.connect(membership_post_delete, sender=membership, dispatch_uid="audit-m-del")

    if (join_request := models.get("join_request")) is not None:
        pre_save.connect(join_request_pre_save, sender=join_request, dispatch_uid="audit-jr-pre")
        post_save.connect(join_request_post_save, sender=join_request, dispatch_uid="audit-jr")

    if (moderation_log := models.get("moderation")) is not None:
        post_save.connect(moderation_post_save, sender=moderation_log, dispatch_uid="audit-mod")

    for signal, action in (
        (wagtail_signals.workflow_submitted, "workflow.submitted"),
        (wagtail_signals.workflow_approved, "workflow.approved"),
        (wagtail_signals.workflow_rejected, "workflow.rejected"),
        (wagtail_signals.task_approved, "workflow.task_approved"),
        (wagtail_signals.task_rejected, "workflow.task_rejected"),
    ):
        signal.connect(_workflow_handler(action), dispatch_uid=f"audit-{action}", weak=False)

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    pre_save.connect(user_pre_save, sender=user_model, dispatch_uid="audit-user-pre")
    post_save.connect(user_post_save, sender=user_model, dispatch_uid="audit-user-post")
    m2m_changed.connect(
        user_groups_changed, sender=user_model.groups.through, dispatch_uid="audit-user-groups"
    )
