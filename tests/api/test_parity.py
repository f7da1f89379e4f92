"""API parity (issue #15): what a professional can do in the UI, a client can do through
``/api/v1/`` — one test per capability, each also as someone the access rule keeps out (404 for
what they may not see, 403 for what they see but may not do; never a leak, never a 500).

Real PostgreSQL and Redis; the endpoints call the same services and selectors as the web.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import WorkflowState

from communities.models import Community, Flag, Invitation, Membership, Thread
from kennisbank import services as kb_services
from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
from kpo.notifications.models import Notification, NotificationPreference
from kpo.themes.models import Theme
from tests.communities.conftest import World
from tests.factories import UserFactory
from tests.kennisbank.conftest import EXE_BYTES, pdf_bytes
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def theme(db) -> Theme:
    return Theme.objects.get(slug="vastgoed")


@pytest.fixture
def factsheet(db) -> DocumentType:
    return DocumentType.objects.get(slug="factsheet")


@pytest.fixture
def ambassador(theme):
    """A theme ambassador outside any staff group (reviews from the front end, no 2FA)."""
    user = UserFactory()
    theme.ambassadors.add(user)
    return user


def _pdf(name: str = "aanpak.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _results(response) -> list:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"count", "results"}, body  # every list is paginated
    return body["results"]


def _error(response, status: int) -> dict:
    """The problem+json body of an error (RFC 9457, ADR 0014), with ``details``: the
    ``invalid-params`` reasons per top-level field, for the assertions below."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert body["status"] == status and body["type"] and body["title"] and body["code"], body
    details: dict[str, list[str]] = {}
    for param in body.get("invalid-params", []):
        details.setdefault(param["name"].split(".")[0], []).append(param["reason"])
    return {**body, "details": details}


def _submit(user, theme, factsheet, title="Aanpak malafide verhuur") -> KnowledgeDocumentPage:
    return kb_services.document_submit(
        user=user,
        title=title,
        summary="Hoe gemeenten malafide verhuur aanpakken.",
        themes=[theme],
        doc_type=factsheet,
        file=_pdf(),
    )


# --- 1. share and follow up a knowledge contribution ---------------------------------------------


def test_share_a_contribution_follow_it_up_and_resubmit(client, theme, factsheet, ambassador):
    contributor = UserFactory()
    client.force_login(contributor)
    refused = client.post(
        "/api/v1/submissions",
        {"title": "Vermomd", "summary": "x", "themes": ["vastgoed"], "doc_type": "factsheet",
         "file": SimpleUploadedFile("vermomd.pdf", EXE_BYTES)},
    )  # fmt: skip
    assert _error(refused, 400)["details"]
    assert not KnowledgeDocumentPage.objects.filter(title="Vermomd").exists()
    invalid = client.post("/api/v1/submissions", {"title": "", "themes": ["bestaat-niet"]})
    assert set(_error(invalid, 400)["details"]) >= {"title", "summary", "themes", "file"}

    created = client.post(
        "/api/v1/submissions",
        {"title": "Aanpak malafide verhuur", "summary": "Zo pakken we het aan.",
         "themes": ["vastgoed"], "doc_type": "factsheet", "file": _pdf()},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"].startswith("In beoordeling")
    assert created.json()["can_edit"] is False
    page = KnowledgeDocumentPage.objects.get(pk=pk)
    assert page.owner == contributor and not page.live
    assert [s["id"] for s in _results(client.get("/api/v1/submissions"))] == [pk]

    # The ambassador asks for changes (through the API); the contributor sees it and resubmits.
    client.force_login(ambassador)
    asked = client.post(
        f"/api/v1/reviews/{pk}",
        {"action": "request_changes", "comment": "Voeg de bronnen toe."},
        content_type="application/json",
    )
    assert asked.status_code == 200, asked.content
    client.force_login(contributor)
    detail = client.get(f"/api/v1/submissions/{pk}").json()
    assert detail["can_edit"] is True and detail["status"].startswith("Wijzigingen gevraagd")
    assert [c["comment"] for c in detail["comments"]] == ["Voeg de bronnen toe."]
    again = client.post(
        f"/api/v1/submissions/{pk}/resubmit",
        {"title": "Aanpak malafide verhuur (met bronnen)", "summary": "Met bronnen.",
         "themes": ["vastgoed"], "doc_type": "factsheet"},
    )  # fmt: skip
    assert again.status_code == 200, again.content
    assert again.json()["status"].startswith("In beoordeling") and not again.json()["can_edit"]
    assert again.json()["title"] == "Aanpak malafide verhuur (met bronnen)"
    # Resubmitting while nobody asked for changes is refused.
    assert _error(
        client.post(
            f"/api/v1/submissions/{pk}/resubmit",
            {"title": "X", "summary": "Y", "themes": ["vastgoed"], "doc_type": "factsheet"},
        ),
        403,
    )

    # Someone else: not listed, 404 on the detail and on resubmitting, nothing changes.
    client.force_login(UserFactory())
    assert _results(client.get("/api/v1/submissions")) == []
    assert _error(client.get(f"/api/v1/submissions/{pk}"), 404)["code"] == "not_found"
    stranger = client.post(
        f"/api/v1/submissions/{pk}/resubmit",
        {"title": "Overgenomen", "summary": "x", "themes": ["vastgoed"], "doc_type": "factsheet"},
    )
    _error(stranger, 404)
    assert (
        "Overgenomen"
        not in KnowledgeDocumentPage.objects.get(pk=pk).get_latest_revision_as_object().title
    )
    client.logout()
    assert client.get("/api/v1/submissions").status_code in (401, 403)


def test_sharing_in_a_community_needs_an_active_membership(client, world, theme, factsheet):
    client.force_login(world.outsider)
    refused = client.post(
        "/api/v1/submissions",
        {"title": "Alleen voor leden", "summary": "x", "themes": ["vastgoed"],
         "doc_type": "factsheet", "file": _pdf(), "community": world.secret.slug},
    )  # fmt: skip
    assert "community" in _error(refused, 400)["details"]
    assert not KnowledgeDocumentPage.objects.filter(title="Alleen voor leden").exists()
    client.force_login(world.member)
    shared = client.post(
        "/api/v1/submissions",
        {"title": "Alleen voor leden", "summary": "x", "themes": ["vastgoed"],
         "doc_type": "factsheet", "file": _pdf(), "community": world.secret.slug},
    )  # fmt: skip
    assert shared.status_code == 201, shared.content
    assert KnowledgeDocumentPage.objects.get(pk=shared.json()["id"]).community == world.secret


# --- 2. review actions of ambassadors and the board; periodic re-assessment ----------------------


def test_ambassador_and_board_review_through_the_api(client, theme, factsheet, ambassador):
    page = _submit(UserFactory(), theme, factsheet)
    board = UserFactory(groups=["Redactieraad"])

    # Not a reviewer of this step: empty queue, 404 on the document, no action possible.
    for outsider in (UserFactory(), board):
        admin_login(client, outsider)
        assert _results(client.get("/api/v1/reviews")) == []
        _error(client.get(f"/api/v1/reviews/{page.pk}"), 404)
        _error(client.post(f"/api/v1/reviews/{page.pk}", {"action": "approve"}), 404)

    client.force_login(ambassador)
    queue = _results(client.get("/api/v1/reviews"))
    assert [(r["id"], r["workflow"]) for r in queue] == [(page.pk, "Redactieraad")]
    detail = client.get(f"/api/v1/reviews/{page.pk}").json()
    assert detail["actions"] == ["approve", "request_changes"]
    assert len(detail["attachments"]) == 1
    assert client.get(detail["attachments"][0]["download_url"]).status_code == 200
    no_comment = client.post(f"/api/v1/reviews/{page.pk}", {"action": "request_changes"})
    assert "comment" in _error(no_comment, 400)["details"]
    assert (
        "action"
        in _error(client.post(f"/api/v1/reviews/{page.pk}", {"action": "x"}), 400)["details"]
    )
    assert client.post(f"/api/v1/reviews/{page.pk}", {"action": "approve"}).status_code == 200

    # The board decides by quorum (default two), each vote with scores and a rationale.
    admin_login(client, board)
    assert [r["task"] for r in _results(client.get("/api/v1/reviews"))] == ["Redactieraad"]
    unscored = client.post(f"/api/v1/reviews/{page.pk}", {"action": "approve"})
    assert unscored.status_code == 400
    vote = {"action": "approve", "comment": "Betrouwbaar.", "relevance": 4, "reliability": 5}
    assert client.post(f"/api/v1/reviews/{page.pk}", vote).status_code == 200
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live  # one of two votes
    admin_login(client, UserFactory(groups=["Redactieraad"]))
    assert client.post(f"/api/v1/reviews/{page.pk}", vote).status_code == 200
    assert KnowledgeDocumentPage.objects.get(pk=page.pk).live
    _error(client.get(f"/api/v1/reviews/{page.pk}"), 404)  # nothing left to review


def test_the_board_can_send_a_submission_back(client, theme, factsheet, ambassador):
    contributor = UserFactory()
    page = _submit(contributor, theme, factsheet)
    kb_services.document_review_action(page=page, user=ambassador, action="approve")
    admin_login(client, UserFactory(groups=["Redactieraad"]))
    response = client.post(
        f"/api/v1/reviews/{page.pk}",
        {
            "action": "request_changes",
            "comment": "Niet geschikt voor publicatie.",
            "relevance": 2,
            "reliability": 2,
        },
    )
    assert response.status_code == 200
    state = kb_services.document_active_workflow_state(page)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live


def _live_document(theme, factsheet, *, reviewed: datetime.date) -> KnowledgeDocumentPage:
    page = KnowledgeDocumentPage(
        title="Handreiking vastgoed", summary="Samenvatting", doc_type=factsheet, year=2024,
        last_reviewed_at=reviewed,
    )  # fmt: skip
    page.next_review_due = page.due_date_after(reviewed)
    page.themes = [theme]
    KennisbankIndexPage.objects.get().add_child(instance=page)
    return kb_services.document_import_published(page=page)


def test_periodic_reassessment_through_the_api(client, theme, factsheet, ambassador):
    today = timezone.localdate()
    page = _live_document(theme, factsheet, reviewed=today - datetime.timedelta(days=800))
    kb_services.document_review_cycle(today=today)
    assert kb_services.document_active_workflow_state(page).workflow.name == "Herbeoordeling"

    client.force_login(ambassador)
    queue = _results(client.get("/api/v1/reviews"))
    assert [(r["id"], r["workflow"]) for r in queue] == [(page.pk, "Herbeoordeling")]

    # Confirming "still current" is the board's: a professional (who can read it) gets a 403.
    client.force_login(UserFactory())
    _error(client.post(f"/api/v1/documents/{page.pk}/confirm-current"), 403)
    _error(client.post("/api/v1/documents/999999/confirm-current"), 404)
    admin_login(client, UserFactory(groups=["Redactieraad"]))
    confirmed = client.post(f"/api/v1/documents/{page.pk}/confirm-current")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["last_reviewed_at"] == today.isoformat()
    assert confirmed.json()["next_review_due"] > today.isoformat()
    assert kb_services.document_active_workflow_state(page) is None  # the re-assessment ended


def test_confirm_current_of_a_community_document_is_a_404_for_who_may_not_read_it(
    client, world, theme, factsheet
):
    page = _live_document(theme, factsheet, reviewed=timezone.localdate())
    KnowledgeDocumentPage.objects.filter(pk=page.pk).update(community=world.secret)
    board = UserFactory(groups=["Redactieraad"])
    admin_login(client, board)
    _error(client.post(f"/api/v1/documents/{page.pk}/confirm-current"), 404)


# --- 3. notifications ----------------------------------------------------------------------------


def test_notifications_list_mark_read_and_preferences(client, world):
    member = world.member
    mine = Notification.objects.create(recipient=member, kind="reply", title="Nieuw antwoord")
    Notification.objects.create(recipient=member, kind="reply", title="Tweede")
    hidden = Notification.objects.create(
        recipient=world.outsider, kind="flag", title="Over een geheime community",
        community=world.secret,
    )  # fmt: skip
    theirs = Notification.objects.create(recipient=world.outsider, kind="x", title="Van een ander")

    client.force_login(member)
    titles = [n["title"] for n in _results(client.get("/api/v1/notifications"))]
    assert sorted(titles) == ["Nieuw antwoord", "Tweede"]
    read = client.post(f"/api/v1/notifications/{mine.pk}/read")
    assert read.status_code == 200 and read.json() == {"marked": 1, "unread": 1}
    _error(client.post(f"/api/v1/notifications/{theirs.pk}/read"), 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 1, "unread": 0}

    prefs = client.get("/api/v1/notifications/preferences").json()
    assert prefs["email_mode"] == "instant"
    assert {row["community"] for row in prefs["communities"]} == {
        world.open.slug, world.closed.slug, world.secret.slug,
    }  # fmt: skip
    changed = client.patch(
        "/api/v1/notifications/preferences",
        {
            "email_mode": "daily",
            "communities": [{"community": world.closed.slug, "email_mode": "off"}],
        },
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    by_slug = {row["community"]: row["email_mode"] for row in changed.json()["communities"]}
    assert by_slug == {
        world.open.slug: "daily",
        world.closed.slug: "off",
        world.secret.slug: "daily",
    }
    assert (
        NotificationPreference.objects.get(user=member, community=world.closed).email_mode == "off"
    )
    bad = client.patch(
        "/api/v1/notifications/preferences", {"email_mode": "soms"}, content_type="application/json"
    )
    assert "email_mode" in _error(bad, 400)["details"]

    # The outsider: a notification about a community they cannot read is not listed; a
    # preference for it is refused without saying whether it exists.
    client.force_login(world.outsider)
    titles = [n["title"] for n in _results(client.get("/api/v1/notifications"))]
    assert titles == ["Van een ander"] and hidden.title not in titles
    refused = client.patch(
        "/api/v1/notifications/preferences",
        {"communities": [{"community": world.secret.slug, "email_mode": "off"}]},
        content_type="application/json",
    )
    assert "communities" in _error(refused, 400)["details"]
    assert not NotificationPreference.objects.filter(user=world.outsider).exists()


# --- 4. events and RSVP --------------------------------------------------------------------------


def test_events_and_rsvp(client, world):
    base = f"/api/v1/communities/{world.closed.slug}/events"
    starts = (timezone.now() + datetime.timedelta(days=7)).isoformat()
    client.force_login(world.member)
    _error(client.post(base, {"title": "Niet van mij", "starts_at": starts}), 403)

    admin_login(client, world.manager)
    bad = client.post(base, {"title": "", "starts_at": "gisteren"})
    assert set(_error(bad, 400)["details"]) >= {"title", "starts_at"}
    created = client.post(
        base, {"title": "Regiobijeenkomst", "starts_at": starts, "capacity": 1},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert (
        client.put(
            f"{base}/{slug}/rsvp", {"answer": "yes"}, content_type="application/json"
        ).status_code
        == 200
    )

    client.force_login(world.member)
    assert [e["slug"] for e in _results(client.get(base))] == [slug]
    full = client.put(f"{base}/{slug}/rsvp", {"answer": "yes"}, content_type="application/json")
    assert full.status_code == 200 and full.json() == {"answer": "waiting"}  # the waiting list
    _error(
        client.put(f"{base}/{slug}/rsvp", {"answer": "graag"}, content_type="application/json"), 400
    )
    maybe = client.put(f"{base}/{slug}/rsvp", {"answer": "maybe"}, content_type="application/json")
    assert maybe.status_code == 200 and maybe.json() == {"answer": "maybe"}
    detail = client.get(f"{base}/{slug}").json()
    assert detail["my_answer"] == "maybe"
    assert detail["counts"] == {"yes": 1, "no": 0, "maybe": 1, "waiting": 0}
    _error(
        client.patch(f"{base}/{slug}", {"title": "Gekaapt"}, content_type="application/json"), 403
    )

    # A non-member of the closed community: 404 on the list, the event and the RSVP.
    client.force_login(world.outsider)
    _error(client.get(base), 404)
    _error(client.get(f"{base}/{slug}"), 404)
    _error(
        client.put(f"{base}/{slug}/rsvp", {"answer": "yes"}, content_type="application/json"), 404
    )
    assert world.closed.events.get().rsvps.count() == 2


# --- 5. community files --------------------------------------------------------------------------


def test_community_files_list_upload_download(client, world):
    files = f"/api/v1/communities/{world.closed.slug}/files"
    client.force_login(world.member)
    refused = client.post(files, {"file": SimpleUploadedFile("setup.pdf", EXE_BYTES)})
    assert "file" in _error(refused, 400)["details"]
    uploaded = client.post(files, {"file": _pdf("verslag.pdf")})
    assert uploaded.status_code == 201, uploaded.content
    pk = uploaded.json()["id"]
    assert [f["id"] for f in _results(client.get(files))] == [pk]
    download = client.get(f"/api/v1/communities/{world.closed.slug}/files/{pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert "attachment" in download["Content-Disposition"]

    client.force_login(world.outsider)
    _error(client.get(files), 404)
    _error(client.get(f"/api/v1/communities/{world.closed.slug}/files/{pk}"), 404)
    # the same id through a community the outsider can read does not find it either
    _error(client.get(f"/api/v1/communities/{world.open.slug}/files/{pk}"), 404)
    _error(client.post(files, {"file": _pdf()}), 404)


# --- 6. community management ---------------------------------------------------------------------


def test_members_join_requests_and_invitations(client, world):
    closed = world.closed
    c = f"/api/v1/communities/{closed.slug}"
    applicant = UserFactory()
    client.force_login(applicant)
    assert client.post(f"{c}/request", {"motivation": "RIEC"}).status_code == 201
    _error(client.get(f"{c}/members"), 404)  # a closed community's members: not for outsiders
    _error(client.get(f"{c}/join-requests"), 403)

    client.force_login(world.member)
    assert {m["name"] for m in _results(client.get(f"{c}/members"))} == {
        world.manager.display_name, world.member.display_name,
    }  # fmt: skip
    _error(client.get(f"{c}/join-requests"), 403)
    _error(client.post(f"{c}/invitations", {"email": "x@gemeente.example"}), 403)
    member_row = Membership.objects.get(community=closed, user=world.member)
    _error(client.patch(f"{c}/members/{member_row.pk}", {"role": "manager"},
                        content_type="application/json"), 403)  # fmt: skip

    admin_login(client, world.manager)
    requests = _results(client.get(f"{c}/join-requests"))
    assert [(r["user"], r["motivation"]) for r in requests] == [(applicant.pk, "RIEC")]
    decided = client.post(
        f"{c}/join-requests/{requests[0]['id']}/decision", {"decision": "approve"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert Membership.objects.get(community=closed, user=applicant).state == "active"
    again = client.post(f"{c}/join-requests/{requests[0]['id']}/decision", {"decision": "deny"})
    _error(again, 400)

    role = client.patch(f"{c}/members/{member_row.pk}", {"role": "moderator"},
                        content_type="application/json")  # fmt: skip
    assert role.status_code == 200 and role.json()["role"] == "moderator"
    manager_row = Membership.objects.get(community=closed, user=world.manager)
    _error(client.delete(f"{c}/members/{manager_row.pk}"), 400)  # the last manager stays

    invited = client.post(f"{c}/invitations", {"email": "Nieuw@Gemeente.example", "role": "member"})
    assert invited.status_code == 201 and invited.json()["email"] == "nieuw@gemeente.example"
    _error(client.post(f"{c}/invitations", {"email": "nieuw@gemeente.example"}), 400)
    _error(client.post(f"{c}/invitations", {"email": "geen-adres"}), 400)
    assert [i["id"] for i in _results(client.get(f"{c}/invitations"))] == [invited.json()["id"]]
    assert client.delete(f"{c}/invitations/{invited.json()['id']}").status_code == 204
    assert Invitation.objects.get(pk=invited.json()["id"]).status == "revoked"
    _error(client.delete(f"{c}/invitations/{invited.json()['id']}"), 400)
    assert _results(client.get(f"{c}/invitations")) == []
    assert client.delete(f"{c}/members/{member_row.pk}").status_code == 204
    assert Membership.objects.get(pk=member_row.pk).state == "removed"

    # A manager of another community cannot act here with ids from this one.
    other = Community.objects.create(name="Ander", slug="ander", visibility="open")
    Membership.objects.create(community=other, user=applicant, role="manager")
    admin_login(client, applicant)
    _error(client.delete(f"/api/v1/communities/ander/invitations/{invited.json()['id']}"), 404)
    _error(client.get(f"/api/v1/communities/{world.secret.slug}/join-requests"), 404)


def test_invited_user_loses_the_waiting_membership_when_revoked(client, world):
    invitee = UserFactory()
    admin_login(client, world.manager)
    c = f"/api/v1/communities/{world.closed.slug}"
    invited = client.post(f"{c}/invitations", {"email": invitee.email})
    assert Membership.objects.get(community=world.closed, user=invitee).state == "invited"
    assert client.delete(f"{c}/invitations/{invited.json()['id']}").status_code == 204
    assert not Membership.objects.filter(community=world.closed, user=invitee).exists()


# --- 7. moderation -------------------------------------------------------------------------------


def test_flags_queue_hide_restore_pin_lock(client, world):
    community = world.closed
    thread = Thread.objects.create(community=community, author=world.member, title="T", body="B")
    reply = thread.replies.create(author=world.member, body="Een reactie")
    client.force_login(world.member)
    assert client.post(f"/api/v1/threads/{thread.pk}/flag", {"reason": "Spam"}).status_code == 201
    _error(client.get(f"/api/v1/communities/{community.slug}/flags"), 403)
    _error(client.post(f"/api/v1/threads/{thread.pk}/moderation", {"action": "hide"}), 403)
    _error(client.post(f"/api/v1/replies/{reply.pk}/moderation", {"action": "hide"}), 403)

    admin_login(client, world.manager)
    flags = _results(client.get(f"/api/v1/communities/{community.slug}/flags"))
    assert [(f["thread"], f["reason"]) for f in flags] == [(thread.pk, "Spam")]
    hidden = client.post(
        f"/api/v1/threads/{thread.pk}/moderation", {"action": "hide", "note": "spam"}
    )
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert Flag.objects.get().status == "resolved"
    assert _results(client.get(f"/api/v1/communities/{community.slug}/flags")) == []
    client.force_login(world.member)
    _error(client.get(f"/api/v1/threads/{thread.pk}"), 404)  # hidden for members
    admin_login(client, world.manager)
    restored = client.post(f"/api/v1/threads/{thread.pk}/moderation", {"action": "restore"})
    assert restored.json()["hidden"] is False
    pinned = client.post(f"/api/v1/threads/{thread.pk}/moderation", {"action": "pin"}).json()
    locked = client.post(f"/api/v1/threads/{thread.pk}/moderation", {"action": "lock"}).json()
    assert pinned["pinned"] is True and locked["locked"] is True
    _error(client.post(f"/api/v1/threads/{thread.pk}/moderation", {"action": "wissen"}), 400)
    assert (
        client.post(f"/api/v1/replies/{reply.pk}/moderation", {"action": "hide"}).json()["hidden"]
        is True
    )
    assert (
        client.post(f"/api/v1/replies/{reply.pk}/moderation", {"action": "restore"}).json()[
            "hidden"
        ]
        is False
    )

    client.force_login(world.member)
    flag_id = client.post(f"/api/v1/threads/{thread.pk}/flag", {"reason": "Nog eens"}).json()["id"]
    admin_login(client, world.manager)
    dismissed = client.post(f"/api/v1/communities/{community.slug}/flags/{flag_id}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "resolved"
    thread.refresh_from_db()
    assert thread.pinned and thread.locked and not thread.is_hidden

    # Outsiders: the closed community's thread, reply and flags do not exist for them.
    client.force_login(world.outsider)
    _error(client.get(f"/api/v1/communities/{community.slug}/flags"), 404)
    _error(client.post(f"/api/v1/threads/{thread.pk}/moderation", {"action": "unlock"}), 404)
    _error(client.post(f"/api/v1/replies/{reply.pk}/moderation", {"action": "hide"}), 404)
    _error(client.post(f"/api/v1/communities/{community.slug}/flags/{flag_id}/dismiss"), 404)
    thread.refresh_from_db()
    assert thread.locked


# --- 8. personal-data export ---------------------------------------------------------------------


def test_personal_data_export(client, world):
    client.force_login(world.member)
    response = client.post("/api/v1/me/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("gegevens.json"))
    text = json.dumps(data)
    assert world.member.email in text
    assert world.outsider.email not in text and world.manager.email not in text
    assert client.get("/api/v1/me/export").status_code == 405
    client.logout()
    assert client.post("/api/v1/me/export").status_code in (401, 403)


# --- no 500s on odd input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,url,body",
    [
        ("post", "/api/v1/submissions", {"themes": "[[", "doc_type": {"a": 1}}),
        ("post", "/api/v1/reviews/1", [1, 2]),
        ("patch", "/api/v1/notifications/preferences", {"communities": "alles"}),
        ("patch", "/api/v1/notifications/preferences", {"communities": [{"community": 5}]}),
        ("put", "/api/v1/communities/test-open/events/x/rsvp", "ja"),
        ("post", "/api/v1/communities/test-open/events", {"starts_at": "9999-99-99"}),
        ("post", "/api/v1/communities/test-open/invitations", {"email": ["a", "b"]}),
        ("post", "/api/v1/communities/test-open/join-requests/1/decision", {"decision": None}),
        ("post", "/api/v1/threads/1/moderation", None),
        ("patch", "/api/v1/communities/test-open/members/1", {"role": 3}),
    ],
)
def test_odd_input_is_never_a_500(client, world, method, url, body):
    admin_login(client, world.manager)
    kwargs = {"content_type": "application/json"}
    response = getattr(client, method)(url, json.dumps(body), **kwargs)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.content)
    _error(response, response.status_code)


# --- q2k: a thread proposed as a knowledge document (issue #17) -------------------------------


def test_thread_knowledge_proposal_through_the_api(client, theme, factsheet, ambassador):
    from communities import services as community_services
    from communities.models import ThreadKnowledgeLink

    community = Community.objects.create(
        name="Besloten horeca", slug="besloten-horeca", visibility=Community.Visibility.CLOSED
    )
    asker, answerer, moderator = UserFactory(), UserFactory(), UserFactory()
    for user in (asker, answerer):
        Membership.objects.create(community=community, user=user, state=Membership.State.ACTIVE)
    Membership.objects.create(
        community=community,
        user=moderator,
        state=Membership.State.ACTIVE,
        role=Membership.Role.MODERATOR,
    )
    thread = community_services.thread_create(
        community=community, author=asker, title="Stroman in de horeca", body="Hoe toets je dat?"
    )
    reply = community_services.reply_create(thread=thread, author=answerer, body="Via het RIEC.")
    community_services.reply_accept(reply=reply, actor=asker)
    url = f"/api/v1/threads/{thread.pk}/knowledge-proposal"
    payload = {"themes": [theme.slug], "doc_type": factsheet.slug, "scope": "answer"}

    # not readable (the ambassador is no member of the closed community): 404; a member who
    # may not propose: 403; nothing written either way
    admin_login(client, ambassador)
    _error(client.post(url, payload, content_type="application/json"), 404)
    client.force_login(asker)
    _error(client.post(url, payload, content_type="application/json"), 403)
    assert not ThreadKnowledgeLink.objects.exists()

    admin_login(client, moderator)
    widen = {**payload, "network_wide": True}
    assert (
        "confirm_network_wide"
        in _error(client.post(url, widen, content_type="application/json"), 400)["details"]
    )
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["live"] is False and body["community"] == "besloten-horeca"
    page = KnowledgeDocumentPage.objects.get(pk=body["id"])
    assert WorkflowState.objects.active().filter(object_id=str(page.pk)).exists()
    assert ThreadKnowledgeLink.objects.get().page_id == page.pk
