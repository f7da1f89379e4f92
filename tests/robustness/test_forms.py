"""Bad input on the web forms: a clear Dutch error on the page, never a 5xx, no write at all."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from academie.models import CoursePage
from kennisbank.models import DocumentType
from kpo.themes.models import Theme
from tests.robustness.conftest import BAD_UPLOADS, pdf, unchanged

pytestmark = pytest.mark.django_db

REFUSED_FILE = ("te groot", "geweigerd", "niet worden gedeeld", "niet toegestaan", "programma")
TOO_LONG = ("niet meer dan", "maximaal", "te lang")


def page_text(response) -> str:
    text = response.content.decode()
    text += " ".join(str(m) for m in get_messages(response.wsgi_request))
    return text


def assert_clear_error(response, *phrases) -> None:
    phrases = tuple(p for item in phrases for p in ((item,) if isinstance(item, str) else item))
    assert response.status_code < 500, response.status_code
    text = page_text(response).lower()
    assert any(p.lower() in text for p in phrases), (phrases, text[-2000:])


# --- kennisbank "Kennis delen" ----------------------------------------------------------------


@pytest.fixture
def share_data(db):
    return {
        "title": "Bibob-toets bij horeca",
        "summary": "Samenvatting van de aanpak.",
        "themes": [Theme.objects.order_by("pk").first().pk],
        "doc_type": DocumentType.objects.order_by("pk").first().pk,
        "visibility": "platform",
    }


@pytest.mark.parametrize("bad", sorted(BAD_UPLOADS))
def test_share_refuses_bad_files(user_client, share_data, bad):
    with unchanged():
        response = user_client.post(
            "/kennisbank-acties/delen/", {**share_data, "file": BAD_UPLOADS[bad]()}
        )
        assert response.status_code == 200
        assert_clear_error(response, *REFUSED_FILE, "niet herkend", "soort bestand")


@pytest.mark.parametrize(
    "change,phrase",
    [
        ({"title": "t" * 300}, TOO_LONG),
        ({"summary": "s" * 3000}, TOO_LONG),
        ({"themes": [999999999]}, "keuze"),
        ({"themes": ["abc"]}, ("keuze", "geen geldige")),
        ({"doc_type": 999999999}, "geldige"),
        ({"visibility": "999999999"}, "geldige"),
        ({"title": ""}, "verplicht"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_share_refuses_bad_fields(user_client, share_data, change, phrase):
    with unchanged():
        response = user_client.post(
            "/kennisbank-acties/delen/", {**share_data, **change, "file": pdf()}
        )
        assert response.status_code == 200
        assert_clear_error(response, phrase)


def test_share_into_community_of_others_is_refused(user_client, share_data, world):
    """The visibility choice only offers the user's own communities."""
    closed = world.communities["closed"]
    with unchanged():
        response = user_client.post(
            "/kennisbank-acties/delen/", {**share_data, "visibility": str(closed.pk), "file": pdf()}
        )
        assert_clear_error(response, "geldige")
        assert closed.name not in response.content.decode()


# --- communities --------------------------------------------------------------------------------


def thread_url(world, vis: str, suffix: str = "") -> str:
    t = world.threads[vis]
    return f"/communities/{t.community.slug}/onderwerpen/{t.pk}/{suffix}"


@pytest.mark.parametrize(
    "data,phrase",
    [
        ({"title": "t" * 201, "body": "Tekst", "kind": "question"}, TOO_LONG),
        ({"title": "Vraag", "body": "<script>alert(1)</script>", "kind": "question"}, "tekst"),
        ({"title": "Vraag", "body": "b" * 50_001, "kind": "question"}, TOO_LONG),
        ({"title": "Vraag", "body": "Tekst", "kind": "onzin"}, "geldige"),
        ({"title": "", "body": "Tekst", "kind": "question"}, "verplicht"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_thread_form_refuses_bad_fields(user_client, world, data, phrase):
    with unchanged():
        response = user_client.post(
            f"/communities/{world.communities['open'].slug}/onderwerpen/nieuw/", data
        )
        assert response.status_code in (200, 400)
        assert_clear_error(response, phrase)


@pytest.mark.parametrize("bad", sorted(BAD_UPLOADS))
def test_thread_form_refuses_bad_attachment(user_client, world, bad):
    data = {"title": "Vraag", "body": "Tekst", "kind": "question", "attachment": BAD_UPLOADS[bad]()}
    with unchanged():
        response = user_client.post(
            f"/communities/{world.communities['open'].slug}/onderwerpen/nieuw/", data
        )
        assert_clear_error(response, *REFUSED_FILE)


@pytest.mark.parametrize("bad", sorted(BAD_UPLOADS))
def test_reply_form_refuses_bad_attachment(user_client, world, bad):
    with unchanged():
        response = user_client.post(
            thread_url(world, "open", "reageren/"),
            {"body": "Mijn antwoord", "attachment": BAD_UPLOADS[bad]()},
        )
        assert response.status_code == 302
        assert_clear_error(response, *REFUSED_FILE)


@pytest.mark.parametrize("bad", sorted(BAD_UPLOADS))
def test_file_share_refuses_bad_file(user_client, world, bad):
    with unchanged():
        response = user_client.post(
            f"/communities/{world.communities['open'].slug}/bestanden/",
            {"file": BAD_UPLOADS[bad]()},
        )
        assert response.status_code == 400
        assert_clear_error(response, *REFUSED_FILE)


def test_reply_form_refuses_empty_and_script_only(user_client, world):
    with unchanged():
        for body in ("", "<script>alert(1)</script>", "b" * 50_001):
            response = user_client.post(thread_url(world, "open", "reageren/"), {"body": body})
            assert response.status_code == 302
            assert_clear_error(response, "reactie", "tekst", "te lang")


def test_flag_form_refuses_empty_reason(user_client, world):
    with unchanged():
        response = user_client.post(thread_url(world, "open", "melden/"), {"reason": ""})
        assert response.status_code == 302
        assert_clear_error(response, "reden")


@pytest.mark.parametrize("vis", ["closed", "secret"])
@pytest.mark.parametrize("suffix", ["", "reageren/", "melden/", "nuttig/", "volgen/"])
def test_other_community_thread_never_shows_content(user_client, world, vis, suffix):
    """Secret: 404. Closed: 404 or the join prompt; never the thread itself."""
    with unchanged():
        if suffix:
            response = user_client.post(
                thread_url(world, vis, suffix), {"body": "x", "reason": "x"}
            )
        else:
            response = user_client.get(thread_url(world, vis))
        expected = {404} if vis == "secret" else {403, 404}
        assert response.status_code in expected
        assert world.threads[vis].title not in response.content.decode()
        assert f"Inhoud {vis}" not in response.content.decode()


@pytest.mark.parametrize("vis", ["closed", "secret"])
def test_foreign_thread_id_under_own_community_is_404(user_client, world, vis):
    """A thread id of another community under the slug of the user's own community."""
    open_slug = world.communities["open"].slug
    with unchanged():
        for suffix, method in (("", "get"), ("reageren/", "post")):
            url = f"/communities/{open_slug}/onderwerpen/{world.threads[vis].pk}/{suffix}"
            response = getattr(user_client, method)(url, {"body": "x"})
            assert response.status_code == 404
            assert world.threads[vis].title not in response.content.decode()


def test_secret_community_join_is_404(user_client, world):
    slug = world.communities["secret"].slug
    with unchanged():
        for suffix in ("lid-worden/", "aanvragen/", "bestanden/", "onderwerpen/nieuw/"):
            assert user_client.post(f"/communities/{slug}/{suffix}", {}).status_code == 404


def test_closed_community_write_without_membership(user_client, world):
    slug = world.communities["closed"].slug
    with unchanged():
        response = user_client.post(
            f"/communities/{slug}/onderwerpen/nieuw/",
            {"title": "Vraag", "body": "Tekst", "kind": "question"},
        )
        assert response.status_code in (403, 404)
        response = user_client.post(f"/communities/{slug}/bestanden/", {"file": pdf()})
        assert response.status_code in (403, 404)


# --- academie -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/academie/e-learning/999999999/inschrijven/",
        "/academie/e-learning/999999999/toets/",
        "/academie/sessie/999999999/aanmelden/",
        "/academie/sessie/999999999/afmelden/",
    ],
)
def test_academie_unknown_ids_are_404(user_client, url):
    with unchanged():
        assert user_client.post(url).status_code == 404


def test_quiz_form_refuses_bogus_choices(user_client, world):
    from academie import services

    course = (
        CoursePage.objects.live().filter(questions__isnull=False).distinct().order_by("pk").first()
    )
    services.course_enrol(user=world.user, course=course)
    for lesson in course.lessons.all():
        services.lesson_complete(user=world.user, lesson=lesson)
    data = {f"q{q.pk}": ["999999999", "abc"] for q in course.questions.all()}
    data["q999999999"] = "1"
    with unchanged():
        response = user_client.post(f"/academie/e-learning/{course.pk}/toets/", data)
        assert response.status_code == 400
        assert_clear_error(response, "geldige", "kies", "beantwoord")


def test_quiz_before_lessons_is_refused(user_client, world):
    course = (
        CoursePage.objects.live().filter(questions__isnull=False).distinct().order_by("pk").first()
    )
    with unchanged():
        response = user_client.post(f"/academie/e-learning/{course.pk}/toets/", {})
        assert response.status_code == 302
        assert_clear_error(response, "lessen", "inschrijven", "schrijf")


# --- profile ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,phrase",
    [
        ({"first_name": "v" * 200}, TOO_LONG),
        ({"function": "f" * 500}, TOO_LONG),
        ({"organisation": "999999999"}, "geldige"),
        ({"region": "abc"}, "geldige"),
        ({"expertise_themes": ["999999999"]}, "geldige"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_profile_form_refuses_bad_fields(user_client, world, data, phrase):
    user_client.get("/account/profiel/")  # the profile row exists before the refused POST
    with unchanged():
        response = user_client.post("/account/profiel/", data)
        assert response.status_code in (200, 400)
        assert_clear_error(response, phrase)


def test_profile_bio_with_script_is_escaped(user_client, world):
    response = user_client.post(
        "/account/profiel/", {"bio": "<script>alert(1)</script>Hallo", "first_name": "Ann"}
    )
    assert response.status_code == 302
    page = user_client.get(f"/account/wie-weet-wat/{world.user.pk}/")
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content
