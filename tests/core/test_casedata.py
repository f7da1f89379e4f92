"""The pure detection of case data: each pattern with valid and invalid check digits."""

from __future__ import annotations

import pytest

from kpo.core.casedata import (
    Finding,
    bsn_is_valid,
    case_data_find,
    case_data_kinds,
    iban_is_valid,
    licence_plate_is_plausible,
)


def kinds(text: str) -> list[str]:
    return [f.kind for f in case_data_find(text)]


# --- BSN: the 11-test ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["111222333", "1112.22.333", "111 222 333", "123456782"])
def test_bsn_passing_the_eleven_test_is_found(value):
    assert bsn_is_valid(value)
    assert kinds(f"Betrokkene heeft BSN {value}, zie dossier.") == ["bsn"]


@pytest.mark.parametrize("value", ["111222334", "123456789", "000000000", "12345678"])
def test_bsn_failing_the_eleven_test_is_not_found(value):
    assert not bsn_is_valid(value)
    assert kinds(f"Nummer {value} in de tekst.") == []


def test_numbers_longer_than_a_bsn_are_not_read_as_one():
    # a phone number and a long reference that contain a valid BSN as a substring
    assert kinds("Bel 0111222333 of kenmerk 11122233312.") == []


# --- IBAN: mod-97 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "nl91abna0417164300",
        "DE89370400440532013000",
    ],
)
def test_iban_with_right_check_digits_is_found(value):
    assert iban_is_valid(value)
    assert kinds(f"Overgemaakt naar {value} op dinsdag.") == ["iban"]


@pytest.mark.parametrize("value", ["NL91ABNA0417164301", "NL92ABNA0417164300", "NL91ABNA041716430"])
def test_iban_with_wrong_check_digits_is_not_found(value):
    assert not iban_is_valid(value)
    assert kinds(f"Overgemaakt naar {value} op dinsdag.") == []


def test_the_digits_of_an_iban_are_not_also_a_bsn():
    found = case_data_find("Rekening NL91ABNA0417164300.")
    assert [f.kind for f in found] == ["iban"]


# --- licence plates: RDW side codes --------------------------------------------------------------


@pytest.mark.parametrize(
    "plate",
    [
        "AB-12-34",  # 1
        "12-34-AB",  # 2
        "12-AB-34",  # 3
        "BD-12-FG",  # 4
        "BD-FG-12",  # 5
        "12-BD-FG",  # 6
        "12-BDF-3",  # 7
        "1-BDF-23",  # 8
        "BD-123-F",  # 9
        "B-123-DF",  # 10
        "BDF-12-G",  # 11
        "B-12-DFG",  # 12
        "1-BD-234",  # 13
        "123-BD-4",  # 14
    ],
)
def test_every_side_code_is_found(plate):
    assert licence_plate_is_plausible(plate)
    assert kinds(f"Auto met kenteken {plate} gezien.") == ["licence_plate"]


@pytest.mark.parametrize(
    "text",
    [
        "12-AEI-3",  # vowels do not occur in side code 7
        "123-45-67",  # no letters
        "AB-CD-EF",  # no digits
        "12-ABCD-3",  # no side code has four letters
        "ab-12-34",  # plates are written in capitals
        "BD-12-FG-34",  # part of a longer code
    ],
)
def test_what_is_no_licence_plate_is_not_found(text):
    assert not licence_plate_is_plausible(text)
    assert kinds(f"Code {text} in het overzicht.") == []


# --- postcode with house number ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3511 AB 12",
        "3511AB 12a",
        "3511 AB, huisnummer 7",
        "Kerkstraat 12, 3511 AB Utrecht",
        "Kerkstraat 12-bis 3511 AB",
    ],
)
def test_postcode_with_house_number_is_found(text):
    assert kinds(f"Het pand aan {text} is verhuurd.") == ["address"]


@pytest.mark.parametrize(
    "text",
    [
        "3511 AB",  # a postcode alone is a neighbourhood, not an address
        "0511 AB 12",  # postcodes start at 1000
        "3511 SS 12",  # SS, SA and SD are not used
        "In 2024 en 12 andere jaren",  # lower-case words are no postcode letters
    ],
)
def test_no_address_without_a_valid_postcode_and_number(text):
    assert kinds(f"Regio {text}.") == []


# --- the findings themselves ---------------------------------------------------------------------


def test_findings_come_in_text_order_and_kinds_are_distinct():
    text = "BSN 111222333, rekening NL91ABNA0417164300, auto 12-BDF-3, BSN 123456782."
    found = case_data_find(text)
    assert [f.kind for f in found] == ["bsn", "iban", "licence_plate", "bsn"]
    assert [text[f.start : f.end] for f in found][0] == "111222333"
    assert case_data_kinds(found) == ["bsn", "iban", "licence_plate"]


def test_a_finding_never_shows_its_value_in_repr_or_masked_form():
    finding = case_data_find("BSN 111222333")[0]
    assert isinstance(finding, Finding)
    assert "111222333" not in repr(finding)
    assert "111222333" not in str(finding)
    assert finding.masked().endswith("33") and "1112223" not in finding.masked()
    assert finding.label == "een burgerservicenummer (BSN)"


def test_plain_knowledge_text_has_no_findings():
    text = (
        "Bij een Bibob-toets kijk je naar zeggenschap. Artikel 13b Opiumwet, 3 maanden sluiting, "
        "zie de handreiking van 12-03-2024 en bel 030-1234567."
    )
    assert case_data_find(text) == []
