from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.accounts.models import Organisation, Profile, Region
from kpo.themes.models import Theme


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    field_order = ["first_name", "last_name", "function", "organisation", "region"]

    class Meta:
        model = Profile
        fields = [
            "organisation",
            "region",
            "function",
            "expertise_themes",
            "bio",
            "accepts_contact",
        ]
        widgets = {
            "expertise_themes": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 4}),
        }


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Naam, functie of expertise"), required=False, max_length=100)
    theme = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle thema's"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle organisaties"),
    )
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle regio's"),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Nieuwe foto"),
        help_text=_(
            "JPEG, PNG of WebP, hoogstens 5 MB. We maken er een vierkante foto van en halen "
            "locatie- en cameragegevens eruit."
        ),
    )


class CaseDataReasonField(forms.Form):
    """The reason a sender gives for keeping what the case-data guard found; hidden until the
    guard warned (like the community forms)."""

    case_data_reason = forms.CharField(
        label=_("Waarom zijn deze gegevens hier nodig?"),
        help_text=_("Alleen invullen als je de gegevens bewust laat staan."),
        required=False,
        max_length=2000,
        widget=forms.HiddenInput,
    )

    def reveal_case_data_reason(self) -> None:
        self.fields["case_data_reason"].widget = forms.Textarea(attrs={"rows": 3})
        self.order_fields([name for name in self.fields if name != "case_data_reason"])


class ContactForm(CaseDataReasonField):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Bericht"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    field_order = ["subject", "body", "case_data_reason"]


class ConversationReplyForm(CaseDataReasonField):
    body = forms.CharField(
        label=_("Je antwoord"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    field_order = ["body", "case_data_reason"]
