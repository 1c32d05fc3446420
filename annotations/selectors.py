"""Reads of annotations for pages, each through the visibility rule and in a fixed
number of queries however many annotations there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import BadRequest
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict

from annotations.highlight import Span
from annotations.models import (
    CURATING_ROLES,
    Annotation,
    Membership,
    Stance,
    TaggedAnnotation,
    Visibility,
    visibility_condition,
)

FILTER_KEYS = ("stance", "team", "region", "source", "tag", "author")


@dataclass(slots=True)
class Card:
    """One visible annotation as the side panel and the lists show it."""

    id: int
    article_id: int
    paragraph_id: int
    position: int
    start: int
    end: int
    stance: str
    source_id: int | None
    source_name: str
    author_id: int
    author: str
    team_id: int | None
    team_name: str
    team_slug: str
    visibility: str
    exact: str = ""
    claim: str = ""
    stance_target: str = ""
    created: datetime | None = None
    note_html: str = ""
    version: int = 0
    regions: list[tuple[int, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    editable: bool = False
    article_title: str = ""
    article_slug: str = ""


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class TeamMembership:
    """A team as the signed-in user belongs to it (enough to fill a form's choices)."""

    pk: int
    name: str
    slug: str
    role: str


CARDS_PER_PAGE = 100


@dataclass
class AnnotationPanel:
    cards: list[Card]  # the cards on this page of the panel
    shown: int  # annotations that pass the filters (all highlighted)
    total: int  # annotations the viewer may see on the article
    facets: list[Facet]
    filters: dict[str, str]
    spans: dict[int, list[Span]]  # by paragraph id
    page: int = 1
    pages: int = 1
    order: list[int] = field(default_factory=list)  # ids of the shown annotations, in reading order

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())

    @property
    def first(self) -> int:
        return (self.page - 1) * CARDS_PER_PAGE + 1 if self.cards else 0

    @property
    def last(self) -> int:
        return self.first + len(self.cards) - 1 if self.cards else 0


def user_memberships(user) -> dict[int, TeamMembership]:
    """The signed-in user's teams by id, with their role (one query; none for visitors)."""
    if not user.is_authenticated:
        return {}
    return {
        team_id: TeamMembership(team_id, name, slug, role)
        for team_id, name, slug, role in Membership.objects.filter(user=user)
        .order_by("team__name")
        .values_list("team_id", "team__name", "team__slug", "role")
    }


def parse_filters(params: QueryDict) -> dict[str, str]:
    filters = {key: params.get(key, "").strip() for key in FILTER_KEYS}
    if filters["stance"] and filters["stance"] not in Stance.values:
        raise BadRequest(
            f"Unknown stance {filters['stance']!r}: choose one of {', '.join(Stance.values)}."
        )
    for key in ("region", "source"):
        if filters[key] and not filters[key].isdigit():
            raise BadRequest(f"The {key} filter takes a number, not {filters[key]!r}.")
    return filters


# What highlights, filters and counts need, for every visible annotation...
_LIGHT_FIELDS = (
    "id",
    "article_id",
    "paragraph_id",
    "paragraph__position",
    "start",
    "end",
    "stance",
    "source_id",
    "source__name",
    "author_id",
    "author__username",
    "team_id",
    "team__name",
    "team__slug",
    "visibility",
)
# ...and what a card shows besides, only for the cards on the page.
_DETAIL_FIELDS = ("id", "exact", "claim", "stance_target", "created", "note_html", "version")


def _card(row: tuple, user, curated: set[int], regions: dict, tags: dict) -> Card:
    """A card from a light row (see _LIGHT_FIELDS), with its links and whether the
    user may edit it: editable_by's rule, read off the row."""
    card = Card(*row[:15])
    card.source_name = card.source_name or ""
    card.team_name = card.team_name or ""
    card.team_slug = card.team_slug or ""
    card.regions = regions.get(card.id, [])
    card.tags = tags.get(card.id, [])
    card.editable = user.is_authenticated and (
        card.author_id == user.pk
        or (card.visibility != Visibility.PRIVATE and card.team_id in curated)
    )
    return card


def _curated_teams(memberships: dict[int, TeamMembership]) -> set[int]:
    return {team_id for team_id, team in memberships.items() if team.role in CURATING_ROLES}


def load_cards(
    annotations, user, memberships: dict[int, TeamMembership], *, with_article: bool = False
) -> list[Card]:
    """Cards for a queryset that has already been through ``visible_to``: values only,
    no model instances; four queries (annotations, regions, tags, texts)."""
    fields = _LIGHT_FIELDS + (("article__title", "article__slug") if with_article else ())
    rows = list(annotations.order_by().values_list(*fields))  # the caller sorts
    if not rows:
        return []
    regions, tags = _links(Q(id__in=[row[_ID] for row in rows]))
    curated = _curated_teams(memberships)
    cards = []
    for row in rows:
        card = _card(row, user, curated, regions, tags)
        if with_article:
            card.article_title, card.article_slug = row[15], row[16]
        cards.append(card)
    add_details(cards)
    return cards


def add_details(cards: list[Card]) -> None:
    """The texts of these cards (quote, claim, note...): one query. The cards come from
    ``load_cards``, so they have been through the visibility rule already."""
    if not cards:
        return
    by_id = {card.id: card for card in cards}
    for pk, exact, claim, stance_target, created, note_html, version in Annotation.objects.filter(
        pk__in=list(by_id)
    ).values_list(*_DETAIL_FIELDS):
        card = by_id[pk]
        card.exact, card.claim, card.stance_target = exact, claim, stance_target
        card.created, card.note_html, card.version = created, note_html, version


# Positions in a light row (see _LIGHT_FIELDS).
_ID, _PARAGRAPH, _POSITION, _START, _END, _STANCE = 0, 2, 3, 4, 5, 6
_SOURCE, _SOURCE_NAME, _AUTHOR, _TEAM_NAME, _TEAM_SLUG = 7, 8, 10, 12, 13


def _filter_values(row: tuple, regions: list, tags: list) -> tuple:
    """An annotation's values for each filter, in FILTER_KEYS order."""
    return (
        (row[_STANCE],),
        (row[_TEAM_SLUG],) if row[_TEAM_SLUG] else (),
        [str(region_id) for region_id, _ in regions],
        (str(row[_SOURCE]),) if row[_SOURCE] else (),
        [slug for slug, _ in tags],
        (row[_AUTHOR],),
    )


def _tally(rows: list[tuple], regions: dict, tags: dict, counts: list[dict[str, int]]) -> None:
    stances, teams, region_counts, sources, tag_counts, authors = counts
    for row in rows:
        stances[row[_STANCE]] += 1
        if row[_TEAM_SLUG]:
            teams[row[_TEAM_SLUG]] += 1
        if row[_SOURCE]:
            sources[str(row[_SOURCE])] += 1
        authors[row[_AUTHOR]] += 1
    for pairs in regions.values():
        for region_id, _ in pairs:
            region_counts[str(region_id)] += 1
    for pairs in tags.values():
        for slug, _ in pairs:
            tag_counts[slug] += 1


def _facets(
    rows: list[tuple],
    values: list[tuple] | None,
    regions: dict,
    tags: dict,
    filters: dict[str, str],
) -> list[Facet]:
    """Options of each filter with counts that follow the other filters (so a count
    says how many annotations choosing that option would show)."""
    labels: dict[str, dict[str, str]] = {key: {} for key in FILTER_KEYS}
    for row in rows:
        labels["stance"][row[_STANCE]] = STANCE_LABELS[row[_STANCE]]
        if row[_TEAM_SLUG]:
            labels["team"][row[_TEAM_SLUG]] = row[_TEAM_NAME]
        if row[_SOURCE]:
            labels["source"][str(row[_SOURCE])] = row[_SOURCE_NAME]
        labels["author"][row[_AUTHOR]] = row[_AUTHOR]
    for pairs in regions.values():
        for region_id, name in pairs:
            labels["region"][str(region_id)] = name
    for pairs in tags.values():
        for slug, name in pairs:
            labels["tag"][slug] = name
    active = [(index, value) for index, key in enumerate(FILTER_KEYS) if (value := filters[key])]
    counts: list[dict[str, int]] = [defaultdict(int) for _ in FILTER_KEYS]
    if values is None:  # no filter is active: every annotation counts for every option
        _tally(rows, regions, tags, counts)
        values = ()
    for row_values in values:
        # A row counts toward a filter's options when it passes every *other* active
        # filter: when it fails none, or fails only that one.
        failed = [index for index, value in active if value not in row_values[index]]
        if not failed:
            for index, options in enumerate(row_values):
                for value in options:
                    counts[index][value] += 1
        elif len(failed) == 1:
            for value in row_values[failed[0]]:
                counts[failed[0]][value] += 1
    facets = []
    for index, key in enumerate(FILTER_KEYS):
        options_values = set(labels[key]) | ({filters[key]} if filters[key] else set())
        order = (
            [value for value in Stance.values if value in options_values]
            if key == "stance"
            else sorted(options_values, key=lambda v: labels[key].get(v, v).casefold())
        )
        options = [
            FacetOption(
                value=value,
                label=labels[key].get(value, value),
                count=counts[index].get(value, 0),
                selected=filters[key] == value,
            )
            for value in order
        ]
        facets.append(Facet(key=key, label=FACET_TITLES[key], options=options))
    return facets


STANCE_LABELS = dict(Stance.choices)
FACET_TITLES = {
    "stance": "Stance",
    "team": "Team",
    "region": "Region",
    "source": "Source",
    "tag": "Tag",
    "author": "Author",
}


def _links(condition: Q) -> tuple[dict, dict]:
    """Regions and tags of the annotations that match ``condition`` (a condition on
    annotations, written from the links' side: see ``_through``), sorted by name."""
    regions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for annotation_id, region_id, name in (
        Annotation.regions.through.objects.filter(_through(condition, "annotation__"))
        .values_list("annotation_id", "region_id", "region__name")
        .order_by("region__name")
    ):
        regions[annotation_id].append((region_id, name))
    tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for annotation_id, slug, name in (
        TaggedAnnotation.objects.filter(_through(condition, "content_object__"))
        .values_list("content_object_id", "tag__slug", "tag__name")
        .order_by("tag__name")
    ):
        tags[annotation_id].append((slug, name))
    return regions, tags


def _through(condition: Q, prefix: str) -> Q:
    """A condition on annotations rewritten for a model that points at them."""
    rewritten = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            rewritten.children.append(_through(child, prefix))
        else:
            lookup, value = child
            rewritten.children.append((f"{prefix}{lookup}", value))
    return rewritten


def annotation_panel(
    user, article, params: QueryDict, memberships: dict[int, TeamMembership]
) -> AnnotationPanel:
    """The article page's annotations: what the viewer may see, filtered, in reading
    order. Every one is highlighted and counted; the panel shows their cards a page
    at a time (a thousand cards at once would bury the reader and the page).

    Rows stay plain tuples until they become the cards of the page: on an article
    with a thousand annotations, objects for all of them would double the page's time.
    """
    filters = parse_filters(params)
    condition = visibility_condition(user) & Q(article_id=article.pk)
    rows = list(Annotation.objects.filter(condition).order_by().values_list(*_LIGHT_FIELDS))
    regions, tags = _links(condition) if rows else ({}, {})
    rows.sort(key=lambda row: (row[_POSITION], row[_START], -row[_END], row[_ID]))
    active = [(index, value) for index, key in enumerate(FILTER_KEYS) if (value := filters[key])]
    if active:
        empty: list = []
        values = [
            _filter_values(row, regions.get(row[_ID], empty), tags.get(row[_ID], empty))
            for row in rows
        ]
        shown = [
            row
            for row, row_values in zip(rows, values, strict=True)
            if all(value in row_values[index] for index, value in active)
        ]
    else:  # the usual view: nothing to filter, and counts are plain tallies
        values = None
        shown = rows
    pages = max(1, -(-len(shown) // CARDS_PER_PAGE))
    page_value = params.get("cards", "1")
    if not page_value.isdigit() or not 1 <= int(page_value) <= pages:
        raise BadRequest(f"There is no page {page_value!r} of annotations (there are {pages}).")
    page = int(page_value)
    curated = _curated_teams(memberships)
    cards = [
        _card(row, user, curated, regions, tags)
        for row in shown[(page - 1) * CARDS_PER_PAGE : page * CARDS_PER_PAGE]
    ]
    add_details(cards)
    spans: dict[int, list[Span]] = defaultdict(list)
    for row in shown:
        spans[row[_PARAGRAPH]].append(Span(row[_START], row[_END], row[_ID], row[_STANCE]))
    return AnnotationPanel(
        cards=cards,
        shown=len(shown),
        total=len(rows),
        facets=_facets(rows, values, regions, tags, filters),
        filters=filters,
        spans=spans,
        page=page,
        pages=pages,
        order=[row[_ID] for row in shown],
    )


def visible_annotation_or_404(user, pk: int) -> Annotation:
    """The access helper: an annotation the user may see, else 404 (never 403: a hidden
    annotation leaves no trace)."""
    annotation = (
        Annotation.objects.visible_to(user)
        .select_related("article", "paragraph", "source", "team", "author")
        .filter(pk=pk)
        .first()
    )
    if annotation is None:
        raise Http404("No such annotation.")
    return annotation


def with_visible_annotation_counts(articles, user):
    """Annotate a queryset of articles with how many annotations the user may see."""
    counts = (
        Annotation.objects.visible_to(user)
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return articles.annotate(annotation_count=Coalesce(Subquery(counts), 0))
