"""The numbers behind the overview's pictures: stance by country, annotations per
article, the most cited sources, and the cross-references between articles.

Each is one grouped query over what the viewer may see, and each number carries the
address of the passages behind it (the annotation list, filtered, or an article's
page), so that the pictures drawn from them (``annotations.charts``) are links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import Count, Q, Window
from django.http import QueryDict
from django.urls import reverse

from annotations.browse import (
    StanceTally,
    article_scope,
    counts_of,
    list_scope,
    stance_counts,
    tally,
)
from annotations.browse.regions import region_url
from annotations.browse.sources import cited_sources, source_url
from annotations.charts import Bar, GraphEdge, GraphNode, Part
from annotations.models import Annotation, CrossReference, RegionKind, Source, relation_phrase

TOP_COUNTRIES = 10
TOP_ARTICLES = 12
TOP_SOURCES = 10
GRAPH_ARTICLES = 12  # more would not read on a phone
PAIRS_LISTED = 40
PAIR_LINKS_SHOWN = 100


@dataclass(frozen=True, slots=True)
class Totals:
    tally: StanceTally  # every annotation the viewer may see, by stance
    articles: int  # articles with at least one
    sources: int  # sources they cite


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: int
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticlePair:
    """Two articles and the cross-references the viewer may see between them."""

    first: ArticleRef
    second: ArticleRef
    count: int
    href: str  # this page, listing the links between the two


@dataclass(frozen=True, slots=True)
class CrossReferenceGraph:
    nodes: list[GraphNode]  # the most linked articles
    edges: list[GraphEdge]  # between those
    pairs: list[ArticlePair]  # every linked pair, the most linked first (at most PAIRS_LISTED)
    links: int  # cross-references between two articles
    within: int  # cross-references between two passages of one article
    articles: int  # articles with at least one link to another
    pair_count: int

    @property
    def omitted(self) -> int:
        return self.articles - len(self.nodes)


@dataclass(frozen=True, slots=True)
class PassageRef:
    id: int
    quote: str
    url: str
    article_title: str
    position: int | None


@dataclass(frozen=True, slots=True)
class LinkRow:
    origin: PassageRef
    phrase: str  # "contradicts", "elaborates on"...
    target: PassageRef


@dataclass(frozen=True, slots=True)
class PairLinks:
    """The cross-references between two articles that the viewer may see."""

    key: str  # as asked: "12-34"
    links: list[LinkRow]  # the first PAIR_LINKS_SHOWN
    total: int

    @property
    def titles(self) -> tuple[str, str]:
        """The two articles' titles (known only from a link the viewer may see)."""
        if not self.links:
            return ("", "")
        return (self.links[0].origin.article_title, self.links[0].target.article_title)


@dataclass(frozen=True, slots=True)
class Overview:
    totals: Totals
    by_country: list[Bar]
    by_article: list[Bar]
    by_source: list[Bar]
    graph: CrossReferenceGraph
    pair: PairLinks | None


def _parts(counts: dict[str, int], scope) -> tuple[Part, ...]:
    return tuple(
        Part(key=part.key, label=part.label, value=part.count, href=part.href)
        for part in tally(counts, scope).parts
    )


def corpus_totals(user) -> Totals:
    """How many annotations the viewer may see, by stance, in how many articles,
    citing how many sources: one query."""
    visible_sources = Source.objects.visible_to(user).values("pk")
    row = (
        Annotation.objects.visible_to(user)
        .order_by()
        .aggregate(
            articles=Count("article_id", distinct=True),
            sources=Count("source_id", distinct=True, filter=Q(source_id__in=visible_sources)),
            **stance_counts(),
        )
    )
    return Totals(
        tally=tally(counts_of(row), list_scope()),
        articles=row["articles"] or 0,
        sources=row["sources"] or 0,
    )


def stance_by_country(user, limit: int = TOP_COUNTRIES) -> list[Bar]:
    """The countries most annotations are about (a claim about Idlib counts for
    Syria), with their stance breakdown: one query."""
    country = "regions__ancestry__ancestor"
    rows = (
        Annotation.objects.visible_to(user)
        .filter(**{f"{country}__kind": RegionKind.COUNTRY})
        .order_by()
        .values(f"{country}_id", f"{country}__name")
        .annotate(total=Count("id", distinct=True), **stance_counts(distinct=True))
        .order_by("-total", f"{country}__name", f"{country}_id")[:limit]
    )
    return [
        Bar(
            label=row[f"{country}__name"],
            href=region_url(row[f"{country}_id"]),
            total_href=list_scope(region=row[f"{country}_id"]).href(),
            parts=_parts(counts_of(row), list_scope(region=row[f"{country}_id"])),
        )
        for row in rows
    ]


def annotations_per_article(user, limit: int = TOP_ARTICLES) -> list[Bar]:
    """The most annotated articles, with their stance breakdown: one query. Each
    number leads to the article's page, its panel filtered to those passages."""
    rows = (
        Annotation.objects.visible_to(user)
        .order_by()
        .values("article_id", "article__title", "article__slug")
        .annotate(total=Count("id"), **stance_counts())
        .order_by("-total", "article__title", "article_id")[:limit]
    )
    return [
        Bar(
            label=row["article__title"],
            href=reverse("corpus:article-detail", args=[row["article__slug"]]),
            total_href=article_scope(row["article__slug"]).href(),
            parts=_parts(counts_of(row), article_scope(row["article__slug"])),
        )
        for row in rows
    ]


def most_cited_sources(user, limit: int = TOP_SOURCES) -> list[Bar]:
    """The sources most passages cite, with their stance breakdown: one query."""
    rows = cited_sources(user).order_by("-total", "source__name", "source_id")[:limit]
    return [
        Bar(
            label=row["source__name"],
            href=source_url(row["source_id"]),
            total_href=list_scope(source=row["source_id"]).href(),
            parts=_parts(counts_of(row), list_scope(source=row["source_id"])),
        )
        for row in rows
    ]


def _pair_href(first: int, second: int) -> str:
    return f"{reverse('annotations:overview')}?pair={first}-{second}#pair"


def crossreference_graph(user, limit: int = GRAPH_ARTICLES) -> CrossReferenceGraph:
    """The articles as nodes and, between two, the number of cross-references the
    viewer may see joining passages of one to passages of the other: one query."""
    ends = ("from_annotation__article", "to_annotation__article")
    rows = (
        CrossReference.objects.visible_to(user)
        .order_by()
        .values(*(f"{end}{part}" for end in ends for part in ("_id", "__title", "__slug")))
        .annotate(count=Count("id"))
    )
    articles: dict[int, ArticleRef] = {}
    pairs: dict[tuple[int, int], int] = {}
    within = 0
    for row in rows:
        ids = []
        for end in ends:
            article_id = row[f"{end}_id"]
            ids.append(article_id)
            articles.setdefault(
                article_id,
                ArticleRef(
                    id=article_id,
                    title=row[f"{end}__title"],
                    url=reverse("corpus:article-detail", args=[row[f"{end}__slug"]]),
                ),
            )
        if ids[0] == ids[1]:
            within += row["count"]
            continue
        pair = (min(ids), max(ids))
        pairs[pair] = pairs.get(pair, 0) + row["count"]
    degree: dict[int, int] = {}
    for (first, second), count in pairs.items():
        degree[first] = degree.get(first, 0) + count
        degree[second] = degree.get(second, 0) + count
    ranked = sorted(degree, key=lambda pk: (-degree[pk], articles[pk].title.casefold(), pk))
    shown = ranked[:limit]
    kept = set(shown)
    ordered_pairs = sorted(
        pairs.items(), key=lambda item: (-item[1], articles[item[0][0]].title.casefold(), item[0])
    )
    return CrossReferenceGraph(
        nodes=[
            GraphNode(key=str(pk), label=articles[pk].title, href=articles[pk].url) for pk in shown
        ],
        edges=[
            GraphEdge(
                source=str(first), target=str(second), weight=count, href=_pair_href(first, second)
            )
            for (first, second), count in ordered_pairs
            if first in kept and second in kept
        ],
        pairs=[
            ArticlePair(
                first=articles[first],
                second=articles[second],
                count=count,
                href=_pair_href(first, second),
            )
            for (first, second), count in ordered_pairs[:PAIRS_LISTED]
        ],
        links=sum(pairs.values()),
        within=within,
        articles=len(degree),
        pair_count=len(pairs),
    )


_PAIR = re.compile(r"([0-9]{1,18})-([0-9]{1,18})")


def parse_pair(params: QueryDict) -> tuple[int, int] | None:
    """The two articles of ``?pair=12-34``, or BadRequest saying what is wrong."""
    value = params.get("pair", "")
    if value == "":
        return None
    match = _PAIR.fullmatch(value) if value.isascii() else None
    if match is None or match[1] == match[2]:
        raise BadRequest("The pair takes the numbers of two different articles, as in 12-34.")
    first, second = sorted((int(match[1]), int(match[2])))
    return first, second


def _passage(row, end: str) -> PassageRef:
    slug = row[f"{end}__article__slug"]
    return PassageRef(
        id=row[f"{end}_id"],
        quote=row[f"{end}__exact"],
        url=f"{reverse('corpus:article-detail', args=[slug])}#hl-{row[f'{end}_id']}",
        article_title=row[f"{end}__article__title"],
        position=row[f"{end}__paragraph__position"],
    )


def pair_links(user, first: int, second: int) -> PairLinks:
    """The cross-references the viewer may see between passages of two articles,
    either way, oldest first, with how many there are in all: one query."""
    links = CrossReference.objects.visible_to(user).filter(
        Q(from_annotation__article_id=first, to_annotation__article_id=second)
        | Q(from_annotation__article_id=second, to_annotation__article_id=first)
    )
    fields = [
        f"{end}{part}"
        for end in ("from_annotation", "to_annotation")
        for part in (
            "_id",
            "__exact",
            "__article__title",
            "__article__slug",
            "__paragraph__position",
        )
    ]
    rows = list(
        links.annotate(total=Window(Count("id")))
        .order_by("created", "id")
        .values("relation", "total", *fields)[:PAIR_LINKS_SHOWN]
    )
    return PairLinks(
        key=f"{first}-{second}",
        links=[
            LinkRow(
                origin=_passage(row, "from_annotation"),
                phrase=relation_phrase(row["relation"], outgoing=True),
                target=_passage(row, "to_annotation"),
            )
            for row in rows
        ],
        total=rows[0]["total"] if rows else 0,
    )


def corpus_overview(user, params: QueryDict) -> Overview:
    """Everything the overview shows: five queries (six with a pair of articles),
    however large the corpus."""
    pair = parse_pair(params)
    return Overview(
        totals=corpus_totals(user),
        by_country=stance_by_country(user),
        by_article=annotations_per_article(user),
        by_source=most_cited_sources(user),
        graph=crossreference_graph(user),
        pair=pair_links(user, *pair) if pair else None,
    )
