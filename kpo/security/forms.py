from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kpo.security.backends import login_lock_remaining
from kpo.security.ip import client_ip
from kpo.security.lockout import (
    lockout_register_failure,
    lockout_remaining,
    minutes,
)

LOCKED_MESSAGE = _(
    "Te veel mislukte inlogpogingen. Probeer het over %(minutes)s minuten opnieuw of "
    "herstel je wachtwoord."
)


UNCONFIRMED_MESSAGE = _(
    "Je hebt je e-mailadres nog niet bevestigd. Klik op de link in de e-mail die we je stuurden "
    "om je account te activeren."
)
PENDING_MESSAGE = _(
    "Je registratie wacht nog op goedkeuring door een beheerder. Je krijgt een e-mail zodra je "
    "account is goedgekeurd."
)


def inactive_account_message(*, email: str, password: str) -> str:
    """For a registrant who entered the right password of an account that is not active yet:
    why (e-mail not confirmed, or awaiting approval). Empty for everything else, so a wrong
    password or an unknown address never learns more than "klopt niet"."""
    from kpo.security.models import AccountState

    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None or user.is_active or not user.check_password(password or ""):
        return ""
    state = AccountState.objects.filter(user=user).first()
    if state is None:
        return ""
    if state.email_confirmed_at is None:
        return str(UNCONFIRMED_MESSAGE)
    if state.approval == AccountState.Approval.PENDING:
        return str(PENDING_MESSAGE)
    return ""


class LoginForm(AuthenticationForm):
    """Django's login form that says so plainly when the account or address is locked, or when
    a registrant's account is not active yet."""

    locked_message = ""
    account_message = ""

    def clean(self):
        username = self.cleaned_data.get("username")
        remaining = login_lock_remaining(username, self.request)
        if remaining:
            self.locked_message = LOCKED_MESSAGE % {"minutes": minutes(remaining)}
            raise ValidationError(self.locked_message, code="locked")
        try:
            return super().clean()
        except ValidationError:
            remaining = login_lock_remaining(username, self.request)
            if remaining:  # this failure locked the account
                self.locked_message = LOCKED_MESSAGE % {"minutes": minutes(remaining)}
                raise ValidationError(self.locked_message, code="locked") from None
            self.account_message = inactive_account_message(
                email=username, password=self.cleaned_data.get("password")
            )
            if self.account_message:
                raise ValidationError(self.account_message, code="inactive") from None
            raise


class LockoutPasswordResetForm(PasswordResetForm):
    """Password reset requests count per address and per IP; over the limit the request is
    refused with a clear message (and no e-mail is sent)."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        idents = [("password_reset", email), ("password_reset_ip", client_ip(self.request))]
        remaining = max(lockout_remaining(scope=s, ident=i) for s, i in idents)
        if remaining:
            raise ValidationError(
                _("Te veel herstelverzoeken. Probeer het over %(minutes)s minuten opnieuw."),
                code="locked",
                params={"minutes": minutes(remaining)},
            )
        user = get_user_model().objects.filter(email__iexact=email).first()
        for scope, ident in idents:
            lockout_register_failure(scope=scope, ident=ident, user=user)
        return email


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("De zescijferige code uit je authenticator-app, of een herstelcode."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "utrecht-textbox",
            }
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("Werk-e-mailadres"),
        help_text=_("Het adres van je organisatie; daarop sturen we een bevestigingslink."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "utrecht-textbox"}),
    )
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        help_text=_("Minstens 12 tekens; geen veelgebruikt of alleen-cijfers wachtwoord."),
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "class": "utrecht-textbox"}
        ),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord (nogmaals)"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "class": "utrecht-textbox"}
        ),
    )

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        if p1:
            user = get_user_model()(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
