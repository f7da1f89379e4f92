"""Routed questions (issue #18): the ask form's routing fields and similar items while typing, the
open questions across communities, and a community's default answer deadline. Thin: the rules
live in ``communities.services.routing`` and the selectors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from communities import selectors, services
from communities.forms import AskForm
from communities.models import Community
from communities.views.base import community_view, error_text, rights
from kpo.security.ratelimit import rate_limited
from kpo.themes.models import Theme
from search.engine import EngineError
from search.selectors import similar_for_user

SIMILAR_MIN_CHARS = 10


def ask_form(request, community: Community) -> AskForm:
    return AskForm(
        request.POST or None,
        request.FILES or None,
        themes=selectors.routing_themes(community=community),
        default_days=selectors.routing_default_days(community=community),
        bounds=selectors.routing_deadline_bounds(),
        similar_url=reverse("communities:similar", args=[community.slug]),
    )


@require_GET
@rate_limited("suggest")
@community_view(content=True)
def similar(request, community: Community):
    """htmx fragment for the ask form: questions and knowledge documents like the title typed so
    far (10+ characters), only what the user may read (``search.selectors.similar_for_user``:
    the principals filter in the engine request, then the database check)."""
    title = (request.GET.get("title") or "").strip()[:200]
    items, engine_down = [], False
    if len(title) >= SIMILAR_MIN_CHARS:
        try:
            items = similar_for_user(user=request.user, q=title)
        except EngineError:
            engine_down = True
    return render(
        request,
        "communities/_similar.html",
        {"items": items, "engine_down": engine_down, "searched": len(title) >= SIMILAR_MIN_CHARS},
    )


class OpenQuestionsFilter(forms.Form):
    waar = forms.ChoiceField(
        label=gettext_lazy("Waar"),
        choices=[
            ("mijn", gettext_lazy("In mijn communities")),
            ("alle", gettext_lazy("In alle communities die ik kan lezen")),
        ],
        required=False,
    )
    thema = forms.ModelChoiceField(
        label=gettext_lazy("Thema"),
        queryset=Theme.objects.order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Alle thema's"),
    )


@login_required
@require_GET
def open_questions(request):
    """Questions without an accepted answer across the user's communities (or every community the
    user may read), optionally of one theme."""
    form = OpenQuestionsFilter(request.GET or None)
    theme, everywhere = None, False
    if form.is_bound and form.is_valid():
        theme = form.cleaned_data.get("thema")
        everywhere = form.cleaned_data.get("waar") == "alle"
    questions = selectors.open_questions_for_user(
        user=request.user, theme=theme, everywhere=everywhere
    )
    page = Paginator(questions, 25).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "communities/open_questions.html",
        {
            "form": form,
            "page_obj": page,
            "theme": theme,
            "everywhere": everywhere,
            "query": query.urlencode(),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_POST
@community_view(content=True)
def routing_default(request, community: Community):
    """A manager sets the community's default answer deadline for routed questions."""
    if not rights(request, community).can_manage:
        raise PermissionDenied
    try:
        days = services.routing_default_set(
            community=community, actor=request.user, deadline_days=request.POST.get("dagen")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Vragen krijgen nu standaard %(days)s dagen voor een antwoord.") % {"days": days},
        )
    return redirect("communities:manage", community.slug)
