from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from academie.urls import certificate_urlpatterns
from kpo.core.health import health
from kpo.core.observability import metrics

handler404 = "kpo.core.views.page_not_found"
handler500 = "kpo.core.views.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("kpo.api_urls")),
    path("account/mijn-gegevens/", include("kpo.privacy.urls")),
    path("account/", include("kpo.security.urls")),
    # django-otp-webauthn's ceremony endpoints (JSON), exempt from the pending second factor.
    path("account/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("account/", include("kpo.accounts.urls")),
    path("meldingen/", include("kpo.notifications.urls")),
    path("zoeken/", include("search.urls")),
    path("begrippen/", include("kpo.themes.urls")),
    path("communities/", include("communities.urls")),
    path("agenda/", include("communities.urls_agenda")),
    path("academie/", include("academie.urls")),
    path("certificaat/", include((certificate_urlpatterns, "certificaat"))),
    path("kennisbank-acties/", include("kennisbank.urls")),
    path("", include("kpo.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Development only: public media (images). Documents and profile photos are never served
    # from here — only through views that apply the access rule.
    for public_dir in ("images/", "original_images/"):
        urlpatterns += static(
            settings.MEDIA_URL + public_dir, document_root=settings.MEDIA_ROOT / public_dir
        )

urlpatterns.append(path("", include(wagtail_urls)))
