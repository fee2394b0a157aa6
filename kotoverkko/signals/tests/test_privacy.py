"""The privacy guard: what it refuses, what it lets through, and what its messages say."""

from __future__ import annotations

import pytest
from django.utils import translation

from kotoverkko.signals.privacy import PersonalDataKind, find_personal_data, personal_data_errors

ID = PersonalDataKind.IDENTITY_CODE
PHONE = PersonalDataKind.PHONE
EMAIL = PersonalDataKind.EMAIL
IBAN = PersonalDataKind.BANK_ACCOUNT


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        # Personal identity codes: old and 2023 century signs, valid or mistyped.
        ("Asiakkaan hetu 131052-308T", ID, "******-****"),
        ("131052-308U on väärin kirjoitettu", ID, "******-****"),
        ("syntynyt 010594Y9032", ID, "******Y****"),
        ("010594X9021", ID, "******X****"),
        ("040404W123A", ID, "******W****"),
        ("010101V1234", ID, "******V****"),
        ("311299U999K", ID, "******U****"),
        ("020302A123B", ID, "******A****"),
        ("150312B456C", ID, "******B****"),
        ("010120F002R", ID, "******F****"),
        ("090199+002K", ID, "******+****"),
        ("131052–308T (ajatusviiva)", ID, "******–****"),
        ("hetu: 131052-308t", ID, "******-****"),
        # Finnish telephone numbers.
        ("Soita 040 123 4567 heti", PHONE, "040 *** ****"),
        ("0401234567", PHONE, "040*******"),
        ("puh. 050-123 45 67.", PHONE, "050-*** ** **"),
        ("puh.0441234567", PHONE, "044*******"),
        ("09-1234567", PHONE, "09-*******"),
        ("(09) 123 4567", PHONE, "(09) *** ****"),
        ("09 1234 567", PHONE, "09 **** ***"),
        ("0800 123 456", PHONE, "0800 *** ***"),
        ("p. 0400 123 456", PHONE, "0400 *** ***"),
        # International forms.
        ("+358 40 1234567", PHONE, "+358 ** *******"),
        ("+358401234567", PHONE, "+358*********"),
        ("+358 (0)40 123 4567", PHONE, "+358 (*)** *** ****"),
        ("00358 40 123 4567", PHONE, "00358 ** *** ****"),
        ("0046 70 123 45 67", PHONE, "0046 ** *** ** **"),
        ("+46 70 123 45 67", PHONE, "+46 ** *** ** **"),
        ("+1 555 123 4567", PHONE, "+1 *** *** ****"),
        ("+44 20 7946 0958", PHONE, "+44 ** **** ****"),
        # Any script's digits.
        ("هاتف ٠٤٠ ١٢٣ ٤٥٦٧", PHONE, "٠٤٠ *** ****"),
        # E-mail addresses, also the obfuscated forms.
        ("matti.meikalainen@example.fi", EMAIL, "m***@e***.fi"),
        ("Kirjoita: Liisa_V+kurssi@sub.example.com.", EMAIL, "L***@s***.com"),
        ("etunimi.sukunimi(a)espoo.fi", EMAIL, "e***@e***.fi"),
        ("nimi [at] example.com", EMAIL, "n***@e***.com"),
        ("nimi(ät)example.org", EMAIL, "n***@e***.org"),
        # Bank accounts with a valid checksum.
        ("tilille FI21 1234 5600 0007 85", IBAN, "FI21 **** **** **** **"),
        ("FI2112345600000785", IBAN, "FI21**************"),
        ("DE89 3704 0044 0532 0130 00", IBAN, "DE89 **** **** **** **** **"),
    ],
)
def test_find_personal_data__identifier__found_and_masked(text, kind, masked):
    findings = find_personal_data(text)
    assert [(finding.kind, finding.masked) for finding in findings] == [(kind, masked)]


@pytest.mark.parametrize(
    "text",
    [
        "Vuonna 2024 ryhmässä oli 35 osallistujaa.",
        "Kurssi alkaa 12.3.2024 ja päättyy 31.5.2024.",
        "Päivämäärä 2024-03-12.",
        "Klo 17:30-19 ja klo 09-16, ma–pe 8.00–16.00.",
        "Hinta 2 000 € tai 1 500 000 euroa, alennus 15 %.",
        "Osoite 02100 Espoo, postinumerot 02100 02200 02230.",
        "Y-tunnus 0101263-6.",
        "Kausi 2023–2024 ja 03/2024-06/2024.",
        "0–6-vuotiaat lapset ja 7-12-vuotiaat.",
        "Asiakkaita 120, heistä 045 uusia.",
        "Arvo 0,5 tai 3,0401234567.",
        "Soita hätänumeroon 112 tai Kelan neuvontaan.",
        "Kurssi KOTO-2024, ryhmät (a) ja (b).",
        "Noin +2 000 hakemusta.",
        "Hakemuksia oli 2 345 678 kappaletta.",
        "Tilinumero puuttuu: FI21 1234 5600 0007 86 ei ole oikea.",
        "Ota yhteyttä kunnan neuvontaan verkkosivuilla.",
        "",
    ],
)
def test_find_personal_data__ordinary_text__nothing_found(text):
    assert find_personal_data(text) == []


def test_find_personal_data__identity_code_with_wrong_checksum__refused_but_marked_invalid():
    [finding] = find_personal_data("131052-308U")
    assert finding.kind == ID
    assert finding.is_valid is False


def test_find_personal_data__several__in_order_with_line_numbers():
    text = "Ensimmäinen rivi.\nSoita 040 123 4567\ntai kirjoita a.b@example.fi"
    findings = find_personal_data(text)
    assert [(f.kind, f.line) for f in findings] == [(PHONE, 2), (EMAIL, 3)]


def test_find_personal_data__identity_code_inside_phone_like_text__reported_once():
    assert [f.kind for f in find_personal_data("010203-1234 ja 040 123 4567")] == [ID, PHONE]


def test_personal_data_errors__phone__says_what_and_where_with_masked_fragment():
    with translation.override("en"):
        errors = personal_data_errors("Hei!\nSoita 040 123 4567.")
    assert errors[0] == 'Line 2 contains a telephone number ("040 *** ****").'
    assert "Nothing was saved." in errors[-1]
    assert "123" not in " ".join(errors)


def test_personal_data_errors__in_finnish__translated():
    with translation.override("fi"):
        errors = personal_data_errors("Soita 040 123 4567.")
    assert "puhelinnumero" in errors[0]
    assert "040 *** ****" in errors[0]


def test_personal_data_errors__many_findings__lists_five_and_counts_rest():
    text = " ".join(f"040 123 45{n:02d} ja" for n in range(8))
    with translation.override("en"):
        errors = personal_data_errors(text)
    assert len(errors) == 7
    assert errors[5] == "…and 3 more."


def test_personal_data_errors__clean_text__empty():
    assert personal_data_errors("Kielikahvilaan tarvitaan lisää vapaaehtoisia.") == []
