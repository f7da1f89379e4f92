"""The facet links of the search page: each toggles one facet and keeps the rest of the query."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.http import QueryDict

from search.views import facet_links

BUCKETS = [
    {"value": "vastgoed", "label": "Vastgoed", "count": 3},
    {"value": 2025, "label": "2025", "count": 1},
]


def pairs(url: str) -> list[tuple[str, str]]:
    assert url.startswith("?")
    return parse_qsl(url[1:], keep_blank_values=True)


def test_a_link_sets_the_facet_keeps_the_query_and_drops_the_page():
    query = QueryDict("q=ondermijning+%26+co&pagina=3&type=document")
    links = facet_links(query, "theme", None, BUCKETS[:1])
    assert pairs(links[0]["url"]) == [
        ("q", "ondermijning & co"),
        ("type", "document"),
        ("theme", "vastgoed"),
    ]
    assert links[0]["selected"] is False and links[0]["label"] == "Vastgoed"


def test_the_selected_value_links_to_the_query_without_it_and_another_replaces_it_in_place():
    query = QueryDict("theme=vastgoed&q=bibob")
    off, other = facet_links(
        query, "theme", "vastgoed", [BUCKETS[0], {**BUCKETS[0], "value": "drugs"}]
    )
    assert off["selected"] is True and pairs(off["url"]) == [("q", "bibob")]
    assert other["selected"] is False and pairs(other["url"]) == [
        ("theme", "drugs"),
        ("q", "bibob"),
    ]


def test_numbers_and_repeated_parameters():
    query = QueryDict("year=2024&year=2023&q=x")
    (link,) = facet_links(query, "year", "2024", BUCKETS[1:])
    assert pairs(link["url"]) == [("year", "2025"), ("q", "x")]
    assert facet_links(QueryDict(""), "year", None, BUCKETS[1:])[0]["url"] == "?year=2025"
