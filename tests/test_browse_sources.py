"""The source pages: every source the viewer may see with the passages citing it across
articles, their stances and articles; hidden sources and passages neither show nor
count; a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Source
from corpus.services import article_import_file
from tests.conftest import ACADEMIC
from tests.test_browse_regions import (
    annotate,
    bulk_annotations,
    card_queries,
    count_behind,
    counted_links,
    sign_in,
)


@pytest.fixture
def cited(seed_articles, people):
    """Public passages citing "Tasnim News" (two in the academic paper, one with no
    stance, and one in SouthFront) and "RAND Report" (one); a private passage citing
    "Secret Channel", a source nobody else has named."""
    academic, southfront = seed_articles["academic"], seed_articles["southfront"]
    shared = {"author": people["author"], "team": people["team"], "visibility": "public"}
    made = {
        "tasnim_1": annotate(
            article=academic, index=3, source_name="Tasnim News", stance="supports", **shared
        ),
        "tasnim_2": annotate(
            article=academic, index=1, source_name="Tasnim News", stance="", **shared
        ),
        "tasnim_3": annotate(
            article=southfront, index=0, source_name="Tasnim News", stance="opposes", **shared
        ),
        "rand": annotate(
            article=southfront, index=1, source_name="RAND Report", stance="neutral", **shared
        ),
        "secret": annotate(
            author=people["author"],
            article=academic,
            index=2,
            source_name="Secret Channel",
            stance="mixed",
        ),
    }
    return academic, southfront, made


def source_named(name):
    return Source.objects.get(name=name)


def listed(client) -> dict[str, object]:
    response = client.get(reverse("annotations:source-list"))
    assert response.status_code == 200
    return {source.name: source for source in response.context["listing"].sources}


def test_every_cited_source_is_listed_with_its_passages_stances_and_articles(client, cited):
    sources = listed(client)
    tasnim = sources["Tasnim News"]
    assert tasnim.tally.total == 3 and tasnim.articles == 2
    assert {part.key: part.count for part in tasnim.tally.parts} == {
        "supports": 1,
        "opposes": 1,
        "none": 1,
    }
    assert (sources["RAND Report"].tally.total, sources["RAND Report"].articles) == (1, 1)
    assert next(iter(sources)) == "Tasnim News"  # the most cited first


def test_the_source_page_groups_its_passages_by_article_in_reading_order(client, cited):
    academic, southfront, made = cited
    response = client.get(
        reverse("annotations:source-detail", args=[source_named("Tasnim News").pk])
    )
    page = response.context["source"]
    assert page.tally.total == 3
    assert {article.title: article.tally.total for article in page.articles} == {
        academic.title: 2,
        southfront.title: 1,
    }
    groups = {group.article.id: [card.id for card in group.cards] for group in page.groups}
    # In the paper, the passage of its second paragraph comes before that of its fourth.
    assert groups[academic.pk] == [made["tasnim_2"].pk, made["tasnim_1"].pk]
    assert groups[southfront.pk] == [made["tasnim_3"].pk]
    assert [group.article.title for group in page.groups] == sorted(
        [academic.title, southfront.title]
    )


def test_a_source_cited_in_many_articles_lists_the_most_citing_and_links_to_the_rest(
    client, cited, monkeypatch
):
    academic, southfront, _ = cited
    monkeypatch.setattr("annotations.browse.ARTICLES_SHOWN", 1)
    response = client.get(
        reverse("annotations:source-detail", args=[source_named("Tasnim News").pk])
    )
    page = response.context["source"]
    assert [article.title for article in page.articles_shown] == [academic.title]
    html = response.content.decode()
    assert "1 more article is in" in html
    assert html.count(f'class="count-name" href="{southfront.get_absolute_url()}"') == 0


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "viewer", "owner"])
def test_a_private_passages_source_is_not_listed_for_anyone_else_nor_counted(
    client, people, cited, viewer
):
    sign_in(client, people, viewer)
    assert "Secret Channel" not in listed(client)
    overview = client.get(reverse("annotations:overview")).context["overview"]
    assert overview.totals.sources == 2
    assert "Secret Channel" not in {bar.label for bar in overview.by_source}


def test_its_author_sees_the_private_passages_source(client, people, cited):
    client.force_login(people["author"])
    assert listed(client)["Secret Channel"].tally.total == 1
    response = client.get(
        reverse("annotations:source-detail", args=[source_named("Secret Channel").pk])
    )
    assert response.context["source"].tally.total == 1


def masked(response) -> str:
    """The page without what differs by request alone: the token, the path asked for."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r"next=[^\"]+", "next=", html)


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "owner"])
def test_a_hidden_source_is_the_same_404_as_a_missing_one(client, people, cited, viewer):
    sign_in(client, people, viewer)
    hidden = client.get(
        reverse("annotations:source-detail", args=[source_named("Secret Channel").pk])
    )
    missing = client.get(reverse("annotations:source-detail", args=[10**15]))
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden) == masked(missing)
    assert "Secret Channel" not in hidden.content.decode()
    # Nor does a filter link on it lead anywhere else.
    narrowed = client.get(
        reverse("annotations:source-detail", args=[source_named("Secret Channel").pk]),
        {"stance": "mixed"},
    )
    assert narrowed.status_code == 404


@pytest.mark.parametrize(
    ("viewer", "counted"), [("outsider", False), ("stranger", False), ("viewer", True)]
)
def test_passages_on_a_team_article_count_for_its_members_alone(
    client, people, cited, tmp_path, viewer, counted
):
    path = tmp_path / "dossier.txt"
    path.write_text(
        ACADEMIC.read_text(encoding="utf-8").replace("The Military", "Dossier: The Military", 1),
        encoding="utf-8",
    )
    article = article_import_file(path=path, team=people["team"]).article
    annotate(
        author=people["author"],
        article=article,
        index=0,
        source_name="Tasnim News",
        stance="supports",
        team=people["team"],
        visibility="public",
    )
    annotate(
        author=people["author"],
        article=article,
        index=1,
        source_name="Dossier Informant",
        stance="supports",
        team=people["team"],
        visibility="team",
    )
    sign_in(client, people, viewer)
    sources = listed(client)
    assert sources["Tasnim News"].tally.total == 3 + counted
    assert sources["Tasnim News"].articles == 2 + counted
    assert ("Dossier Informant" in sources) is counted
    page = client.get(
        reverse("annotations:source-detail", args=[source_named("Tasnim News").pk])
    ).context["source"]
    assert page.tally.total == 3 + counted
    assert (article.pk in {a.id for a in page.articles}) is counted


def test_every_source_number_links_to_that_many_passages(client, people, cited):
    client.force_login(people["author"])
    followed = 0
    for url in [
        reverse("annotations:source-list"),
        reverse("annotations:source-detail", args=[source_named("Tasnim News").pk]),
    ]:
        for href, count in counted_links(client.get(url)):
            assert count_behind(client, href) == count, href
            followed += 1
    assert followed >= 15


def test_a_card_filter_opens_the_list_narrowed_to_the_source(client, cited):
    tasnim = source_named("Tasnim News").pk
    response = client.get(
        reverse("annotations:source-detail", args=[tasnim]), {"stance": "opposes"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('annotations:list')}?stance=opposes&source={tasnim}"
    assert count_behind(client, response["Location"]) == 1


def test_a_sources_address_is_a_link_only_when_it_is_a_web_address(client, cited):
    tasnim = source_named("Tasnim News")
    url = reverse("annotations:source-detail", args=[tasnim.pk])
    Source.objects.filter(pk=tasnim.pk).update(url="https://www.tasnimnews.com/en")
    assert (
        'href="https://www.tasnimnews.com/en" rel="nofollow noopener noreferrer"'
        in client.get(url).content.decode()
    )
    Source.objects.filter(pk=tasnim.pk).update(url="javascript:alert(1)")
    assert "javascript:" not in client.get(url).content.decode()


def test_bad_page_numbers_are_a_400_with_a_reason(client, cited):
    for url in [
        reverse("annotations:source-list"),
        reverse("annotations:source-detail", args=[source_named("Tasnim News").pk]),
    ]:
        for page in ("2", "0", "-1", "1e3", "x" * 40):
            response = client.get(url, {"page": page})
            assert response.status_code == 400, (url, page)
            assert "There is no page" in response.content.decode()


def test_a_source_nobody_cites_visibly_says_so(client, people, cited):
    curated = Source.objects.filter(curated=True).exclude(annotations__isnull=False).first()
    response = client.get(reverse("annotations:source-detail", args=[curated.pk]))
    assert response.status_code == 200
    assert "No passage you can see cites this source." in response.content.decode()


def test_the_source_list_comes_a_hundred_a_page(client, people, seed_articles):
    from annotations.models import Annotation

    paragraph_article = seed_articles["academic"]
    sources = Source.objects.bulk_create(
        Source(name=f"Outlet {n:03}", normalized_name=f"outlet {n:03}") for n in range(105)
    )
    template = annotate(
        author=people["author"],
        article=paragraph_article,
        index=0,
        team=people["team"],
        visibility="public",
    )
    Annotation.objects.bulk_create(
        Annotation(
            article=template.article,
            paragraph=template.paragraph,
            start=template.start,
            end=template.end,
            exact=template.exact,
            stance="supports",
            source=source,
            author=people["author"],
            team=people["team"],
            visibility="public",
        )
        for source in sources
    )
    first = client.get(reverse("annotations:source-list")).context["listing"]
    second = client.get(reverse("annotations:source-list"), {"page": 2}).context["listing"]
    assert (first.count, first.pages, len(first.sources), len(second.sources)) == (105, 2, 100, 5)


@pytest.mark.parametrize("viewer", ["anonymous", "viewer"])
def test_the_source_pages_take_the_same_queries_with_few_or_many_passages(
    client, people, seed_articles, viewer
):
    sign_in(client, people, viewer)
    articles = [seed_articles["academic"], seed_articles["southfront"]]
    bulk_annotations(articles, people, 10)
    source = Source.objects.get(name="Bulk Source 0")
    pages = {
        "list": reverse("annotations:source-list"),
        "detail": reverse("annotations:source-detail", args=[source.pk]),
    }
    few = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[name] = len(queries)
    bulk_annotations(articles, people, 400)
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) == few[name], (name, [q["sql"][:90] for q in queries.captured_queries])
    assert response.context["source"].tally.total == 103  # every fourth of 410, all public
    signed_in = 2 if viewer != "anonymous" else 0  # the session and the user
    teams = 1 if viewer != "anonymous" else 0
    # The list: one query. A source: itself, its articles (with the stance breakdown),
    # a page of ids, and the cards.
    assert few == {
        "list": signed_in + 1,
        "detail": signed_in + teams + 3 + card_queries(people["viewer"]),
    }
