"""Forms of the academy's web front end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from academie.models import QuizQuestion


class QuizForm(forms.Form):
    """One field per question: radio buttons (one answer) or checkboxes (several answers).
    The choices shown are exactly the question's own choices; correctness is never sent."""

    def __init__(self, *args, questions: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            choices = [(str(c["id"]), c["text"]) for c in question["choices"]]
            label = f"{number}. {question['text']}"
            if question["kind"] == QuizQuestion.Kind.MULTIPLE:
                field: forms.Field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Kies alle juiste antwoorden."),
                    error_messages={"required": _("Kies minstens één antwoord.")},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Kies een antwoord.")},
                )
            self.fields[f"q{question['id']}"] = field

    def answers(self) -> dict[int, list[int]]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question['id']}")
            values = value if isinstance(value, list) else [value]
            result[question["id"]] = [int(v) for v in values if v]
        return result


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Aanwezig"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(r.user_id), str(r.user)) for r in registrations]
        self.fields["attended"].initial = [str(r.user_id) for r in registrations if r.attended]


class CertificateVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verificatiecode"),
        max_length=40,
        help_text=_("De code staat op het certificaat, bijvoorbeeld 1A2B-3C4D-5E6F-7A8B-9C0D."),
        error_messages={"required": _("Vul de verificatiecode in.")},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van intrekking"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Geef een reden voor de intrekking.")},
    )
