"""Forms of the kennisbank front end and the Wagtail document upload guard."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from kennisbank.files import max_upload_bytes, validate_attachment
from kennisbank.models import DocumentType, KnowledgeRequest
from kpo.themes.models import Theme

ACCEPT = ".pdf,.docx,.xlsx,.pptx,.odt"


class DocumentDescriptionForm(forms.Form):
    """What describes a knowledge document in every form that makes one: title, summary, themes
    and the kind of document (first in the form, unless a form's ``field_order`` says)."""

    title = forms.CharField(label=_("Titel"), max_length=255)
    summary = forms.CharField(
        label=_("Samenvatting"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Theme.objects.order_by("title"),
        widget=forms.CheckboxSelectMultiple,
    )
    doc_type = forms.ModelChoiceField(
        label=_("Soort document"), queryset=DocumentType.objects.all()
    )


class ShareKnowledgeForm(DocumentDescriptionForm):
    """ "Kennis delen". Visibility choices are the communities the user is an active member of."""

    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, DOCX, XLSX, PPTX of ODT."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    visibility = forms.ChoiceField(label=_("Zichtbaar voor"), initial="platform")
    knowledge_request = forms.ModelChoiceField(
        label=_("Beantwoordt de kennisvraag"),
        queryset=KnowledgeRequest.objects.none(),
        required=False,
        empty_label=_("(geen)"),
        help_text=_("Een open vraag uit het netwerk; die sluit wanneer je document verschijnt."),
    )

    def __init__(self, *args, user=None, require_file=True, **kwargs):
        super().__init__(*args, **kwargs)
        from kennisbank.selectors import knowledge_request_open_list

        self.fields["knowledge_request"].queryset = knowledge_request_open_list()
        from communities.models import Community, Membership

        self.communities = (
            {
                str(c.pk): c
                for c in Community.objects.filter(
                    memberships__user=user, memberships__state=Membership.State.ACTIVE
                ).order_by("name")
            }
            if user is not None
            else {}
        )
        self.fields["visibility"].choices = [
            ("platform", _("Alle professionals op het platform")),
            *[
                (pk, _("Alleen leden van %(name)s") % {"name": c.name})
                for pk, c in self.communities.items()
            ],
        ]
        self.fields["file"].help_text = _("PDF, DOCX, XLSX, PPTX of ODT, maximaal %(mb)s MB.") % {
            "mb": max_upload_bytes() // (1024 * 1024)
        }
        if not require_file:
            self.fields["file"].required = False
            self.fields.pop("visibility")
            self.fields.pop("knowledge_request")

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            validate_attachment(uploaded)
        return uploaded

    @property
    def community(self):
        value = self.cleaned_data.get("visibility")
        return self.communities.get(value) if value and value != "platform" else None


SCORE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


def _score_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 = laag, 5 = hoog"),
    )


class ReviewForm(forms.Form):
    """The front-end review. For the board step (``board=True``) also the scores and the
    abstention; the rules (scores and rationale required) are the service's."""

    action = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Goedkeuren")), ("reject", _("Wijzigingen vragen"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, board: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if board:
            self.fields["action"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
                ("approve", _("Goedkeuren")),
                ("reject", _("Wijzigingen vragen")),
                ("abstain", _("Onthouden (belangenconflict)")),
            ]
            self.fields["relevance"] = _score_field(_("Relevantie"))
            self.fields["reliability"] = _score_field(_("Betrouwbaarheid"))
            self.fields["comment"].help_text = _(
                "Verplicht: een korte onderbouwing, of bij onthouden het belangenconflict."
            )


class BoardVoteAdminForm(forms.Form):
    """The Wagtail admin's modal for a board vote (``BoardDecisionTask.get_form_for_action``)."""

    relevance = _score_field(_("Relevantie"))
    reliability = _score_field(_("Betrouwbaarheid"))
    comment = forms.CharField(
        label=_("Toelichting"), required=True, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentDocumentForm(BaseDocumentForm):
    """Base form for Wagtail's document upload (``WAGTAILDOCS_DOCUMENT_FORM_BASE``): the same
    content check as the front end, so the admin cannot store a disguised file either."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "read") and "file" in self.changed_data:
            validate_attachment(uploaded)
        return uploaded
