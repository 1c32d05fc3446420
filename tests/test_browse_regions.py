"""The region pages: the hierarchy with counts that roll up (a claim about Idlib counts
for Syria and the Middle East, once), a region's claims across articles with their
stance breakdown, only what the viewer may see, and a fixed number of queries."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation, Region, Source
from annotations.selectors import load_cards
from corpus.models import ParagraphKind
from corpus.services import article_import_file
from tests.conftest import ACADEMIC, make_annotation

# ------------------------------------------------------------------ helpers (shared)


def passages(article, count, length=30):
    """``count`` (paragraph, start, end) targets: the first words of the article's first
    body paragraphs, in reading order."""
    paragraphs = [
        paragraph
        for paragraph in article.paragraphs.filter(kind=ParagraphKind.BODY).order_by("position")
        if len(paragraph.text) > length + 10
    ]
    assert len(paragraphs) >= count
    return [(paragraph, 0, length) for paragraph in paragraphs[:count]]


def annotate(author, article, index, *, regions=(), **fields):
    """An annotation on the ``index``-th body passage of the article."""
    paragraph, start, end = passages(article, index + 1)[index]
    return make_annotation(
        author=author,
        paragraph=paragraph,
        exact=paragraph.text[start:end],
        start=start,
        end=end,
        regions=list(regions),
        **fields,
    )


def region(code):
    return Region.objects.get(code=code)


class CountedLinks(HTMLParser):
    """Every link that carries the number it stands for (``data-count``)."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "data-count" in attributes:
            self.links.append((attributes["href"], int(attributes["data-count"])))


def counted_links(response) -> list[tuple[str, int]]:
    parser = CountedLinks()
    parser.feed(response.content.decode())
    return parser.links


def count_behind(client, href: str) -> int:
    """How many passages the page at ``href`` lists (the annotation list, an article's
    panel, a region's or a source's page), or cross-references (the overview's list of
    those between two articles)."""
    response = client.get(href)
    assert response.status_code == 200, href
    context = response.context
    if "overview" in context:
        return context["overview"].pair.total
    if "listing" in context and hasattr(context["listing"], "counts"):
        return context["listing"].counts.shown
    if "panel" in context:
        return context["panel"].counts.shown
    if "region" in context:
        return context["region"].tally.total
    return context["source"].tally.total


def sign_in(client, people, viewer):
    if viewer != "anonymous":
        client.force_login(people[viewer])
    return client


def bulk_annotations(articles, people, count, *, team_article=None):
    """``count`` public or team annotations spread over the articles, with regions
    (a place and its country, at times), a source and every stance (rows written in
    bulk: this is about reading them)."""
    targets = [target for article in articles for target in passages(article, 5)]
    places = [region("SY-ID"), region("SY"), region("IR"), region("RU"), region("IQ")]
    sources = [
        Source.objects.get_or_create(name=f"Bulk Source {n}", defaults={"kind": "academic"})[0]
        for n in range(4)
    ]
    authors = [people[name] for name in ("author", "owner", "editor")]
    rows = []
    for n in range(count):
        paragraph, start, end = targets[n % len(targets)]
        rows.append(
            Annotation(
                article_id=paragraph.article_id,
                paragraph=paragraph,
                start=start,
                end=end,
                exact=paragraph.text[start:end],
                stance=["supports", "opposes", "neutral", "mixed", ""][n % 5],
                claim=f"Bulk claim {n}",
                source=sources[n % 4],
                author=authors[n % 3],
                team=people["team"],
                visibility=["public", "team"][n % 2],
            )
        )
    created = Annotation.objects.bulk_create(rows)
    links = []
    for n, annotation in enumerate(created):
        links.append(Annotation.regions.through(annotation_id=annotation.pk, region=places[n % 5]))
        if n % 5 == 0:  # Idlib and Syria both: counted once for Syria
            links.append(Annotation.regions.through(annotation_id=annotation.pk, region=places[1]))
    Annotation.regions.through.objects.bulk_create(links)
    return created


# --------------------------------------------------------------------- fixtures


@pytest.fixture
def corpus(seed_articles, people):
    """On two articles: a claim about Idlib and Syria, one about Syria, one about Idlib
    with no stance, one about Iran (all public); a private one about Syria; and a
    public one about Syria on a team article."""
    academic, southfront = seed_articles["academic"], seed_articles["southfront"]
    shared = {"author": people["author"], "team": people["team"], "visibility": "public"}
    made = {
        "idlib_and_syria": annotate(
            article=academic,
            index=0,
            regions=[region("SY-ID"), region("SY")],
            stance="supports",
            **shared,
        ),
        "syria": annotate(
            article=southfront, index=0, regions=[region("SY")], stance="opposes", **shared
        ),
        "idlib_plain": annotate(
            article=academic,
            index=2,
            regions=[region("SY-ID")],
            stance="",
            claim="A tagged passage",
            **shared,
        ),
        "iran": annotate(
            article=southfront, index=1, regions=[region("IR")], stance="neutral", **shared
        ),
        "private": annotate(
            author=people["author"],
            article=academic,
            index=3,
            regions=[region("SY")],
            stance="mixed",
        ),
    }
    return academic, southfront, made


@pytest.fixture
def team_article(corpus, people, tmp_path):
    """The academic paper again, in the team's collection, with a public claim about
    Syria: its members count it, nobody else does."""
    text = ACADEMIC.read_text(encoding="utf-8").replace(
        "The Military & Security Cooperation",
        "Confidential: The Military & Security Cooperation",
        1,
    )
    path = tmp_path / "dossier.txt"
    path.write_text(text, encoding="utf-8")
    outcome = article_import_file(path=path, team=people["team"])
    assert outcome.status == "created", outcome.error
    annotation = annotate(
        author=people["author"],
        article=outcome.article,
        index=1,
        regions=[region("SY")],
        stance="supports",
        team=people["team"],
        visibility="public",
    )
    return outcome.article, annotation


def tree_counts(client) -> dict[str, int]:
    response = client.get(reverse("annotations:region-list"))
    assert response.status_code == 200
    return {node.name: node.tally.total for node in response.context["tree"].walk()}


# ------------------------------------------------------------------------ tests


def test_a_claim_about_idlib_counts_for_syria_and_the_middle_east_once(client, corpus):
    counts = tree_counts(client)
    # Idlib: two claims; Syria: those two (one also names Syria) and one more.
    assert counts["Idlib"] == 2
    assert counts["Syria"] == 3
    assert counts["Levant"] == 3
    assert counts["Middle East"] == 4  # and the one about Iran
    assert counts["Iran"] == 1
    assert counts["Asia"] == 4


def test_regions_nest_under_their_parents_the_most_discussed_first(client, corpus):
    tree = client.get(reverse("annotations:region-list")).context["tree"]
    (asia,) = [root for root in tree.roots if root.name == "Asia"]
    (middle_east,) = asia.children
    assert [child.name for child in middle_east.children] == ["Levant", "Iran"]
    (syria,) = middle_east.children[0].children
    assert [child.name for child in syria.children] == ["Idlib"]
    assert "Russia" not in {node.name for node in tree.walk()}  # no claim: not listed


def test_the_region_page_breaks_its_claims_down_by_stance(client, corpus):
    page = client.get(reverse("annotations:region-detail", args=[region("SY").pk])).context[
        "region"
    ]
    assert page.tally.total == 3
    assert {part.key: part.count for part in page.tally.parts} == {
        "supports": 1,
        "opposes": 1,
        "none": 1,
    }
    assert [crumb.name for crumb in page.ancestors] == ["Asia", "Middle East", "Levant"]


def test_the_region_page_lists_the_places_within_it_and_the_articles(client, corpus):
    academic, southfront, _ = corpus
    page = client.get(reverse("annotations:region-detail", args=[region("SY").pk])).context[
        "region"
    ]
    assert [(place.name, place.tally.total) for place in page.places] == [("Idlib", 2)]
    assert {article.title: article.tally.total for article in page.articles} == {
        academic.title: 2,
        southfront.title: 1,
    }


def test_a_region_in_many_articles_lists_the_most_annotated_and_links_to_the_rest(
    client, corpus, monkeypatch
):
    academic, southfront, _ = corpus
    monkeypatch.setattr("annotations.browse.ARTICLES_SHOWN", 1)
    response = client.get(reverse("annotations:region-detail", args=[region("SY").pk]))
    page = response.context["region"]
    assert [article.title for article in page.articles_shown] == [academic.title]  # 2 > 1
    assert page.articles_not_shown == 1
    html = response.content.decode()
    articles = html[html.index('id="articles-title"') : html.index('id="passages-title"')]
    assert southfront.title not in articles
    assert "1 more article is in" in articles
    assert f'href="{page.tally.href.replace("&", "&amp;")}">the annotation list</a>' in articles
    # Its claims are still all on the page: only the list of articles is cut short.
    assert {group.article.id for group in page.groups} == {academic.pk, southfront.pk}


def test_the_claims_come_by_article_in_reading_order(client, corpus):
    academic, southfront, made = corpus
    response = client.get(reverse("annotations:region-detail", args=[region("SY").pk]))
    groups = response.context["region"].groups
    order = sorted([academic, southfront], key=lambda article: article.title)
    assert [group.article.id for group in groups] == [article.pk for article in order]
    ids = {group.article.id: [card.id for card in group.cards] for group in groups}
    assert ids[academic.pk] == [made["idlib_and_syria"].pk, made["idlib_plain"].pk]
    html = response.content.decode()
    assert html.index(f'id="a-{made["idlib_and_syria"].pk}"') < html.index(
        f'id="a-{made["idlib_plain"].pk}"'
    )


@pytest.mark.parametrize(("viewer", "syria"), [("anonymous", 3), ("outsider", 3), ("author", 4)])
def test_a_private_claim_counts_for_its_author_alone(client, people, corpus, viewer, syria):
    sign_in(client, people, viewer)
    assert tree_counts(client)["Syria"] == syria
    page = client.get(reverse("annotations:region-detail", args=[region("SY").pk])).context[
        "region"
    ]
    assert page.tally.total == syria
    assert ("PRIVATE" in str(page.groups)) is False  # claims of others' notes never shown


@pytest.mark.parametrize(
    ("viewer", "counted"),
    [("anonymous", False), ("outsider", False), ("stranger", False), ("viewer", True)],
)
def test_a_team_articles_claims_count_for_its_members_alone(
    client, people, corpus, team_article, viewer, counted
):
    article, annotation = team_article
    sign_in(client, people, viewer)
    # The viewer (a team member who is not the author) does not see the private one.
    assert tree_counts(client)["Syria"] == 3 + counted
    response = client.get(reverse("annotations:region-detail", args=[region("SY").pk]))
    page = response.context["region"]
    assert page.tally.total == 3 + counted
    assert (article.pk in {a.id for a in page.articles}) is counted
    assert (f'id="a-{annotation.pk}"' in response.content.decode()) is counted


def test_every_region_number_links_to_that_many_claims(client, people, corpus):
    client.force_login(people["author"])
    pages = [
        reverse("annotations:region-list"),
        reverse("annotations:region-detail", args=[region("SY").pk]),
        reverse("annotations:region-detail", args=[region("region:middle-east").pk]),
    ]
    followed = 0
    for page in pages:
        links = counted_links(client.get(page))
        assert links
        for href, count in links:
            assert count_behind(client, href) == count, href
            followed += 1
    assert followed > 20


def test_a_card_filter_opens_the_list_narrowed_to_the_region(client, corpus):
    syria = region("SY").pk
    response = client.get(reverse("annotations:region-detail", args=[syria]), {"stance": "none"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("annotations:list")
    assert parse_qs(target.query) == {"stance": ["none"], "region": [str(syria)]}
    assert count_behind(client, response["Location"]) == 1


def test_bad_filters_and_page_numbers_are_a_400_with_a_reason(client, corpus):
    url = reverse("annotations:region-detail", args=[region("SY").pk])
    for params, reason in [
        ({"page": "2"}, "There is no page"),
        ({"page": "x"}, "There is no page"),
        ({"stance": "furious"}, "Unknown stance"),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400
        assert reason in response.content.decode()


def test_a_missing_region_is_a_404(client, corpus):
    assert client.get(reverse("annotations:region-detail", args=[10**15])).status_code == 404


def test_a_region_without_claims_says_so(client, corpus):
    response = client.get(reverse("annotations:region-detail", args=[region("RU").pk]))
    assert response.status_code == 200
    assert "No annotation you can see is about Russia" in response.content.decode()


def test_claims_come_fifty_a_page_and_an_article_continues_on_the_next(
    client, people, seed_articles
):
    bulk_annotations([seed_articles["academic"]], people, 60)
    url = reverse("annotations:region-detail", args=[region("SY").pk])
    first = client.get(url).context["region"]
    # Public half of 60; of those, every fifth names Idlib and Syria, every fifth Syria.
    assert first.pages == 1 and first.tally.total == 12
    client.force_login(people["viewer"])
    first = client.get(url).context["region"]
    assert first.tally.total == 24 and first.pages == 1
    bulk_annotations([seed_articles["academic"]], people, 240)
    first = client.get(url).context["region"]
    second = client.get(url, {"page": 2}).context["region"]
    assert first.tally.total == 120 and first.pages == 3
    assert sum(len(group.cards) for group in first.groups) == 50
    assert not first.groups[0].continued and second.groups[0].continued


@pytest.mark.parametrize("viewer", ["anonymous", "viewer"])
def test_the_region_pages_take_the_same_queries_with_few_or_many_claims(
    client, people, seed_articles, viewer
):
    sign_in(client, people, viewer)
    articles = [seed_articles["academic"], seed_articles["southfront"]]
    bulk_annotations(articles, people, 10)
    pages = {
        "list": reverse("annotations:region-list"),
        "detail": reverse("annotations:region-detail", args=[region("region:middle-east").pk]),
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
    signed_in = 2 if viewer != "anonymous" else 0  # the session and the user
    teams = 1 if viewer != "anonymous" else 0  # the viewer's teams, for the cards' actions
    # The tree: one query. A region: itself, the regions above it, its articles (with
    # the stance breakdown), the places within it, a page of ids, and the cards.
    assert few == {
        "list": signed_in + 1,
        "detail": signed_in + teams + 5 + card_queries(people["viewer"]),
    }


def card_queries(user) -> int:
    """What ``load_cards`` takes for a page of cards (whatever their number)."""
    ids = list(Annotation.objects.visible_to(user).values_list("id", flat=True)[:3])
    with CaptureQueriesContext(connection) as queries:
        assert load_cards(ids, user, {})
    return len(queries)
