from django.urls import path

from kpo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/foto/", views.profile_photo, name="profile_photo"),
    path("wie-weet-wat/", views.people, name="people"),
    path("wie-weet-wat/<id:user_id>/", views.person, name="person"),
    path("wie-weet-wat/<id:user_id>/bericht/", views.person_contact, name="person_contact"),
    path("wie-weet-wat/<id:user_id>/foto/<slug:size>/", views.person_photo, name="person_photo"),
    path("gesprekken/", views.conversations, name="conversations"),
    path("gesprekken/<id:conversation_id>/", views.conversation, name="conversation"),
]
