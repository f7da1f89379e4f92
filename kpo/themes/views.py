"""``/begrippen/``: the glossary page. Thin: parse, call the selector, render."""

from __future__ import annotations

import string

from django.shortcuts import render
from django.views.decorators.http import require_GET

from kpo.themes.selectors import glossary_for_user


@require_GET
def glossary(request):
    context = glossary_for_user(
        user=request.user, q=request.GET.get("q"), theme=request.GET.get("thema")
    )
    present = {letter for letter, _terms in context["groups"]}
    context["alphabet"] = [(letter, letter in present) for letter in string.ascii_uppercase]
    return render(request, "themes/glossary.html", context)
