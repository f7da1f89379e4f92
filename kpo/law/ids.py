"""Identifiers of legal sources: BWB (a law in the Basiswettenbestand) and ECLI (case law).

Pure functions, no I/O: validation with a Dutch message, normalisation, and the public link to
the source (a link, never a fetch). Used by the citation models, the law-change services, the
import and the search query (``search.query`` finds a cited id in the search box).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BWB_RE = re.compile(r"^BWBR\d{7}$")
# ECLI:NL:<court>:<year>:<number>; the court code is 1–7 letters/digits (HR, RVS, CRVB,
# GHARL, RBAMS …), the number up to 25 letters, digits and dots (1234, BZ1234, 2019.12).
ECLI_RE = re.compile(r"^ECLI:NL:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]{1,25}$")
# Article numbers as the BWB writes them: 3, 13b, 5:20, 1.1, 10a.2, I.
ARTICLE_RE = re.compile(r"^[0-9a-z]{1,8}(?:[.:][0-9a-z]{1,8}){0,3}$")
_ARTICLE_PREFIX = re.compile(r"^(?:artikel|art\.?)\s*", re.IGNORECASE)

# An id inside free text (the search box): word-bounded, any case.
_IN_TEXT = re.compile(
    r"(?<![\w:])(BWBR\d{7}|ECLI:NL:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]{1,25})(?![\w])", re.IGNORECASE
)

WETTEN_URL = "https://wetten.overheid.nl/"
RECHTSPRAAK_URL = "https://uitspraken.rechtspraak.nl/details?id="


def normalise_identifier(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_article(value: str) -> str:
    """ "Artikel 3", "art. 3", " 3 " → "3"; letters lower case ("13B" → "13b")."""
    text = _ARTICLE_PREFIX.sub("", (value or "").strip())
    return re.sub(r"\s+", "", text).lower()


def is_bwb(identifier: str) -> bool:
    return bool(BWB_RE.match(identifier))


def is_ecli(identifier: str) -> bool:
    return bool(ECLI_RE.match(identifier))


def bwb_clean(value: str) -> str:
    """A valid, normalised BWB id, or ``ValidationError`` (code ``bwb``)."""
    identifier = normalise_identifier(value)
    if not is_bwb(identifier):
        raise ValidationError(
            _(
                "“%(value)s” is geen geldig BWB-id: dat is BWBR gevolgd door zeven cijfers, "
                "bijvoorbeeld BWBR0013798 (Wet Bibob)."
            )
            % {"value": (value or "")[:40]},
            code="bwb",
        )
    return identifier


def article_clean(value: str) -> str:
    """A normalised article number ("" = the whole law), or ``ValidationError`` (``article``)."""
    article = normalise_article(value)
    if article and not ARTICLE_RE.match(article):
        raise ValidationError(
            _(
                "“%(value)s” is geen geldig artikelnummer (bijvoorbeeld 3, 13b of 5:20); laat "
                "het leeg voor de hele wet."
            )
            % {"value": (value or "")[:40]},
            code="article",
        )
    return article


def identifier_clean(value: str) -> str:
    """A citation's id: a BWB id or an ECLI, normalised; else ``ValidationError``."""
    identifier = normalise_identifier(value)
    if is_bwb(identifier) or is_ecli(identifier):
        return identifier
    if identifier.startswith("ECLI"):
        message = _(
            "“%(value)s” is geen geldige ECLI: gebruik ECLI:NL:<instantie>:<jaar>:<nummer>, "
            "bijvoorbeeld ECLI:NL:RVS:2019:1234."
        )
    else:
        message = _(
            "“%(value)s” is geen BWB-id (BWBR gevolgd door zeven cijfers) en geen ECLI "
            "(ECLI:NL:<instantie>:<jaar>:<nummer>)."
        )
    raise ValidationError(message % {"value": (value or "")[:60]}, code="identifier")


def source_url(identifier: str, article: str = "") -> str:
    """The public page of the source: wetten.overheid.nl for a law (the article through its
    JCI reference), uitspraken.rechtspraak.nl for a ruling."""
    if is_ecli(identifier):
        return RECHTSPRAAK_URL + identifier
    if article:
        return f"{WETTEN_URL}jci1.3:c:{identifier}&artikel={article}"
    return WETTEN_URL + identifier


def identifiers_in_text(text: str) -> list[str]:
    """The BWB ids and ECLIs written in ``text`` (normalised, in order, without repeats)."""
    found: list[str] = []
    for match in _IN_TEXT.finditer(text or ""):
        value = match.group(1).upper()
        if value not in found:
            found.append(value)
    return found
