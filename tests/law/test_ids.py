"""Legal source ids: BWB and ECLI validation, article numbers, links, ids in free text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kennisbank.models import DocumentCitation
from kpo.law import ids


@pytest.mark.parametrize("value", ["BWBR0013798", " bwbr0013798 ", "BWBR 0013798"])
def test_valid_bwb_ids_are_normalised(value):
    assert ids.bwb_clean(value) == "BWBR0013798"


@pytest.mark.parametrize("value", ["", "BWBR001379", "BWBR00137980", "BWBV0013798", "0013798"])
def test_invalid_bwb_ids_are_refused_in_dutch(value):
    with pytest.raises(ValidationError) as exc:
        ids.bwb_clean(value)
    assert "geen geldig BWB-id" in exc.value.messages[0]
    assert exc.value.code == "bwb"


@pytest.mark.parametrize(
    "value", ["ECLI:NL:HR:2020:123", "ecli:nl:rvs:2019:1234", "ECLI:NL:RBAMS:2018:BZ1234"]
)
def test_valid_eclis(value):
    assert ids.identifier_clean(value) == value.upper()


@pytest.mark.parametrize(
    "value", ["ECLI:NL:HR:20:123", "ECLI:BE:HR:2020:123", "ECLI:NL::2020:1", "ECLI:NL:HR:2020:"]
)
def test_invalid_eclis_are_refused_with_the_format(value):
    with pytest.raises(ValidationError) as exc:
        ids.identifier_clean(value)
    assert "geen geldige ECLI" in exc.value.messages[0]


def test_articles_are_normalised_and_checked():
    assert ids.article_clean("Artikel 3") == "3"
    assert ids.article_clean("art. 13B") == "13b"
    assert ids.article_clean(" 5:20 ") == "5:20"
    assert ids.article_clean("") == ""
    with pytest.raises(ValidationError):
        ids.article_clean("3; DROP TABLE")


def test_links_point_to_the_public_sources_by_id():
    assert ids.source_url("BWBR0013798") == "https://wetten.overheid.nl/BWBR0013798"
    assert ids.source_url("BWBR0013798", "3") == (
        "https://wetten.overheid.nl/jci1.3:c:BWBR0013798&artikel=3"
    )
    assert ids.source_url("ECLI:NL:RVS:2019:1234") == (
        "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:RVS:2019:1234"
    )


def test_ids_are_found_in_a_search_query():
    assert ids.identifiers_in_text("wet bibob bwbr0013798 en ECLI:NL:HR:2020:12") == [
        "BWBR0013798",
        "ECLI:NL:HR:2020:12",
    ]
    assert ids.identifiers_in_text("bibob artikel 3") == []


def test_a_citation_is_validated_like_the_editor_form_does():
    citation = DocumentCitation(identifier="bwbr0013798", article="artikel 3")
    citation.clean()
    assert (citation.identifier, citation.article) == ("BWBR0013798", "3")
    assert citation.display == "artikel 3 (BWBR0013798)"
    with pytest.raises(ValidationError) as exc:
        DocumentCitation(identifier="Wet Bibob", article="").clean()
    assert "identifier" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        DocumentCitation(identifier="ECLI:NL:HR:2020:123", article="3").clean()
    assert exc.value.message_dict["article"] == ["Een uitspraak (ECLI) heeft geen artikelnummer."]
