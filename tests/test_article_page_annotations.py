"""The article page with annotations: highlights, cards, filters, and a fixed number
of queries however many annotations there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, AnnotationTag, Region, Source, TaggedAnnotation
from corpus.models import ParagraphKind
from tests.conftest import make_annotation


@pytest.fixture
def article(seed_articles):
    return seed_articles["academic"]


def bulk_annotations(article, people, count):
    """``count`` visible annotations spread over the paper, by several users and teams,
    each with regions, a source and tags (rows written in bulk: this is about reading)."""
    paragraphs = list(article.paragraphs.filter(kind=ParagraphKind.BODY).order_by("position"))
    authors = [people[name] for name in ("author", "owner", "editor", "annotator")]
    sources = [
        Source.objects.get_or_create(name=f"Source {n}", kind="academic")[0] for n in range(5)
    ]
    regions = list(Region.objects.filter(code__in=["SY", "IR", "RU", "IQ", "TR"]))
    tags = [AnnotationTag.objects.get_or_create(name=f"topic {n}")[0] for n in range(6)]
    rows = []
    for n in range(count):
        paragraph = paragraphs[n % len(paragraphs)]
        start = (n * 7) % max(1, len(paragraph.text) - 40)
        rows.append(
            Annotation(
                article=article,
                paragraph=paragraph,
                start=start,
                end=start + 25,
                exact=paragraph.text[start : start + 25],
                stance=["supports", "opposes", "neutral", "mixed"][n % 4],
                claim=f"Claim number {n}",
                source=sources[n % 5],
                author=authors[n % 4],
                team=people["team"],
                visibility=["team", "public"][n % 2],
            )
        )
    created = Annotation.objects.bulk_create(rows)
    Annotation.regions.through.objects.bulk_create(
        Annotation.regions.through(annotation_id=a.pk, region_id=regions[i % len(regions)].pk)
        for i, a in enumerate(created)
    )
    TaggedAnnotation.objects.bulk_create(
        TaggedAnnotation(content_object_id=a.pk, tag=tags[i % len(tags)])
        for i, a in enumerate(created)
    )
    return created


def test_highlights_are_rendered_on_the_server(client, people, article):
    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact="Iran has been his main ally",
        visibility="public",
        team=people["team"],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    mark = re.search(
        rf'<mark class="hl hl--supports" id="hl-{annotation.pk}"[^>]*>([^<]*)</mark>', html
    )
    assert mark and mark.group(1) == "Iran has been his main ally"


def test_overlapping_and_nested_passages_render_correctly(client, people, article):
    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    text = paragraph.text
    outer = "Iran has been his main ally in this path"
    inner = "his main ally"
    overlapping = "in this path; both nations faced"
    common = dict(
        author=people["author"], paragraph=paragraph, team=people["team"], visibility="public"
    )
    a = make_annotation(exact=outer, stance="supports", **common)
    b = make_annotation(exact=inner, stance="opposes", **common)
    c = make_annotation(exact=overlapping, stance="neutral", **common)
    page = client.get(article.get_absolute_url()).content.decode()
    block = page[page.index(f'id="p-{paragraph.position}"') :]
    block = block[: block.index("</p>")]
    pieces = re.findall(r'data-annotation-ids="([\d ]+)"[^>]*>([^<]*)</mark>', block)
    assert pieces == [
        (f"{a.pk}", "Iran has been "),
        (f"{a.pk} {b.pk}", "his main ally"),
        (f"{a.pk}", " "),
        (f"{a.pk} {c.pk}", "in this path"),
        (f"{c.pk}", "; both nations faced"),
    ]
    # The paragraph still reads as it did.
    assert re.sub(r"<[^>]+>", "", block.split('class="ptext">', 1)[1]).startswith(text[:60])


def test_cards_come_in_reading_order_with_their_bodies(client, people, article):
    later = article.paragraphs.get(text__startswith="In general, several key factors")
    earlier = article.paragraphs.get(text__startswith="Since September 2015")
    common = dict(author=people["author"], team=people["team"], visibility="team")
    second = make_annotation(
        paragraph=later, exact="several key factors", stance="opposes", **common
    )
    first = make_annotation(
        paragraph=earlier,
        exact="Iran has been his main ally",
        stance="mixed",
        claim="Iran was Russia's partner of necessity",
        stance_target="Russia",
        source_name="Borshchevskaya 2016",
        regions=[Region.objects.get(code="IR"), Region.objects.get(code="RU")],
        tags=["alliance"],
        note="A *partner*, not an ally.",
        **common,
    )
    client.force_login(people["viewer"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index(f'id="a-{first.pk}"') < html.index(f'id="a-{second.pk}"')
    card = html[html.index(f'id="a-{first.pk}"') :]
    card = card[: card.index("</article>")]
    for fragment in (
        "Mixed",
        "Iran has been his main ally",
        "Iran was Russia&#x27;s partner of necessity",
        "Russia",
        "Borshchevskaya 2016",
        "Iran",
        "alliance",
        "<em>partner</em>",
        "author",
        "Levant Desk",
    ):
        assert fragment in card, fragment
    assert "Edit" not in card  # a viewer cannot edit


def test_filters_narrow_the_cards_and_the_counts_follow(client, people, article):
    bulk_annotations(article, people, 40)
    client.force_login(people["viewer"])
    everything = client.get(article.get_absolute_url())
    assert len(everything.context["panel"].cards) == 40
    opposes = client.get(article.get_absolute_url(), {"stance": "opposes"})
    panel = opposes.context["panel"]
    assert len(panel.cards) == 10 and panel.counts.total == 40
    assert all(card.stance == "opposes" for card in panel.cards)
    facets = {facet.key: facet for facet in panel.counts.facets}
    # The stance counts ignore the stance filter itself; the others follow it.
    assert {o.value: o.count for o in facets["stance"].options} == {
        "supports": 10,
        "opposes": 10,
        "neutral": 10,
        "mixed": 10,
    }
    assert sum(option.count for option in facets["author"].options) == 10
    html = opposes.content.decode()
    assert html.count('class="hl ') > 0
    assert "Opposes (10)" in html
    # Highlights follow the filter too.
    shown = {card.id for card in panel.cards}
    highlighted = {
        int(i) for ids in re.findall(r'data-annotation-ids="([\d ]+)"', html) for i in ids.split()
    }
    assert highlighted == shown


def test_an_unknown_filter_value_is_a_400_with_a_reason(client, article):
    response = client.get(article.get_absolute_url(), {"stance": "furious"})
    assert response.status_code == 400
    assert "Unknown stance" in response.content.decode()
    assert client.get(article.get_absolute_url(), {"region": "syria"}).status_code == 400


@pytest.mark.parametrize("viewer", ["anonymous", "viewer"])
def test_the_page_takes_the_same_queries_with_10_or_1000_annotations(
    client, people, article, viewer
):
    if viewer != "anonymous":
        client.force_login(people[viewer])
    bulk_annotations(article, people, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(article.get_absolute_url()).status_code == 200
    bulk_annotations(article, people, 990)
    with CaptureQueriesContext(connection) as many:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    expected = 1000 if viewer != "anonymous" else 500  # half of them are public
    panel = response.context["panel"]
    assert panel.counts.shown == expected
    assert len(panel.cards) == 100  # the first page of cards; every passage is highlighted
    html = response.content.decode()
    assert (
        len({i for ids in re.findall(r'data-annotation-ids="([\d ]+)"', html) for i in ids.split()})
        == expected
    )
    assert len(many) == len(few) <= 14, [q["sql"][:80] for q in many.captured_queries]


def test_the_annotation_list_takes_a_fixed_number_of_queries(client, people, article):
    from django.urls import reverse

    client.force_login(people["viewer"])
    bulk_annotations(article, people, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("annotations:list")).status_code == 200
    bulk_annotations(article, people, 200)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("annotations:list"), {"stance": "opposes"})
    assert response.status_code == 200
    listing = response.context["listing"]
    assert listing.counts.shown == 51 and len(listing.cards) == 50
    assert len(many) == len(few) <= 17, [q["sql"][:60] for q in many.captured_queries]


def test_the_header_counts_the_annotations_the_reader_may_see(client, people, article):
    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact="Iran has been his main ally",
        visibility="team",
        team=people["team"],
    )
    make_annotation(author=people["author"], paragraph=paragraph, exact="main ally")
    client.force_login(people["viewer"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<dt>Annotations</dt><dd><a href="#annotations">1</a> · download' in html
