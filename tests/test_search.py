"""Full-text search (/search/): what it finds on the seed articles, its filters and
counts, who sees what in it, bad searches, escaping, the index kept in step with the
text, and a number of queries that does not grow with the matches. Every test runs on
SQLite and on PostgreSQL with the same expectations (the expected passages are worked
out from the text itself, not from either engine)."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from annotations.filters import AnnotationFilters
from annotations.models import Annotation, Region
from annotations.search import SearchPage, search_passages
from annotations.services import annotation_delete, annotation_update
from corpus.models import TEXT_KINDS, Article, Paragraph
from corpus.services import article_import_file
from tests.conftest import ACADEMIC, make_annotation

SEARCH_URL = "/search/"


def query(**values) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, value in values.items():
        params[{"date_from": "from", "date_to": "to"}.get(key, key)] = value
    return params


def search(user, q: str, **filters) -> SearchPage:
    """Every result on one page."""
    return search_passages(user or AnonymousUser(), query(q=q, **filters), page_size=1000)


def places(page: SearchPage) -> set[tuple[str, int]]:
    return {(result.article_slug, result.position) for result in page.results}


def passages_where(pattern: str) -> set[tuple[str, int]]:
    """The visible text passages of the public corpus whose text has ``pattern``."""
    found = re.compile(pattern, re.IGNORECASE)
    return {
        (paragraph.article.slug, paragraph.position)
        for paragraph in Paragraph.objects.filter(
            kind__in=TEXT_KINDS, article__visibility="public"
        ).select_related("article")
        if found.search(paragraph.text)
    }


def facet(page: SearchPage, key: str) -> dict[str, int]:
    return {
        option.value: option.count
        for found in page.facets
        if found.key == key
        for option in found.options
    }


def paragraph_with(article: Article, words: str) -> Paragraph:
    """The first passage of the article with these words."""
    return article.paragraphs.filter(text__contains=words).order_by("position")[0]


def add_paragraph(article: Article, text: str, position: int = 10_000) -> Paragraph:
    return Paragraph.objects.create(
        article=article,
        position=position,
        kind="body",
        markup=text,
        text=text,
        html=escape(text),
        content_hash=f"test-{position}",
    )


# ------------------------------------------------------------- what it finds


def test_a_word_finds_every_passage_that_contains_it(seed_articles):
    expected = passages_where(r"\bAyyoub\b")
    page = search(None, "Ayyoub")
    assert len(expected) == 2
    assert places(page) == expected
    assert page.total == 2


def test_a_word_finds_its_other_forms(seed_articles):
    expected = passages_where(r"\battacks?\b")
    assert passages_where(r"\battack\b") < expected > passages_where(r"\battacks\b")
    assert places(search(None, "attacks")) == expected
    assert places(search(None, "attack")) == expected


def _text(slug: str, position: int) -> str:
    return Paragraph.objects.get(article__slug=slug, position=position).text


def test_both_databases_stem_alike(seed_articles):
    # PostgreSQL's english stemmer takes "nearly" for "near"; FTS5's porter does not.
    # PostgreSQL stems with porter too (crossread_english), so both find "near" alone.
    assert passages_where(r"\bnearly\b")
    assert places(search(None, "near")) == passages_where(r"\bnear\b")
    assert places(search(None, "nearly")) == passages_where(r"\bnearly\b")


def test_a_phrase_finds_its_words_together_and_in_order(seed_articles):
    expected = passages_where(r"\bproxy[\s-]+wars?\b")
    both_words = search(None, "proxy war")
    page = search(None, '"proxy war"')
    assert expected and places(page) == expected
    assert places(page) < places(both_words)  # some have both words apart


def test_a_prefix_finds_the_words_that_start_so(seed_articles):
    expected = passages_where(r"\bmilit")
    page = search(None, "milit*")
    assert len(expected) > 10
    assert places(page) == expected


def test_an_exclusion_leaves_out_the_passages_with_the_word(seed_articles):
    expected = passages_where(r"\bHezbollah\b") - passages_where(r"\bLebanon\b")
    everything = search(None, "Hezbollah")
    page = search(None, "Hezbollah -Lebanon")
    assert expected and places(page) == expected
    assert places(page) < places(everything)


def test_or_finds_the_passages_with_either_word(seed_articles):
    expected = passages_where(r"\bAyyoub\b") | passages_where(r"\bKhamenei\b")
    assert places(search(None, "Ayyoub OR Khamenei")) == expected
    assert not places(search(None, "Ayyoub Khamenei"))


def test_a_passage_is_found_by_its_annotations_claim_or_note(seed_articles, people):
    paragraph = paragraph_with(seed_articles["southfront"], "Rare meeting")
    claim = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact="Rare meeting",
        claim="The chiefs of staff met in a quinquennial summit",
        team=people["team"],
        visibility="public",
    )
    make_annotation(
        author=people["author"],
        paragraph=paragraph_with(seed_articles["academic"], "Tartus"),
        exact="Tartus",
        stance="",
        note="Compare the **zeppelin** port",
        team=people["team"],
        visibility="public",
    )
    page = search(None, "quinquennial")
    assert [
        (result.paragraph_id, [hit.id for hit in result.annotations]) for result in page.results
    ] == [(paragraph.pk, [claim.pk])]
    assert "<mark>quinquennial</mark>" in page.results[0].annotations[0].claim
    assert search(None, "zeppelin").total == 1


def test_results_come_best_first_then_in_reading_order(seed_articles):
    article = seed_articles["southfront"]
    filler = " ".join(["lorem ipsum dolor"] * 8)
    once = add_paragraph(article, f"A gryphon was seen. {filler} sit amet consectetur.", 10_001)
    thrice = add_paragraph(article, f"A gryphon, a gryphon, a gryphon. {filler}", 10_002)
    also_once = add_paragraph(
        article, f"A gryphon was seen. {filler} sit amet consectetur.", 10_003
    )
    page = search(None, "gryphon")
    assert [result.paragraph_id for result in page.results] == [thrice.pk, once.pk, also_once.pk]


def test_the_pages_split_the_results_without_repeating_one(seed_articles):
    everything = search(None, "Syria")
    seen = []
    for number in range(1, 5):
        page = search_passages(AnonymousUser(), query(q="Syria", page=str(number)), page_size=20)
        assert page.pages == -(-everything.total // 20)
        seen.extend(result.paragraph_id for result in page.results)
    assert len(seen) == everything.total == len(set(seen))
    assert seen == [result.paragraph_id for result in everything.results]


def test_one_article_can_be_left_out(seed_articles):
    southfront = seed_articles["southfront"]
    page = search_passages(AnonymousUser(), query(q="Hezbollah"), exclude_article_id=southfront.pk)
    everything = search(None, "Hezbollah")
    assert {result.article_id for result in page.results} == {
        result.article_id for result in everything.results
    } - {southfront.pk}
    assert southfront.slug not in facet(page, "article")
    assert page.total == everything.total - facet(everything, "article")[southfront.slug]


# ---------------------------------------------------------------- bad searches


@pytest.mark.parametrize(
    "q",
    [
        "the of and",
        '"proxy war',
        "Syria " * 2000,
        "NEAR(",
        "*",
        '"',
        "OR OR",
        "'; DROP TABLE corpus_paragraph; --",
        "col:Syria ^Iran {a} [b] (c) + - ! & | <-> :*",
        "-",
        "é’“",
    ],
)
def test_a_bad_search_is_a_page_with_a_reason_or_no_result_never_an_error(client, seed_articles, q):
    response = client.get(SEARCH_URL, {"q": q})
    assert response.status_code == 200
    page = response.context["search"]
    assert page.message or page.results or page.total == 0
    assert Paragraph.objects.exists()


def test_a_nul_character_is_refused_by_the_site_and_ignored_by_the_search(client, seed_articles):
    # Every view refuses a NUL with a 400 (config.middleware); the search's own parser
    # takes it for a space.
    response = client.get(SEARCH_URL, {"q": "Ayyoub\x00"})
    assert response.status_code == 400
    assert places(search(None, "\x00Ayyoub\x00")) == places(search(None, "Ayyoub"))
    assert search(None, "\x00").total == 0


def test_a_search_past_the_limit_says_so(client, seed_articles):
    response = client.get(SEARCH_URL, {"q": "x" * 10_000})
    assert response.status_code == 200
    assert "10,000 characters" in response.content.decode()


def test_a_search_of_common_words_says_so(client, seed_articles):
    response = client.get(SEARCH_URL, {"q": "the of and"})
    assert "too common to look for" in response.content.decode()
    assert not response.context["search"].results


def test_an_unclosed_quote_searches_the_phrase(seed_articles):
    assert places(search(None, '"proxy war')) == places(search(None, '"proxy war"'))


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"kind": "boilerplate"}, "Unknown kind of paragraph"),
        ({"from": "2019-02-30"}, "The from filter takes a date"),
        ({"from": "2020-01-01", "to": "2019-01-01"}, "The from date comes after the to date"),
        ({"stance": "maybe"}, "Unknown stance"),
        ({"region": "Syria"}, "The region filter takes the number"),
        ({"article": "no slug!"}, "The article filter takes"),
        ({"outlet": "x" * 201}, "The outlet filter takes"),
        ({"page": "99"}, "There is no page"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason(client, seed_articles, values, reason):
    response = client.get(SEARCH_URL, {"q": "Syria", **values})
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_an_empty_search_shows_the_box_and_how_to_search(client, seed_articles):
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="search-q"' in content
    assert "these words, in this order" in content
    assert "search-results" not in content


# ------------------------------------------------------------ filters and counts


@pytest.fixture
def annotated(seed_articles, people):
    """Public annotations on three passages that say Hezbollah, one per stance (none
    included), with tags, sources, regions (Idlib: within Syria) and two authors."""
    idlib, iran = Region.objects.get(code="SY-ID"), Region.objects.get(code="IR")
    people["editor"].username = "editor"
    made = {}
    for key, (article, words, stance, fields) in {
        "supports": (
            "southfront",
            "the largest party among them being Hezbollah",
            "supports",
            {"tags": ["axis"], "source_name": "Reuters Wire", "regions": [idlib]},
        ),
        "opposes": (
            "global_research",
            "sponsoring resistance forces including Hezbollah",
            "opposes",
            {"tags": ["axis", "lebanon-desk"], "regions": [iran], "claim": "Funding grew"},
        ),
        "none": (
            "academic",
            "a bridge to Hezbollah",
            "",
            {"tags": ["lebanon-desk"], "claim": "A bridge"},
        ),
    }.items():
        made[key] = make_annotation(
            author=people["editor"] if key == "opposes" else people["author"],
            paragraph=paragraph_with(seed_articles[article], words),
            exact=words,
            stance=stance,
            team=people["team"],
            visibility="public",
            **fields,
        )
    return made


FILTER_KEYS = (
    "article",
    "outlet",
    "kind",
    "year",
    "stance",
    "team",
    "region",
    "source",
    "tag",
    "author",
)


def _choose(key: str, value: str) -> dict[str, str]:
    if key == "year":
        return {"from": f"{value}-01-01", "to": f"{value}-12-31"}
    return {key: value}


def _passes(key: str, value: str, page: SearchPage) -> bool:
    for result in page.results:
        article = Article.objects.get(pk=result.article_id)
        if key in ("article", "outlet", "kind", "year"):
            actual = {
                "article": article.slug,
                "outlet": article.outlet,
                "kind": result.kind,
                "year": str(article.published.year) if article.published else "",
            }[key]
            if actual != value:
                return False
        else:
            filters = AnnotationFilters.from_query(query(**{key: value}))
            shown = Annotation.objects.filter(pk__in=[hit.id for hit in result.annotations])
            if not filters.apply(shown).exists():
                return False
    return True


@pytest.mark.parametrize("key", FILTER_KEYS)
def test_every_filter_narrows_and_its_counts_say_by_how_much(annotated, key):
    everything = search(None, "Hezbollah")
    options = facet(everything, key)
    assert options, f"no option for {key}"
    for value, count in options.items():
        chosen = search(None, "Hezbollah", **_choose(key, value))
        assert chosen.total == len(chosen.results) == count, (key, value)
        assert 0 < count <= everything.total
        assert places(chosen) <= places(everything)
        assert _passes(key, value, chosen), (key, value)
        # A facet follows the other filters, not its own: choosing keeps its counts.
        assert facet(chosen, key) == options, (key, value)


def test_the_counts_of_the_annotations_filters(annotated, people):
    page = search(None, "Hezbollah")
    assert page.total == len(passages_where(r"\bHezbollah\b"))
    assert facet(page, "stance") == {"supports": 1, "opposes": 1, "none": 1}
    assert facet(page, "tag") == {"axis": 2, "lebanon-desk": 2}
    assert facet(page, "author") == {"author": 2, "editor": 1}
    assert facet(page, "team") == {"levant-desk": 3}
    regions = facet(page, "region")
    syria = str(Region.objects.get(code="SY").pk)
    assert regions[syria] == 1  # Idlib counts for Syria
    assert regions[str(Region.objects.get(code="SY-ID").pk)] == 1


def test_a_region_filter_finds_the_places_within_it(annotated):
    syria = Region.objects.get(code="SY")
    page = search(None, "Hezbollah", region=str(syria.pk))
    assert [hit.id for result in page.results for hit in result.annotations] == [
        annotated["supports"].pk
    ]


def test_each_facet_counts_with_the_other_filters(annotated, seed_articles):
    page = search(None, "Hezbollah", stance="supports")
    assert page.total == 1
    assert facet(page, "article") == {seed_articles["southfront"].slug: 1}
    assert facet(page, "stance") == {"supports": 1, "opposes": 1, "none": 1}
    page = search(None, "Hezbollah", outlet="SouthFront")
    assert facet(page, "stance") == {"supports": 1}
    assert facet(page, "outlet")["SouthFront"] == page.total


def test_a_passage_found_by_its_text_passes_an_annotation_filter_by_any_annotation(
    annotated, seed_articles
):
    # The passage says Hezbollah; its annotation (stance: supports) does not.
    page = search(None, "Hezbollah", stance="supports", tag="axis")
    assert [result.paragraph_id for result in page.results] == [annotated["supports"].paragraph_id]
    assert search(None, "Hezbollah", stance="supports", tag="lebanon-desk").total == 0


def test_the_filters_show_as_links_on_the_page(client, annotated):
    response = client.get(SEARCH_URL, {"q": "Hezbollah", "stance": "supports"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="?q=Hezbollah&amp;stance=opposes"' in content
    assert 'aria-current="true"' in content
    assert "Any stance" in content


# ------------------------------------------------------------------ who sees what

VIEWERS = ("anonymous", "outsider", "stranger", "staff", "viewer", "author")
MEMBERS = {"viewer", "author"}


@pytest.fixture
def viewers(people):
    staff = get_user_model().objects.create_user("staff", password="pw-staff-2026", is_staff=True)
    return {**people, "staff": staff, "anonymous": AnonymousUser()}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("visibility", "sees"), [("private", {"author"}), ("team", MEMBERS)])
def test_an_annotation_is_found_and_counted_only_by_those_who_may_see_it(
    seed_articles, viewers, viewer, visibility, sees
):
    paragraph = paragraph_with(seed_articles["academic"], "Tartus")
    annotation = make_annotation(
        author=viewers["author"],
        paragraph=paragraph,
        exact="Tartus",
        claim="Quetzalcoatl drones were based there",
        tags=["hidden-tag"],
        source_name="Hidden Source",
        visibility=visibility,
        team=viewers["team"] if visibility == "team" else None,
    )
    by_claim = search(viewers[viewer], "Quetzalcoatl")
    by_text = search(viewers[viewer], "Tartus")
    assert paragraph.pk in {result.paragraph_id for result in by_text.results}
    hits = [hit.id for result in by_text.results for hit in result.annotations]
    if viewer in sees:
        assert [result.paragraph_id for result in by_claim.results] == [paragraph.pk]
        assert by_claim.total == 1
        assert hits == [annotation.pk]
        assert facet(by_text, "tag") == {"hidden-tag": 1}
        assert facet(by_claim, "stance") == {"supports": 1}
    else:
        assert by_claim.results == [] and by_claim.total == 0
        assert all(not found.options for found in by_claim.facets)
        assert hits == []
        for key in ("stance", "tag", "source", "author", "team"):
            assert facet(by_text, key) == {}, key
        assert search(viewers[viewer], "Tartus", tag="hidden-tag").total == 0


@pytest.fixture
def team_article(seed_articles, viewers, tmp_path):
    """The academic paper, with one sentence changed, in the team's collection, with an
    outlet of its own and a public annotation."""
    text = ACADEMIC.read_text(encoding="utf-8").replace(
        "The geopolitical proximity of the Middle East to Russia",
        "The Quokkaquest proximity of the Middle East to Russia",
        1,
    )
    path = tmp_path / "dossier.txt"
    path.write_text(text, encoding="utf-8")
    outcome = article_import_file(path=path, team=viewers["team"])
    assert outcome.status == "created", outcome.error
    article = outcome.article
    Article.objects.filter(pk=article.pk).update(outlet="Dossier Press")
    make_annotation(
        author=viewers["author"],
        paragraph=paragraph_with(article, "Tartus"),
        exact="Tartus",
        claim="Zorblax logistics",
        team=viewers["team"],
        visibility="public",
    )
    return article


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_team_articles_passages_are_found_and_counted_by_its_members_alone(
    seed_articles, viewers, team_article, viewer
):
    realism = search(viewers[viewer], "realism")
    public_count = len(passages_where(r"\brealism\b"))
    team_count = team_article.paragraphs.filter(
        kind__in=TEXT_KINDS, text__iregex=r"realism"
    ).count()
    articles = facet(realism, "article")
    if viewer in MEMBERS:
        assert search(viewers[viewer], "Quokkaquest").total == 1
        assert search(viewers[viewer], "Zorblax").total == 1
        assert realism.total == public_count + team_count
        assert articles[team_article.slug] == team_count
        assert facet(realism, "outlet")["Dossier Press"] == team_count
    else:
        for word in ("Quokkaquest", "Zorblax"):
            page = search(viewers[viewer], word)
            assert page.total == 0 and page.results == []
            assert all(not found.options for found in page.facets)
        assert realism.total == public_count
        assert team_article.slug not in articles
        assert team_article.pk not in {result.article_id for result in realism.results}
        assert "Dossier Press" not in facet(realism, "outlet")
        assert sum(facet(realism, "kind").values()) == public_count
        # Asking for it by name gives nothing away: no title, no count.
        named = search(viewers[viewer], "realism", article=team_article.slug)
        assert named.total == 0
        assert facet(named, "article") == {
            seed_articles["academic"].slug: public_count,
            team_article.slug: 0,
        }
        by_outlet = search(viewers[viewer], "realism", outlet="Dossier Press")
        assert by_outlet.total == 0
        assert facet(by_outlet, "outlet") == {"Dossier Press": 0}


# ------------------------------------------------------------------ escaping


def test_markup_in_a_passage_or_a_claim_shows_escaped(client, seed_articles, people):
    article = seed_articles["southfront"]
    paragraph = add_paragraph(
        article, "Beware <script>alert(1)</script> and <b>zebrafinch</b> tags & more"
    )
    make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact="zebrafinch",
        claim='<img src=x onerror="alert(2)"> zebrafinch claim',
        team=people["team"],
        visibility="public",
    )
    response = client.get(SEARCH_URL, {"q": "zebrafinch"})
    content = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;<mark>zebrafinch</mark>&lt;/b&gt; tags &amp; more" in content
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; <mark>zebrafinch</mark> claim" in content
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert "<b>zebrafinch" not in content


def test_a_result_links_to_its_passage_and_its_annotations(client, annotated):
    response = client.get(SEARCH_URL, {"q": "Hezbollah", "stance": "supports"})
    result = response.context["search"].results[0]
    content = response.content.decode()
    assert f'href="{result.article_url}#p-{result.position}"' in content
    assert f'href="{result.article_url}#hl-{annotated["supports"].pk}"' in content


# ------------------------------------------------------- the index in step


def test_a_new_paragraph_is_found_at_once(seed_articles):
    paragraph = add_paragraph(seed_articles["academic"], "An okapi crossed the border.")
    assert [result.paragraph_id for result in search(None, "okapi").results] == [paragraph.pk]


def test_paragraphs_made_by_bulk_create_are_found(seed_articles):
    article = seed_articles["academic"]
    Paragraph.objects.bulk_create(
        Paragraph(
            article=article,
            position=20_000 + number,
            kind="body",
            markup=f"Narwhal sighting {number}",
            text=f"Narwhal sighting {number}",
            html=f"Narwhal sighting {number}",
            content_hash=f"bulk-{number}",
        )
        for number in range(5)
    )
    assert search(None, "narwhal").total == 5


def test_a_changed_paragraph_is_found_by_its_new_text_alone(seed_articles):
    paragraph = add_paragraph(seed_articles["academic"], "An okapi crossed the border.")
    paragraph.text = "A pangolin crossed the border."
    paragraph.save()
    assert search(None, "okapi").total == 0
    assert search(None, "pangolin").total == 1
    Paragraph.objects.filter(pk=paragraph.pk).update(text="A tapir crossed the border.")
    assert search(None, "pangolin").total == 0
    assert search(None, "tapir").total == 1
    Paragraph.objects.filter(pk=paragraph.pk).update(position=30_000)  # not the text
    assert search(None, "tapir").results[0].position == 30_000


def test_a_deleted_paragraph_is_no_longer_found(seed_articles):
    paragraph = add_paragraph(seed_articles["academic"], "An okapi crossed the border.")
    paragraph.delete()
    assert search(None, "okapi").total == 0
    assert search(None, "crossed").total == len(passages_where(r"\bcross"))


def test_the_importer_keeps_the_search_in_step(db, reference_data, tmp_path):
    path = tmp_path / "wombats.txt"
    body = "Wombat Affairs\n\nThe wombatcracy met in Canberra.\n\nNothing else happened.\n"
    path.write_text(body, encoding="utf-8")
    assert article_import_file(path=path).status == "created"
    assert search(None, "wombatcracy").total == 1
    path.write_text(body.replace("wombatcracy", "platypusocracy"), encoding="utf-8")
    assert article_import_file(path=path).status == "updated"
    assert search(None, "wombatcracy").total == 0
    assert search(None, "platypusocracy").total == 1
    Article.objects.get(source_file__endswith="wombats.txt").delete()
    assert search(None, "platypusocracy").total == 0


def test_a_changed_claim_and_a_binned_annotation_are_searched_as_they_are(seed_articles, people):
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph_with(seed_articles["academic"], "Tartus"),
        exact="Tartus",
        claim="Quetzalcoatl drones",
        visibility="private",
    )
    author = people["author"]
    annotation = annotation_update(
        annotation=annotation,
        editor=author,
        expected_version=annotation.version,
        claim="Basilisk drones",
        stance="supports",
        note="Seen by a chimaera",
        visibility="private",
    )
    assert search(author, "Quetzalcoatl").total == 0
    assert search(author, "Basilisk").total == 1
    assert search(author, "chimaera").total == 1
    annotation_delete(annotation=annotation, user=author, expected_version=annotation.version)
    assert search(author, "Basilisk").total == 0
    Annotation.objects.filter(pk=annotation.pk).delete()
    assert search(author, "Basilisk").total == 0


# ------------------------------------------------------------- the queries


def _corpus_of(count: int, people, syria) -> None:
    for number in range(Article.objects.filter(slug__startswith="kestrel-").count(), count):
        article = Article.objects.create(
            slug=f"kestrel-{number}",
            title=f"Kestrel report {number}",
            outlet=f"Outlet {number % 4}",
            published=date(2017 + number % 3, 1, 1 + number % 28),
            raw_text="-",
            content_hash=f"kestrel-{number}",
        )
        paragraphs = Paragraph.objects.bulk_create(
            Paragraph(
                article=article,
                position=position,
                kind="body",
                markup=f"The kestrel report {number}, part {position}.",
                text=f"The kestrel report {number}, part {position}.",
                html=f"The kestrel report {number}, part {position}.",
                content_hash=f"kestrel-{number}-{position}",
            )
            for position in (1, 2, 3)
        )
        make_annotation(
            author=people["author"],
            paragraph=Paragraph.objects.get(pk=paragraphs[0].pk),
            exact="kestrel",
            claim=f"Kestrel claim {number}",
            tags=["raptors", f"kestrel-{number}"],
            source_name="Raptor Desk",
            regions=[syria],
            team=people["team"],
            visibility="public",
        )


def test_a_page_takes_the_same_queries_for_few_and_many_matches(
    client, reference_data, people, django_assert_num_queries
):
    syria = Region.objects.get(code="SY")
    client.force_login(people["author"])
    counts = []
    for size in (3, 30):
        _corpus_of(size, people, syria)
        with django_assert_num_queries(3):
            page = search_passages(people["author"], query(q="kestrel", tag="raptors"))
        assert page.total == size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(SEARCH_URL, {"q": "kestrel report"})
        assert response.status_code == 200
        assert response.context["search"].total == 3 * size
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ----------------------------------------------------------------- the header


def test_every_page_has_the_search_box_in_its_header(client, seed_articles):
    content = client.get(reverse("corpus:article-list")).content.decode()
    assert f'<form role="search" action="{SEARCH_URL}" method="get"' in content
    assert '<label for="nav-search-q"' in content
    assert 'id="nav-search-q" name="q"' in content
