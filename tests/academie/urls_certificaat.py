"""The project's URLs plus ``/certificaat/`` as the lead is asked to mount it in kpo/urls.py."""

from django.urls import include, path

from academie.urls import certificate_urlpatterns
from kpo.urls import handler404, handler500  # noqa: F401 - same error pages
from kpo.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("certificaat/", include((certificate_urlpatterns, "certificaat"))),
    *project_urlpatterns,
]
