"""Bad input on the API write endpoints: a structured JSON 4xx error and no write at all."""

from __future__ import annotations

import json

import pytest

from academie import services as academie_services
from academie.models import CoursePage, TrainingSession
from tests.robustness.conftest import assert_api_error, unchanged

pytestmark = pytest.mark.django_db

LONG = "x" * 5000


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


# --- communities -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "a" * 201, "body": "Tekst"},
        {"title": ["lijst"], "body": "Tekst"},
        {"title": {"x": 1}, "body": "Tekst"},
        {"title": "Vraag"},
        {"title": "Vraag", "body": "<script>alert(1)</script>"},
        {"title": "Vraag", "body": "x" * 60_000},
        {"title": "Vraag", "body": "Tekst", "kind": "onzin"},
        {"title": "", "body": "Tekst"},
        [],
        "geen object",
    ],
    ids=lambda p: json.dumps(p)[:40],
)
def test_thread_create_bad_payload(user_client, world, payload):
    url = f"/api/v1/communities/{world.communities['open'].slug}/threads"
    with unchanged():
        assert_api_error(post_json(user_client, url, payload), 400)


def test_malformed_json_is_a_structured_error(user_client, world):
    url = f"/api/v1/communities/{world.communities['open'].slug}/threads"
    with unchanged():
        response = user_client.post(url, data="{kapot", content_type="application/json")
        assert_api_error(response, 400)


@pytest.mark.parametrize("vis", ["closed", "secret"])
def test_other_community_thread_is_404_not_403(user_client, world, vis):
    thread = world.threads[vis]
    with unchanged():
        response = user_client.get(f"/api/v1/threads/{thread.pk}")
        assert_api_error(response, 404)
        assert thread.title.encode() not in response.content
        for url, payload in [
            (f"/api/v1/threads/{thread.pk}/replies", {"body": "Hallo"}),
            (f"/api/v1/threads/{thread.pk}/flag", {"reason": "spam"}),
            (
                f"/api/v1/threads/{thread.pk}/replies/{world.replies[vis].pk}/accept",
                {},
            ),
        ]:
            response = post_json(user_client, url, payload)
            assert_api_error(response, 404)
            assert thread.title.encode() not in response.content


def test_secret_community_is_404_everywhere(user_client, world):
    slug = world.communities["secret"].slug
    with unchanged():
        for suffix in ("join", "request", "leave", "threads"):
            assert_api_error(
                post_json(user_client, f"/api/v1/communities/{slug}/{suffix}", {}), 404
            )


def test_closed_community_threads_not_listed_or_writable(user_client, world):
    slug = world.communities["closed"].slug
    with unchanged():
        assert_api_error(user_client.get(f"/api/v1/communities/{slug}/threads"), 404)
        response = post_json(
            user_client, f"/api/v1/communities/{slug}/threads", {"title": "T", "body": "B"}
        )
        assert_api_error(response, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/threads/999999999",
        "/api/v1/threads/999999999/replies",
        "/api/v1/threads/999999999/flag",
        "/api/v1/communities/bestaat-niet/join",
        "/api/v1/communities/bestaat-niet/threads",
        "/api/v1/courses/999999999/enrol",
        "/api/v1/courses/999999999/quiz/attempts",
        "/api/v1/trainings/sessions/999999999/register",
        "/api/v1/trainings/sessions/999999999/cancel",
        "/api/v1/documents/999999999",
        "/api/v1/trainings/999999999",
    ],
)
def test_unknown_ids_are_404(user_client, world, url):
    with unchanged():
        method = user_client.get if url.endswith("/999999999") else None
        response = (
            method(url) if method else post_json(user_client, url, {"body": "x", "reason": "x"})
        )
        assert_api_error(response, 404)


@pytest.mark.parametrize(
    "payload",
    [
        {"body": {"nested": True}},
        {"body": "x" * 60_000},
        {"body": "<script>alert(1)</script><style>p{}</style>"},
        {"body": ""},
        {},
    ],
    ids=lambda p: json.dumps(p)[:40],
)
def test_reply_bad_payload(user_client, world, payload):
    url = f"/api/v1/threads/{world.threads['open'].pk}/replies"
    with unchanged():
        assert_api_error(post_json(user_client, url, payload), 400)


@pytest.mark.parametrize(
    "payload,status",
    [
        ({"reason": ""}, 400),
        ({}, 400),
        ({"reason": "spam", "reply": "abc"}, 400),
        ({"reason": "spam", "reply": 999999999}, 404),
        ({"reason": ["lijst"]}, 400),
    ],
    ids=lambda p: json.dumps(p)[:40],
)
def test_flag_bad_payload(user_client, world, payload, status):
    url = f"/api/v1/threads/{world.threads['open'].pk}/flag"
    with unchanged():
        assert_api_error(post_json(user_client, url, payload), status)


def test_flag_with_reply_of_another_community(user_client, world):
    """A reply id from a closed community, sent with a thread the user may see: 404, no leak."""
    url = f"/api/v1/threads/{world.threads['open'].pk}/flag"
    with unchanged():
        response = post_json(
            user_client, url, {"reason": "spam", "reply": world.replies["closed"].pk}
        )
        assert_api_error(response, 404)
        assert b"Inhoud closed" not in response.content


def test_join_request_overlong_motivation(user_client, world):
    url = f"/api/v1/communities/{world.communities['closed'].slug}/request"
    with unchanged():
        assert_api_error(post_json(user_client, url, {"motivation": "m" * 20_000}), 400)
        assert_api_error(post_json(user_client, url, {"motivation": {"a": 1}}), 400)


def test_html_payload_is_stored_sanitised(user_client, world):
    url = f"/api/v1/communities/{world.communities['open'].slug}/threads"
    response = post_json(
        user_client,
        url,
        {
            "title": "<script>alert(1)</script>Vraag",
            "body": '<p onclick="x()">Hoi</p><script>alert(1)</script>'
            '<a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)>',
        },
    )
    assert response.status_code == 201, response.content
    from communities.models import Thread

    thread = Thread.objects.get(pk=response.json()["id"])
    for bad in ("<script", "onclick", "javascript:", "onerror", "<img"):
        assert bad not in thread.body
    assert "Hoi" in thread.body
    page = user_client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content


# --- academie -----------------------------------------------------------------------


@pytest.fixture
def course(db):
    course = (
        CoursePage.objects.live().filter(questions__isnull=False).distinct().order_by("pk").first()
    )
    assert course is not None, "the corpus has a course with a quiz"
    return course


@pytest.fixture
def ready_for_quiz(world, course):
    academie_services.course_enrol(user=world.user, course=course)
    for lesson in course.lessons.all():
        academie_services.lesson_complete(user=world.user, lesson=lesson)
    return course


@pytest.mark.parametrize(
    "answers",
    [
        "geen object",
        ["lijst"],
        {"abc": [1]},
        {"99999999999999999999": [1]},
        {"1": ["x"]},
        {"1": 5},
        {"1": [99999999999999999999]},
        {},
    ],
    ids=lambda a: json.dumps(a)[:40],
)
def test_quiz_attempt_bad_answers(user_client, ready_for_quiz, answers):
    url = f"/api/v1/courses/{ready_for_quiz.pk}/quiz/attempts"
    with unchanged():
        assert_api_error(post_json(user_client, url, {"answers": answers}), 400)


def test_quiz_attempt_with_choice_of_another_question(user_client, ready_for_quiz):
    questions = list(ready_for_quiz.questions.prefetch_related("choices"))
    foreign = questions[-1].choices.first().pk
    answers = {str(q.pk): [foreign] for q in questions[:1]}
    url = f"/api/v1/courses/{ready_for_quiz.pk}/quiz/attempts"
    with unchanged():
        assert_api_error(post_json(user_client, url, {"answers": answers}), 400)


def test_quiz_without_enrolment(user_client, course):
    url = f"/api/v1/courses/{course.pk}/quiz/attempts"
    with unchanged():
        assert_api_error(post_json(user_client, url, {"answers": {}}), 400, 403)


def test_session_cancel_without_registration(user_client, db):
    session = TrainingSession.objects.order_by("pk").first()
    assert session is not None
    with unchanged():
        response = post_json(user_client, f"/api/v1/trainings/sessions/{session.pk}/cancel", {})
        assert_api_error(response, 400, 404)


# --- search -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "bibob " * 5000},
        {"q": "\x00\x01\ufffd"},
        {"q": '"(((*?~^:\\/[]{}'},
        {"q": "<script>alert(1)</script>"},
        {"q": "a", "page": "-1"},
        {"q": "a", "page": "abc"},
        {"q": "a", "page": "99999999999999999999"},
        {"q": "a", "type": "onzin"},
        {"q": "a", "sort": "onzin"},
        {"q": "a", "year": "tweeduizend"},
        {"q": "a", "theme": "x" * 3000},
    ],
    ids=lambda p: json.dumps(p)[:30],
)
def test_search_odd_queries_never_5xx(user_client, params):
    response = user_client.get("/api/v1/search", params)
    assert response.status_code < 500 or response.status_code == 503, response.content[:300]
    if response.status_code >= 400:
        assert_api_error(response, response.status_code)
    else:
        assert b"<script>alert(1)</script>" not in response.content
