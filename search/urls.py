from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="page"),
    path("suggesties/", views.suggestions, name="suggestions"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
]
