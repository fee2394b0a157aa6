"""Input and output schemas of the JSON API (one per endpoint and direction)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

MULTILINGUAL_DESCRIPTION = (
    "Text in any number of languages, keyed by ISO 639-1 or 639-3 language code, e.g. "
    '{"fi": "Kielikahvila", "ar": "…"}.'
)

Multilingual = Annotated[
    dict[str, str],
    Field(description=MULTILINGUAL_DESCRIPTION, examples=[{"fi": "Kielikahvila", "en": "Language café"}]),
]


# --- Errors and pages -----------------------------------------------------------------------------


class ErrorOut(Schema):
    code: str = Field(description="Stable error code, e.g. invalid, not_found, rate_limited.")
    message: str = Field(description="Human-readable message in the language of Accept-Language.")
    fields: dict[str, list[str]] = Field(description="Messages per input field (may be empty).")


class PageMeta(Schema):
    count: int = Field(description="How many items there are in all pages.")
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")


# --- Listings --------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: Multilingual


class PlaceOut(Schema):
    id: str = Field(
        description="Stable id derived from the address (or from the name when there is no address)."
    )
    name: Multilingual
    street_address: str
    postal_code: str
    municipality: str | None = Field(description="Municipality code (Statistics Finland), e.g. 257.")
    latitude: float | None
    longitude: float | None


class PlaceListItem(PlaceOut):
    listing_count: int = Field(description="How many public listings take place here.")


class ScheduleOut(Schema):
    starts_at: datetime.datetime = Field(description="First start, Europe/Helsinki offset.")
    ends_at: datetime.datetime
    rrule: str = Field(description='RFC 5545 repeat rule without "RRULE:", empty for one time.')
    exdates: list[str] = Field(description="Cancelled dates (YYYY-MM-DD).")
    rdates: list[str] = Field(description="Extra dates (YYYY-MM-DD) at the schedule's start time.")


class ListingOut(Schema):
    id: int
    url: str = Field(description="The listing's public page.")
    section: Literal["activity", "event"]
    status: str = Field(description="Always published for public reads; a token also sees its own drafts.")
    title: Multilingual
    summary: Multilingual
    description: Multilingual
    plain_finnish: str
    organisation: OrganisationRef
    co_organisers: list[OrganisationRef]
    themes: list[str] = Field(description="Theme identifiers (see /themes/).")
    target_groups: list[str] = Field(description="Target group identifiers (see /target-groups/).")
    languages: list[str] = Field(description="Language codes of the activity (see /languages/).")
    has_interpretation: bool
    min_age: int | None
    max_age: int | None
    gender_restriction: str
    is_for_families: bool
    has_childcare: bool
    is_accessible: bool
    accessibility_info: Multilingual
    is_free: bool
    fee_info: Multilingual
    registration: str
    registration_info: str
    contact_email: str = Field(description="The listing's public e-mail address (never a person's).")
    contact_phone: str
    contact_url: str
    is_online: bool
    online_url: str
    place: PlaceOut | None
    municipality: str | None
    municipalities_served: list[str]
    schedules: list[ScheduleOut]
    next_occurrence_at: datetime.datetime | None
    valid_until: datetime.date | None
    published_at: datetime.datetime | None
    updated_at: datetime.datetime


class ListingPage(Schema):
    meta: PageMeta
    data: list[ListingOut]


class OccurrenceOut(Schema):
    listing_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class OccurrencePage(Schema):
    meta: PageMeta
    data: list[OccurrenceOut]


class PlacePage(Schema):
    meta: PageMeta
    data: list[PlaceListItem]


class OrganisationOut(Schema):
    id: int
    url: str
    name: Multilingual
    kind: str
    description: Multilingual
    parent_id: int | None
    home_municipality: str | None
    municipalities_served: list[str]
    languages_served: list[str]
    email: str = Field(description="The organisation's public address (never a person's).")
    phone: str
    website: str
    street_address: str
    postal_code: str
    post_office: str


class OrganisationPage(Schema):
    meta: PageMeta
    data: list[OrganisationOut]


class VocabularyOut(Schema):
    id: str = Field(description="Identifier used in the filters, e.g. theme=language-learning.")
    label: Multilingual


class VocabularyPage(Schema):
    meta: PageMeta
    data: list[VocabularyOut]


class LanguageOut(Schema):
    code: str
    name: Multilingual
    native_name: str


class LanguagePage(Schema):
    meta: PageMeta
    data: list[LanguageOut]


class MunicipalityOut(Schema):
    code: str
    name: Multilingual
    region: str | None


class MunicipalityPage(Schema):
    meta: PageMeta
    data: list[MunicipalityOut]


# --- Writes -------------------------------------------------------------------------------------


def _reasonable_time(value: datetime.datetime) -> datetime.datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError("Use a time between the years 2000 and 2100.")
    return value


ReasonableTime = Annotated[datetime.datetime, AfterValidator(_reasonable_time)]
ShortText = Annotated[str, Field(max_length=300)]
Code = Annotated[str, Field(max_length=60)]


class ScheduleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_at: ReasonableTime = Field(description="Without an offset the time is Helsinki time.")
    ends_at: ReasonableTime
    rrule: str = Field("", max_length=500, description="RFC 5545 repeat rule, e.g. FREQ=WEEKLY;BYDAY=TU.")
    exdates: list[Annotated[str, Field(max_length=10)]] = Field(default_factory=list, max_length=400)
    rdates: list[Annotated[str, Field(max_length=10)]] = Field(default_factory=list, max_length=400)


class ListingFieldsIn(Schema):
    """Every field a token may write; all optional (PATCH changes only what is given)."""

    model_config = ConfigDict(extra="forbid")

    section: Literal["activity", "event"] | None = None
    title: Multilingual | None = None
    summary: Multilingual | None = None
    description: Multilingual | None = None
    plain_finnish: Annotated[str, Field(max_length=5000)] | None = None
    themes: list[Code] | None = Field(None, max_length=50)
    target_groups: list[Code] | None = Field(None, max_length=50)
    languages: list[Code] | None = Field(None, max_length=50)
    co_organisers: list[int] | None = Field(None, max_length=50, description="Ids of public organisations.")
    contact_email: ShortText | None = None
    contact_phone: ShortText | None = None
    contact_url: ShortText | None = None
    has_interpretation: bool | None = None
    min_age: Annotated[int, Field(ge=0, le=120)] | None = None
    max_age: Annotated[int, Field(ge=0, le=120)] | None = None
    gender_restriction: Literal["", "women", "men"] | None = None
    is_for_families: bool | None = None
    has_childcare: bool | None = None
    is_accessible: bool | None = None
    accessibility_info: Multilingual | None = None
    is_free: bool | None = None
    fee_info: Multilingual | None = None
    registration: Literal["drop_in", "link", "phone", "email"] | None = None
    registration_info: ShortText | None = None
    is_online: bool | None = None
    online_url: ShortText | None = None
    place_name: Multilingual | None = None
    street_address: ShortText | None = None
    postal_code: Annotated[str, Field(max_length=5)] | None = None
    municipality: Code | None = Field(None, description="Municipality code, e.g. 257.")
    latitude: Annotated[Decimal, Field(ge=59, le=71, max_digits=8, decimal_places=6)] | None = None
    longitude: Annotated[Decimal, Field(ge=19, le=32, max_digits=8, decimal_places=6)] | None = None
    municipalities_served: list[Code] | None = Field(None, max_length=400)
    valid_until: datetime.date | None = None
    criteria_confirmed: bool | None = Field(
        None, description="The publisher confirms the listing meets the listing criteria (needed to submit)."
    )
    schedules: list[ScheduleIn] | None = Field(None, max_length=50)
    submit: bool = Field(
        default=False, description="Send the listing to moderation after saving (as the editor's Submit)."
    )


class ListingCreateIn(ListingFieldsIn):
    section: Literal["activity", "event"]
    title: Multilingual
