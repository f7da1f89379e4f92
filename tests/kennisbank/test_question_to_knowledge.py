"""From question to knowledge (issue #17): a thread's accepted answer proposed as a knowledge
document, through both review steps to a published document that credits the thread, and who may
propose it; closed-community content keeps its readers unless a moderator confirms otherwise.

Real PostgreSQL; the web views and the services the API uses too."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import services as community_services
from communities.models import Community, Membership, ThreadKnowledgeLink
from kennisbank import services
from kennisbank.models import KnowledgeDocumentPage
from kpo.audit.models import AuditEntry
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.kennisbank.conftest import board_approve
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

QUESTION = "Hoe toets je een horecavergunning op Bibob-risico's bij een stroman?"
ANSWER = "Vraag het RIEC om een integriteitsbeoordeling en leg de zeggenschap vast."


class Case:
    """A community of the given visibility with a moderator, a member who asked, a member who
    answered (accepted) and an outsider."""

    def __init__(self, visibility: str, theme) -> None:
        self.community = CommunityFactory(
            visibility=visibility, slug=f"q2k-{visibility}", name=f"Horeca {visibility}"
        )
        self.community.themes.add(theme)
        self.moderator = UserFactory(first_name="Mira", last_name="Moderator")
        self.asker = UserFactory(first_name="Anton", last_name="Vrager")
        self.answerer = UserFactory(first_name="Bea", last_name="Beantwoorder")
        self.outsider = UserFactory()
        MembershipFactory(
            community=self.community, user=self.moderator, role=Membership.Role.MODERATOR
        )
        MembershipFactory(community=self.community, user=self.asker)
        MembershipFactory(community=self.community, user=self.answerer)
        self.thread = community_services.thread_create(
            community=self.community,
            author=self.asker,
            title="Bibob-toets bij een stroman",
            body=QUESTION,
        )
        self.reply = community_services.reply_create(
            thread=self.thread, author=self.answerer, body=ANSWER
        )
        community_services.reply_accept(reply=self.reply, actor=self.asker)
        self.thread.refresh_from_db()

    def extra_member(self):
        """A member whose reply is not the accepted answer."""
        user = UserFactory(first_name="Karel", last_name="Aanvuller")
        MembershipFactory(community=self.community, user=user)
        return user

    @property
    def url(self) -> str:
        return self.thread.get_absolute_url()

    @property
    def propose_url(self) -> str:
        return reverse("kennisbank:thread_propose", args=[self.thread.pk])


@pytest.fixture
def closed_case(theme):
    return Case(Community.Visibility.CLOSED, theme)


def _propose_form(theme, factsheet, **extra):
    return {
        "scope": "answer",
        "title": "Bibob-toets bij een stroman",
        "summary": "Wat te doen als een stroman de vergunning aanvraagt.",
        "themes": [theme.pk],
        "doc_type": factsheet.pk,
        **extra,
    }


def test_thread_to_document_through_both_review_steps(
    client, closed_case, theme, factsheet, ambassador, board_member, second_board_member
):
    case = closed_case
    community_services.reply_create(
        thread=case.thread, author=case.extra_member(), body="Een losse aanvulling."
    )
    # the moderator sees the action on the thread page and proposes the accepted answer
    admin_login(client, case.moderator)  # an active moderator has a second factor
    page_html = client.get(case.url).content.decode()
    assert "Voorstellen voor de kennisbank" in page_html
    form = client.get(case.propose_url)
    assert form.status_code == 200
    assert "besloten community" in form.content.decode()
    response = client.post(case.propose_url, _propose_form(theme, factsheet))
    assert response.status_code == 302 and response["Location"] == case.url

    page = KnowledgeDocumentPage.objects.get(title="Bibob-toets bij een stroman")
    assert not page.live
    assert page.owner == case.moderator
    assert page.community == case.community  # a closed community's content keeps its readers
    draft = page.get_latest_revision_as_object()
    body = " ".join(str(block.value) for block in draft.body)
    assert "Bibob-risico" in body and "integriteitsbeoordeling" in body
    assert "besloten community" in body and case.community.name in body  # where it came from
    assert "Bea Beantwoorder" not in body  # names are credited on the page, to thread readers
    link = ThreadKnowledgeLink.objects.get(thread=case.thread)
    assert link.page_id == page.pk and link.reply == case.reply and not link.network_wide
    assert AuditEntry.objects.filter(action="kennisbank.thread_proposed").exists()
    state = services.document_active_workflow_state(page)
    assert state.workflow.name == "Redactieraad"
    assert state.current_task_state.task.name == "Ambassadeurs van de thema's"

    # a draft in review is not announced on the thread
    client.force_login(case.asker)
    assert "Opgenomen in de kennisbank" not in client.get(case.url).content.decode()

    # step 1: the theme's ambassador (the front-end review shows the question and answer)
    admin_login(client, ambassador)
    review = client.get(reverse("kennisbank:review_detail", args=[page.pk])).content.decode()
    assert "integriteitsbeoordeling" in review
    services.document_review_action(page=page, user=ambassador, action="approve")
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live
    # step 2: the board, by quorum (two members, scored)
    board_approve(page, board_member)
    assert not KnowledgeDocumentPage.objects.get(pk=page.pk).live
    board_approve(page, second_board_member)
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert page.live

    # the thread now shows the link, and the document credits the thread and its authors
    client.force_login(case.asker)
    thread_html = client.get(case.url).content.decode()
    assert "Opgenomen in de kennisbank" in thread_html and page.url in thread_html
    doc_html = client.get(page.url).content.decode()
    assert "Herkomst" in doc_html and case.url in doc_html
    credit = doc_html.split('id="herkomst"')[1]
    assert "Anton Vrager" in credit and "Bea Beantwoorder" in credit
    assert "Karel Aanvuller" not in credit  # the answer's document credits its authors only

    # an outsider of the closed community sees neither the document nor the thread
    client.force_login(case.outsider)
    assert client.get(page.url).status_code == 404


def test_widening_a_closed_community_needs_a_moderator_and_an_explicit_confirmation(
    client, closed_case, theme, factsheet, ambassador, board_member, second_board_member
):
    case = closed_case
    before = KnowledgeDocumentPage.objects.count()
    args = {"thread": case.thread, "doc_type": factsheet, "themes": [theme]}
    with pytest.raises(ValidationError) as no_confirmation:
        services.thread_knowledge_propose(actor=case.moderator, network_wide=True, **args)
    assert "confirm_network_wide" in no_confirmation.value.message_dict
    # an ambassador who is a member (not a moderator) can propose, but not widen
    MembershipFactory(community=case.community, user=ambassador)
    with pytest.raises(PermissionDenied):
        services.thread_knowledge_propose(
            actor=ambassador, network_wide=True, confirm_network_wide=True, **args
        )
    assert KnowledgeDocumentPage.objects.count() == before  # nothing half-written

    page = services.thread_knowledge_propose(
        actor=case.moderator, network_wide=True, confirm_network_wide=True, **args
    )
    assert page.community is None
    draft = page.get_latest_revision_as_object()
    assert "hele netwerk" in " ".join(str(b.value) for b in draft.body)
    services.document_review_action(page=page, user=ambassador, action="approve")
    board_approve(page, board_member, second_board_member)
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert page.live

    # the network reads the document, but the closed thread's credit only its members
    client.force_login(case.outsider)
    outsider_html = client.get(page.url).content.decode()
    assert "integriteitsbeoordeling" in outsider_html
    assert "Herkomst" not in outsider_html and "Bea Beantwoorder" not in outsider_html
    assert case.url not in outsider_html
    client.force_login(case.answerer)
    assert "Bea Beantwoorder" in client.get(page.url).content.decode()


def test_who_may_propose(client, closed_case, theme, factsheet, ambassador):
    case = closed_case
    before = KnowledgeDocumentPage.objects.count()
    # a member who is neither moderator nor ambassador: sees the thread, may not propose
    client.force_login(case.asker)
    assert "Voorstellen voor de kennisbank" not in client.get(case.url).content.decode()
    assert client.get(case.propose_url).status_code == 403
    assert client.post(case.propose_url, _propose_form(theme, factsheet)).status_code == 403
    # an outsider of the closed community, even an ambassador: the thread does not exist
    for user in (case.outsider, ambassador):
        admin_login(client, user)
        assert client.get(case.propose_url).status_code == 404
        assert client.post(case.propose_url, _propose_form(theme, factsheet)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.thread_knowledge_propose(
            actor=ambassador, thread=case.thread, doc_type=factsheet, themes=[theme]
        )
    # a secret community's thread is a 404 to an outsider too
    secret = Case(Community.Visibility.SECRET, theme)
    client.force_login(secret.outsider)
    assert client.get(secret.propose_url).status_code == 404
    # anonymous: to the login
    client.logout()
    assert client.get(case.propose_url).status_code == 302
    assert KnowledgeDocumentPage.objects.count() == before
    assert not ThreadKnowledgeLink.objects.exists()


def test_an_ambassador_proposes_an_open_thread_and_the_whole_thread(
    client, theme, factsheet, ambassador
):
    case = Case(Community.Visibility.OPEN, theme)
    community_services.reply_create(
        thread=case.thread, author=case.moderator, body="Betrek ook de gemeentejurist."
    )
    admin_login(client, ambassador)  # not a member of the open community
    assert "Voorstellen voor de kennisbank" in client.get(case.url).content.decode()
    response = client.post(case.propose_url, _propose_form(theme, factsheet, scope="thread"))
    assert response.status_code == 302
    page = KnowledgeDocumentPage.objects.get(pk=ThreadKnowledgeLink.objects.get().page_id)
    assert page.community is None  # an open community's content is network-wide already
    body = " ".join(str(b.value) for b in page.get_latest_revision_as_object().body)
    assert "integriteitsbeoordeling" in body and "gemeentejurist" in body
    assert ThreadKnowledgeLink.objects.get().reply is None  # the whole thread


def test_answer_scope_needs_an_accepted_answer(theme, factsheet, ambassador):
    case = Case(Community.Visibility.OPEN, theme)
    case.thread.accepted_reply = None
    case.thread.save(update_fields=["accepted_reply"])
    with pytest.raises(ValidationError) as exc:
        services.thread_knowledge_propose(
            actor=ambassador, thread=case.thread, doc_type=factsheet, themes=[theme]
        )
    assert "geen geaccepteerd antwoord" in str(exc.value)
    with pytest.raises(ValidationError):
        services.thread_knowledge_propose(
            actor=ambassador,
            thread=case.thread,
            doc_type=factsheet,
            themes=[theme],
            scope="everything",
        )
