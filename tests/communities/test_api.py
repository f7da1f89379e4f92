"""The communities API: list, join / leave / request, threads, replies, accept and flag."""

from __future__ import annotations

import pytest

from communities.models import Flag, Membership, Thread
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def _results(data):
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_list_join_leave_request(client, world):
    client.force_login(world.outsider)
    data = _results(client.get("/api/v1/communities").json())
    by_slug = {c["slug"]: c for c in data}
    assert by_slug["test-open"]["membership"] is None
    joined = client.post("/api/v1/communities/test-open/join")
    assert joined.status_code == 201 and joined.json() == {"role": "member", "state": "active"}
    refused = client.post("/api/v1/communities/test-closed/join")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Deze community is besloten: vraag lidmaatschap aan."
    requested = client.post(
        "/api/v1/communities/test-closed/request", {"motivation": "Ik werk bij het RIEC"}
    )
    assert requested.status_code == 201 and requested.json() == {"status": "pending"}
    assert client.post("/api/v1/communities/test-open/leave").status_code == 204
    assert not Membership.objects.filter(community=world.open, user=world.outsider).exists()


def test_thread_create_detail_reply_accept_flag(client, world):
    client.force_login(world.member)
    created = client.post(
        "/api/v1/communities/test-closed/threads",
        {"title": "Hoe toetsen jullie?", "body": "<p>Vraag<script>x()</script></p>"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    thread_id = created.json()["id"]
    assert "script" not in created.json()["body"]
    listing = client.get("/api/v1/communities/test-closed/threads").json()
    assert [t["id"] for t in listing["results"]] == [thread_id]

    admin_login(client, world.manager)  # a verified second factor
    reply = client.post(
        f"/api/v1/threads/{thread_id}/replies", {"body": "Met de checklist."}
    ).json()
    client.force_login(world.member)
    accepted = client.post(f"/api/v1/threads/{thread_id}/replies/{reply['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["accepted_reply"] == reply["id"]
    detail = client.get(f"/api/v1/threads/{thread_id}").json()
    assert detail["replies"][0]["accepted"] is True
    flagged = client.post(
        f"/api/v1/threads/{thread_id}/flag", {"reason": "Dubbel", "reply": reply["id"]}
    )
    assert flagged.status_code == 201
    assert Flag.objects.get(pk=flagged.json()["id"]).reply_id == reply["id"]


def test_bad_input_and_rights_are_structured_errors(client, world):
    client.force_login(world.member)
    empty = client.post("/api/v1/communities/test-closed/threads", {"title": "", "body": ""})
    assert empty.status_code == 400
    assert {p["name"] for p in empty.json()["invalid-params"]} >= {"title", "body"}
    thread = Thread.objects.create(
        community=world.closed, author=world.manager, title="T", body="B"
    )
    reply = thread.replies.create(author=world.manager, body="R")
    denied = client.post(f"/api/v1/threads/{thread.pk}/replies/{reply.pk}/accept")
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"
    assert client.get("/api/v1/threads/999999").status_code == 404


def test_anonymous_is_refused(client):
    assert client.get("/api/v1/communities").status_code in (401, 403)
