"""Audit entries for memberships, join requests, workflow decisions, admin user changes and
privacy requests; searchable and exportable by platform admins only."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory

from communities.models import Membership
from kpo.audit.middleware import AuditRequestMiddleware
from kpo.audit.models import AuditEntry
from kpo.audit.services import audit_record
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.security.conftest import totp_token

pytestmark = pytest.mark.django_db


def _actions(**filters):
    return list(
        AuditEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def test_membership_and_role_changes_and_join_decisions_are_audited():
    membership = MembershipFactory(state=Membership.State.REQUESTED)
    membership.state = Membership.State.ACTIVE
    membership.save()
    membership.role = Membership.Role.MODERATOR
    membership.save()
    pk = str(membership.pk)
    membership.delete()
    assert _actions(target_type="communities.membership", target_id=pk) == [
        "membership.created",
        "membership.state_changed",
        "membership.role_changed",
        "membership.deleted",
    ]
    entry = AuditEntry.objects.get(action="membership.role_changed", target_id=pk)
    assert entry.data["old_role"] == "member" and entry.data["role"] == "moderator"


def test_join_request_decision_is_audited():
    JoinRequest = apps.get_model("communities", "JoinRequest")
    manager = UserFactory()
    request = JoinRequest.objects.create(community=CommunityFactory(), user=UserFactory())
    request.status = "rejected"
    request.decided_by = manager
    request.save()
    entry = AuditEntry.objects.get(action="join_request.rejected", target_id=str(request.pk))
    assert entry.actor == manager


def test_workflow_decisions_are_audited(corpus):
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowTask

    editor = UserFactory(is_superuser=True)
    page = Page.objects.filter(depth=2).first().specific
    workflow = Workflow.objects.create(name="Test")
    task = GroupApprovalTask.objects.create(name="Redactie")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    page.save_revision(user=editor)
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    state = workflow.start(page, editor)
    state.current_task_state.approve(user=editor)
    actions = _actions(action__startswith="workflow.", id__gt=last)
    assert sorted(actions) == ["workflow.approved", "workflow.submitted", "workflow.task_approved"]
    assert AuditEntry.objects.filter(
        action="workflow.approved", actor=editor, target_id=str(page.pk)
    ).exists()


def test_admin_changes_to_users_are_audited_and_other_changes_are_not():
    admin = UserFactory(is_superuser=True)
    target = UserFactory()
    request = RequestFactory().post(f"/admin/users/{target.pk}/")
    request.user = admin

    def change(_request):
        target.is_active = False
        target.save()
        return HttpResponse()

    AuditRequestMiddleware(change)(request)
    entry = AuditEntry.objects.get(action="user.admin_changed", target_id=str(target.pk))
    assert entry.actor == admin and entry.data["changes"]["is_active"] == [True, False]
    target.first_name = "Elders"
    target.save()  # not from the admin: no entry
    assert AuditEntry.objects.filter(action="user.admin_changed").count() == 1


def test_audit_log_is_searchable_and_exportable_by_platform_admins(client, totp_device):
    audit_record(
        actor=None,
        action="document.restricted_download",
        target_label="Vertrouwelijk rapport",
        data={"document_id": 7},
    )
    admin = UserFactory(is_superuser=True, is_staff=True)
    device = totp_device(admin)
    client.force_login(admin)
    client.post("/account/tweestapsverificatie/controleren/", {"token": totp_token(device)})
    listing = client.get("/admin/auditlog/", {"q": "Vertrouwelijk"})
    assert listing.status_code == 200
    assert "Vertrouwelijk rapport" in listing.content.decode()
    export = client.get("/admin/auditlog/", {"export": "csv"})
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "document.restricted_download" in body


def test_audit_log_is_hidden_from_other_staff(client, totp_device):
    editor = UserFactory(groups=["Redacteuren"], is_staff=True)
    device = totp_device(editor)
    client.force_login(editor)
    client.post("/account/tweestapsverificatie/controleren/", {"token": totp_token(device)})
    response = client.get("/admin/auditlog/")
    assert response.status_code in (302, 403)


def test_restricted_file_downloads_are_audited(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from communities import services
    from communities.models import Community

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    community = CommunityFactory(visibility=Community.Visibility.CLOSED)
    member = UserFactory()
    MembershipFactory(user=member, community=community)
    thread = services.thread_create(
        community=community, author=member, title="Stukken", body="<p>Zie bijlage</p>"
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = services.attachment_create(
        community=community,
        user=member,
        uploaded=SimpleUploadedFile("verslag.pdf", pdf),
        thread=thread,
    )
    client.force_login(member)
    response = client.get(f"/communities/{community.slug}/bestanden/{attachment.pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="document.restricted_download")
    assert entry.actor == member and entry.data["filename"] == "verslag.pdf"
    assert "sandbox" in response["Content-Security-Policy"]
