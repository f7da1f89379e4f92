from django.urls import path

from kpo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("profiel/", views.profile, name="profile"),
    path("wie-weet-wat/", views.people, name="people"),
    path("wie-weet-wat/<id:user_id>/", views.person, name="person"),
]
