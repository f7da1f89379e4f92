"""Forms of the community front end (input only; rules live in services)."""

from __future__ import annotations

from typing import cast

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


# --- routing (issue #18) -------------------------------------------------------------------------


class SimilarTitleInput(forms.TextInput):
    """The title box of the ask form: while typing (10+ characters), similar questions and
    knowledge documents appear in the live region below it (htmx, debounced). Without
    JavaScript nothing happens and the form posts as usual."""

    template_name = "communities/widgets/similar_title.html"

    def __init__(self, *, similar_url: str, attrs: dict | None = None) -> None:
        super().__init__(
            attrs={
                "autocomplete": "off",
                "hx-get": similar_url,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#vergelijkbare-vragen",
                "hx-swap": "innerHTML",
                **(attrs or {}),
            }
        )


class AskForm(ThreadForm):
    """The ask form with routing: send a question to the experts of one of the community's
    themes, with an answer deadline in days (the community's default, within the bounds)."""

    route_theme = forms.ChoiceField(
        label=_("Doorsturen naar de experts van het thema"),
        help_text=_(
            "Alleen voor een vraag. Collega's met dit thema in hun profiel en de ambassadeurs van "
            "het thema krijgen een melding."
        ),
        required=False,
    )
    deadline_days = forms.IntegerField(
        label=_("Graag een antwoord binnen (dagen)"),
        required=False,
    )

    def __init__(
        self,
        *args,
        themes=(),
        default_days: int = 5,
        bounds=(1, 30),
        similar_url: str = "",
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in themes}
        choices = [("", _("Niet doorsturen"))] + [(pk, t.title) for pk, t in self.themes.items()]
        cast(forms.ChoiceField, self.fields["route_theme"]).choices = choices
        low, high = bounds
        field = self.fields["deadline_days"]
        field.initial = default_days
        field.widget.attrs.update({"min": low, "max": high})  # the service checks the bounds
        field.help_text = _("Van %(low)s tot en met %(high)s dagen; standaard %(days)s.") % {
            "low": low,
            "high": high,
            "days": default_days,
        }
        if not self.themes:
            del self.fields["route_theme"]
            del self.fields["deadline_days"]
        if similar_url:
            self.fields["title"].widget = SimilarTitleInput(
                similar_url=similar_url, attrs={"maxlength": 200}
            )

    def clean_route_theme(self):
        value = self.cleaned_data.get("route_theme") or ""
        return self.themes.get(value)

    def clean(self):
        data = super().clean()
        if data.get("route_theme") is not None and data.get("deadline_days") is None:
            data["deadline_days"] = self.fields["deadline_days"].initial
        return data
