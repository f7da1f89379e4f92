"""ADR 0035: reader regions of a cached page (``{% reader_if %}``), as pure template logic."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from kpo.core.pagecache import RENDER_FLAG, markers, personalize


class Reader:
    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _request(user, *, for_cache: bool):
    request = RequestFactory().get("/")
    request.user = user
    setattr(request, RENDER_FLAG, for_cache)
    return request


def _render(source: str, request, **context) -> str:
    template = Template("{% load kpo_pagecache %}" + source)
    return template.render(Context({"request": request, **context}))


REGION = '{% reader_if "user" author %}mine{% reader_else %}theirs{% end_reader_if %}'


@pytest.mark.parametrize("reader_pk,expected", [(7, "mine"), (8, "theirs")])
def test_a_stored_region_gives_each_reader_their_branch(reader_pk, expected):
    stored = _render(REGION, _request(Reader(7), for_cache=True), author=7)
    assert "mine" in stored and "theirs" in stored  # both branches stored
    assert personalize(stored, _request(Reader(reader_pk), for_cache=False)) == expected


def test_without_the_cache_the_condition_is_decided_at_once():
    assert _render(REGION, _request(Reader(7), for_cache=False), author=7) == "mine"
    assert _render(REGION, _request(AnonymousUser(), for_cache=False), author=7) == "theirs"


def test_the_or_flag_shows_the_first_branch_without_a_region():
    out = _render(
        '{% reader_if "user" author or moderator %}tools{% end_reader_if %}',
        _request(Reader(1), for_cache=True),
        author=7,
        moderator=True,
    )
    assert out == "tools"


def test_an_unknown_condition_fails_closed():
    source = '{% reader_if "no.such" 1 %}secret{% reader_else %}public{% end_reader_if %}'
    stored = _render(source, _request(Reader(1), for_cache=True))
    assert personalize(stored, _request(Reader(1), for_cache=False)) == "public"


def test_regions_do_not_nest_and_keys_are_plain():
    nested = (
        '{% reader_if "user" 1 %}{% reader_if "user" 2 %}in{% end_reader_if %}{% end_reader_if %}'
    )
    with pytest.raises(TemplateSyntaxError):
        _render(nested, _request(Reader(1), for_cache=True))
    with pytest.raises(ValueError):
        _render(REGION, _request(Reader(1), for_cache=True), author="1-->x")


def test_content_cannot_forge_a_region():
    """A marker needs the nonce derived from SECRET_KEY; anything else is left as text."""
    forged = "<!--kpo-if:0000:user:1-->x<!--kpo-else:0000-->y<!--kpo-end:0000-->"
    assert personalize(forged, _request(Reader(1), for_cache=False)) == forged
    assert markers.nonce not in forged


def test_the_content_version_is_read_once_per_request_and_follows_a_bump_inside_it():
    from django.core.cache import cache
    from django.http import HttpResponse

    from kpo.core import fragments

    seen: list[int] = []

    def view(request):
        seen.append(fragments.content_version())
        cache.incr(fragments.VERSION_KEY)  # another process writes: this request keeps its own
        seen.append(fragments.content_version())
        seen.append(fragments.bump_content_version())  # a write of this request
        seen.append(fragments.content_version())
        return HttpResponse()

    fragments.ContentVersionScopeMiddleware(view)(RequestFactory().get("/"))
    assert seen[0] == seen[1]
    assert seen[2] == seen[3] == seen[0] + 2
    assert fragments.content_version() == seen[0] + 2  # outside a request: read every time
