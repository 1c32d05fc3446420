"""The overview: stance by country, annotations per article, the most cited sources and
the cross-references between articles, drawn as SVG on the server. Every number is a
link to that many passages; only what the viewer may see counts; fixed queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import CrossReference
from corpus.services import article_import_file
from tests.conftest import ACADEMIC
from tests.test_browse_regions import (
    annotate,
    bulk_annotations,
    count_behind,
    counted_links,
    region,
    sign_in,
)


@pytest.fixture
def corpus(seed_articles, people):
    """Public annotations on the three seeds, about places and citing sources; a
    private one; public and private cross-references between the articles, and one
    within an article."""
    academic = seed_articles["academic"]
    southfront = seed_articles["southfront"]
    global_research = seed_articles["global_research"]
    shared = {"author": people["author"], "team": people["team"], "visibility": "public"}
    made = {
        "a1": annotate(
            article=academic,
            index=0,
            regions=[region("SY-ID"), region("SY")],
            source_name="Tasnim News",
            stance="supports",
            **shared,
        ),
        "a2": annotate(
            article=academic, index=1, regions=[region("IR")], stance="opposes", **shared
        ),
        "a3": annotate(article=academic, index=2, regions=[region("SY-ID")], stance="", **shared),
        "s1": annotate(
            article=southfront,
            index=0,
            regions=[region("SY")],
            source_name="Tasnim News",
            stance="opposes",
            **shared,
        ),
        "s2": annotate(
            article=southfront, index=1, regions=[region("RU")], stance="neutral", **shared
        ),
        "g1": annotate(
            article=global_research, index=0, regions=[region("IR")], stance="mixed", **shared
        ),
        "private": annotate(
            author=people["author"],
            article=global_research,
            index=1,
            regions=[region("SY")],
            source_name="Secret Channel",
            stance="supports",
        ),
    }

    def link(origin, target, relation="contradicts", visibility="public"):
        return CrossReference.objects.create(
            from_annotation=made[origin],
            to_annotation=made[target],
            relation=relation,
            author=people["author"],
            team=people["team"] if visibility != "private" else None,
            visibility=visibility,
        )

    links = {
        "a1_s1": link("a1", "s1"),
        "s2_a2": link("s2", "a2", "supports"),
        "a2_g1": link("a2", "g1", "elaborates"),
        "a1_g1_private": link("a1", "g1", visibility="private"),
        "a1_private_end": link("a1", "private"),  # public, but one end is private
        "a1_a3_within": link("a1", "a3", "repeats"),
    }
    return seed_articles, made, links


def overview_of(client):
    response = client.get(reverse("annotations:overview"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("viewer", "private"), [("anonymous", 0), ("outsider", 0), ("viewer", 0), ("author", 1)]
)
def test_the_overview_counts_what_the_viewer_may_see(client, people, corpus, viewer, private):
    sign_in(client, people, viewer)
    overview = overview_of(client).context["overview"]
    assert overview.totals.tally.total == 6 + private
    assert overview.totals.articles == 3
    assert overview.totals.sources == 1 + private
    assert {part.key: part.count for part in overview.totals.tally.parts} == {
        "supports": 1 + private,
        "opposes": 2,
        "neutral": 1,
        "mixed": 1,
        "none": 1,
    }


def test_stance_by_country_rolls_places_up_into_their_country_once(client, corpus):
    overview = overview_of(client).context["overview"]
    countries = {
        bar.label: {part.key: part.value for part in bar.parts} for bar in overview.by_country
    }
    # Syria: one about Idlib and Syria (once), one about Idlib alone, one about Syria.
    assert countries["Syria"] == {"supports": 1, "opposes": 1, "none": 1}
    assert countries["Iran"] == {"opposes": 1, "mixed": 1}
    assert countries["Russia"] == {"neutral": 1}
    assert [bar.label for bar in overview.by_country] == ["Syria", "Iran", "Russia"]
    assert "Middle East" not in countries  # a region, not a country


def test_annotations_per_article_and_the_most_cited_sources(client, corpus):
    seeds, _, _ = corpus
    overview = overview_of(client).context["overview"]
    assert [(bar.label, bar.total) for bar in overview.by_article] == [
        (seeds["academic"].title, 3),
        (seeds["southfront"].title, 2),
        (seeds["global_research"].title, 1),
    ]
    assert [(bar.label, bar.total) for bar in overview.by_source] == [("Tasnim News", 2)]


def test_every_chart_number_is_a_link_to_that_many_passages(client, people, corpus):
    client.force_login(people["viewer"])
    links = counted_links(overview_of(client))
    hrefs = {href for href, _ in links}
    assert any("/annotations/?region=" in href for href in hrefs)
    assert any("/annotations/?source=" in href for href in hrefs)
    assert any("/articles/" in href for href in hrefs)
    assert any("pair=" in href for href in hrefs)
    for href, count in links:
        assert count_behind(client, href) == count, href
    assert len(links) > 25


def test_the_cross_reference_graph_joins_articles_by_the_links_the_viewer_may_see(
    client, people, corpus
):
    seeds, _, _ = corpus
    ids = {key: article.pk for key, article in seeds.items()}

    def edges(viewer):
        client.logout()
        sign_in(client, people, viewer)
        response = overview_of(client)
        graph = response.context["overview"].graph
        weights = {
            frozenset((int(edge.source), int(edge.target))): edge.weight for edge in graph.edges
        }
        return weights, graph, response

    weights, graph, response = edges("outsider")
    assert weights == {
        frozenset((ids["academic"], ids["southfront"])): 2,  # either way
        frozenset((ids["academic"], ids["global_research"])): 1,
    }
    assert (graph.links, graph.within, graph.articles) == (3, 1, 3)
    html = response.content.decode()
    assert 'class="graph-node"' in html and 'class="graph-weight"' in html
    for title in (seeds["academic"].title, seeds["southfront"].title):
        assert f'aria-label="{title}"'.replace("&", "&amp;") in html
    # The author sees their private link, and the link to their private passage.
    weights, graph, _ = edges("author")
    assert weights[frozenset((ids["academic"], ids["global_research"]))] == 3
    assert graph.links == 5


def test_a_pair_lists_the_links_between_two_articles_either_way(client, corpus):
    seeds, made, _ = corpus
    first, second = sorted([seeds["academic"].pk, seeds["southfront"].pk])
    response = client.get(reverse("annotations:overview"), {"pair": f"{second}-{first}"})
    pair = response.context["overview"].pair
    assert pair.total == 2
    phrases = {(row.origin.id, row.phrase, row.target.id) for row in pair.links}
    assert phrases == {
        (made["a1"].pk, "contradicts", made["s1"].pk),
        (made["s2"].pk, "supports", made["a2"].pk),
    }
    html = response.content.decode()
    assert html.count("data-link") == 2
    assert f'href="{seeds["academic"].get_absolute_url()}#hl-{made["a1"].pk}"' in html


def test_a_pair_of_articles_the_viewer_may_not_see_linked_shows_nothing(client, people, corpus):
    seeds, made, _ = corpus
    response = client.get(
        reverse("annotations:overview"),
        {"pair": f"{seeds['academic'].pk}-{seeds['global_research'].pk}"},
    )
    pair = response.context["overview"].pair
    assert pair.total == 1  # the public one; not the private link, nor the one to a private passage
    assert made["private"].exact not in response.content.decode()


def test_without_cross_references_the_overview_says_so(client, people, seed_articles):
    annotate(
        author=people["author"],
        article=seed_articles["academic"],
        index=0,
        team=people["team"],
        visibility="public",
    )
    html = overview_of(client).content.decode()
    assert "No cross-reference you can see joins two articles yet" in html
    assert 'class="graph-node"' not in html


def test_an_empty_corpus_says_so_in_every_chart(client, seed_articles):
    html = overview_of(client).content.decode()
    assert "You can see" in html and 'data-count="0"' in html
    assert html.count('class="empty"') == 4


def test_the_charts_are_svg_drawn_on_the_server_under_the_policy(client, people, corpus):
    response = overview_of(client)
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert " style=" not in html and "<script" not in html
    charts = re.findall(
        r'<svg class="chart-svg[^"]*" viewBox="0 0 [\d.]+ [\d.]+" width="100%"', html
    )
    assert len(charts) == 4  # three bar charts and the graph
    assert html.count("<title id=") == 4
    for match in re.finditer(r'<a href="[^"]+" aria-label="([^"]+)" data-count="(\d+)"', html):
        assert match[2] in match[1]  # every number says what it counts


def test_a_team_articles_annotations_never_count_for_an_outsider(client, people, corpus, tmp_path):
    path = tmp_path / "dossier.txt"
    path.write_text(
        ACADEMIC.read_text(encoding="utf-8").replace("The Military", "Dossier: The Military", 1),
        encoding="utf-8",
    )
    article = article_import_file(path=path, team=people["team"]).article
    for index in range(3):
        annotate(
            author=people["author"],
            article=article,
            index=index,
            regions=[region("SY")],
            source_name="Tasnim News",
            team=people["team"],
            visibility="public",
        )
    client.force_login(people["outsider"])
    overview = overview_of(client).context["overview"]
    assert overview.totals.tally.total == 6 and overview.totals.articles == 3
    assert article.title not in {bar.label for bar in overview.by_article}
    assert {bar.label: bar.total for bar in overview.by_country}["Syria"] == 3
    assert {bar.label: bar.total for bar in overview.by_source}["Tasnim News"] == 2
    client.force_login(people["viewer"])
    overview = overview_of(client).context["overview"]
    assert overview.totals.tally.total == 9
    assert overview.by_article[0].label == article.title


@pytest.mark.parametrize("pair", ["x", "1-1", "1-", "-2", "1-2-3", "١-٢", "1" * 19 + "-2"])
def test_a_bad_pair_is_a_400_with_a_reason(client, corpus, pair):
    response = client.get(reverse("annotations:overview"), {"pair": pair})
    assert response.status_code == 400
    assert "two different articles" in response.content.decode()


def bulk_links(annotations, people, count):
    """``count`` public cross-references between the annotations' articles."""
    by_article = {}
    for annotation in annotations:
        by_article.setdefault(annotation.article_id, []).append(annotation)
    groups = list(by_article.values())
    rows = []
    for n in range(count):
        origin = groups[n % len(groups)][n % len(groups[n % len(groups)])]
        other = groups[(n + 1) % len(groups)]
        target = other[(n // len(groups)) % len(other)]
        rows.append(
            CrossReference(
                from_annotation=origin,
                to_annotation=target,
                relation=["supports", "contradicts", "repeats", "cites"][n % 4],
                author=people["author"],
                team=people["team"],
                visibility="public",
            )
        )
    CrossReference.objects.bulk_create(rows, ignore_conflicts=True)


@pytest.mark.parametrize("viewer", ["anonymous", "viewer"])
def test_the_overview_takes_the_same_queries_with_few_or_many_annotations(
    client, people, seed_articles, viewer
):
    sign_in(client, people, viewer)
    articles = list(seed_articles.values())
    bulk_links(bulk_annotations(articles, people, 10), people, 4)
    with CaptureQueriesContext(connection) as few:
        assert overview_of(client)
    pair = f"{articles[0].pk}-{articles[1].pk}"
    with CaptureQueriesContext(connection) as few_with_pair:
        client.get(reverse("annotations:overview"), {"pair": pair})
    bulk_links(bulk_annotations(articles, people, 600), people, 300)
    with CaptureQueriesContext(connection) as many:
        response = overview_of(client)
    with CaptureQueriesContext(connection) as many_with_pair:
        client.get(reverse("annotations:overview"), {"pair": pair})
    assert response.context["overview"].totals.tally.total == (
        305 if viewer == "anonymous" else 610
    )
    assert response.context["overview"].graph.links > 100
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]
    assert len(many_with_pair) == len(few_with_pair)
    signed_in = 2 if viewer != "anonymous" else 0  # the session and the user
    # The totals, the countries, the articles, the sources, the cross-references; and,
    # for a pair of articles, the links between them (counted in the same query).
    assert len(few) == signed_in + 5
    assert len(few_with_pair) == signed_in + 6
