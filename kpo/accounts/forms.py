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
        fields = ["organisation", "region", "function", "expertise_themes", "bio"]
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
