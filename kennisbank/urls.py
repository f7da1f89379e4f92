from django.urls import path

from kennisbank import views

app_name = "kennisbank"
urlpatterns = [
    path("delen/", views.share, name="share"),
    path("mijn-bijdragen/", views.submissions, name="submissions"),
    path("mijn-bijdragen/<id:pk>/aanpassen/", views.submission_edit, name="submission_edit"),
    path("bestand/<id:document_id>/", views.download, name="download"),
    path("beoordelen/", views.review_queue, name="review_queue"),
    path("beoordelen/<id:pk>/", views.review_detail, name="review_detail"),
    path("besluiten/<id:pk>/", views.decisions, name="decisions"),
]
