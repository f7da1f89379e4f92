"""The index schema (mappings and Dutch analysis), built with ``elasticsearch.dsl``.

No word list in this module comes from our content (ADR 0010). The analysis uses general Dutch
resources the node loads from its config directory (``tools/search-resources``: the OpenTaal
hunspell dictionary and its word list) and *data* editors maintain: themes, glossary terms,
organisations and synonym sets (``search.SynonymSet``). ``index_body()`` reads that data when an
index is created and stores its fingerprint in ``_meta``; ``indexer.refresh_analysis()`` rebuilds
the index (alias swap, no downtime) when an editor's change makes the fingerprint differ.

Analysis chain:

* ``kpo_dutch`` (index time): standard tokenizer, lowercase, apostrophe-s ("APV's" -> "apv"),
  ASCII folding keeping the original, Dutch stop words, hunspell ``nl_NL`` stemming.
* ``kpo_dutch_search``: the same with a ``synonym_graph`` right after lowercasing, so multi-word
  synonyms ("outlaw motorcycle gangs") and acronyms ("LFT") expand at query time only.
* ``kpo_decomp``: a ``dictionary_decompounder`` over the OpenTaal word list on a ``.decomp``
  subfield, so "vastgoedcriminaliteit" meets "criminaliteit in het vastgoed" both ways.
* ``kpo_autocomplete``: a ``search_as_you_type`` field for the title (queried with
  ``bool_prefix`` plus a fuzzy match, with the principals filter like every other query).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.conf import settings
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

# The general Dutch resources the node loads from its config directory (tools/search-resources,
# ADR 0010): the OpenTaal hunspell dictionary and its word list for the decompounder.
HUNSPELL_LOCALE = "nl_NL"
WORD_LIST_PATH = "analysis/nl-words.txt"
# Bump when the analysis chain changes, so a running index is rebuilt (``analysis_fingerprint``).
ANALYSIS_VERSION = "3"
DECOMPOUND_MIN_SUBWORD = 4
SYNONYM_PREVIEW_ANALYZER = "kpo_synonym_preview"
FUZZY_ANALYZER = "kpo_fuzzy"

_ACRONYM_IN_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[A-Za-z&]{2,8})\)$")
_SYNONYM_UNSAFE = re.compile(r"[=>,;\"#|]+")


def _clean_term(term: str) -> str:
    return re.sub(r"\s+", " ", _SYNONYM_UNSAFE.sub(" ", term)).strip().lower()


def _themes() -> list[tuple[str, list[str]]]:
    from kpo.themes.models import Theme

    return [(t.title, list(t.synonyms or [])) for t in Theme.objects.order_by("slug")]


def _glossary() -> list[dict[str, Any]]:
    """The editors' glossary (``kpo.themes.GlossaryTerm``): term, acronyms, variants."""
    from kpo.themes.models import GlossaryTerm

    return [
        {"term": g.term, "acronyms": list(g.acronyms or []), "variants": list(g.variants or [])}
        for g in GlossaryTerm.objects.order_by("slug")
    ]


def _editor_synonyms() -> list[tuple[str, list[str], list[str]]]:
    """``(kind, terms, expansions)`` of every active ``search.SynonymSet``."""
    from search.models import SynonymSet

    return [
        (s.kind, list(s.terms or []), list(s.expansions or []))
        for s in SynonymSet.objects.filter(active=True).order_by("pk")
    ]


def _organisations() -> list[str]:
    from kpo.accounts.models import Organisation

    return list(Organisation.objects.order_by("slug").values_list("name", flat=True))


def _clean_group(group: list[str]) -> list[str]:
    terms: list[str] = []
    for term in group:
        cleaned = _clean_term(str(term))
        if cleaned and cleaned not in DUTCH_STOP_WORDS and cleaned not in terms:
            terms.append(cleaned)
    return terms


def synonym_rules() -> list[str]:
    """Rules for ``synonym_graph``, all from data editors maintain: equivalence sets for each
    theme (title + synonyms), each glossary term (term + acronyms + variants), each organisation
    written as "Name (ACRONYM)" and each equivalence ``SynonymSet``; one-way rules
    (``a, b => a, b, c``) for each expansion ``SynonymSet``.

    Terms that are a Dutch stop word after lowercasing (e.g. "OM") are left out: they are
    expanded case-sensitively in Python before analysis (``acronym_expansions``).
    """
    groups: list[list[str]] = []
    for title, synonyms in _themes():
        groups.append([title, *synonyms])
    for entry in _glossary():
        groups.append([entry["term"], *entry["acronyms"], *entry["variants"]])
    for name in _organisations():
        match = _ACRONYM_IN_NAME.match(name)
        if match:
            groups.append([match["name"], match["acronym"]])
    rules = []
    one_way = []
    for kind, terms, expansions in _editor_synonyms():
        if kind == "expansion":
            sources, targets = _clean_group(terms), _clean_group(expansions)
            targets = [t for t in targets if t not in sources]
            if sources and targets:
                one_way.append(f"{', '.join(sources)} => {', '.join([*sources, *targets])}")
        else:
            groups.append([*terms, *expansions])
    for group in groups:
        terms = _clean_group(group)
        if len(terms) > 1:
            rules.append(", ".join(terms))
    return sorted(set(rules)) + sorted(set(one_way))


def acronym_expansions() -> dict[str, str]:
    """Case-sensitive acronyms that collide with a stop word, mapped to their expansion:
    ``{"OM": "Openbaar Ministerie"}``. Applied to the raw query before analysis."""
    found: dict[str, str] = {}
    for entry in _glossary():
        for acronym in entry["acronyms"]:
            if acronym.lower() in DUTCH_STOP_WORDS:
                found[acronym] = entry["term"]
        if entry["term"].lower() in DUTCH_STOP_WORDS and entry["variants"]:
            found[entry["term"]] = entry["variants"][0]
    for name in _organisations():
        match = _ACRONYM_IN_NAME.match(name)
        if match and match["acronym"].lower() in DUTCH_STOP_WORDS:
            found[match["acronym"]] = match["name"]
    return found


def analysis_fingerprint(*, synonyms: list[str] | None = None) -> str:
    """A hash of everything an index is built from: the analysis settings and the mappings of
    ``index_body`` (so a schema change counts too, not only the editors' synonym data). Stored in
    the index's ``_meta``; a live index whose fingerprint differs is rebuilt
    (``indexer.refresh_analysis``, ``search_reindex --if-stale``)."""
    return index_body(synonyms=synonyms)["mappings"]["_meta"]["kpo_analysis"]


def _body_fingerprint(body: dict[str, Any]) -> str:
    payload = json.dumps(
        [ANALYSIS_VERSION, body["settings"].get("analysis"), body["mappings"]],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def analyzers(*, synonyms: list[str]) -> dict[str, Any]:
    """The four analyzers (DSL objects), given the synonym rules."""
    folding = token_filter("kpo_folding", "asciifolding", preserve_original=True)
    stop = token_filter("kpo_dutch_stop", "stop", stopwords="_dutch_")
    # "APV's", "RIEC’s": the Dutch apostrophe-s plural/genitive of abbreviations and words that
    # end in a vowel. A general rule of the spelling, not a word list.
    apostrophe_s = token_filter(
        "kpo_apostrophe_s", "pattern_replace", pattern="^(.+?)['’]s$", replacement="$1"
    )
    # OpenTaal dictionary: plurals (-ies, -en with f/v and s/z), diminutives, verb forms of
    # known words. Unknown words pass unchanged; every stem is kept (longest_only would keep
    # "bedrijven" itself, a valid word, instead of "bedrijf").
    stemmer = token_filter(
        "kpo_hunspell", "hunspell", locale=HUNSPELL_LOCALE, dedup=True, longest_only=False
    )
    synonym = token_filter(
        "kpo_synonyms", "synonym_graph", synonyms=synonyms or ["kpo, kennisplatform"], lenient=True
    )
    decompounder = token_filter(
        "kpo_decompounder",
        "dictionary_decompounder",
        word_list_path=WORD_LIST_PATH,
        min_subword_size=DECOMPOUND_MIN_SUBWORD,
        # A compound of two parts of at least DECOMPOUND_MIN_SUBWORD letters is at least twice as
        # long: shorter words are not looked up substring by substring (ADR 0032; the Lucene
        # default, 5, split every ordinary word and was most of the indexing time).
        min_word_size=2 * DECOMPOUND_MIN_SUBWORD,
        max_subword_size=20,
        only_longest_match=False,
    )
    plain_folding = token_filter("kpo_plain_folding", "asciifolding", preserve_original=False)
    return {
        "dutch": analyzer(
            "kpo_dutch",
            tokenizer="standard",
            filter=["lowercase", apostrophe_s, folding, stop, stemmer],
        ),
        "dutch_search": analyzer(
            "kpo_dutch_search",
            tokenizer="standard",
            filter=["lowercase", synonym, apostrophe_s, folding, stop, stemmer],
        ),
        "decomp": analyzer(
            "kpo_decomp",
            tokenizer="standard",
            filter=["lowercase", apostrophe_s, plain_folding, decompounder, stop, stemmer],
        ),
        "autocomplete": analyzer(
            "kpo_autocomplete", tokenizer="standard", filter=["lowercase", plain_folding]
        ),
    }


TEXT_FIELDS = ("title", "summary", "body", "attachment_text")

# Highlighted fields store offsets in their postings (issue #14): the unified highlighter then
# reads match positions instead of re-analysing whole bodies for every hit. Costs index space.
HIGHLIGHT_INDEX_OPTIONS = "offsets"


def highlight_options(*, offsets: bool = True) -> dict[str, Any]:
    """Mapping options of a highlighted text field (``offsets=False`` only for benchmarks)."""
    return {"index_options": HIGHLIGHT_INDEX_OPTIONS} if offsets else {}


def index_body(*, synonyms: list[str] | None = None, offsets: bool = True) -> dict:
    """The complete ``PUT <index>`` body. Reads the synonym rules from the database unless given
    (tests and the benchmark pass them); their fingerprint goes into the mapping's ``_meta``."""
    rules = synonym_rules() if synonyms is None else synonyms
    a = analyzers(synonyms=rules)

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
    for name in (
        "themes",
        "regions",
        "organisations",
        "doc_type",
        "community",
        "principals",
        "citations",
    ):
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
    index.settings(
        number_of_shards=settings.SEARCH_INDEX_SHARDS,
        number_of_replicas=settings.SEARCH_INDEX_REPLICAS,
        max_result_window=10000,
    )
    index.mapping(mapping)
    body = index.to_dict()
    body["mappings"]["dynamic"] = False
    # Only the synonym filter, for the editors' preview (``selectors.synonym_preview``).
    body["settings"]["analysis"]["analyzer"][SYNONYM_PREVIEW_ANALYZER] = {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "kpo_synonyms"],
    }
    # The query side of the fuzzy clause: surface forms without stop words, one term per word
    # (several hunspell stems per word would multiply the fuzzy expansions past maxClauseCount).
    body["settings"]["analysis"]["analyzer"][FUZZY_ANALYZER] = {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "kpo_apostrophe_s", "kpo_plain_folding", "kpo_dutch_stop"],
    }
    body["mappings"]["_meta"] = {"kpo_analysis": _body_fingerprint(body)}
    return body
