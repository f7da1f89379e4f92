"""Forms of "van vraag naar kennis" (issue #17): proposing a thread as a knowledge document and
turning a zero-result search into a kennisvraag."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kennisbank.forms import DocumentDescriptionForm
from kennisbank.models import KnowledgeRequest
from kpo.accounts.models import User
from kpo.themes.models import Theme

PERIOD_DEFAULT_DAYS = 30
PERIOD_MAX_DAYS = 366


SCOPE_CHOICES = [
    ("answer", _("Het geaccepteerde antwoord")),
    ("thread", _("Het hele onderwerp met alle reacties")),
]


class ThreadProposalForm(DocumentDescriptionForm):
    field_order = ["scope"]  # the choice first, then the document's description
    scope = forms.ChoiceField(
        label=_("Wat stel je voor?"), choices=SCOPE_CHOICES, widget=forms.RadioSelect
    )
    knowledge_request = forms.ModelChoiceField(
        label=_("Beantwoordt de kennisvraag"),
        queryset=KnowledgeRequest.objects.none(),
        required=False,
        empty_label=_("(geen)"),
        help_text=_("Een open vraag uit het netwerk; die sluit wanneer het document verschijnt."),
    )
    network_wide = forms.BooleanField(
        label=_("Voor het hele netwerk voorstellen"),
        required=False,
        help_text=_(
            "Dit onderwerp staat in een besloten community. Zonder dit vinkje blijft het "
            "document alleen zichtbaar voor de leden van die community."
        ),
    )
    confirm_network_wide = forms.BooleanField(
        label=_(
            "Ik bevestig dat de inhoud van deze besloten community voor alle professionals "
            "zichtbaar mag worden"
        ),
        required=False,
    )

    def __init__(self, *args, closed: bool = False, has_answer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        from kennisbank.selectors import knowledge_request_open_list

        requests = self.fields["knowledge_request"]
        assert isinstance(requests, forms.ModelChoiceField)
        requests.queryset = knowledge_request_open_list()
        if not closed:
            self.fields.pop("network_wide")
            self.fields.pop("confirm_network_wide")
        if not has_answer:
            scope = self.fields["scope"]
            assert isinstance(scope, forms.ChoiceField)
            scope.choices = [c for c in SCOPE_CHOICES if c[0] != "answer"]


class QueryPeriodForm(forms.Form):
    """The board's period and theme filter (GET ``van``, ``tot``, ``thema``)."""

    van = forms.DateField(
        label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle thema's en zonder thema"),
    )

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("tot") or today
        since = data.get("van") or until - datetime.timedelta(days=PERIOD_DEFAULT_DAYS)
        if since > until:
            since, until = until, since
        since = max(since, until - datetime.timedelta(days=PERIOD_MAX_DAYS))
        return since, until

    def theme_slug(self) -> str | None:
        data = self.cleaned_data if self.is_valid() else {}
        theme = data.get("thema")
        return theme.slug if theme else None


class KnowledgeRequestForm(forms.Form):
    question = forms.CharField(label=_("Kennisvraag aan het netwerk"), max_length=300)
    query = forms.CharField(widget=forms.HiddenInput, max_length=200)
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    search_count = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=10**9, required=False
    )
    assignee = forms.ModelChoiceField(label=_("Ambassadeur"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kennisbank.selectors import ambassador_list

        self.fields["assignee"].queryset = ambassador_list()
        self.fields["assignee"].label_from_instance = lambda u: u.display_name
