"""Web routes of the academy, mounted at ``/academie/``.

``certificate_urlpatterns`` is the public verification (the form at ``/certificaat/``, the link
``/certificaat/<code>/``) and the Open Badges issuer documents, mounted at ``/certificaat/`` by
``kpo/urls.py``; the link is also reachable at ``/academie/certificaat/<code>/``.
"""

from django.urls import path

from academie import views

app_name = "academie"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mijn-leren/", views.my_learning, name="my_learning"),
    path("e-learning/<id:course_id>/inschrijven/", views.course_enrol, name="enrol"),
    path("e-learning/<id:course_id>/les/<id:lesson_id>/", views.lesson_detail, name="lesson"),
    path("e-learning/<id:course_id>/toets/", views.quiz, name="quiz"),
    path("e-learning/<id:course_id>/opfrissen/", views.refresher, name="refresher"),
    path(
        "e-learning/<id:course_id>/toets/resultaat/<id:attempt_id>/",
        views.quiz_result,
        name="quiz_result",
    ),
    path("certificaten/<id:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path(
        "certificaten/<id:pk>/open-badge/",
        views.certificate_openbadge,
        name="certificate_openbadge",
    ),
    path("certificaten/<id:pk>/intrekken/", views.certificate_revoke, name="certificate_revoke"),
    path("certificaat/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("sessie/<id:session_id>/aanmelden/", views.session_register, name="session_register"),
    path("sessie/<id:session_id>/afmelden/", views.registration_cancel, name="session_cancel"),
    path(
        "sessie/<id:session_id>/deelnemers/",
        views.session_attendees,
        name="session_attendees",
    ),
    path(
        "sessie/<id:session_id>/deelnemers.csv",
        views.session_attendees_csv,
        name="session_attendees_csv",
    ),
]

certificate_urlpatterns = [
    path("", views.certificate_verify_form, name="verify_form"),
    path("openbadges/sleutel.json", views.openbadges_key, name="openbadges_key"),
    path("openbadges/uitgever.json", views.openbadges_issuer, name="openbadges_issuer"),
    path("<str:code>/", views.certificate_verify, name="verify"),
]
