"""Admin forms of the law app: one law change by hand, or a file of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LawChangeForm(forms.Form):
    bwb_id = forms.CharField(
        label=_("BWB-id"), max_length=40, help_text=_("Bijvoorbeeld BWBR0013798 (Wet Bibob).")
    )
    article = forms.CharField(
        label=_("Artikel"),
        max_length=40,
        required=False,
        help_text=_("Leeg laten als de hele wet wijzigt."),
    )
    effective_date = forms.DateField(
        label=_("Ingangsdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    summary = forms.CharField(
        label=_("Wat verandert er?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class LawImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV of JSON)"),
        help_text=_(
            "Kolommen of velden: bwb_id, artikel (leeg: de hele wet), ingangsdatum "
            "(JJJJ-MM-DD of DD-MM-JJJJ), samenvatting."
        ),
    )
