"""Expertise with evidence on the profile (ADR 0031): per expertise theme the accepted answers,
the live documents and the passed e-learnings, each through the access rule (a closed
community's answer is shown and counted only for its members), in a flat number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academie.models import Certificate, CoursePage
from communities.models import Community, Reply, Thread
from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
from kennisbank.services import document_import_published
from kpo.accounts.selectors import person_expertise_evidence
from tests.academie.conftest import make_course
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    ProfileFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class World:
    def __init__(self) -> None:
        self.fraud = ThemeFactory(slug="test-fraude", title="Aaa fraude")
        self.drugs = ThemeFactory(slug="test-drugs", title="Bbb drugs")
        self.person = UserFactory(first_name="Ria", last_name="Rechercheur")
        self.profile = ProfileFactory(user=self.person)
        self.profile.expertise_themes.set([self.fraud, self.drugs])
        self.open = CommunityFactory(visibility=Community.Visibility.OPEN)
        self.open.themes.set([self.fraud])
        self.closed = CommunityFactory(visibility=Community.Visibility.CLOSED)
        self.closed.themes.set([self.fraud])
        self.member = MembershipFactory(community=self.closed).user
        self.asker = UserFactory()
        self.counter = 0

    def answer(self, community: Community, title: str) -> Thread:
        thread = Thread.objects.create(
            community=community, author=self.asker, title=title, body="<p>Vraag</p>"
        )
        reply = Reply.objects.create(thread=thread, author=self.person, body="<p>Antwoord</p>")
        thread.accepted_reply = reply
        thread.save(update_fields=["accepted_reply"])
        return thread

    def document(self, title: str, *, community: Community | None = None):
        page = KnowledgeDocumentPage(
            title=title,
            summary="Samenvatting",
            doc_type=DocumentType.objects.order_by("pk").first(),
            year=2025,
            owner=self.person,
            community=community,
        )
        page.themes = [self.drugs]
        KennisbankIndexPage.objects.get().add_child(instance=page)
        return document_import_published(page=page)

    def passed(self, title: str) -> CoursePage:
        self.counter += 1
        course = make_course(slug=f"bewijs-{self.counter}")
        CoursePage.themes.through.objects.create(coursepage_id=course.pk, theme_id=self.fraud.pk)
        Certificate.objects.create(
            user=self.person, course=course, learner_name="Ria", course_title=course.title
        )
        return course


@pytest.fixture
def world(db):
    return World()


def _sections(evidence, theme):
    row = next(r for r in evidence if r["theme"].pk == theme.pk)
    return {s["key"]: s for s in row["sections"]}


def test_a_closed_communitys_answer_counts_only_for_its_members(client, world):
    world.answer(world.open, "Open vraag over facturen")
    world.answer(world.closed, "Besloten vraag over katvangers")
    world.document("Factsheet drugslabs")
    course = world.passed("Cursus")

    outsider = UserFactory()
    seen = _sections(person_expertise_evidence(user=outsider, person=world.profile), world.fraud)
    assert seen["accepted_answers"]["count"] == 1
    assert [i["title"] for i in seen["accepted_answers"]["items"]] == ["Open vraag over facturen"]
    assert seen["courses"]["count"] == 1 and seen["courses"]["items"][0]["title"] == course.title
    drugs = _sections(person_expertise_evidence(user=outsider, person=world.profile), world.drugs)
    assert [i["title"] for i in drugs["documents"]["items"]] == ["Factsheet drugslabs"]

    member = _sections(
        person_expertise_evidence(user=world.member, person=world.profile), world.fraud
    )
    assert member["accepted_answers"]["count"] == 2

    client.force_login(outsider)
    page = client.get(reverse("accounts:person", args=[world.person.pk])).content.decode()
    assert "Open vraag over facturen" in page and "Factsheet drugslabs" in page
    assert "Besloten vraag over katvangers" not in page
    assert world.closed.name not in page
    assert "Geaccepteerde antwoorden (1)" in page
    client.force_login(world.member)
    page = client.get(reverse("accounts:person", args=[world.person.pk])).content.decode()
    assert "Besloten vraag over katvangers" in page and "Geaccepteerde antwoorden (2)" in page


def test_hidden_answers_unpublished_documents_and_other_themes_do_not_count(world):
    hidden = world.answer(world.open, "Verborgen vraag")
    Reply.objects.filter(pk=hidden.accepted_reply_id).update(is_hidden=True)
    elsewhere = CommunityFactory(visibility=Community.Visibility.OPEN)
    elsewhere.themes.set([ThemeFactory(slug="test-ander-thema")])
    world.answer(elsewhere, "Vraag buiten de expertise")
    document = world.document("Ingetrokken document")
    document.unpublish()
    closed_document = world.document("Document van de besloten community", community=world.closed)
    viewer = UserFactory()
    evidence = person_expertise_evidence(user=viewer, person=world.profile)
    assert all(row["sections"] == [] for row in evidence), evidence
    member = person_expertise_evidence(user=world.member, person=world.profile)
    drugs = _sections(member, world.drugs)
    assert [i["title"] for i in drugs["documents"]["items"]] == [closed_document.title]


def test_anonymous_readers_get_no_evidence(client, world):
    from django.contrib.auth.models import AnonymousUser

    world.answer(world.open, "Open vraag")
    assert person_expertise_evidence(user=AnonymousUser(), person=world.profile) == []
    response = client.get(reverse("accounts:person", args=[world.person.pk]))
    assert response.status_code == 302


def _page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:person", args=[world.person.pk]))
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_flat(client, world):
    viewer = MembershipFactory(community=world.closed).user
    world.answer(world.open, "Vraag 1")
    world.document("Document 1")
    world.passed("Cursus 1")
    client.force_login(viewer)
    _page_queries(client, world)  # warm caches (site root paths, content types)
    few = _page_queries(client, world)
    for n in range(2, 8):
        world.answer(world.open if n % 2 else world.closed, f"Vraag {n}")
        world.document(f"Document {n}")
    for n in range(2, 5):
        world.passed(f"Cursus {n}")
    many = _page_queries(client, world)
    assert many == few, (few, many)
    assert (
        _sections(person_expertise_evidence(user=viewer, person=world.profile), world.fraud)[
            "accepted_answers"
        ]["count"]
        == 7
    )
