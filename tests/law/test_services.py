"""A law change (ADR 0026): exactly the citing live documents and courses get a re-assessment,
once; owners (with fall-back) and jurists are told; the page says "Wetswijziging per …" until its
review is completed; the import takes good files and names every bad row."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import WorkflowState

from academie.legal import LEGAL_WORKFLOW_NAME
from kennisbank import services as kb_services
from kennisbank.models import KnowledgeDocumentPage, ReviewStatus
from kpo.law import services
from kpo.law.models import LawChange, LawReassessment
from kpo.law.selectors import open_law_changes_for_page
from kpo.notifications.models import Notification
from tests.factories import UserFactory
from tests.law.conftest import BIBOB, WGS, cite_course, cite_document

pytestmark = pytest.mark.django_db

EFFECTIVE = datetime.date(2027, 1, 1)


def workflows_of(page) -> list[str]:
    return list(
        WorkflowState.objects.filter(object_id=str(page.pk))
        .order_by("pk")
        .values_list("workflow__name", flat=True)
    )


def record(actor, *, article="3", bwb=BIBOB, date=EFFECTIVE):
    return services.law_change_record(
        actor=actor,
        bwb_id=bwb,
        article=article,
        effective_date=date,
        summary="De Bibob-toets wordt uitgebreid.",
    )


def test_a_change_reopens_exactly_the_citing_live_documents_and_courses_once(law_theme, jurist):
    art3 = cite_document(title="Cites art 3", citations=[(BIBOB, "3")], theme=law_theme)
    whole = cite_document(title="Cites the law", citations=[(BIBOB, "")], theme=law_theme)
    art4 = cite_document(title="Cites art 4", citations=[(BIBOB, "4")], theme=law_theme)
    other = cite_document(title="Other law art 3", citations=[(WGS, "3")], theme=law_theme)
    draft = cite_document(
        title="Draft art 3", citations=[(BIBOB, "3")], theme=law_theme, live=False
    )
    course = cite_course(slug="wet-art-3", citations=[(BIBOB, "3")])
    course_other = cite_course(slug="wet-art-4", citations=[(BIBOB, "4")])

    change, opened = record(jurist)

    assert opened == 3
    hit = set(LawReassessment.objects.filter(law_change=change).values_list("page_id", flat=True))
    assert hit == {art3.pk, whole.pk, course.pk}
    for page in (art3, whole):
        page = KnowledgeDocumentPage.objects.get(pk=page.pk)
        assert page.review_status == ReviewStatus.REVIEW_NEEDED
        assert workflows_of(page) == [kb_services.REVIEW_WORKFLOW]
    assert workflows_of(course) == [LEGAL_WORKFLOW_NAME]
    for page in (art4, other, draft):
        assert KnowledgeDocumentPage.objects.get(pk=page.pk).review_status == ReviewStatus.CURRENT
        assert workflows_of(page) == []
    assert workflows_of(course_other) == []

    # entered again (or imported, or applied again): nothing new, nothing twice
    notifications = Notification.objects.count()
    again, opened_again = record(jurist)
    assert again == change and opened_again == 0
    assert services.law_change_apply(law_change=change) == []
    assert LawChange.objects.count() == 1
    assert LawReassessment.objects.count() == 3
    assert workflows_of(art3) == [kb_services.REVIEW_WORKFLOW]
    assert workflows_of(course) == [LEGAL_WORKFLOW_NAME]
    assert Notification.objects.count() == notifications


def test_a_change_of_the_whole_law_hits_every_article(law_theme, jurist):
    art3 = cite_document(title="Art 3", citations=[(BIBOB, "3")], theme=law_theme)
    art4 = cite_document(title="Art 4", citations=[(BIBOB, "4")], theme=law_theme)
    other = cite_document(title="Other", citations=[(WGS, "")], theme=law_theme)
    change, opened = record(jurist, article="")
    assert opened == 2
    assert set(change.reassessments.values_list("page_id", flat=True)) == {art3.pk, art4.pk}
    assert not LawReassessment.objects.filter(page_id=other.pk).exists()


def test_owners_and_jurists_are_told_and_a_gone_owner_falls_back_to_ambassadors(law_theme, jurist):
    owner = UserFactory()
    gone = UserFactory(is_active=False)
    course_owner = UserFactory(groups=["Academie"])
    owned = cite_document(title="Owned", citations=[(BIBOB, "3")], theme=law_theme, owner=owner)
    orphan = cite_document(title="Orphan", citations=[(BIBOB, "3")], theme=law_theme, owner=gone)
    course = cite_course(slug="wet-eigenaar", citations=[(BIBOB, "3")], owner=course_owner)
    record(jurist)
    ambassador = law_theme.ambassadors.get()

    def told(user, page) -> bool:
        return Notification.objects.filter(
            recipient=user,
            kind=services.NOTIFY_KIND_LAW_CHANGE,
            title=f"Wetswijziging per 1 januari 2027: {page.title}",
        ).exists()

    assert told(owner, owned) and not told(ambassador, owned)
    assert told(ambassador, orphan) and not told(gone, orphan)
    assert told(course_owner, course)
    for page in (owned, orphan, course):
        assert told(jurist, page)
    body = Notification.objects.filter(recipient=owner).latest("pk").body
    assert "BWBR0013798 artikel 3" in body and "De Bibob-toets wordt uitgebreid." in body


def test_the_page_shows_the_change_until_its_review_is_completed(
    client, law_theme, jurist, professional, django_capture_on_commit_callbacks
):
    page = cite_document(title="Bibob-toets", citations=[(BIBOB, "3")], theme=law_theme)
    client.force_login(professional)
    html = client.get(page.url).content.decode()
    assert "Wetswijziging per" not in html
    assert "https://wetten.overheid.nl/jci1.3:c:BWBR0013798&amp;artikel=3" in html  # citation list

    with django_capture_on_commit_callbacks(execute=True):  # the fragment cache's version bump
        record(jurist)
    html = client.get(page.url).content.decode()
    assert "Wetswijziging per 1 januari 2027" in html
    assert "termijn verstreken" not in html  # the reason is the law, not the calendar
    assert open_law_changes_for_page(page_id=page.pk)

    # the re-review runs through both steps: the ambassador, then the board's quorum
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    ambassador = law_theme.ambassadors.get()
    kb_services.document_review_action(page=page, user=ambassador, action="approve")
    assert "Wetswijziging per" in client.get(page.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for member in (UserFactory(groups=["Redactieraad"]), UserFactory(groups=["Redactieraad"])):
            kb_services.document_review_action(
                page=page,
                user=member,
                action="approve",
                comment="Aangepast aan de nieuwe wet.",
                relevance=4,
                reliability=5,
            )
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    assert page.review_status == ReviewStatus.CURRENT
    assert open_law_changes_for_page(page_id=page.pk) == []
    assert LawReassessment.objects.get(page_id=page.pk).resolved_at is not None
    assert "Wetswijziging per" not in client.get(page.url).content.decode()


def test_only_jurists_and_the_board_may_enter_a_change(law_theme):
    with pytest.raises(PermissionDenied):
        record(UserFactory())
    with pytest.raises(PermissionDenied):
        record(UserFactory(groups=["Ambassadeurs"]))
    services.law_permissions_ensure()  # what the migration granted (a flushed db loses it)
    assert record(UserFactory(groups=["Redactieraad"]))[0].pk
    assert LawChange.objects.count() == 1


def test_a_bad_change_is_refused_per_field_in_dutch(jurist):
    with pytest.raises(ValidationError) as exc:
        services.law_change_record(
            actor=jurist, bwb_id="Bibob", article="3!", effective_date="31-02-2027", summary=""
        )
    errors = exc.value.message_dict
    assert set(errors) == {"bwb_id", "article", "effective_date", "summary"}
    assert "geen geldig BWB-id" in errors["bwb_id"][0]
    assert not LawChange.objects.exists()


GOOD_CSV = (
    "bwb_id;artikel;ingangsdatum;samenvatting\n"
    f"{BIBOB};3;2027-01-01;Uitbreiding van de toets\n"
    f"{BIBOB};;01-07-2027;Hele wet herzien\n"
).encode()

BAD_CSV = (
    "bwb_id,artikel,ingangsdatum,samenvatting\n"
    f"{BIBOB},3,2027-01-01,Goed\n"
    "BWBR12,3,2027-01-01,Fout id\n"
    f"{BIBOB},3,2027-13-01,Foute datum\n"
    f"{BIBOB},3,2027-01-01,\n"
).encode()


def test_import_with_good_rows_records_them_and_a_second_import_nothing_new(law_theme, jurist):
    page = cite_document(title="Geraakt", citations=[(BIBOB, "3")], theme=law_theme)
    result = services.law_changes_import(actor=jurist, content=GOOD_CSV, filename="wijz.csv")
    assert len(result.created) == 2 and result.existing == []
    assert result.reassessments == 2  # the page, once per change
    assert LawReassessment.objects.filter(page_id=page.pk).count() == 2
    assert {c.source for c in LawChange.objects.all()} == {LawChange.Source.IMPORT}
    again = services.law_changes_import(actor=jurist, content=GOOD_CSV, filename="wijz.csv")
    assert again.created == [] and len(again.existing) == 2 and again.reassessments == 0
    data = [{"bwb_id": BIBOB, "article": "3", "effective_date": "2027-01-01", "summary": "x"}]
    as_json = services.law_changes_import(
        actor=jurist, content=json.dumps({"changes": data}).encode(), filename="w.json"
    )
    assert len(as_json.existing) == 1


def test_import_with_bad_rows_names_each_row_and_records_nothing(jurist):
    with pytest.raises(ValidationError) as exc:
        services.law_changes_import(actor=jurist, content=BAD_CSV, filename="wijz.csv")
    messages = exc.value.messages
    assert [m.split(":")[0] for m in messages] == ["Rij 3", "Rij 4", "Rij 5"]
    assert "geen geldig BWB-id" in messages[0]
    assert "ingangsdatum" in messages[1]
    assert "Beschrijf kort" in messages[2]
    assert not LawChange.objects.exists()
    for content, name, expected in [
        (b"not json", "w.json", "JSON-bestand is ongeldig"),
        (b'{"a": 1}', "w.json", "lijst van wetswijzigingen"),
        (b"[1]", "w.json", "Item 1: geen object"),
        (b"wet,datum\nx,y\n", "w.csv", "kopregel mist"),
        (b"\xff\xfe", "w.csv", "geen UTF-8"),
        (b"a", "w.xlsx", "CSV- of JSON-bestand"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.law_changes_import(actor=jurist, content=content, filename=name)
        assert expected in " ".join(exc.value.messages)


def test_the_command_imports_through_the_same_service(tmp_path, capsys):
    good = tmp_path / "wijzigingen.csv"
    good.write_bytes(GOOD_CSV)
    call_command("law_changes_import", str(good))
    assert "2 wetswijziging(en) geïmporteerd" in capsys.readouterr().out
    bad = tmp_path / "fout.csv"
    bad.write_bytes(BAD_CSV)
    with pytest.raises(CommandError):
        call_command("law_changes_import", str(bad))
    assert "Rij 3:" in capsys.readouterr().err
    assert LawChange.objects.count() == 2
