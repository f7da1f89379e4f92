"""Web routes of the academy, mounted at ``/academie/``.

``certificate_urlpatterns`` is the public verification page, meant to be mounted at
``/certificaat/`` by ``kpo/urls.py``; it is also reachable at ``/academie/certificaat/<code>/``.
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
    path("<str:code>/", views.certificate_verify, name="verify"),
]
