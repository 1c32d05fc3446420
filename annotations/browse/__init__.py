"""Reading the corpus across articles: by tag (``tags``), by region (``regions``), by
source (``sources``) and as a whole (``overview``). What these pages share lives here.

Every number is counted from ``Annotation.objects.visible_to(user)`` (and, for
sources, ``Source.objects.visible_to(user)``), so nobody counts what they may not
see; and every number comes with the address of a page that lists the passages
behind it (``Scope``). Each page takes a fixed number of queries, however large the
corpus: counts are grouped in the database, a stance breakdown is conditional counts
in the same query, and cards are read a page at a time through ``load_cards``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse

from annotations.charts import Part, Strip, strip
from annotations.filters import AnnotationFilters
from annotations.models import NO_STANCE, NO_STANCE_FILTER, Stance
from annotations.selectors import STANCE_LABELS, Card

# The stances as the filters name them, in the order every breakdown shows them.
STANCE_KEYS = (*Stance.values, NO_STANCE_FILTER)


def stance_counts(*, distinct: bool = False, field: str = "id") -> dict[str, Count]:
    """Conditional counts, one per stance, to add to a query's ``annotate`` or
    ``aggregate`` (``distinct`` where a join repeats annotations)."""
    return {
        f"n_{key}": Count(
            field,
            filter=Q(stance=NO_STANCE if key == NO_STANCE_FILTER else key),
            distinct=distinct,
        )
        for key in STANCE_KEYS
    }


def counts_of(row: Mapping) -> dict[str, int]:
    """The stance counts of a row that ``stance_counts`` counted."""
    return {key: row[f"n_{key}"] or 0 for key in STANCE_KEYS}


@dataclass(frozen=True, slots=True)
class Scope:
    """A page that lists passages and takes the stance filter: the annotation list
    (with more filters) or an article page (``fragment`` "annotations")."""

    path: str
    params: tuple[tuple[str, str], ...] = ()
    fragment: str = ""

    def href(self, stance: str = "") -> str:
        params = [*self.params, ("stance", stance)] if stance else list(self.params)
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.path}{query}{'#' + self.fragment if self.fragment else ''}"


def list_scope(**filters) -> Scope:
    """The annotation list with these filters (in the filters' own order)."""
    params = tuple(
        (key, str(filters[key]))
        for key in AnnotationFilters.KEYS
        if filters.get(key) not in (None, "")
    )
    return Scope(path=reverse("annotations:list"), params=params)


def article_scope(slug: str, **filters) -> Scope:
    """An article's page, its panel showing the passages with these filters."""
    params = tuple(
        (key, str(filters[key]))
        for key in AnnotationFilters.KEYS
        if filters.get(key) not in (None, "")
    )
    return Scope(
        path=reverse("corpus:article-detail", args=[slug]), params=params, fragment="annotations"
    )


@dataclass(frozen=True, slots=True)
class StanceCount:
    key: str  # a stance, or "none"
    label: str
    count: int
    href: str


@dataclass(frozen=True, slots=True)
class StanceTally:
    """How many passages (``total``, listed at ``href``) and how many of each stance
    (``parts``: those with at least one, in the fixed order, each with its list)."""

    total: int
    href: str
    parts: tuple[StanceCount, ...]

    @property
    def strip(self) -> Strip:
        """The breakdown as one stacked bar (``_stance_bar.html`` draws it)."""
        return strip(self.chart_parts())

    def chart_parts(self) -> tuple[Part, ...]:
        return tuple(
            Part(key=part.key, label=part.label, value=part.count, href=part.href)
            for part in self.parts
        )


def tally(counts: Mapping[str, int], scope: Scope) -> StanceTally:
    return StanceTally(
        total=sum(counts.values()),
        href=scope.href(),
        parts=tuple(
            StanceCount(key=key, label=STANCE_LABELS[key], count=counts[key], href=scope.href(key))
            for key in STANCE_KEYS
            if counts.get(key)
        ),
    )


@dataclass(frozen=True, slots=True)
class ArticleCount:
    """An article and the passages of it that a page is about."""

    id: int
    title: str
    slug: str
    url: str
    tally: StanceTally
    first: int  # the index of its first passage among the page's, in reading order


def article_counts(rows, **filters) -> list[ArticleCount]:
    """``ArticleCount``s of rows with ``article_id``, ``article__title``,
    ``article__slug`` and the stance counts, in the rows' order."""
    articles = []
    first = 0
    for row in rows:
        scope = article_scope(row["article__slug"], **filters)
        counts = counts_of(row)
        articles.append(
            ArticleCount(
                id=row["article_id"],
                title=row["article__title"],
                slug=row["article__slug"],
                url=reverse("corpus:article-detail", args=[row["article__slug"]]),
                tally=tally(counts, scope),
                first=first,
            )
        )
        first += sum(counts.values())
    return articles


ARTICLES_SHOWN = 30  # on a region's or a source's page: the most annotated first


def most_annotated(articles: list[ArticleCount]) -> list[ArticleCount]:
    """The articles with the most passages, then by title, at most ``ARTICLES_SHOWN``:
    a page's list of articles stays short when a claim spans thousands of articles."""
    return sorted(
        articles, key=lambda article: (-article.tally.total, article.title.casefold(), article.id)
    )[:ARTICLES_SHOWN]


def add_tallies(tallies: list[StanceTally], scope: Scope) -> StanceTally:
    """The tallies of disjoint sets of passages (an article's each), added up."""
    totals = dict.fromkeys(STANCE_KEYS, 0)
    for each in tallies:
        for part in each.parts:
            totals[part.key] += part.count
    return tally(totals, scope)


# ----------------------------------------------------------------------- cards


PASSAGES_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class CardGroup:
    """A page's cards of one article, in reading order; ``continued`` when the
    article's earlier passages are on the page before."""

    article: ArticleCount
    cards: list[Card]
    continued: bool


def group_cards(cards: list[Card], articles: list[ArticleCount], offset: int) -> list[CardGroup]:
    """Cards (in article and reading order, starting at the ``offset``-th passage)
    grouped by article."""
    by_id = {article.id: article for article in articles}
    groups: list[CardGroup] = []
    for index, card in enumerate(cards, start=offset):
        if groups and groups[-1].article.id == card.article_id:
            groups[-1].cards.append(card)
            continue
        article = by_id.get(card.article_id)
        if article is None:  # written between the two queries: shown, not counted
            article = ArticleCount(
                id=card.article_id,
                title=card.article_title,
                slug=card.article_slug,
                url=reverse("corpus:article-detail", args=[card.article_slug]),
                tally=tally({}, Scope(path="")),
                first=index,
            )
        groups.append(CardGroup(article=article, cards=[card], continued=index > article.first))
    return groups


def pages_for(total: int, per_page: int = PASSAGES_PER_PAGE) -> int:
    return max(1, -(-total // per_page))


def reading_order() -> tuple:
    """Passages grouped by article (by title, as the article lists order them), then
    as read (those that could not be placed last)."""
    return (
        "article__title",
        "article_id",
        F("paragraph__position").asc(nulls_last=True),
        "start",
        "end",
        "id",
    )
