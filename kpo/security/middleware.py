"""Security middleware: headers (CSP), the second-factor guard and the idle-session timeout.

Order in ``settings.MIDDLEWARE`` (after Django's AuthenticationMiddleware and django-otp's
OTPMiddleware): SecurityHeadersMiddleware first (it only touches responses), then
TwoFactorMiddleware, IdleTimeoutMiddleware, RateLimitMiddleware.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from kpo.core.problems import is_api_request, problem_response

ADMIN_PREFIXES = ("/admin/",)

# The site loads only its own /static/ files and has no inline scripts. Lesson videos play from
# our own origin (media-src); frames only from the two no-cookie video players, loaded after a
# click (academie.media).
EMBED_FRAME_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; "
    f"frame-src {' '.join(EMBED_FRAME_HOSTS)}; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Wagtail's admin still has a few inline scripts and styles; it is reachable only for staff
# with a verified second factor.
DEFAULT_ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
# Uploaded files: never rendered as a page or executed in our origin.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
FILE_PREFIXES = ("/media/", "/documents/")
ACTIVE_CONTENT_TYPES = (
    "text/html",
    "image/svg+xml",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/javascript",
    "text/javascript",
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        is_download = response.get("Content-Disposition", "").startswith("attachment")
        if path.startswith(FILE_PREFIXES) or is_download:
            response["Content-Security-Policy"] = FILE_CSP
            content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type in ACTIVE_CONTENT_TYPES:
                response["Content-Type"] = "application/octet-stream"
                disposition = response.get("Content-Disposition", "")
                if not disposition.startswith("attachment"):
                    response["Content-Disposition"] = "attachment"
        elif "Content-Security-Policy" not in response:
            policy = (
                getattr(settings, "KPO_CSP_ADMIN", DEFAULT_ADMIN_CSP)
                if path.startswith(ADMIN_PREFIXES)
                else getattr(settings, "KPO_CSP", DEFAULT_CSP)
            )
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response


# --- second factor ------------------------------------------------------------------------------
#
# "Second factor pending" is not a flag that a login view sets: it is computed on every request
# from the user's roles and the session's django-otp verification. A session whose user needs a
# second factor (``user_requires_2fa``) and has not passed one is pending, whichever view called
# ``login()`` (ours, Wagtail's admin login, a password reset, a library's), and also when the role
# was gained after the login. While pending only the second-factor pages and logout answer.

ADMIN_LOGOUT = "/admin/logout/"


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("security:otp_setup"),  # also verify, recovery codes, passkeys (sub-paths)
        reverse("accounts:logout"),
        ADMIN_LOGOUT,
        "/account/passkeys/",  # django-otp-webauthn's ceremony endpoints (kpo.urls)
        settings.STATIC_URL,
        "/health/",
    )


def _exempt(path: str) -> bool:
    return path.startswith(_exempt_prefixes())


def second_factor_pending(request) -> bool:
    """True when the request's user is logged in, needs a second factor for their role and has
    not passed one in this session. Cached on the request."""
    cached = getattr(request, "kpo_2fa_pending", None)
    if cached is not None:
        return cached
    from kpo.security.roles import user_requires_2fa

    user = getattr(request, "user", None)
    pending = bool(
        user is not None
        and user.is_authenticated
        and not _is_verified(user)
        and user_requires_2fa(user)
    )
    request.kpo_2fa_pending = pending
    return pending


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_url(user, next_url: str) -> str:
    from django_otp import user_has_device

    name = "security:otp_verify" if user_has_device(user) else "security:otp_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


SECOND_FACTOR_REQUIRED = "Rond eerst de tweestapsverificatie af."


class TwoFactorMiddleware:
    """While a session's second factor is pending (``second_factor_pending``) every page
    redirects to the challenge and the API answers 403 in the platform's error format. The
    Wagtail admin needs a verified second factor for everyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            path = request.path
            pending = second_factor_pending(request)
            guarded = pending or (path.startswith(ADMIN_PREFIXES) and not _is_verified(user))
            if guarded and not _exempt(path):
                if is_api_request(request):
                    return problem_response(
                        request=request,
                        status=403,
                        code="second_factor_required",
                        detail=SECOND_FACTOR_REQUIRED,
                    )
                if request.method in ("GET", "HEAD"):
                    return redirect(second_factor_url(user, request.get_full_path()))
                return redirect(second_factor_url(user, "/"))
        return self.get_response(request)


def drop_verification_on_login(sender, request, user, **kwargs):
    """``user_logged_in``: every login starts unverified, also a second login of the same user
    in a session that was verified before (Django keeps that session's data)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    if request is not None and hasattr(request, "session"):
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        request.__dict__.pop("kpo_2fa_pending", None)


# --- idle timeout -------------------------------------------------------------------------------

LAST_SEEN_SESSION_KEY = "kpo_last_seen"


class IdleTimeoutMiddleware:
    """Log out sessions idle for longer than ``KPO_SESSION_IDLE_TIMEOUT`` seconds (default 30
    minutes). The last-seen time is written at most once a minute to spare the session store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timeout = int(getattr(settings, "KPO_SESSION_IDLE_TIMEOUT", 1800))
            now = time.time()
            last = request.session.get(LAST_SEEN_SESSION_KEY)
            if timeout and last and now - float(last) > timeout:
                logout(request)
                if request.method == "GET" and not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        "Je bent automatisch uitgelogd omdat je een tijd niet actief was.",
                    )
                    login = reverse("accounts:login")
                    return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            elif not last or now - float(last) > 60:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)
