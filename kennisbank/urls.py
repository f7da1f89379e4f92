from django.urls import path

from kennisbank import views, views_knowledge

app_name = "kennisbank"
urlpatterns = [
    path("delen/", views.share, name="share"),
    path("mijn-bijdragen/", views.submissions, name="submissions"),
    path("mijn-bijdragen/<id:pk>/aanpassen/", views.submission_edit, name="submission_edit"),
    path("bestand/<id:document_id>/", views.download, name="download"),
    path("beoordelen/", views.review_queue, name="review_queue"),
    path("beoordelen/<id:pk>/", views.review_detail, name="review_detail"),
    path("besluiten/<id:pk>/", views.decisions, name="decisions"),
    # issue #17, van vraag naar kennis
    path(
        "uit-onderwerp/<id:thread_id>/",
        views_knowledge.thread_propose,
        name="thread_propose",
    ),
    path("zoekvragen/", views_knowledge.zero_results, name="zero_results"),
    path(
        "kennisvragen/nieuw/",
        views_knowledge.knowledge_request_create,
        name="knowledge_request_create",
    ),
    path("kennisvragen/", views_knowledge.knowledge_requests, name="knowledge_requests"),
]
