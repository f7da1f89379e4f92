"""The full learner journey, through the web and through the API: enrol, lessons, a failed quiz,
a passed quiz, the certificate PDF and the public verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from academie.models import Certificate
from tests.academie.conftest import answer_ids, make_course, make_session
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db


def _quiz_post(course, *, q1: str, q2: str) -> dict:
    answers = answer_ids(course, q1=q1, q2=q2)
    return {f"q{qid}": [str(c) for c in choices] for qid, choices in answers.items()}


def test_web_learner_journey(client, learner):
    course = make_course(slug="web-reis", lessons=2, max_attempts=2)
    client.force_login(learner)

    overview = client.get("/academie/").content.decode()
    assert "E-learnings" in overview and course.title in overview

    page = client.get(course.url).content.decode()
    assert "Inschrijven" in page
    response = client.post(reverse("academie:enrol", args=[course.pk]))
    first, second = course.lessons.order_by("sort_order")
    assert response.url == reverse("academie:lesson", args=[course.pk, first.pk])

    # the second lesson is locked until the first is done
    locked = client.get(reverse("academie:lesson", args=[course.pk, second.pk]))
    assert locked.status_code == 302
    lesson = client.get(reverse("academie:lesson", args=[course.pk, first.pk])).content.decode()
    assert "Inhoud 1" in lesson and "Les 1 van 2" in lesson
    response = client.post(reverse("academie:lesson", args=[course.pk, first.pk]))
    assert response.url == reverse("academie:lesson", args=[course.pk, second.pk])
    assert "50%" in client.get(course.url).content.decode()
    # resume where left off
    assert (
        reverse("academie:lesson", args=[course.pk, second.pk])
        in client.get(course.url).content.decode()
    )
    response = client.post(reverse("academie:lesson", args=[course.pk, second.pk]))
    assert response.url == reverse("academie:quiz", args=[course.pk])

    quiz = client.get(reverse("academie:quiz", args=[course.pk])).content.decode()
    assert "<fieldset" in quiz and "<legend" in quiz
    assert 'type="radio"' in quiz and 'type="checkbox"' in quiz
    assert "is_correct" not in quiz

    # a foreign choice id: a Dutch form error, not a 500, and no attempt used
    bad = _quiz_post(course, q1="B", q2="AC")
    bad[next(iter(bad))] = ["999999"]
    response = client.post(reverse("academie:quiz", args=[course.pk]), bad)
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()

    # failed attempt: "Opnieuw proberen", the explanations kept for after passing or the last try
    response = client.post(
        reverse("academie:quiz", args=[course.pk]), _quiz_post(course, q1="B", q2="A")
    )
    result = client.get(response.url).content.decode()
    assert "Je score is 50%" in result
    assert "Uitleg 1" not in result and "Juist antwoord" not in result
    assert "zie je als je geslaagd bent of na je laatste poging" in result
    assert "Opnieuw proberen" in result and "nog 1 poging<" in result  # ngettext, not "(en)"

    # passed attempt
    response = client.post(
        reverse("academie:quiz", args=[course.pk]), _quiz_post(course, q1="B", q2="AC")
    )
    result = client.get(response.url).content.decode()
    assert "je bent geslaagd met 100%" in result
    assert "Uitleg 1" in result and "Juist antwoord" in result
    certificate = Certificate.objects.get(user=learner, course=course)
    pdf_url = reverse("academie:certificate_pdf", args=[certificate.pk])
    assert pdf_url in result

    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert certificate.code.encode() in pdf.content

    # someone else cannot download it
    client.force_login(UserFactory())
    assert client.get(pdf_url).status_code == 404

    # public verification: name, course, date — nothing more
    client.logout()
    verify = client.get(reverse("academie:certificate_verify", args=[certificate.code]))
    html = verify.content.decode()
    assert verify.status_code == 200
    assert "Lotte Leerling" in html and course.title in html
    assert timezone.localtime(certificate.issued_at).strftime("%d-%m-%Y") in html
    assert learner.email not in html and "100%" not in html
    # An unknown code answers in the same shape (no enumeration help), without any name.
    unknown = client.get(reverse("academie:certificate_verify", args=["ONBEKEND-1234"]))
    assert unknown.status_code == 200
    assert "geen certificaat van de Ondermijningsacademie gevonden" in unknown.content.decode()
    assert "Lotte Leerling" not in unknown.content.decode()

    # Mijn leren
    client.force_login(learner)
    mine = client.get(reverse("academie:my_learning")).content.decode()
    assert course.title in mine and certificate.code in mine


def test_api_learner_journey(client, learner):
    course = make_course(slug="api-reis", lessons=2, max_attempts=2)
    client.force_login(learner)

    listing = client.get("/api/v1/courses").json()
    assert any(item["id"] == course.pk for item in listing["results"])
    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert detail["lessons"] == [] and detail["progress"]["enrolled"] is False

    assert client.post(f"/api/v1/courses/{course.pk}/enrol").status_code == 201
    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert [lesson["title"] for lesson in detail["lessons"]] == ["Les 1", "Les 2"]
    assert "Inhoud 1" in detail["lessons"][0]["body"]
    first, second = (lesson["id"] for lesson in detail["lessons"])

    out_of_order = client.post(f"/api/v1/courses/{course.pk}/lessons/{second}/complete")
    assert out_of_order.status_code == 400
    assert "Les 1" in out_of_order.json()["detail"]
    progress = client.post(f"/api/v1/courses/{course.pk}/lessons/{first}/complete").json()
    assert progress["percent"] == 50
    progress = client.post(f"/api/v1/courses/{course.pk}/lessons/{second}/complete").json()
    assert progress["percent"] == 100 and progress["quiz_available"]

    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert len(detail["quiz"]) == 2
    assert all("is_correct" not in choice for q in detail["quiz"] for choice in q["choices"])

    url = f"/api/v1/courses/{course.pk}/quiz/attempts"
    foreign = client.post(
        url, {"answers": {str(detail["quiz"][0]["id"]): [999999]}}, content_type="application/json"
    )
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "invalid"
    garbage = client.post(url, {"answers": "alles"}, content_type="application/json")
    assert garbage.status_code == 400
    assert [p["name"] for p in garbage.json()["invalid-params"]] == ["answers"]

    failed = client.post(
        url, {"answers": answer_ids(course, q1="B", q2="ABC")}, content_type="application/json"
    ).json()
    assert (failed["score"], failed["passed"], failed["attempts_left"]) == (50, False, 1)
    assert failed["certificate"] is None
    # not the last attempt: the explanations would give the answers away
    assert {f["explanation"] for f in failed["feedback"]} == {""}

    passed = client.post(
        url, {"answers": answer_ids(course, q1="B", q2="AC")}, content_type="application/json"
    )
    assert passed.status_code == 201
    body = passed.json()
    assert (body["score"], body["passed"]) == (100, True)
    code = body["certificate"]["code"]

    certificates = client.get("/api/v1/certificates").json()["results"]
    assert [c["code"] for c in certificates] == [code]
    pdf = client.get(certificates[0]["pdf_url"])
    assert pdf.content.startswith(b"%PDF") and code.encode() in pdf.content

    again = client.post(
        url, {"answers": answer_ids(course, q1="B", q2="AC")}, content_type="application/json"
    )
    assert again.status_code == 400
    assert "al geslaagd" in again.json()["detail"]

    client.logout()
    assert certificates[0]["verify_url"].endswith(f"/certificaat/{code}/")
    verify = client.get(certificates[0]["verify_url"])
    assert verify.status_code == 200 and "Lotte Leerling" in verify.content.decode()
    assert certificates[0]["verify_url"].encode() in pdf.content


def test_api_attempts_limit_and_prerequisite_errors_are_structured(client, learner):
    basis = make_course(slug="api-basis", max_attempts=1, lessons=1)
    advanced = make_course(slug="api-verdieping", prerequisites=[basis])
    client.force_login(learner)
    blocked = client.post(f"/api/v1/courses/{advanced.pk}/enrol")
    assert blocked.status_code == 400
    assert "Cursus api-basis" in blocked.json()["detail"]

    client.post(f"/api/v1/courses/{basis.pk}/enrol")
    lesson = basis.lessons.get()
    client.post(f"/api/v1/courses/{basis.pk}/lessons/{lesson.pk}/complete")
    url = f"/api/v1/courses/{basis.pk}/quiz/attempts"
    wrong = {"answers": answer_ids(basis, q1="A", q2="A")}
    assert client.post(url, wrong, content_type="application/json").status_code == 201
    exhausted = client.post(url, wrong, content_type="application/json")
    assert exhausted.status_code == 400
    assert "maximale aantal pogingen" in exhausted.json()["detail"]


def test_api_requires_login(client):
    response = client.get("/api/v1/courses")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_api_training_register_waitlist_and_cancel(client):
    session = make_session(capacity=1)
    anna, bram = UserFactory(), UserFactory()
    client.force_login(anna)
    training = client.get(f"/api/v1/trainings/{session.training_id}").json()
    assert training["sessions"][0]["places_left"] == 1
    response = client.post(f"/api/v1/trainings/sessions/{session.pk}/register")
    assert response.status_code == 201 and response.json()["status"] == "registered"

    client.force_login(bram)
    assert client.post(f"/api/v1/trainings/sessions/{session.pk}/register").json()["status"] == (
        "waitlisted"
    )
    listing = client.get("/api/v1/trainings").json()["results"]
    mine = next(s for t in listing if t["id"] == session.training_id for s in t["sessions"])
    assert (mine["my_status"], mine["my_waitlist_position"]) == ("waitlisted", 1)

    client.force_login(anna)
    assert client.post(f"/api/v1/trainings/sessions/{session.pk}/cancel").json()["status"] == (
        "cancelled"
    )
    client.force_login(bram)
    training = client.get(f"/api/v1/trainings/{session.training_id}").json()
    assert training["sessions"][0]["my_status"] == "registered"
    not_registered = UserFactory()
    client.force_login(not_registered)
    response = client.post(f"/api/v1/trainings/sessions/{session.pk}/cancel")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Je bent niet aangemeld voor deze sessie."


def test_web_training_page_register_waitlist_and_staff_export(client):
    session = make_session(capacity=1)
    anna, bram = UserFactory(first_name="Anna"), UserFactory()
    staff = UserFactory(groups=["Academie"])
    client.force_login(anna)
    page = client.get(session.training.url).content.decode()
    assert "Utrecht" in page and "1 van 1 vrij" in page
    client.post(reverse("academie:session_register", args=[session.pk]))
    client.force_login(bram)
    client.post(reverse("academie:session_register", args=[session.pk]))
    page = client.get(session.training.url).content.decode()
    assert "Op de wachtlijst" in page and "plaats 1 op de wachtlijst" in page
    mine = client.get(reverse("academie:my_learning")).content.decode()
    assert "Test training" in mine

    # staff only
    assert client.get(reverse("academie:session_attendees", args=[session.pk])).status_code == 404
    admin_login(client, staff)  # a verified second factor
    staff_page = client.get(session.training.url).content.decode()
    assert reverse("academie:session_attendees", args=[session.pk]) in staff_page
    response = client.post(
        reverse("academie:session_attendees", args=[session.pk]), {"attended": [str(anna.pk)]}
    )
    assert response.status_code == 302
    csv_text = client.get(
        reverse("academie:session_attendees_csv", args=[session.pk])
    ).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Naam;E-mailadres")
    assert len(lines) == 2 and anna.email in lines[1] and lines[1].endswith(";ja")


def test_anonymous_visitors_must_log_in_for_courses(client, course):
    assert client.get("/academie/").status_code == 302
    assert client.get(course.url).status_code == 302


@pytest.mark.urls("tests.academie.urls_certificaat")
def test_public_verification_at_certificaat_code(client, learner):
    from academie.selectors import certificate_verify_url

    course = make_course(slug="verificatie", lessons=1)
    from academie import services

    services.course_enrol(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=course.lessons.get())
    services.quiz_submit(user=learner, course=course, answers=answer_ids(course, q1="B", q2="AC"))
    certificate = Certificate.objects.get(user=learner, course=course)
    url = certificate_verify_url(code=certificate.code)
    assert url == f"/certificaat/{certificate.code}/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lotte Leerling" in html and course.title in html
    assert "uitgereikt door de Ondermijningsacademie" in html and "geldig" in html
    assert learner.email not in html
    # Unknown: the same page shape, no name (ADR 0030: no enumeration help).
    unknown = client.get("/certificaat/BESTAAT-NIET/")
    assert unknown.status_code == 200
    assert "geen certificaat van de Ondermijningsacademie gevonden" in unknown.content.decode()
