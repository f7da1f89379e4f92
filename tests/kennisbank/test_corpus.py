from kennisbank.models import KennisbankIndexPage, KnowledgeDocumentPage, ReviewStatus


def test_corpus_documents_loaded(db):
    index = KennisbankIndexPage.objects.get()
    assert index.slug == "kennisbank" and index.live
    assert KnowledgeDocumentPage.objects.live().count() == 45
    statuses = set(KnowledgeDocumentPage.objects.values_list("review_status", flat=True))
    assert statuses == {ReviewStatus.CURRENT, ReviewStatus.REVIEW_NEEDED, ReviewStatus.OUTDATED}
