"""Views of account security: login second step, 2FA set-up, registration, password reset."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from kpo.security.forms import (
    LockoutPasswordResetForm,
    LoginForm,
    OTPTokenForm,
    RegistrationForm,
)
from kpo.security.lockout import (
    lockout_register_failure,
    lockout_remaining,
    lockout_reset,
    minutes,
)
from kpo.security.middleware import second_factor_url
from kpo.security.roles import user_requires_2fa
from kpo.security.selectors import api_token_list, passkey_list
from kpo.security.services import (
    ApiTokenRefused,
    RegistrationError,
    api_token_create,
    api_token_revoke,
    otp_device_confirm,
    otp_device_pending,
    passkey_remove,
    recovery_codes_regenerate,
    registration_confirm,
    registration_create,
)

RECOVERY_SESSION_KEY = "kpo_recovery_codes"


def _safe_next(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class SecureLoginMixin:
    """For ``accounts.views.LoginView``: the lock-out aware form, and for staff roles straight on
    to the second step (verify, or set up a second factor). The step itself is enforced for every
    login path by ``TwoFactorMiddleware``, not here."""

    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if user_requires_2fa(user):
            return redirect(second_factor_url(user, self.get_success_url()))
        return response


# --- second factor ------------------------------------------------------------------------------


def _qr_data_uri(config_url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _finish_second_factor(request, device):
    from django_otp import login as otp_login

    otp_login(request, device)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    from django_otp import user_has_device

    next_url = _safe_next(request)
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(second_factor_url(request.user, next_url))
    device = otp_device_pending(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp_device_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            _finish_second_factor(request, device)
            request.session[RECOVERY_SESSION_KEY] = codes
            messages.success(request, "Tweestapsverificatie is ingesteld.")
            return redirect(f"{reverse('security:recovery_codes')}?{urlencode({'next': next_url})}")
        form.add_error("token", "Deze code klopt niet. Controleer de tijd op je telefoon.")
    raw = base64.b32encode(device.bin_key).decode()
    secret = " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))  # groups of four
    return render(
        request,
        "security/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "next": next_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    from django_otp import match_token, user_has_device

    next_url = _safe_next(request)
    if not user_has_device(request.user):
        return redirect(second_factor_url(request.user, next_url))
    if request.user.is_verified():
        return redirect(next_url)
    form = OTPTokenForm(request.POST or None)
    ident = f"user:{request.user.pk}"
    if request.method == "POST" and form.is_valid():
        remaining = lockout_remaining(scope="otp", ident=ident)
        if remaining:
            form.add_error(
                "token",
                f"Te veel onjuiste codes. Probeer het over {minutes(remaining)} minuten opnieuw.",
            )
        else:
            device = match_token(request.user, form.cleaned_data["token"])
            if device is not None:
                lockout_reset(scope="otp", ident=ident)
                _finish_second_factor(request, device)
                return redirect(next_url)
            lockout_register_failure(scope="otp", ident=ident, user=request.user)
            form.add_error("token", "Deze code klopt niet.")
    return render(
        request,
        "security/otp_verify.html",
        {"form": form, "next": next_url, "has_passkey": passkey_list(user=request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if not request.user.is_verified():
        return redirect(second_factor_url(request.user, request.get_full_path()))
    if request.method == "POST":
        request.session[RECOVERY_SESSION_KEY] = recovery_codes_regenerate(user=request.user)
        return redirect("security:recovery_codes")
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    return render(
        request, "security/recovery_codes.html", {"codes": codes, "next": _safe_next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def passkeys(request):
    """The user's passkeys (WebAuthn credentials) and the button to register another one. The
    ceremony runs in django-otp-webauthn's script (a static file: no inline script under the
    CSP); registering needs a verified session once the user has any second factor."""
    from django_otp import user_has_device

    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(second_factor_url(request.user, request.get_full_path()))
    if request.method == "POST":
        if passkey_remove(user=request.user, passkey_id=request.POST.get("passkey", "")):
            messages.success(request, "De passkey is verwijderd.")
        return redirect("security:passkeys")
    return render(
        request,
        "security/passkeys.html",
        {"passkeys": passkey_list(user=request.user), "next": _safe_next(request, "")},
    )


# --- API tokens ---------------------------------------------------------------------------------

NEW_TOKEN_SESSION_KEY = "kpo_new_api_token"  # noqa: S105 - a session key name


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """ "Mijn API-tokens": make a token (shown once), see the live ones, revoke one."""
    if request.method == "POST":
        if request.POST.get("revoke"):
            if api_token_revoke(
                user=request.user, token_key=request.POST["revoke"], actor=request.user
            ):
                messages.success(request, "Het token is ingetrokken.")
        else:
            try:
                _, token = api_token_create(user=request.user)
            except ApiTokenRefused as exc:
                messages.error(request, str(exc))
            else:
                request.session[NEW_TOKEN_SESSION_KEY] = token
        return redirect("security:api_tokens")
    return render(
        request,
        "security/api_tokens.html",
        {
            "tokens": api_token_list(user=request.user),
            "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
            "may_have_tokens": not user_requires_2fa(request.user),
        },
    )


# --- registration -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("/")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registration_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
        )
        return render(request, "security/register_done.html", {"email": data["email"]})
    return render(request, "security/register.html", {"form": form})


def register_confirm(request, token: str):
    try:
        state = registration_confirm(token=token)
    except RegistrationError as exc:
        return render(request, "security/register_confirm.html", {"error": str(exc)}, status=400)
    return render(request, "security/register_confirm.html", {"state": state})


# --- password reset (our only reset path; Wagtail's own is switched off) ------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LockoutPasswordResetForm
    template_name = "security/password_reset_form.html"
    success_url = reverse_lazy("security:password_reset_done")
    email_template_name = "security/password_reset_email.txt"
    subject_template_name = "security/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "security/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "security/password_reset_confirm.html"
    success_url = reverse_lazy("security:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "security/password_reset_complete.html"
