from django.apps import AppConfig

from kpo.law.declarations import CitesLaw
from kpo.privacy.declarations import OnDelete, PersonalData


class AcademieConfig(AppConfig):
    name = "academie"
    verbose_name = "Ondermijningsacademie"
    corpus_loader = "academie.corpus.load"
    corpus_order = 60
    theme_section = "academie.selectors.theme_section"
    # Evidence of a person's expertise on their profile (kpo.accounts.selectors, ADR 0031).
    expertise_evidence = "academie.selectors.expertise_evidence"
    # What the core reads from this pillar (docs/decisions/0018).
    personal_data = (
        PersonalData("academie.Enrolment", owner=("user",), section="enrolments"),
        PersonalData(
            "academie.LessonProgress", owner=("enrolment__user",), section="lesson_progress"
        ),
        PersonalData("academie.QuizAttempt", owner=("enrolment__user",), section="quiz_attempts"),
        PersonalData(
            "academie.Certificate",
            owner=("user",),
            section="certificates",
            on_delete=OnDelete.UNVERIFIABLE,
            name_fields=("learner_name",),
        ),
        PersonalData("academie.Registration", owner=("user",), section="training_registrations"),
    )

    # Courses cite law (ADR 0026): a law change sends them back to "Juridische toetsing".
    cites_law = (
        CitesLaw(
            citation_model="academie.CourseCitation",
            reassess="academie.law.course_law_reassessment_open",
            responsible="academie.law.course_law_responsible",
        ),
    )

    def ready(self) -> None:
        from academie import signal_handlers

        signal_handlers.connect()
