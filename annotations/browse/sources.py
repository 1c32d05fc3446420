"""The source pages: every source the viewer may see that a passage they may see
cites, and a source's passages across articles.

Both rules apply: the source's (``Source.objects.visible_to``: a source first named
in a private annotation is its author's business) and the annotations' (a passage
on another team's article, or someone's private note, neither shows nor counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse

from annotations.browse import (
    PASSAGES_PER_PAGE,
    ArticleCount,
    CardGroup,
    StanceTally,
    add_tallies,
    article_counts,
    counts_of,
    group_cards,
    list_scope,
    most_annotated,
    pages_for,
    reading_order,
    stance_counts,
    tally,
)
from annotations.filters import page_number
from annotations.models import Annotation, Source, SourceKind
from annotations.selectors import TeamMembership, load_cards

SOURCES_PER_PAGE = 100


def source_url(source_id: int) -> str:
    return reverse("annotations:source-detail", args=[source_id])


def _kind_label(kind: str) -> str:
    return SourceKind(kind).label if kind in SourceKind.values else ""


def cited_sources(user) -> QuerySet:
    """The passages the viewer may see that cite a source they may see, grouped by
    source, with the number of passages, of articles, and of each stance."""
    return (
        Annotation.objects.visible_to(user)
        .filter(source_id__in=Source.objects.visible_to(user).values("pk"))
        .order_by()
        .values("source_id", "source__name", "source__kind")
        .annotate(total=Count("id"), articles=Count("article_id", distinct=True), **stance_counts())
    )


# ------------------------------------------------------------------------ the list


@dataclass(frozen=True, slots=True)
class SourceCount:
    id: int
    name: str
    kind_label: str
    url: str
    tally: StanceTally
    articles: int  # how many articles cite it (in passages the viewer may see)


def source_count(row) -> SourceCount:
    return SourceCount(
        id=row["source_id"],
        name=row["source__name"],
        kind_label=_kind_label(row["source__kind"]),
        url=source_url(row["source_id"]),
        tally=tally(counts_of(row), list_scope(source=row["source_id"])),
        articles=row["articles"],
    )


@dataclass(frozen=True, slots=True)
class SourceListPage:
    sources: list[SourceCount]  # this page's, the most cited first
    count: int  # every cited source the viewer may see
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def source_list_page(user, params: QueryDict) -> SourceListPage:
    """Every cited source the viewer may see, the most cited first: one query."""
    sources = [source_count(row) for row in cited_sources(user)]
    sources.sort(key=lambda source: (-source.tally.total, source.name.casefold(), source.id))
    pages = pages_for(len(sources), SOURCES_PER_PAGE)
    page = page_number(params, "page", pages=pages)
    return SourceListPage(
        sources=sources[(page - 1) * SOURCES_PER_PAGE : page * SOURCES_PER_PAGE],
        count=len(sources),
        page=page,
        pages=pages,
    )


# -------------------------------------------------------------------- one source


@dataclass(frozen=True, slots=True)
class SourceDetails:
    id: int
    name: str
    kind_label: str
    url: str  # the source's own address, if it has one
    year: int | None
    aliases: list[str]


def visible_source_or_404(user, pk: int) -> SourceDetails:
    """The access helper: a source the viewer may see, else the same 404 as for a
    missing one (a hidden source leaves no trace)."""
    row = (
        Source.objects.visible_to(user)
        .filter(pk=pk)
        .values("id", "name", "kind", "url", "year", "aliases")
        .first()
    )
    if row is None:
        raise Http404("No such source.")
    aliases = row["aliases"] if isinstance(row["aliases"], list) else []
    return SourceDetails(
        id=row["id"],
        name=row["name"],
        kind_label=_kind_label(row["kind"]),
        # Shown as a link: only a web address (a row written outside a form may hold any).
        url=row["url"] if row["url"].lower().startswith(("http://", "https://")) else "",
        year=row["year"],
        aliases=[str(alias) for alias in aliases],
    )


@dataclass(frozen=True, slots=True)
class SourcePage:
    source: SourceDetails
    tally: StanceTally
    articles: list[ArticleCount]  # that cite it, by title
    groups: list[CardGroup]  # this page of passages, by article in reading order
    page: int
    pages: int

    @property
    def articles_shown(self) -> list[ArticleCount]:
        return most_annotated(self.articles)

    @property
    def articles_not_shown(self) -> int:
        return max(0, len(self.articles) - len(self.articles_shown))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def source_page(
    user, source: SourceDetails, params: QueryDict, memberships: dict[int, TeamMembership]
) -> SourcePage:
    """A source's passages across articles (``source`` from ``visible_source_or_404``):
    the stance breakdown, the articles that cite it, and a page of cards in article
    and reading order. Five queries."""
    pk = source.id
    citing = Annotation.objects.visible_to(user).filter(source_id=pk)
    articles = article_counts(
        citing.order_by("article__title", "article_id")
        .values("article_id", "article__title", "article__slug")
        .annotate(**stance_counts()),
        source=pk,
    )
    source_tally = add_tallies([article.tally for article in articles], list_scope(source=pk))
    pages = pages_for(source_tally.total)
    page = page_number(params, "page", pages=pages)
    offset = (page - 1) * PASSAGES_PER_PAGE
    ids = list(
        citing.order_by(*reading_order()).values_list("id", flat=True)[
            offset : offset + PASSAGES_PER_PAGE
        ]
    )
    return SourcePage(
        source=source,
        tally=source_tally,
        articles=articles,
        groups=group_cards(load_cards(ids, user, memberships), articles, offset),
        page=page,
        pages=pages,
    )
