"""The index schema (mappings and Dutch analysis), built with ``elasticsearch.dsl``.

The synonym list, the acronyms and the decompounder's word list are *data*: they come from the
themes in the database and the corpus glossary. ``index_body()`` reads them when an index is
created, so a reindex picks up every change an editor made to a theme's synonyms.

Analysis chain (ADR 0002):

* ``kpo_dutch`` (index time): standard tokenizer, lowercase, ASCII folding keeping the original,
  Dutch stop words, stemmer overrides for domain words, Dutch snowball stemmer (not ``dutch_kp``).
* ``kpo_dutch_search``: the same with a ``synonym_graph`` right after lowercasing, so multi-word
  synonyms ("outlaw motorcycle gangs") and acronyms ("LFT") expand at query time only.
* ``kpo_decomp``: a ``dictionary_decompounder`` over a curated word list, on a ``.decomp``
  subfield, so "vastgoedcriminaliteit" meets "criminaliteit in het vastgoed" both ways.
* ``kpo_autocomplete``: a ``search_as_you_type`` field for the title (queried with
  ``bool_prefix``, which carries the principals filter like every other query).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from elasticsearch.dsl import (
    Boolean,
    Date,
    Index,
    Integer,
    Keyword,
    Mapping,
    Object,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

# Lucene's Dutch stop words (the `_dutch_` list), kept here so Python can tell which acronyms
# collide with a stop word after lowercasing ("OM" -> "om").
DUTCH_STOP_WORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar
    heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel
    meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt
    wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest andere""".split()  # noqa: SIM905
)

# Domain words the Dutch stemmer would mangle or split inconsistently.
STEMMER_OVERRIDES = [
    "bibob => bibob",
    "omg's => omg",
    "riec's => riec",
    "liec's => liec",
    "cobra's => cobra",
    "motorbendes => motorbende",
    "bendes => bende",
    "fenomeentafels => fenomeentafel",
    "wgs => wgs",
    "apv's => apv",
]

# The curated base of the decompounder's word list; theme titles add to it (``decompound_words``).
DECOMPOUND_BASE = """
vastgoed criminaliteit crimineel criminele motor bende bendes drugs geld stromen handel mensen
fraude zorg milieu afval ondermijning weerbaarheid informatie positie gegevens deling haven havens
jeugd explosie explosies document documenten adres identiteit cyber crypto keten fenomeen tafel
integriteit beoordeling vergunning vergunningen woning woningen panden pand bedrijf bedrijven
terrein terreinen contact personen netwerk kring kennis uitbuiting arbeid smokkel cocaine hennep
kwekerij dumping dumpingen aanpak bestuur signaal signalen overleg scan analyse witwassen vermogen
club clubs verbod transport gebied buiten platteland laboratorium productie lozing
""".split()  # noqa: SIM905

_ACRONYM_IN_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[A-Za-z&]{2,8})\)$")
_SYNONYM_UNSAFE = re.compile(r"[=>,;\"#|]+")


def _clean_term(term: str) -> str:
    return re.sub(r"\s+", " ", _SYNONYM_UNSAFE.sub(" ", term)).strip().lower()


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict, ...]:
    from kpo.core.corpus import read_corpus

    try:
        return tuple(read_corpus().get("glossary") or [])
    except (FileNotFoundError, ValueError):
        return ()


def _themes() -> list[tuple[str, list[str]]]:
    from kpo.themes.models import Theme

    return [(t.title, list(t.synonyms or [])) for t in Theme.objects.order_by("slug")]


def _organisations() -> list[str]:
    from kpo.accounts.models import Organisation

    return list(Organisation.objects.order_by("slug").values_list("name", flat=True))


def synonym_rules() -> list[str]:
    """Equivalence sets for ``synonym_graph``: each theme (title + synonyms), each glossary entry
    (term + expansion + aliases) and each organisation written as "Name (ACRONYM)".

    Terms that are a Dutch stop word after lowercasing (e.g. "OM") are left out: they are
    expanded case-sensitively in Python before analysis (``acronym_expansions``).
    """
    groups: list[list[str]] = []
    for title, synonyms in _themes():
        groups.append([title, *synonyms])
    for entry in _glossary():
        if entry.get("expansion"):
            groups.append([entry["term"], entry["expansion"], *(entry.get("aliases") or [])])
        elif entry.get("aliases"):
            groups.append([entry["term"], *entry["aliases"]])
    for name in _organisations():
        match = _ACRONYM_IN_NAME.match(name)
        if match:
            groups.append([match["name"], match["acronym"]])
    rules = []
    for group in groups:
        terms = []
        for term in group:
            cleaned = _clean_term(str(term))
            if cleaned and cleaned not in DUTCH_STOP_WORDS and cleaned not in terms:
                terms.append(cleaned)
        if len(terms) > 1:
            rules.append(", ".join(terms))
    return sorted(set(rules))


def acronym_expansions() -> dict[str, str]:
    """Case-sensitive acronyms that collide with a stop word, mapped to their expansion:
    ``{"OM": "Openbaar Ministerie"}``. Applied to the raw query before analysis."""
    found: dict[str, str] = {}
    for entry in _glossary():
        term, expansion = entry.get("term") or "", entry.get("expansion")
        if expansion and term.lower() in DUTCH_STOP_WORDS:
            found[term] = expansion
    for name in _organisations():
        match = _ACRONYM_IN_NAME.match(name)
        if match and match["acronym"].lower() in DUTCH_STOP_WORDS:
            found[match["acronym"]] = match["name"]
    return found


def decompound_words() -> list[str]:
    """The curated word list plus the content words of the theme titles."""
    words = set(DECOMPOUND_BASE)
    for title, _synonyms in _themes():
        for word in re.findall(r"[a-zà-ÿ]+", title.lower()):
            if len(word) >= 5 and word not in DUTCH_STOP_WORDS:
                words.add(word)
    return sorted(words)


def analyzers(*, synonyms: list[str], words: list[str]) -> dict[str, Any]:
    """The four analyzers (DSL objects), given the data."""
    folding = token_filter("kpo_folding", "asciifolding", preserve_original=True)
    stop = token_filter("kpo_dutch_stop", "stop", stopwords="_dutch_")
    override = token_filter("kpo_overrides", "stemmer_override", rules=STEMMER_OVERRIDES)
    stemmer = token_filter("kpo_dutch_stemmer", "stemmer", language="dutch")
    synonym = token_filter(
        "kpo_synonyms", "synonym_graph", synonyms=synonyms or ["kpo, kennisplatform"], lenient=True
    )
    decompounder = token_filter(
        "kpo_decompounder",
        "dictionary_decompounder",
        word_list=words,
        min_subword_size=4,
        only_longest_match=False,
    )
    plain_folding = token_filter("kpo_plain_folding", "asciifolding", preserve_original=False)
    return {
        "dutch": analyzer(
            "kpo_dutch",
            tokenizer="standard",
            filter=["lowercase", folding, stop, override, stemmer],
        ),
        "dutch_search": analyzer(
            "kpo_dutch_search",
            tokenizer="standard",
            filter=["lowercase", synonym, folding, stop, override, stemmer],
        ),
        "decomp": analyzer(
            "kpo_decomp",
            tokenizer="standard",
            filter=["lowercase", plain_folding, decompounder, stop, override, stemmer],
        ),
        "autocomplete": analyzer(
            "kpo_autocomplete", tokenizer="standard", filter=["lowercase", plain_folding]
        ),
    }


TEXT_FIELDS = ("title", "summary", "body", "attachment_text")

# Highlighted fields store offsets in their postings (issue #14): the unified highlighter then
# reads match positions instead of re-analysing whole bodies for every hit. Costs index space.
HIGHLIGHT_INDEX_OPTIONS = "offsets"


def highlight_options(*, offsets: bool = True) -> dict[str, str]:
    """Mapping options of a highlighted text field (``offsets=False`` only for benchmarks)."""
    return {"index_options": HIGHLIGHT_INDEX_OPTIONS} if offsets else {}


def index_body(
    *,
    synonyms: list[str] | None = None,
    words: list[str] | None = None,
    offsets: bool = True,
) -> dict:
    """The complete ``PUT <index>`` body. Reads synonyms and words from the database unless
    given (tests and the benchmark pass them)."""
    a = analyzers(
        synonyms=synonym_rules() if synonyms is None else synonyms,
        words=decompound_words() if words is None else words,
    )

    def text(**extra) -> Text:
        return Text(
            analyzer=a["dutch"],
            search_analyzer=a["dutch_search"],
            fields={"decomp": Text(analyzer=a["decomp"]), **extra},
            **highlight_options(offsets=offsets),
        )

    def person_text() -> Text:
        return Text(
            analyzer=a["dutch"],
            search_analyzer=a["dutch_search"],
            **highlight_options(offsets=offsets),
        )

    mapping = Mapping()
    mapping.meta("dynamic", False)
    mapping.field("doc_id", Keyword())
    mapping.field("type", Keyword())
    mapping.field("title", text(raw=Keyword(ignore_above=256)))
    for name in TEXT_FIELDS[1:]:
        mapping.field(name, text())
    mapping.field("autocomplete", SearchAsYouType(analyzer=a["autocomplete"], max_shingle_size=3))
    mapping.field("url", Keyword(index=False))
    mapping.field("date", Date())
    mapping.field("updated_at", Date())
    for name in ("themes", "regions", "organisations", "doc_type", "community", "principals"):
        mapping.field(name, Keyword())
    mapping.field("review_status", Keyword())
    mapping.field("year", Integer())
    mapping.field("accepted_answer", Boolean())
    mapping.field(
        "people",
        Object(
            properties={
                "name": person_text(),
                "organisation": person_text(),
                "region": person_text(),
                "function": person_text(),
                "expertise": person_text(),
            }
        ),
    )
    mapping.field("doc_hash", Keyword(index=False))

    index = Index("kpo-content")
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=10000)
    index.mapping(mapping)
    body = index.to_dict()
    body["mappings"]["dynamic"] = False
    return body
