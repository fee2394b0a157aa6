"""Text search for listings: the one module that turns text into search terms and queries them.

Text is cut into words (NFKC, casefolded, runs of letters and digits) once, at write time. Every
word is stored as itself and as its stem in the language of the text it came from (Snowball for
Finnish, Swedish and English; other languages are not stemmed). A query word is stemmed in all
three languages and kept as typed; a listing matches the word when it holds any of those forms,
and it must match every query word. PostgreSQL full-text search and SQLite FTS5 get the same
terms, so both backends answer alike.

`Listing.search_stems` holds the terms of the title and summary, a newline, then the remaining
terms; each term appears once. Matches in the first part weigh more in `rank_by_relevance`.
On SQLite the virtual table `activities_listing_fts` (rowid = listing id) mirrors
`search_stems`, and only `index_listing` and `remove_listing` write to it: call one of them
whenever a listing's text changes and before a listing is deleted.
"""

from __future__ import annotations

import functools
import operator
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connections, router, transaction
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL

from .models import Listing

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

# Language code -> Snowball algorithm. Text in any other language is indexed without stemming.
STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}
FINNISH_VOWELS = frozenset("aeiouyäö")
# Finnish compounds: the last parts of a title word's stem are indexed too ("kielikahvil" also
# gives "kahvil"). Four letters, because the stems of common five-letter base words are that
# long ("kerho" -> "kerh", "kieli" -> "kiel"); two, because "yö" in "yökerho" is a whole word.
COMPOUND_MIN_PART = 4
COMPOUND_MIN_HEAD = 2
# Longer "words" are URLs or garbage, and PostgreSQL refuses very long lexemes.
MAX_WORD_LENGTH = 60
MAX_QUERY_WORDS = 10
# Arabic tatweel only stretches a word; it is not a letter anyone types in a search.
IGNORED_CHARACTERS = frozenset("\u0640")
APOSTROPHES = frozenset("'\u2019")

FTS_TABLE = "activities_listing_fts"
# SQL as literals: user text only ever reaches the database as a parameter.
FTS_DELETE_SQL = "DELETE FROM activities_listing_fts WHERE rowid = %s"
FTS_INSERT_SQL = "INSERT INTO activities_listing_fts (rowid, heading, body) VALUES (%s, %s, %s)"
FTS_MATCHING_IDS_SQL = "SELECT rowid FROM activities_listing_fts WHERE activities_listing_fts MATCH %s"
# rank_by_relevance: a query word scores this much when a title or summary term matches it,
# otherwise this much when another term of the listing does. Each backend computes the score
# with its own text index, one uncorrelated lookup per word, so both rank alike and in linear
# time (bm25() in a per-row subquery recounts every match for every row).
HEADING_WEIGHT = 10.0
BODY_WEIGHT = 1.0
PG_CONFIG = "simple"


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...


_thread_stemmers = threading.local()


def _stemmer(algorithm: str) -> _Stemmer:
    """This thread's Snowball stemmer for an algorithm (the stemmers keep state while stemming)."""
    stemmers: dict[str, _Stemmer] = _thread_stemmers.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


def _finnish_stem(word: str) -> str:
    """Snowball's Finnish stem without final vowels (when at least three letters remain)."""
    stem = _stemmer(STEMMERS["fi"]).stemWord(word)
    # Snowball leaves a final vowel that changes with the case: "suomi"/"suomen" give
    # "suomi"/"suome" and "arabia"/"arabiaa" give "arab"/"arabia"; without it they agree.
    while len(stem) > 3 and stem[-1] in FINNISH_VOWELS:
        stem = stem[:-1]
    return stem


@functools.lru_cache(maxsize=65_536)
def _stems(language: str, word: str) -> tuple[str, ...]:
    """The stems of a word in fi, sv or en (Finnish may give two)."""
    if language != "fi":
        return (_stemmer(STEMMERS[language]).stemWord(word),)
    # Snowball takes the "si" of "ruotsi" for a possessive suffix ("ruot") but keeps it in
    # "ruotsin" ("ruots"); the genitive's stem, stored and queried too, joins the two.
    forms = (word, f"{word}n") if word.endswith("si") else (word,)
    return tuple(dict.fromkeys(_finnish_stem(form) for form in forms))


def _language(code: str) -> str:
    """The base language of a code such as "fi", "sv-FI" or "en_GB"."""
    return code.replace("_", "-").split("-", 1)[0].lower()


def _is_word_character(char: str) -> bool:
    """Letters, digits and spacing marks (as in Devanagari vowel signs) make up words."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Mc"


def _words(text: str) -> list[str]:
    """The normalised words of a text: NFKC, casefolded, no diacritic marks, ASCII digits."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    found: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Mn" or char in IGNORED_CHARACTERS:
            # Combining marks: ä, ö and å are single letters after NFKC, so this drops only
            # marks such as Arabic vowel signs that people often leave out when they type.
            continue
        if _is_word_character(char):
            current.append(str(unicodedata.decimal(char)) if category == "Nd" else char)
            continue
        next_char = text[index + 1 : index + 2]
        if char in APOSTROPHES and current and next_char and _is_word_character(next_char):
            continue  # "children's", Somali "la'aan": one word.
        found.append("".join(current))
        current = []
    found.append("".join(current))
    return [
        word
        for word in found
        if 0 < len(word) <= MAX_WORD_LENGTH and any(unicodedata.category(c)[0] in "LN" for c in word)
    ]


def _compound_parts(stem: str) -> Iterator[str]:
    """The possible last parts of a Finnish compound's stem, longest first."""
    for start in range(COMPOUND_MIN_HEAD, len(stem) - COMPOUND_MIN_PART + 1):
        yield stem[start:]


def _document_terms(texts: dict[str, list[str]], *, compounds: bool) -> Iterator[str]:
    """Each word of each text as typed, plus its stem in the text's own language."""
    for code, values in texts.items():
        language = _language(code)
        for value in values:
            for word in _words(value):
                yield word
                if language not in STEMMERS:
                    continue
                for stem in _stems(language, word):
                    yield stem
                    if compounds and language == "fi":
                        yield from _compound_parts(stem)


def document_stems(texts: dict[str, list[str]], *, primary: dict[str, list[str]] | None = None) -> str:
    """`Listing.search_stems` for texts by language code: primary (title, summary) terms first."""
    heading = dict.fromkeys(_document_terms(primary or {}, compounds=True))
    body = dict.fromkeys(term for term in _document_terms(texts, compounds=False) if term not in heading)
    if not heading and not body:
        return ""
    return " ".join(heading) + "\n" + " ".join(body)


def query_stems(text: str) -> list[set[str]]:
    """One set of alternative terms per query word (at most MAX_QUERY_WORDS words)."""
    groups: list[set[str]] = []
    for word in _words(text):
        forms = {word, *(stem for language in STEMMERS for stem in _stems(language, word))}
        if forms not in groups:
            groups.append(forms)
        if len(groups) == MAX_QUERY_WORDS:
            break
    return groups


def _add_multilingual(texts: dict[str, list[str]], value: object) -> None:
    """Add the texts of a multilingual JSON value (language code -> text)."""
    if isinstance(value, dict):
        for code, text in value.items():
            if isinstance(code, str) and isinstance(text, str) and text.strip():
                texts[code].append(text)


def listing_texts(listing: Listing) -> dict[str, list[str]]:
    """Every searchable text of a saved listing, keyed by language code."""
    texts: dict[str, list[str]] = defaultdict(list)
    for value in (listing.title, listing.summary, listing.description, listing.place_name):
        _add_multilingual(texts, value)
    if listing.plain_finnish.strip():
        texts["fi"].append(listing.plain_finnish)
    for term in (*listing.themes.all(), *listing.target_groups.all()):
        _add_multilingual(texts, {"fi": term.label_fi, "sv": term.label_sv, "en": term.label_en})
    for organisation in (listing.organisation, *listing.co_organisers.all()):
        _add_multilingual(texts, organisation.name)
    return dict(texts)


def _listing_primary_texts(listing: Listing) -> dict[str, list[str]]:
    """The title and summary, whose terms weigh more and are split as compounds."""
    texts: dict[str, list[str]] = defaultdict(list)
    for value in (listing.title, listing.summary):
        _add_multilingual(texts, value)
    return dict(texts)


def _fts5_write(connection: BaseDatabaseWrapper, listing_id: int, stems: str) -> None:
    """Replace the listing's FTS5 row (none when it has no terms)."""
    heading, _, body = stems.partition("\n")
    with connection.cursor() as cursor:
        cursor.execute(FTS_DELETE_SQL, [listing_id])
        if stems:
            cursor.execute(FTS_INSERT_SQL, [listing_id, heading, body])


def index_listing(listing: Listing) -> None:
    """Compute and store the listing's search terms (without touching `updated_at`)."""
    stems = document_stems(listing_texts(listing), primary=_listing_primary_texts(listing))
    database = router.db_for_write(Listing, instance=listing)
    with transaction.atomic(using=database):
        Listing.objects.using(database).filter(pk=listing.pk).update(search_stems=stems)
        if connections[database].vendor == "sqlite":
            _fts5_write(connections[database], listing.pk, stems)
    listing.search_stems = stems


def remove_listing(listing_id: int) -> None:
    """Take a listing out of text search, for example before it is deleted."""
    database = router.db_for_write(Listing)
    with transaction.atomic(using=database):
        Listing.objects.using(database).filter(pk=listing_id).update(search_stems="")
        if connections[database].vendor == "sqlite":
            _fts5_write(connections[database], listing_id, "")


def _fts5_match(groups: list[set[str]]) -> str:
    """An FTS5 MATCH expression: every term a quoted string, alternatives ORed, words ANDed."""
    return " AND ".join(
        "(" + " OR ".join('"' + term.replace('"', '""') + '"' for term in sorted(group)) + ")"
        for group in groups
    )


def _tsquery(groups: list[set[str]]) -> str:
    """A PostgreSQL tsquery: every term a quoted lexeme, alternatives ORed, words ANDed."""
    return " & ".join(
        "("
        + " | ".join("'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in sorted(group))
        + ")"
        for group in groups
    )


def _pg_document(*, heading_only: bool = False) -> SearchVector:
    """The indexed expression (migration 0002's GIN index is on exactly this), or its first line."""
    if not heading_only:
        return SearchVector("search_stems", config=PG_CONFIG)
    heading = Func(F("search_stems"), Value("\n"), Value(1), function="split_part", output_field=TextField())
    return SearchVector(heading, config=PG_CONFIG)


def _matches(vendor: str, groups: list[set[str]], *, heading_only: bool = False) -> Q | SearchVectorExact:
    """A condition: the listing holds a term of every group (in its title or summary, if asked)."""
    if vendor == "postgresql":
        query = SearchQuery(_tsquery(groups), search_type="raw", config=PG_CONFIG)
        return SearchVectorExact(_pg_document(heading_only=heading_only), query)
    match = _fts5_match(groups)
    if heading_only:
        match = f"heading : ({match})"
    # S611: the SQL is a constant and the match expression a parameter.
    return Q(pk__in=RawSQL(FTS_MATCHING_IDS_SQL, (match,)))  # noqa: S611


def _vendor(queryset: QuerySet[Listing]) -> str:
    """The database vendor the queryset reads from; only PostgreSQL and SQLite have search."""
    vendor = connections[queryset.db].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise NotImplementedError(f"Text search supports PostgreSQL and SQLite, not {vendor}.")
    return vendor


def apply_text(queryset: QuerySet[Listing], text: str | None) -> QuerySet[Listing]:
    """Listings matching every word of the text; blank text leaves the queryset as it is."""
    if not text or not text.strip():
        return queryset
    groups = query_stems(text)
    if not groups:
        return queryset.none()
    return queryset.filter(_matches(_vendor(queryset), groups))


def rank_by_relevance(queryset: QuerySet[Listing], text: str | None) -> QuerySet[Listing]:
    """Annotate `relevance` (0 without text) and order by it, best first, then as before."""
    groups = query_stems(text) if text else []
    if not groups:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    vendor = _vendor(queryset)
    scores = [
        Case(
            When(_matches(vendor, [group], heading_only=True), then=Value(HEADING_WEIGHT)),
            When(_matches(vendor, [group]), then=Value(BODY_WEIGHT)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for group in groups
    ]
    ordering: Iterable[Any] = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.annotate(relevance=functools.reduce(operator.add, scores)).order_by(
        F("relevance").desc(), *ordering
    )
