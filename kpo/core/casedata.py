"""Detection of what looks like personal case data in free text (pure, no Django models), and
the guard that warns about it (:func:`case_data_check`, :class:`CaseDataWarning`), used by
community posts and by contact messages between colleagues.

Community posts are meant for knowledge, not for case files. Before a post or an attachment name
is saved, the communities pillar asks :func:`case_data_find` whether the text contains a value
that identifies a person or an address:

- ``bsn``: a burgerservicenummer of 8 or 9 digits (dots, spaces or dashes allowed between the
  groups) that passes the 11-test (python-stdnum ``stdnum.nl.bsn``);
- ``iban``: an IBAN of any country whose mod-97 check digits and country format are right
  (python-stdnum ``stdnum.iban``);
- ``licence_plate``: a Dutch licence plate written with dashes in one of the RDW side codes 1-14
  (there is no check digit; side codes 4 and later use consonants only);
- ``address``: a Dutch postcode (``stdnum.nl.postcode``: 1000-9999, no SA/SD/SS) next to a house
  number (``1234 AB 12``, ``1234AB, 12a``, or ``Kerkstraat 12, 1234 AB``).

The patterns are general rules of the number systems, not derived from any content. A
:class:`Finding` keeps the matched value for the author's own warning only: its ``repr`` and
:meth:`Finding.masked` never show it, so a finding that reaches a log shows the kind alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

KINDS = {
    "bsn": _("een burgerservicenummer (BSN)"),
    "iban": _("een IBAN-rekeningnummer"),
    "licence_plate": _("een kenteken"),
    "address": _("een postcode met huisnummer"),
}


@dataclass(frozen=True)
class Finding:
    """One detected value: its kind, where it is in the text, and the value (never in repr)."""

    kind: str
    start: int
    end: int
    value: str = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    def masked(self) -> str:
        """The value with all but its last two characters replaced, for display."""
        visible = self.value[-2:]
        return "•" * max(len(self.value) - 2, 0) + visible


_BSN = re.compile(
    r"(?<![\w.-])"
    r"(\d{4}[. -]?\d{2}[. -]?\d{3}|\d{3}[. -]?\d{3}[. -]?\d{3}|\d{8})"
    r"(?![\w-]|\.\d)"
)
_IBAN = re.compile(
    r"(?<![\w])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)(?!\w)", re.I
)
_POSTCODE = r"[1-9]\d{3}[ ]?[A-Z]{2}"
_HOUSE_NUMBER = r"\d{1,5}(?:[ ]?[-]?[ ]?[A-Za-z0-9]{1,4})?"
_ADDRESS_AFTER = re.compile(
    rf"(?<![\w])(?P<postcode>{_POSTCODE})[ ]*,?[ ]*(?:(?i:huisnummer|nr\.?|nummer)[ ]*)?"
    r"(?P<number>\d{1,5}[A-Za-z]?)(?!\w)"
)
_ADDRESS_BEFORE = re.compile(
    rf"(?<![\w])(?P<street>[A-Za-zÀ-ÿ'][\w'.-]*[ ](?P<number>{_HOUSE_NUMBER})),?[ ]+"
    rf"(?P<postcode>{_POSTCODE})(?!\w)"
)

_ANY = "[A-Z]"
_CONS = "[BDFGHJKLMNPRSTVXZ]"
_SIDECODES = [
    (rf"{_ANY}{{2}}-\d{{2}}-\d{{2}}"),  # 1  XX-99-99
    (rf"\d{{2}}-\d{{2}}-{_ANY}{{2}}"),  # 2  99-99-XX
    (rf"\d{{2}}-{_ANY}{{2}}-\d{{2}}"),  # 3  99-XX-99
    (rf"{_CONS}{{2}}-\d{{2}}-{_CONS}{{2}}"),  # 4  XX-99-XX
    (rf"{_CONS}{{2}}-{_CONS}{{2}}-\d{{2}}"),  # 5  XX-XX-99
    (rf"\d{{2}}-{_CONS}{{2}}-{_CONS}{{2}}"),  # 6  99-XX-XX
    (rf"\d{{2}}-{_CONS}{{3}}-\d"),  # 7  99-XXX-9
    (rf"\d-{_CONS}{{3}}-\d{{2}}"),  # 8  9-XXX-99
    (rf"{_CONS}{{2}}-\d{{3}}-{_CONS}"),  # 9  XX-999-X
    (rf"{_CONS}-\d{{3}}-{_CONS}{{2}}"),  # 10 X-999-XX
    (rf"{_CONS}{{3}}-\d{{2}}-{_CONS}"),  # 11 XXX-99-X
    (rf"{_CONS}-\d{{2}}-{_CONS}{{3}}"),  # 12 X-99-XXX
    (rf"\d-{_CONS}{{2}}-\d{{3}}"),  # 13 9-XX-999
    (rf"\d{{3}}-{_CONS}{{2}}-\d"),  # 14 999-XX-9
]
_PLATE = re.compile(r"(?<![\w-])(" + "|".join(_SIDECODES) + r")(?![\w-])")


def bsn_is_valid(value: str) -> bool:
    """8 or 9 digits passing the 11-test; all zeros is not a number anyone holds."""
    digits = re.sub(r"[. -]", "", value)
    return digits.strip("0") != "" and stdnum_bsn.is_valid(digits)


def iban_is_valid(value: str) -> bool:
    """Mod-97 check digits and the country's IBAN format."""
    return stdnum_iban.is_valid(value)


def licence_plate_is_plausible(value: str) -> bool:
    """Written with dashes in one of the RDW side codes 1-14."""
    return _PLATE.fullmatch(value) is not None


def postcode_is_valid(value: str) -> bool:
    return stdnum_postcode.is_valid(value.upper())


def case_data_find(text: str) -> list[Finding]:
    """Every value in ``text`` that looks like personal case data, in text order, without
    overlaps (an IBAN's digits are not also reported as a BSN)."""
    if not text:
        return []
    found: list[Finding] = []
    for match in _IBAN.finditer(text):
        if iban_is_valid(match.group(1)):
            found.append(Finding("iban", match.start(1), match.end(1), match.group(1)))
    for pattern in (_ADDRESS_AFTER, _ADDRESS_BEFORE):
        for match in pattern.finditer(text):
            if postcode_is_valid(match.group("postcode")):
                found.append(Finding("address", match.start(), match.end(), match.group(0)))
    for match in _PLATE.finditer(text):
        found.append(Finding("licence_plate", match.start(1), match.end(1), match.group(1)))
    for match in _BSN.finditer(text):
        if bsn_is_valid(match.group(1)):
            found.append(Finding("bsn", match.start(1), match.end(1), match.group(1)))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    result: list[Finding] = []
    for finding in found:
        if result and finding.start < result[-1].end:
            continue
        result.append(finding)
    return result


def case_data_kinds(findings: list[Finding]) -> list[str]:
    """The distinct kinds, in the order of :data:`KINDS` (what may be stored and logged)."""
    present = {f.kind for f in findings}
    return [kind for kind in KINDS if kind in present]


# --- the guard: warn, or accept with a reason (community posts, contact messages) ------------

REASON_MAX = 2000


class CaseDataWarning(ValidationError):
    """Raised when a text looks like it contains case data and no reason was given.

    ``findings`` maps a part (``"title"``, ``"body"``, ``"filename"``) to what was found there,
    for the author's warning only; the message names the kinds, never the values."""

    def __init__(self, findings: dict[str, list[Finding]]) -> None:
        self.findings = findings
        labels = [f.label for f in {f.kind: f for part in findings.values() for f in part}.values()]
        super().__init__(
            "Dit lijkt persoonsgegevens uit een zaak te bevatten (%(kinds)s). Haal ze weg, of "
            "sla op met een reden waarom ze hier nodig zijn.",
            code="case_data",
            params={"kinds": ", ".join(labels)},
        )

    @property
    def kinds(self) -> list[str]:
        return case_data_kinds([f for part in self.findings.values() for f in part])

    def items(self) -> list[tuple[str, list[Finding]]]:
        return list(self.findings.items())


def filename_text(name: str) -> str:
    """A file name as text to check: separators that join words become spaces."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem.replace("_", " ").replace("+", " ")


def case_data_check(*, parts: dict[str, str], reason: str | None) -> list[str]:
    """Check every part; return the kinds found (empty: nothing found). Raises
    :class:`CaseDataWarning` when something was found and ``reason`` is empty, and
    ``ValidationError`` when the reason itself contains case data or is too long."""
    findings = {name: found for name, text in parts.items() if (found := case_data_find(text))}
    if not findings:
        return []
    reason = (reason or "").strip()
    if not reason:
        raise CaseDataWarning(findings)
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"case_data_reason": "De reden is te lang (maximaal 2.000 tekens)."}, code="invalid"
        )
    if case_data_find(reason):
        raise ValidationError(
            {"case_data_reason": "Zet in de reden zelf geen persoonsgegevens."}, code="case_data"
        )
    return case_data_kinds([f for found in findings.values() for f in found])
