"""General Dutch analysis (ADR 0010) on words that appear in no list in the code: compounds split
and joined, -ies plurals, f/v plurals, diminutives and apostrophe-s plurals of abbreviations."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.conf import settings

from search.engine import BulkAction
from search.indexer import finish_document
from search.query import SearchParams
from search.schema import index_body
from search.selectors import search_raw

pytestmark = pytest.mark.django_db  # acronym expansions are read from the database

ROOT = Path(__file__).resolve().parents[2]
WORDS = [
    "vakantieparkenaanpak",
    "asbestfraude",
    "voetbalclub",
    "witwasconstructie",
    "autobedrij",
    "loods",
    "boa",
]

DOCS = {
    "vakantieparken": "De vakantieparkenaanpak van drie gemeenten in het zuiden.",
    "asbest": "Malafide saneerders en asbestfraude bij de sloop van schuren.",
    "voetbal": "Het bestuur van een voetbalclub werd onder druk gezet door sponsors.",
    "witwas": "Twee witwasconstructies met vastgoed en contant geld.",
    "auto": "Controles bij autobedrijven langs de snelweg.",
    "loods": "Een loodsje achter de boerderij werd verhuurd voor opslag.",
    "boa": "De boa's van de gemeente zagen het als eersten.",
    "ruis": "Een nieuwsbrief over de vergadering van de raad en het jaarverslag.",
}


@pytest.fixture(scope="module")
def index(django_db_setup, django_db_blocker, engine):
    name = f"{settings.SEARCH_INDEX_PREFIX}-nl-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        engine.create_index(name, index_body(synonyms=[]))
    docs = [
        finish_document(
            {"title": f"Bericht {key}", "body": body, "url": f"/{key}/", "principals": ["public"]},
            doc_id=key,
            search_type="document",
        )
        for key, body in DOCS.items()
    ]
    engine.bulk(name, [BulkAction("index", d["doc_id"], 1, d) for d in docs], refresh=True)
    yield name
    engine.delete_index(name)


def top(index, q) -> list[str]:
    response = search_raw(principals=frozenset({"public"}), params=SearchParams(q=q), index=index)
    return [hit["_id"] for hit in response["hits"]["hits"]]


def test_the_test_words_are_in_no_list_in_the_code():
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "search").rglob("*.py"))
    code += (ROOT / "tools" / "search-resources").read_text(encoding="utf-8")
    for word in WORDS:
        assert word not in code.lower(), word


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aanpak vakantieparken", "vakantieparken"),  # compound split in the query
        ("vakantiepark", "vakantieparken"),
        ("fraude asbest", "asbest"),
        ("club", "voetbal"),
        ("voetbal", "voetbal"),
        ("witwasconstructie", "witwas"),  # -ies plural
        ("autobedrijf", "auto"),  # f/v plural
        ("loods", "loods"),  # diminutive
        ("loodsen", "loods"),
        ("boa", "boa"),  # apostrophe-s plural of an abbreviation
        ("boa's", "boa"),
    ],
)
def test_failure_classes_find_the_document(index, query, expected):
    found = top(index, query)
    assert found[:1] == [expected], (query, found)
    assert "ruis" not in found


def test_joined_query_finds_the_split_text(engine, index):
    name = f"{settings.SEARCH_INDEX_PREFIX}-nl2-{uuid.uuid4().hex[:8]}"
    engine.create_index(name, index_body(synonyms=[]))
    try:
        doc = finish_document(
            {
                "title": "Controles",
                "body": "De aanpak van vakantieparken en fraude met asbest.",
                "url": "/x/",
                "principals": ["public"],
            },
            doc_id="split",
            search_type="document",
        )
        engine.bulk(name, [BulkAction("index", "split", 1, doc)], refresh=True)
        assert top(name, "vakantieparkenaanpak") == ["split"]
        assert top(name, "asbestfraude") == ["split"]
    finally:
        engine.delete_index(name)


def test_apostrophe_s_is_one_token_without_entity_parts(engine, index):
    tokens = [t["token"] for t in engine.analyze(index, analyzer="kpo_dutch", text="boa's")]
    assert "boa" in tokens
    assert "x27" not in tokens and "s" not in tokens


def test_many_synonyms_in_one_query_stay_under_the_clause_limit(engine):
    """Words with many (multi-word) synonyms must not make the engine refuse the query."""
    name = f"{settings.SEARCH_INDEX_PREFIX}-syn-{uuid.uuid4().hex[:8]}"
    rules = [
        "jeugd en jonge aanwas, jongeren, jeugdcriminaliteit, jonge aanwas, preventie, "
        "criminele uitbuiting van jongeren, dealbreakers, gezag",
        "drugscriminaliteit, drugs, drugslab, synthetische drugs, cocaïne, hennep, "
        "hennepkwekerij, harddrugs, drugsproductie, drugshandel, drugscarrousel",
        "criminele geldstromen, witwassen, crimineel vermogen, afpakken, ondergronds bankieren",
    ]
    engine.create_index(name, index_body(synonyms=rules))
    try:
        for q in (
            "waarom gaan jongeren drugs verkopen",
            "jongeren drugs witwassen jeugd drugshandel geldstromen in de wijk en op school",
        ):
            search_raw(principals=frozenset({"public"}), params=SearchParams(q=q), index=name)
    finally:
        engine.delete_index(name)
