"""The privacy guard: find personal data in free text before anything is stored.

Signals and their answers describe phenomena, not people, and they travel between organisations.
The guard finds the direct identifiers that can be recognised reliably:

* Finnish personal identity codes (henkilötunnus), with the century signs of 2023 (-, Y, X, W, V, U
  for the 1900s, A-F for the 2000s) and +. Anything shaped like one is refused, valid checksum or
  not: a mistyped code still points at a person.
* Telephone numbers: Finnish domestic ones (040 123 4567, 09-1234567, (09) 123 4567) and
  international ones (+358 40 123 4567, 0046 70 123 45 67). Years, dates, times, sums, postal codes
  and business IDs are not telephone numbers.
* E-mail addresses, also the "name(a)example.fi" and "[at]" forms.
* Bank account numbers (IBAN), when their checksum is valid (the shape alone is too common).

Names, addresses and licence plates cannot be told apart from ordinary words reliably; the forms ask
the writer not to use them. Any decimal digits count (Arabic-Indic too), since texts come in any
language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import iban as stdnum_iban
from stdnum.fi import hetu as stdnum_hetu

MAX_REPORTED = 5
DASHES = "\u2010\u2011\u2012\u2013\u2212"


class PersonalDataKind(models.TextChoices):
    IDENTITY_CODE = "identity_code", gettext_lazy("personal identity code")
    PHONE = "phone", gettext_lazy("telephone number")
    EMAIL = "email", gettext_lazy("e-mail address")
    BANK_ACCOUNT = "bank_account", gettext_lazy("bank account number")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    line: int
    masked: str
    is_valid: bool = True  # for identity codes: whether the checksum holds


_IDENTITY_CODE = re.compile(
    rf"(?<!\w)(\d\d)(\d\d)(\d\d)([-+ABCDEFYXWVU{DASHES}])(\d\d\d)([0-9A-Y])(?!\w)", re.IGNORECASE
)
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]*\w"  # local part
    r"(?:@|\s?[\[(]\s?(?:a|at|ät|@)\s?[\])]\s?)"  # @, (a), [at], (ät)
    r"\w[\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)",
    re.IGNORECASE,
)
_IBAN = re.compile(r"(?<!\w)[A-Z]{2}\d\d(?: ?[A-Z0-9]){10,30}(?!\w)", re.IGNORECASE)
_SEPARATOR = rf"[ \u00a0\-{DASHES}]"
_PHONE_CANDIDATE = re.compile(
    rf"(?<![\w+])(?<!\d[.,:/])(?<!\w[-{DASHES}])(\+|00)?{_SEPARATOR}?(?:\(\d{{1,4}}\)|\d)(?:{_SEPARATOR}?(?:\(\d{{1,4}}\)|\d))*(?!\w)"
)
_GROUPS = re.compile(r"\d+")
_BUSINESS_ID = re.compile(rf"^\d{{7}}[-{DASHES}]\d$")


def _ascii_digits(text: str) -> str:
    """Every decimal digit as 0-9 (Arabic-Indic and other scripts' digits too)."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def _mask_digits(fragment: str, keep: int) -> str:
    """The fragment with every digit after the first `keep` ones replaced by an asterisk."""
    seen, out = 0, []
    for char in fragment:
        if char.isdecimal():
            seen += 1
            out.append(char if seen <= keep else "*")
        else:
            out.append(char)
    return "".join(out)


def _identity_codes(text: str) -> list[tuple[int, int, str, bool]]:
    found = []
    for match in _IDENTITY_CODE.finditer(text):
        day, month = int(_ascii_digits(match[1])), int(_ascii_digits(match[2]))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        code = _ascii_digits(match[0])
        for dash in DASHES:
            code = code.replace(dash, "-")
        masked = "******" + match[4] + "****"
        found.append((match.start(), match.end(), masked, stdnum_hetu.is_valid(code, allow_temporary=True)))
    return found


def _emails(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _EMAIL.finditer(text):
        fragment = match[0]
        local, _sep, domain = re.split(
            r"(@|\s?[\[(]\s?(?:a|at|ät|@)\s?[\])]\s?)", fragment, maxsplit=1, flags=re.I
        )
        top = domain.rsplit(".", 1)[-1]
        found.append((match.start(), match.end(), f"{local[:1]}***@{domain[:1]}***.{top}"))
    return found


def _bank_accounts(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _IBAN.finditer(text):
        if stdnum_iban.is_valid(_ascii_digits(match[0])):
            masked = match[0][:4] + re.sub(r"[A-Za-z0-9]", "*", match[0][4:])
            found.append((match.start(), match.end(), masked))
    return found


def _is_phone(fragment: str) -> tuple[bool, int]:
    """Whether the digit sequence is a telephone number, and how many leading digits to show."""
    plain = _ascii_digits(fragment).strip()
    if _BUSINESS_ID.match(plain):
        return False, 0
    international = plain.startswith(("+", "00"))
    groups = _GROUPS.findall(plain)
    digits = "".join(groups)
    if international:
        if plain.startswith("00"):
            digits = digits[2:]
            groups[0] = groups[0][2:] or (groups[1] if len(groups) > 1 else "")
        first = groups[0] if groups and groups[0] else digits[:3]
        return 8 <= len(digits) <= 15 and digits[:1] != "0", len(first) if len(first) <= 3 else 3
    if not (digits[:1] == "0" and digits[1:2] not in ("", "0") and 7 <= len(digits) <= 12):
        return False, 0
    if len(groups) == 1:
        return True, 3
    if not 2 <= len(groups[0]) <= 4 or any(len(group) < 2 for group in groups[1:]):
        return False, 0
    return True, len(groups[0])


def _phones(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _PHONE_CANDIDATE.finditer(text):
        fragment = match[0].strip()
        is_phone, keep = _is_phone(fragment)
        if is_phone:
            start = match.start() + match[0].index(fragment[0])
            prefix = 2 if _ascii_digits(fragment).startswith("00") else 0
            found.append((start, start + len(fragment), _mask_digits(fragment, keep + prefix)))
    return found


def find_personal_data(text: str) -> list[Finding]:
    """Every personal identifier the guard recognises in `text`, in the order they appear."""
    if not text:
        return []
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, masked: str, *, is_valid: bool = True) -> None:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        taken.append((start, end))
        line = text.count("\n", 0, start) + 1
        findings.append(Finding(kind, start, end, line, masked, is_valid))

    for start, end, masked, is_valid in _identity_codes(text):
        add(PersonalDataKind.IDENTITY_CODE, start, end, masked, is_valid=is_valid)
    for start, end, masked in _emails(text):
        add(PersonalDataKind.EMAIL, start, end, masked)
    for start, end, masked in _bank_accounts(text):
        add(PersonalDataKind.BANK_ACCOUNT, start, end, masked)
    for start, end, masked in _phones(text):
        add(PersonalDataKind.PHONE, start, end, masked)
    return sorted(findings, key=lambda finding: finding.start)


def describe(finding: Finding) -> str:
    """A translated sentence that says what was found and where, with the fragment masked."""
    values = {"line": finding.line, "fragment": finding.masked}
    if finding.kind == PersonalDataKind.IDENTITY_CODE:
        return _('Line %(line)s contains a personal identity code ("%(fragment)s").') % values
    if finding.kind == PersonalDataKind.PHONE:
        return _('Line %(line)s contains a telephone number ("%(fragment)s").') % values
    if finding.kind == PersonalDataKind.EMAIL:
        return _('Line %(line)s contains an e-mail address ("%(fragment)s").') % values
    return _('Line %(line)s contains a bank account number ("%(fragment)s").') % values


def personal_data_errors(text: str) -> list[str]:
    """Messages for a form field: each finding (at most a few), then what to do. Empty if clean."""
    findings = find_personal_data(text)
    if not findings:
        return []
    messages = [describe(finding) for finding in findings[:MAX_REPORTED]]
    if len(findings) > MAX_REPORTED:
        messages.append(_("…and %(count)s more.") % {"count": len(findings) - MAX_REPORTED})
    messages.append(
        _("Remove personal data and send again: signals describe situations, not people. Nothing was saved.")
    )
    return messages
