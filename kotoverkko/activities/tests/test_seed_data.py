"""The demo content in `activities.seed_data` is well-formed (no database needed)."""

import datetime
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from dateutil.rrule import rrulestr

from kotoverkko.activities import seed_data
from kotoverkko.activities.enums import GenderRestriction, ListingSection, Registration
from kotoverkko.organisations.seed import ORGANISATIONS
from kotoverkko.reference import sources

LISTINGS = seed_data.LISTINGS
KEYS = {
    "key", "organisation", "section", "title", "summary", "description", "plain_finnish", "themes",
    "target_groups", "languages", "has_interpretation", "min_age", "max_age", "gender_restriction",
    "is_for_families", "has_childcare", "is_accessible", "is_free", "fee_info", "registration",
    "registration_info", "is_online", "online_url", "place_name", "street_address", "postal_code",
    "municipality", "latitude", "longitude", "municipalities_served", "contact_email", "schedule",
}  # fmt: skip
MULTILINGUAL = ("title", "summary", "description", "place_name", "fee_info")
THEME_SLUGS = {theme["slug"] for theme in seed_data.THEMES}
TARGET_GROUP_SLUGS = {group["slug"] for group in seed_data.TARGET_GROUPS}
# Demo "now" in the brief: activities must still have occurrences after it.
DEMO_TODAY = datetime.datetime(2026, 11, 24)  # noqa: DTZ001 - Helsinki wall-clock time, as in the data
EXAMPLE_DOMAIN = re.compile(r"(^|\.)example$|^example\.(com|net|org|fi)$")
EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
URL = re.compile(r"https?://[^\s\"')]+")
PHONE_LIKE = re.compile(r"(?<![\d.])0\d{1,3}[ -]\d{3}[ -]?\d{3,4}(?!\d)")
FAKE_PHONE = re.compile(r"^040 000 00\d\d$")
# Scripts that the right-to-left and other non-Latin texts must actually be written in.
SCRIPTS = {
    "ar": "\u0600-\u06ff",
    "fa": "\u0600-\u06ff",
    "prs": "\u0600-\u06ff",
    "ckb": "\u0600-\u06ff",
    "ti": "\u1200-\u137f",
    "ru": "\u0400-\u04ff",
    "uk": "\u0400-\u04ff",
    "zh": "\u4e00-\u9fff",
    "th": "\u0e00-\u0e7f",
}


def _id(listing: dict[str, Any]) -> str:
    return listing["key"]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _occurrences(schedule: dict[str, Any]) -> list[datetime.datetime]:
    start = datetime.datetime.fromisoformat(schedule["start"])
    if not schedule["rrule"]:
        return [start]
    return list(rrulestr(schedule["rrule"], dtstart=start))


@pytest.fixture(scope="module")
def language_codes() -> set[str]:
    return {record.code for record in sources.read_languages()}


# --- Vocabularies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("vocabulary", [seed_data.THEMES, seed_data.TARGET_GROUPS], ids=["themes", "targets"])
def test_vocabulary__terms__unique_slugs_with_three_labels(vocabulary):
    slugs = [term["slug"] for term in vocabulary]
    assert len(slugs) == len(set(slugs))
    for term in vocabulary:
        assert set(term) == {"slug", "fi", "sv", "en"}
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", term["slug"])
        assert all(term[language].strip() for language in ("fi", "sv", "en"))


def test_themes__all_listings__every_theme_used():
    used = {slug for listing in LISTINGS for slug in listing["themes"]}
    assert used == THEME_SLUGS


def test_target_groups__all_listings__every_group_used():
    used = {slug for listing in LISTINGS for slug in listing["target_groups"]}
    assert used == TARGET_GROUP_SLUGS


# --- The whole set ---------------------------------------------------------------------------------


def test_listings__count__at_least_sixty_with_both_sections():
    sections = [listing["section"] for listing in LISTINGS]
    assert len(LISTINGS) >= 60
    assert sections.count(ListingSection.ACTIVITY) >= 45
    assert sections.count(ListingSection.EVENT) >= 10


def test_listings__keys__unique_slugs():
    keys = [listing["key"] for listing in LISTINGS]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) for key in keys)


def test_listings__languages__at_least_twelve_distinct():
    assert len({code for listing in LISTINGS for code in listing["languages"]}) >= 12


def test_listings__municipalities__all_three_present():
    assert {listing["municipality"] for listing in LISTINGS} >= set(seed_data.AREA)


def test_listings__texts__several_languages_written_out():
    text_languages = [set(listing["title"]) for listing in LISTINGS]
    assert sum("ar" in languages for languages in text_languages) >= 10
    for language in ("so", "ru", "uk", "sv", "ti", "ckb"):
        assert sum(language in languages for languages in text_languages) >= 2, language
    assert any(languages & {"fa", "prs"} for languages in text_languages)


def test_listings__plain_finnish__about_a_third():
    assert sum(bool(listing["plain_finnish"]) for listing in LISTINGS) >= len(LISTINGS) // 4


# --- One listing at a time -------------------------------------------------------------------------


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__fields__complete_and_valid(listing, language_codes):
    assert set(listing) == KEYS
    assert listing["organisation"] in {organisation.key for organisation in ORGANISATIONS}
    assert listing["section"] in ListingSection.values
    assert listing["gender_restriction"] in GenderRestriction.values
    assert listing["registration"] in Registration.values
    assert set(listing["themes"]) <= THEME_SLUGS
    assert listing["themes"]
    assert set(listing["target_groups"]) <= TARGET_GROUP_SLUGS
    assert listing["target_groups"]
    assert listing["languages"]
    assert len(listing["languages"]) == len(set(listing["languages"]))
    assert set(listing["languages"]) <= language_codes
    assert set(listing["municipalities_served"]) <= set(seed_data.AREA)
    assert listing["municipalities_served"]
    if listing["min_age"] is not None and listing["max_age"] is not None:
        assert 0 <= listing["min_age"] <= listing["max_age"] <= 120


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__texts__finnish_title_and_matching_languages(listing, language_codes):
    assert listing["title"].get("fi", "").strip()
    assert set(listing["title"]) == set(listing["summary"]) == set(listing["description"])
    for field in MULTILINGUAL:
        assert set(listing[field]) <= language_codes, field
        assert all(
            isinstance(text, str) and text.strip() == text and text for text in listing[field].values()
        )
    assert len(listing["title"]["fi"]) <= 120
    assert listing["plain_finnish"] == listing["plain_finnish"].strip()


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__non_latin_texts__written_in_their_own_script(listing):
    for field in ("title", "summary", "description", "fee_info"):
        for language, text in listing[field].items():
            if language in SCRIPTS:
                letters = [char for char in text if char.isalpha()]
                native = re.findall(f"[{SCRIPTS[language]}]", text)
                assert len(native) > len(letters) / 2, (field, language)


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__fee__fee_info_exactly_when_not_free(listing):
    assert listing["is_free"] == (not listing["fee_info"])
    if not listing["is_free"]:
        assert listing["fee_info"].get("fi")


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__place__address_or_online(listing):
    if listing["is_online"]:
        assert listing["online_url"].startswith("https://")
        assert listing["municipality"] is None
        assert listing["latitude"] is None
        assert listing["longitude"] is None
        assert not listing["street_address"]
        return
    assert listing["municipality"] in seed_data.AREA
    assert listing["place_name"].get("fi")
    assert listing["street_address"]
    assert re.fullmatch(r"02\d{3}", listing["postal_code"])
    for field, low, high in (("latitude", 59, 71), ("longitude", 19, 32)):
        value = listing[field]
        assert re.fullmatch(r"\d{2}\.\d{6}", value), field
        assert low <= float(value) <= high, field
    # The demo region, tighter than Finland.
    assert 60.05 <= float(listing["latitude"]) <= 60.40
    assert 24.30 <= float(listing["longitude"]) <= 25.00


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__registration__info_matches_the_kind(listing):
    info = listing["registration_info"]
    match listing["registration"]:
        case Registration.DROP_IN:
            assert info == ""
        case Registration.LINK:
            assert info.startswith("https://")
        case Registration.EMAIL:
            assert EMAIL.fullmatch(info)
        case Registration.PHONE:
            assert FAKE_PHONE.fullmatch(info)
    assert len(info) <= 300


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__contacts__only_example_domains_and_fake_numbers(listing):
    assert EMAIL.fullmatch(listing["contact_email"])
    for text in _strings(listing):
        for domain in EMAIL.findall(text):
            assert EXAMPLE_DOMAIN.search(domain), domain
        for url in URL.findall(text):
            assert EXAMPLE_DOMAIN.search(urlsplit(url).hostname or ""), url
        for number in PHONE_LIKE.findall(text):
            assert FAKE_PHONE.fullmatch(number), number


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__schedule__valid_recurrence(listing):
    schedule = listing["schedule"]
    assert set(schedule) == {"start", "end", "rrule", "exdates", "rdates"}
    start = datetime.datetime.fromisoformat(schedule["start"])
    end = datetime.datetime.fromisoformat(schedule["end"])
    assert start < end
    assert not schedule["rrule"].startswith("RRULE:")
    occurrences = _occurrences(schedule)
    # RFC 5545: the start is the first occurrence, so it must match the rule.
    assert occurrences[0] == start
    occurrence_dates = {occurrence.date() for occurrence in occurrences}
    for field in ("exdates", "rdates"):
        dates = [datetime.date.fromisoformat(value) for value in schedule[field]]
        assert schedule[field] == sorted(set(schedule[field])), field
        assert all(value.isoformat() == text for value, text in zip(dates, schedule[field], strict=True))
    # A cancelled date is a date the rule produces; an extra date is one it does not.
    assert {datetime.date.fromisoformat(value) for value in schedule["exdates"]} <= occurrence_dates
    assert not {datetime.date.fromisoformat(value) for value in schedule["rdates"]} & occurrence_dates
    assert occurrences[-1] < datetime.datetime(2027, 9, 1)  # noqa: DTZ001


@pytest.mark.parametrize("listing", LISTINGS, ids=_id)
def test_listing__schedule__upcoming_in_the_demo_season(listing):
    schedule = listing["schedule"]
    cancelled = {datetime.date.fromisoformat(value) for value in schedule["exdates"]}
    remaining = [when for when in _occurrences(schedule) if when.date() not in cancelled]
    assert any(when > DEMO_TODAY for when in remaining)
    if listing["section"] == ListingSection.EVENT:
        assert all(
            datetime.datetime(2026, 12, 1) <= when < datetime.datetime(2027, 5, 31)  # noqa: DTZ001
            for when in remaining
        )
