"""Text search: the same cases run on SQLite (FTS5) and on PostgreSQL (full-text search)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from kotoverkko.activities import search
from kotoverkko.activities.enums import ListingSection
from kotoverkko.activities.models import Listing, TargetGroup, Theme
from kotoverkko.activities.search import (
    apply_text,
    document_stems,
    index_listing,
    listing_texts,
    query_stems,
    rank_by_relevance,
    remove_listing,
)
from kotoverkko.organisations.tests.factories import OrganisationFactory

# --- Terms, without the database


def _terms(stems: str) -> list[str]:
    return stems.split()


def test_document_stems__finnish_inflection__stores_word_and_normalised_stem():
    stems = _terms(document_stems({"fi": ["Kerhossa suomen kieli"]}))

    assert {"kerhossa", "kerh", "suomen", "suom", "kieli", "kiel"} <= set(stems)


def test_document_stems__repeated_words__stores_each_term_once():
    stems = _terms(document_stems({"fi": ["Kerho kerho KERHO"], "en": ["kerho"]}))

    assert sorted(stems) == ["kerh", "kerho"]


def test_document_stems__primary_texts__come_first_on_their_own_line():
    stems = document_stems({"fi": ["Jalkapallo", "Kerho"]}, primary={"fi": ["Kerho"]})

    heading, body = stems.split("\n")
    assert set(heading.split()) == {"kerho", "kerh"}
    assert "jalkapallo" in body.split()
    assert "kerho" not in body.split()


def test_document_stems__nothing_to_index__returns_empty_string():
    assert document_stems({"fi": ["", " – "], "sv": []}) == ""


def test_document_stems__finnish_primary_compound__adds_last_parts():
    stems = _terms(document_stems({}, primary={"fi": ["Kielikahvila", "Perhekerho"]}))

    assert {"kielikahvil", "kahvil", "perhekerh", "kerh"} <= set(stems)
    assert not {"ahvi", "kie", "rh"} & set(stems)


def test_document_stems__compound_outside_primary_texts__is_not_split():
    stems = _terms(document_stems({"fi": ["Kielikahvila"]}))

    assert "kahvil" not in stems


def test_document_stems__swedish_primary_compound__is_not_split():
    stems = _terms(document_stems({}, primary={"sv": ["Språkkaféet"]}))

    assert "kaféet" not in stems
    assert not any(term.startswith("kaf") for term in stems)


def test_document_stems__other_language__stores_casefolded_words_unstemmed():
    stems = _terms(document_stems({"so": ["Fasalka Luqadda"], "ar-SA": ["دروس اللغة"]}))

    assert sorted(stems) == sorted(["fasalka", "luqadda", "دروس", "اللغة"])


def test_document_stems__region_in_language_code__uses_the_base_language():
    assert "class" in _terms(document_stems({"en-GB": ["Classes"]}))


def test_query_stems__finnish_word__includes_typed_word_and_stems_in_three_languages():
    (group,) = query_stems("Kurssille")

    assert {"kurssille", "kurs"} <= group


def test_query_stems__finnish_word_ending_in_si__includes_genitive_stem():
    (group,) = query_stems("ruotsi")

    assert {"ruotsi", "ruot", "ruots"} <= group


def test_query_stems__several_words__one_group_per_word_in_order():
    groups = query_stems("suomen kielen")

    assert len(groups) == 2
    assert "suom" in groups[0]
    assert "kiel" in groups[1]


@pytest.mark.parametrize("text", ["", "   ", "!?", "– * : ( ) ' \" -"])
def test_query_stems__no_words__returns_empty_list(text):
    assert query_stems(text) == []


def test_query_stems__repeated_word__one_group():
    assert len(query_stems("kerho Kerho KERHO")) == 1


def test_query_stems__many_words__keeps_the_first_ten():
    groups = query_stems(" ".join(f"sana{n}" for n in range(20)))

    assert len(groups) == search.MAX_QUERY_WORDS
    assert "sana0" in groups[0]


def test_query_stems__sql_and_fts_syntax__become_plain_words():
    groups = query_stems('\'; DROP TABLE activities_listing; -- kerho* NEAR("a" b):*')

    typed = ["drop", "table", "activities", "listing", "kerho", "near", "a", "b"]
    assert len(groups) == len(typed)
    assert all(word in group for word, group in zip(typed, groups, strict=True))
    assert all(term.isalnum() for group in groups for term in group)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ＫＥＲＨＯ", "kerho"),  # fullwidth letters (NFKC)
        ("ﬁnska", "finska"),  # ligature (NFKC)
        ("Straße", "strasse"),  # casefold
        ("دَرْسٌ", "درس"),  # Arabic vowel marks dropped
        ("٢٠٢٦", "2026"),  # Arabic-Indic digits
        ("children's", "childrens"),  # apostrophe inside a word
    ],
)
def test_query_stems__unicode_variants__normalised(typed, stored):
    (group,) = query_stems(typed)

    assert stored in group


@pytest.mark.parametrize(("first", "second"), [("sää", "saa"), ("båt", "bat"), ("öljy", "oljy")])
def test_query_stems__scandinavian_letters__stay_distinct(first, second):
    assert not query_stems(first)[0] & query_stems(second)[0]


# --- Search on the database


@pytest.fixture
def organisation():
    return OrganisationFactory(name={"fi": "Testiyhdistys ry", "en": "Test association"})


@pytest.fixture
def make_listing(organisation):
    def make(title: dict[str, str], **fields) -> Listing:
        listing = Listing.objects.create(
            section=ListingSection.ACTIVITY,
            title=title,
            organisation=organisation,
            last_confirmed_at=timezone.now(),
            **fields,
        )
        index_listing(listing)
        return listing

    return make


def _found(text: str) -> list[Listing]:
    return list(apply_text(Listing.objects.order_by("pk"), text))


INFLECTED_FORMS = [
    ("fi", ["kerho", "kerhoon", "kerhossa", "kerhot"]),
    ("fi", ["kurssi", "kurssille", "kurssit"]),
    ("fi", ["suomi", "suomen", "suomea"]),
    ("fi", ["kieli", "kielen"]),
    ("fi", ["ruotsi", "ruotsin", "ruotsia", "ruotsissa"]),
    ("fi", ["arabia", "arabiaa", "arabian"]),
    ("sv", ["kurs", "kursen", "kurser", "kurserna"]),
    ("en", ["class", "classes"]),
    ("en", ["activity", "activities"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "stored", "typed"),
    [
        (language, stored, typed)
        for language, forms in INFLECTED_FORMS
        for stored in forms
        for typed in forms
        if stored != typed
    ],
)
def test_apply_text__inflected_form__finds_other_forms(make_listing, language, stored, typed):
    listing = make_listing({language: stored.capitalize()})
    make_listing({"fi": "Jalkapallo", "sv": "Fotboll", "en": "Football"})

    assert _found(typed) == [listing]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kerhoon", ["club"]),
        ("kerhossa", ["club"]),
        ("kerho", ["club"]),
        # Finnish "kurssi" and Swedish "kurs" share the stem "kurs": both are courses.
        ("kurssille", ["course", "sewing", "swedish"]),
        ("suomen kielen", ["course"]),
        ("Suomen kielen kurssille", ["course"]),
        ("kahvila", ["cafe"]),
        ("kahvilassa", ["cafe"]),
        ("kielikahvilaan", ["cafe"]),
        ("kursen", ["course", "sewing", "swedish"]),
        ("classes", ["english"]),
        ("kerho kahvila", []),
        ("ruotsin kurssi", []),
    ],
)
def test_apply_text__corpus__finds_exactly_the_expected_listings(make_listing, typed, expected):
    listings = {
        "club": make_listing({"fi": "Nuorten kerho"}, summary={"fi": "Pelejä ja juttelua."}),
        "course": make_listing({"fi": "Suomen kieli – kurssi aikuisille"}),
        "sewing": make_listing({"fi": "Ompelukurssi"}),
        "cafe": make_listing({"fi": "Kielikahvila", "en": "Language café"}),
        "swedish": make_listing({"sv": "Kurser i svenska"}),
        "english": make_listing({"en": "English class for parents"}),
    }

    assert _found(typed) == [listings[key] for key in expected]


@pytest.mark.django_db
def test_apply_text__several_words__all_must_match(make_listing):
    both = make_listing({"fi": "Suomen kielen kurssi"})
    make_listing({"fi": "Suomen kieli"})
    make_listing({"fi": "Kurssi"})

    assert _found("suomen kurssille") == [both]


@pytest.mark.django_db
def test_apply_text__arabic_word__finds_arabic_title(make_listing):
    listing = make_listing({"fi": "Suomen kielen kurssi", "ar": "دروس اللغة الفنلندية"})
    make_listing({"ar": "كرة القدم"})

    assert _found("اللغة") == [listing]


@pytest.mark.django_db
def test_apply_text__scandinavian_letter__not_matched_without_it(make_listing):
    make_listing({"fi": "Sää"})

    assert _found("saa") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "finds_club"),
    [
        ('"kerho', True),
        ('kerho"', True),
        ("kerho*", True),
        ("-kerho", True),
        ("kerho:", True),
        ("(kerho)", True),
        ("kerho^", True),
        ("{kerho}", True),
        ("kerho & !", True),
        ("kerho | jalkapallo", False),
        ("kerho OR jalkapallo", False),
        ("kerho NOT jalkapallo", False),
        ("NEAR(kerho jalkapallo)", False),
        ("heading:kerho", False),
        ("kerho'; DROP TABLE activities_listing; --", False),
        ("'", None),
        ('"', None),
        ("*", None),
        ("):*", None),
    ],
)
def test_apply_text__special_characters__are_harmless(make_listing, typed, finds_club):
    club = make_listing({"fi": "Kerho"})
    make_listing({"fi": "Jalkapallo"})

    found = _found(typed)

    assert found == ([club] if finds_club else [])
    assert Listing.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", None])
def test_apply_text__blank__returns_queryset_unchanged(make_listing, text):
    make_listing({"fi": "Kerho"})
    queryset = Listing.objects.all()

    assert apply_text(queryset, text) is queryset


@pytest.mark.django_db
def test_apply_text__no_usable_words__finds_nothing(make_listing):
    make_listing({"fi": "Kerho"})

    assert list(apply_text(Listing.objects.all(), "?!")) == []


@pytest.mark.django_db
def test_apply_text__filtered_queryset__keeps_the_other_filters(make_listing):
    make_listing({"fi": "Kerho"})
    family = make_listing({"fi": "Perhekerho"}, is_for_families=True)

    assert list(apply_text(Listing.objects.filter(is_for_families=True), "kerho")) == [family]


@pytest.mark.django_db
def test_apply_text__theme_target_group_and_organisation__are_searchable(make_listing, organisation):
    theme = Theme.objects.create(slug="sport", label_fi="Liikunta", label_sv="Motion", label_en="Sports")
    group = TargetGroup.objects.create(slug="women", label_fi="Naiset", label_sv="Kvinnor", label_en="Women")
    partner = OrganisationFactory(name={"fi": "Monikulttuurikeskus Kompassi"})
    listing = Listing.objects.create(
        section=ListingSection.ACTIVITY,
        title={"fi": "Jumppa"},
        organisation=organisation,
        last_confirmed_at=timezone.now(),
    )
    listing.themes.add(theme)
    listing.target_groups.add(group)
    listing.co_organisers.add(partner)
    index_listing(listing)
    make_listing({"fi": "Kerho"})

    for typed in ("motion", "liikuntaa", "women", "kvinnor", "naisille", "kompassi", "testiyhdistys jumppa"):
        assert _found(typed) == [listing], typed


@pytest.mark.django_db
def test_listing_texts__all_fields__collected_by_language(make_listing):
    listing = make_listing(
        {"fi": "Kerho", "sv": "Klubb"},
        summary={"en": "A club"},
        description={"fi": "Pitkä kuvaus", "so": "Naadi"},
        place_name={"fi": "Kirjasto"},
        plain_finnish="Selkeä teksti",
    )

    texts = listing_texts(listing)

    assert texts["fi"][:4] == ["Kerho", "Pitkä kuvaus", "Kirjasto", "Selkeä teksti"]
    assert texts["sv"] == ["Klubb"]
    assert texts["so"] == ["Naadi"]
    assert "A club" in texts["en"]
    assert "Testiyhdistys ry" in texts["fi"]


@pytest.mark.django_db
def test_index_listing__stores_terms__without_touching_updated_at(make_listing):
    listing = make_listing({"fi": "Jalkapallo"})
    updated_at = Listing.objects.get(pk=listing.pk).updated_at
    listing.title = {"fi": "Kerho"}
    Listing.objects.filter(pk=listing.pk).update(title=listing.title)

    index_listing(listing)

    stored = Listing.objects.get(pk=listing.pk)
    assert stored.updated_at == updated_at
    assert "kerho" in stored.search_stems.split()
    assert listing.search_stems == stored.search_stems
    assert _found("kerho") == [listing]
    assert _found("jalkapallo") == []


@pytest.mark.django_db
def test_remove_listing__indexed_listing__no_longer_found(make_listing):
    removed = make_listing({"fi": "Kerho"})
    kept = make_listing({"fi": "Perhekerho"})

    remove_listing(removed.pk)

    assert _found("kerho") == [kept]
    assert Listing.objects.get(pk=removed.pk).search_stems == ""


@pytest.mark.django_db
def test_remove_listing__unknown_id__does_nothing():
    remove_listing(987654)


@pytest.mark.django_db
def test_rank_by_relevance__title_match__before_description_only_match(make_listing):
    in_description = make_listing({"fi": "Jalkapallo"}, description={"fi": "Pelien jälkeen kerho."})
    in_title = make_listing({"fi": "Kerho"}, description={"fi": "Pelejä ja juttelua."})

    ranked = list(rank_by_relevance(apply_text(Listing.objects.all(), "kerhoon"), "kerhoon"))

    assert ranked == [in_title, in_description]
    assert ranked[0].relevance > ranked[1].relevance > 0


@pytest.mark.django_db
def test_rank_by_relevance__summary_match__counts_as_title_match(make_listing):
    in_description = make_listing({"fi": "Jalkapallo"}, description={"fi": "Kerho"})
    in_summary = make_listing({"fi": "Pelit"}, summary={"fi": "Kerho"})

    ranked = list(rank_by_relevance(apply_text(Listing.objects.all(), "kerho"), "kerho"))

    assert ranked == [in_summary, in_description]


@pytest.mark.django_db
def test_rank_by_relevance__more_words_in_title__ranks_higher(make_listing):
    one_word = make_listing({"fi": "Suomen kieli"}, description={"fi": "Kerho"})
    two_words = make_listing({"fi": "Suomen kielen kerho"})

    ranked = list(rank_by_relevance(apply_text(Listing.objects.all(), "suomi kerho"), "suomi kerho"))

    assert ranked == [two_words, one_word]
    assert [listing.relevance for listing in ranked] == [
        2 * search.HEADING_WEIGHT,
        search.HEADING_WEIGHT + search.BODY_WEIGHT,
    ]


@pytest.mark.django_db
def test_rank_by_relevance__compound_in_title__counts_as_title_match(make_listing):
    in_description = make_listing({"fi": "Jalkapallo"}, description={"fi": "Kahvila"})
    compound_title = make_listing({"fi": "Kielikahvila"})

    ranked = list(rank_by_relevance(apply_text(Listing.objects.all(), "kahvila"), "kahvila"))

    assert ranked == [compound_title, in_description]


@pytest.mark.django_db
def test_rank_by_relevance__no_match__relevance_zero_and_last(make_listing):
    other = make_listing({"fi": "Jalkapallo"})
    club = make_listing({"fi": "Kerho"})

    ranked = list(rank_by_relevance(Listing.objects.all(), "kerho"))

    assert ranked == [club, other]
    assert ranked[1].relevance == 0


@pytest.mark.django_db
def test_rank_by_relevance__blank_text__keeps_order_with_zero_relevance(make_listing):
    first = make_listing({"fi": "Kerho"})
    second = make_listing({"fi": "Jalkapallo"})

    ranked = list(rank_by_relevance(Listing.objects.order_by("pk"), ""))

    assert ranked == [first, second]
    assert {listing.relevance for listing in ranked} == {0}


@pytest.mark.django_db
def test_rank_by_relevance__ties__keep_the_existing_order(make_listing):
    first = make_listing({"fi": "Kerho"})
    second = make_listing({"fi": "Kerho"})

    ranked = list(rank_by_relevance(Listing.objects.order_by("-pk"), "kerho"))

    assert ranked == [second, first]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="The GIN index exists on PostgreSQL only.")
def test_apply_text__postgresql__uses_the_gin_index(make_listing):
    make_listing({"fi": "Kerho"})
    queryset = apply_text(Listing.objects.order_by(), "kerho")

    with connection.cursor() as cursor:
        # Left a choice, the planner may scan a B-tree index and filter; without plain scans,
        # only an index whose condition is the text match can serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()

    assert "Bitmap Index Scan on listing_search_stems_gin" in plan
