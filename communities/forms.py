"""Forms of the community front end (input only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import RSVP, Community, Membership, Thread
from kpo.notifications.models import EmailMode
from kpo.themes.models import Theme


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), widget=forms.Textarea, required=False)
    visibility = forms.ChoiceField(
        label=_("Zichtbaarheid"), choices=Community.Visibility.choices, widget=forms.RadioSelect
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Theme.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CaseDataReasonMixin(forms.Form):
    """The reason an author gives for keeping what the case-data guard found. Hidden until the
    guard has warned (``reveal_case_data_reason``); then the author fills it in or edits the
    text."""

    case_data_reason = forms.CharField(
        label=_("Waarom zijn deze gegevens hier nodig?"),
        help_text=_(
            "Alleen invullen als je de gegevens bewust laat staan. De moderatoren zien dat je "
            "dit hebt bevestigd."
        ),
        required=False,
        max_length=2000,
        widget=forms.HiddenInput,
    )

    def reveal_case_data_reason(self) -> None:
        self.fields["case_data_reason"].widget = forms.Textarea(attrs={"rows": 3})
        self.order_fields([name for name in self.fields if name != "case_data_reason"])


class ThreadForm(CaseDataReasonMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort"), choices=Thread.Kind.choices, widget=forms.RadioSelect, initial="question"
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    body = forms.CharField(
        label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000
    )
    attachment = forms.FileField(label=_("Bijlage (optioneel)"), required=False)


class ReplyForm(CaseDataReasonMixin, forms.Form):
    body = forms.CharField(
        label=_("Jouw reactie"), widget=forms.Textarea(attrs={"rows": 5}), max_length=50_000
    )
    attachment = forms.FileField(label=_("Bijlage (optioneel)"), required=False)


class EditForm(CaseDataReasonMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    body = forms.CharField(label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 8}))


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom meld je dit bericht?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class JoinRequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Waarom wil je lid worden? (optioneel)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(
        label=_("Rol"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class UploadForm(CaseDataReasonMixin, forms.Form):
    file = forms.FileField(label=_("Bestand"))


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Begint om"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Eindigt om"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    location = forms.CharField(label=_("Plaats"), required=False, max_length=300)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Maximum aantal deelnemers"), required=False, min_value=1)
    description = forms.CharField(label=_("Omschrijving"), widget=forms.Textarea, required=False)


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Kom je?"),
        choices=[(a.value, a.label) for a in RSVP.Answer if a != RSVP.Answer.WAITING],
    )


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom gaat de bijeenkomst niet door?"),
        help_text=_("Iedereen die zich aanmeldde of op de wachtlijst staat, krijgt dit bericht."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(label=_("E-mail over deze community"), choices=EmailMode.choices)


class SuspendForm(forms.Form):
    """Suspend a member (community) or an account (platform): until when and why."""

    ends_at = forms.DateTimeField(
        label=_("Geschorst tot"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(
        label=_("Reden (komt in het moderatielogboek en gaat naar het lid)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class MemberSuspendForm(SuspendForm):
    member = forms.TypedChoiceField(label=_("Lid"), coerce=int, choices=())

    field_order = ("member", "ends_at", "reason")

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(m.user_id, m.user.display_name) for m in members]


class AccountSuspendForm(SuspendForm):
    email = forms.EmailField(label=_("E-mailadres van het account"))

    field_order = ("email", "ends_at", "reason")


class LandingTextForm(forms.Form):
    landing_text = forms.CharField(
        label=_("Welkomsttekst"),
        help_text=_(
            "Bovenaan de communitypagina, voor wie de inhoud mag lezen. Opmaak: alinea's, vet, "
            "cursief, lijsten, links."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
    )


class PinForm(forms.Form):
    link = forms.CharField(
        label=_("Link"),
        help_text=_(
            "Plak de link van een onderwerp of bestand van deze community, van een kennisdocument, "
            "of een link naar buiten."
        ),
        max_length=500,
    )
    title = forms.CharField(
        label=_("Titel (optioneel; verplicht bij een link naar buiten)"),
        max_length=200,
        required=False,
    )
