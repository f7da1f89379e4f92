import pytest

from academie.models import CoursePage, TrainingPage

pytestmark = pytest.mark.django_db


def test_corpus_courses_are_live(corpus):
    basis = CoursePage.objects.get(slug="elearning-wet-bibob-basis")
    assert basis.live
    assert basis.legal_reviewed_at is not None
    assert TrainingPage.objects.get(slug="training-de-verleiding").sessions.count() == 4
