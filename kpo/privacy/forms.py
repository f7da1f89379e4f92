from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=_("Ik wil meldingen ook per e-mail ontvangen"),
        required=False,
        help_text=_(
            "Berichten die nodig zijn voor je account (zoals wachtwoordherstel) ontvang je altijd."
        ),
    )


class DeleteAccountForm(forms.Form):
    remove_posts = forms.BooleanField(
        label=_("Verwijder ook de tekst van mijn bijdragen in communities"),
        required=False,
        help_text=_(
            "Zonder dit vinkje blijven je bijdragen staan onder de naam "
            "\u201cVoormalig deelnemer\u201d, zodat gesprekken leesbaar blijven."
        ),
    )
    password = forms.CharField(
        label=_("Je wachtwoord ter bevestiging"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "utrecht-textbox"}
        ),
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat mijn account definitief wordt verwijderd"), required=True
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user or not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password
