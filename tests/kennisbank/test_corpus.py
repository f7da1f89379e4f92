from kennisbank.models import KennisbankIndexPage, KnowledgeDocumentPage, ReviewStatus


def test_corpus_documents_loaded(db):
    index = KennisbankIndexPage.objects.get()
    assert index.slug == "kennisbank" and index.live
    from kpo.core.corpus import read_corpus

    expected = len(read_corpus()["documents"])
    assert KnowledgeDocumentPage.objects.live().count() == expected
    statuses = set(KnowledgeDocumentPage.objects.values_list("review_status", flat=True))
    assert statuses == {ReviewStatus.CURRENT, ReviewStatus.REVIEW_NEEDED, ReviewStatus.OUTDATED}


def test_corpus_spread_of_review_dates_and_visibility(db):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    live = KnowledgeDocumentPage.objects.live()
    soon = live.filter(
        next_review_due__gt=today, next_review_due__lte=today + datetime.timedelta(days=30)
    )
    assert soon.count() >= 2
    assert live.filter(next_review_due__lt=today - datetime.timedelta(days=90)).count() == 1
    for page in live:
        assert page.next_review_due == page.due_date_after(page.last_reviewed_at)
    community_docs = live.filter(community__isnull=False)
    assert community_docs.count() == 3
    assert {d.community.slug for d in community_docs} == {
        "koplopersgroep-underground-banking",
        "omg-contactpersonen",
        "lft-vastgoed-experts",
    }
    assert all(page.themes.exists() for page in live)


def test_kennisbank_part_of_a_second_load_changes_no_rows(db):
    from django.apps import apps

    from kennisbank.corpus import load
    from kpo.core.corpus import CorpusContext, read_corpus

    def snapshot():
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    before = snapshot()
    ctx = CorpusContext(data=read_corpus(), demo_accounts=True)
    load(ctx)
    assert not ctx.stats
    assert snapshot() == before
