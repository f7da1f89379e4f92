"""A Dutch-like corpus generator for search benchmarks.

Words are drawn (with their real frequencies) from the KPO demo corpus, so analysis, stemming,
compounds and synonyms behave like on real content. The mix of types and visibilities follows
the platform: mostly platform-wide content, a share of community content (open/closed/secret),
a little public content and people.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

from kpo.core.corpus import read_corpus

TYPE_MIX = [
    ("document", 0.25),
    ("thread", 0.40),
    ("event", 0.08),
    ("course", 0.05),
    ("theme", 0.02),
    ("person", 0.20),
]
VISIBILITY_MIX = [("platform", 0.60), ("public", 0.08), ("community", 0.32)]
N_COMMUNITIES = 40

QUERIES = [
    "vastgoedcriminaliteit",
    "motorbendes",
    "bibop",
    "OM",
    "witwassen",
    "drugslab buitengebied",
    "integriteit gemeente",
    "mensenhandel arbeidsuitbuiting",
    "LFT",
    "Wet Bibob",
    "criminaliteit in het vastgoed",
    "ondergronds bankieren",
    "weerbaarheidsscan",
    "informatiepositie",
    "explosies",
    "jonge aanwas",
    "zorgfraude",
    "havens uithalers",
    "gegevensdeling Wgs",
    "strategisch beeld",
]


def _vocabulary() -> tuple[list[str], list[str]]:
    data = read_corpus()
    text = []
    for section in ("documents", "elearnings", "events", "themes"):
        for item in data.get(section) or []:
            text.append(" ".join(str(v) for v in item.values() if isinstance(v, str)))
    for community in data.get("communities") or []:
        for thread in community.get("threads") or []:
            text.append(thread.get("title", "") + " " + thread.get("body", ""))
    words = re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'-]+", " ".join(text))
    titles = [w for w in words if len(w) > 4]
    return words, titles


def _pick(rng: random.Random, mix: list[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in mix], weights=[w for _, w in mix])[0]


def generate(n: int, *, seed: int = 42) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``n`` index documents ``(doc_id, type, raw document)`` in the shared schema."""
    rng = random.Random(seed)
    words, title_words = _vocabulary()
    data = read_corpus()
    themes = [t["slug"] for t in data["themes"]]
    regions = [r["slug"] for r in data["regions"]]
    organisations = [o["slug"] for o in data["organisations"]]

    def sentence(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k)).capitalize() + "."

    for i in range(n):
        kind = _pick(rng, TYPE_MIX)
        visibility = _pick(rng, VISIBILITY_MIX)
        if kind == "person":
            visibility = "platform"
        principals = (
            [f"community:{rng.randint(1, N_COMMUNITIES)}"]
            if visibility == "community"
            else [visibility]
        )
        year = rng.randint(2019, 2026)
        body_sentences = (
            rng.randint(4, 30) if kind in ("document", "course") else rng.randint(2, 10)
        )
        doc = {
            "title": " ".join(rng.choice(title_words) for _ in range(rng.randint(3, 8))),
            "summary": sentence(rng.randint(10, 25)),
            "body": " ".join(sentence(rng.randint(8, 20)) for _ in range(body_sentences)),
            "url": f"/bench/{kind}/{i}/",
            "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "themes": rng.sample(themes, rng.randint(1, 3)),
            "regions": rng.sample(regions, rng.randint(0, 2)),
            "organisations": rng.sample(organisations, rng.randint(0, 3)),
            "year": year,
            "principals": principals,
        }
        if kind == "document":
            doc["doc_type"] = rng.choice(["handreiking", "strategisch-beeld", "casus", "factsheet"])
            doc["review_status"] = rng.choice(["actueel"] * 6 + ["herbeoordeling", "verouderd"])
        if kind == "thread":
            doc["accepted_answer"] = rng.random() < 0.3
        if kind == "person":
            doc["people"] = {
                "name": doc["title"],
                "function": sentence(3),
                "expertise": doc["themes"],
            }
        yield f"bench.{kind}:{i}", kind, doc
