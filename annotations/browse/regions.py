"""The region pages: the hierarchy with counts that roll up (a claim about Idlib counts
for Syria and for the Middle East, once), and a region's claims across articles.

The roll-up is one join through ``RegionAncestor`` (the hierarchy, closed): grouping
visible annotations by ``regions__ancestry__ancestor_id`` counts each annotation once
for every region it is about or within, ``distinct`` because an annotation naming
both Idlib and Syria reaches Syria twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
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
from annotations.models import Annotation, Region, RegionAncestor, RegionKind
from annotations.selectors import TeamMembership, load_cards

_ANCESTOR = "regions__ancestry__ancestor"


def region_url(region_id: int) -> str:
    return reverse("annotations:region-detail", args=[region_id])


def annotations_about(region_id: int) -> QuerySet:
    """The ids of the annotations about a region or a place within it, as a subquery
    (``pk__in``: no join that would repeat an annotation naming two such places)."""
    return Annotation.regions.through.objects.filter(
        region_id__in=RegionAncestor.objects.filter(ancestor_id=region_id).values("region_id")
    ).values("annotation_id")


# ------------------------------------------------------------------------ the tree


@dataclass(slots=True)
class RegionNode:
    id: int
    name: str
    kind: str
    url: str
    tally: StanceTally
    children: list[RegionNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RegionTree:
    roots: list[RegionNode]
    count: int  # regions with at least one claim the viewer may see

    def walk(self):
        """Every node, parents before their children."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _by_count(nodes: list[RegionNode]) -> list[RegionNode]:
    return sorted(nodes, key=lambda node: (-node.tally.total, node.name.casefold(), node.id))


def region_tree(user) -> RegionTree:
    """Every region that at least one annotation the viewer may see is about (itself
    or a place within it), nested under its parent, the most discussed first, with
    rolled-up counts and their stance breakdown: one query."""
    rows = (
        Annotation.objects.visible_to(user)
        .filter(**{f"{_ANCESTOR}__isnull": False})
        .order_by()
        .values(
            f"{_ANCESTOR}_id", f"{_ANCESTOR}__name", f"{_ANCESTOR}__kind", f"{_ANCESTOR}__parent_id"
        )
        .annotate(**stance_counts(distinct=True))
    )
    nodes: dict[int, RegionNode] = {}
    parents: dict[int, int | None] = {}
    for row in rows:
        region_id = row[f"{_ANCESTOR}_id"]
        nodes[region_id] = RegionNode(
            id=region_id,
            name=row[f"{_ANCESTOR}__name"],
            kind=row[f"{_ANCESTOR}__kind"],
            url=region_url(region_id),
            tally=tally(counts_of(row), list_scope(region=region_id)),
        )
        parents[region_id] = row[f"{_ANCESTOR}__parent_id"]
    roots = []
    for region_id, node in nodes.items():
        # Every region above one with claims has them too; a parent missing (the
        # closure not yet rebuilt) leaves its child a root rather than lost.
        parent = nodes.get(parents[region_id])
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children = _by_count(node.children)
    return RegionTree(roots=_by_count(roots), count=len(nodes))


# -------------------------------------------------------------------- one region


@dataclass(frozen=True, slots=True)
class RegionCrumb:
    id: int
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """A region directly within the one shown, with its rolled-up claims."""

    id: int
    name: str
    url: str
    tally: StanceTally


@dataclass(frozen=True, slots=True)
class RegionHead:
    id: int
    name: str
    kind: str


def region_or_404(user, pk: int) -> RegionHead:
    """The access helper (every region is everyone's: the gazetteer is public)."""
    row = Region.objects.visible_to(user).filter(pk=pk).values("id", "name", "kind").first()
    if row is None:
        raise Http404("No such region.")
    return RegionHead(id=row["id"], name=row["name"], kind=row["kind"])


@dataclass(frozen=True, slots=True)
class RegionPage:
    id: int
    name: str
    kind: str
    ancestors: list[RegionCrumb]  # the widest first, the region itself left out
    tally: StanceTally  # its claims and those about places within it
    places: list[PlaceCount]  # the regions within it that have claims, most first
    articles: list[ArticleCount]  # with claims about it, by title
    groups: list[CardGroup]  # this page of claims, by article in reading order
    page: int
    pages: int

    @property
    def articles_shown(self) -> list[ArticleCount]:
        return most_annotated(self.articles)

    @property
    def articles_not_shown(self) -> int:
        return max(0, len(self.articles) - len(self.articles_shown))

    @property
    def kind_label(self) -> str:
        return RegionKind(self.kind).label if self.kind in RegionKind.values else ""

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def region_page(
    user, region: RegionHead, params: QueryDict, memberships: dict[int, TeamMembership]
) -> RegionPage:
    """A region's claims across articles (``region`` from ``region_or_404``), those
    about places within it included: the stance breakdown, the places within it, the
    articles, and a page of cards in article and reading order. Six queries, however
    many claims."""
    pk = region.id
    ancestors = [
        RegionCrumb(
            id=row["ancestor_id"], name=row["ancestor__name"], url=region_url(row["ancestor_id"])
        )
        for row in RegionAncestor.objects.filter(region_id=pk, depth__gt=0)
        .order_by("-depth")
        .values("ancestor_id", "ancestor__name")
    ]
    visible = Annotation.objects.visible_to(user)
    about = visible.filter(pk__in=annotations_about(pk))
    articles = article_counts(
        about.order_by("article__title", "article_id")
        .values("article_id", "article__title", "article__slug")
        .annotate(**stance_counts()),
        region=pk,
    )
    scope = list_scope(region=pk)
    region_tally = add_tallies([article.tally for article in articles], scope)
    places = [
        PlaceCount(
            id=row[f"{_ANCESTOR}_id"],
            name=row[f"{_ANCESTOR}__name"],
            url=region_url(row[f"{_ANCESTOR}_id"]),
            tally=tally(counts_of(row), list_scope(region=row[f"{_ANCESTOR}_id"])),
        )
        for row in visible.filter(**{f"{_ANCESTOR}__parent_id": pk})
        .order_by()
        .values(f"{_ANCESTOR}_id", f"{_ANCESTOR}__name")
        .annotate(**stance_counts(distinct=True))
    ]
    places.sort(key=lambda place: (-place.tally.total, place.name.casefold(), place.id))
    pages = pages_for(region_tally.total)
    page = page_number(params, "page", pages=pages)
    offset = (page - 1) * PASSAGES_PER_PAGE
    ids = list(
        about.order_by(*reading_order()).values_list("id", flat=True)[
            offset : offset + PASSAGES_PER_PAGE
        ]
    )
    return RegionPage(
        id=region.id,
        name=region.name,
        kind=region.kind,
        ancestors=ancestors,
        tally=region_tally,
        places=places,
        articles=articles,
        groups=group_cards(load_cards(ids, user, memberships), articles, offset),
        page=page,
        pages=pages,
    )
