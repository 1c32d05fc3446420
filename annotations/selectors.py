"""Reads of annotations for pages, each through the visibility rule and in a fixed
number of queries however many annotations there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import BadRequest
from django.db.models import Count, OuterRef, Subquery
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
    exact: str
    claim: str
    stance: str
    stance_target: str
    source_id: int | None
    source_name: str
    author_id: int
    author: str
    team_id: int | None
    team_name: str
    team_slug: str
    visibility: str
    created: datetime
    note_html: str
    version: int
    regions: list[tuple[int, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    editable: bool = False
    article_title: str = ""
    article_slug: str = ""

    def facet_values(self, key: str) -> list[str]:
        if key == "stance":
            return [self.stance]
        if key == "team":
            return [self.team_slug] if self.team_slug else []
        if key == "region":
            return [str(region_id) for region_id, _ in self.regions]
        if key == "source":
            return [str(self.source_id)] if self.source_id else []
        if key == "tag":
            return [slug for slug, _ in self.tags]
        return [self.author]


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


@dataclass
class AnnotationPanel:
    cards: list[Card]
    total: int
    facets: list[Facet]
    filters: dict[str, str]
    spans: dict[int, list[Span]]  # by paragraph id

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())


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


_CARD_FIELDS = (
    "id",
    "article_id",
    "paragraph_id",
    "paragraph__position",
    "start",
    "end",
    "exact",
    "claim",
    "stance",
    "stance_target",
    "source_id",
    "source__name",
    "author_id",
    "author__username",
    "team_id",
    "team__name",
    "team__slug",
    "visibility",
    "created",
    "note_html",
    "version",
)


def load_cards(
    annotations, user, memberships: dict[int, TeamMembership], *, with_article: bool = False
) -> list[Card]:
    """Cards for a queryset that has already been through ``visible_to``: three
    queries (annotations, their regions, their tags), values only, no model instances."""
    fields = _CARD_FIELDS + (("article__title", "article__slug") if with_article else ())
    rows = list(annotations.values_list(*fields))
    curated = {team_id for team_id, team in memberships.items() if team.role in CURATING_ROLES}
    cards = []
    for row in rows:
        card = _card_from_row(row, with_article)
        card.editable = user.is_authenticated and (
            card.author_id == user.pk
            or (card.visibility != Visibility.PRIVATE and card.team_id in curated)
        )
        cards.append(card)
    if not cards:
        return cards
    by_id = {card.id: card for card in cards}
    ids = annotations.values("id")
    for annotation_id, region_id, region_name in (
        Annotation.regions.through.objects.filter(annotation_id__in=ids)
        .values_list("annotation_id", "region_id", "region__name")
        .order_by("region__name")
    ):
        by_id[annotation_id].regions.append((region_id, region_name))
    for annotation_id, slug, name in (
        TaggedAnnotation.objects.filter(content_object_id__in=ids)
        .values_list("content_object_id", "tag__slug", "tag__name")
        .order_by("tag__name")
    ):
        by_id[annotation_id].tags.append((slug, name))
    return cards


def _card_from_row(row: tuple, with_article: bool) -> Card:
    card = Card(
        id=row[0],
        article_id=row[1],
        paragraph_id=row[2],
        position=row[3],
        start=row[4],
        end=row[5],
        exact=row[6],
        claim=row[7],
        stance=row[8],
        stance_target=row[9],
        source_id=row[10],
        source_name=row[11] or "",
        author_id=row[12],
        author=row[13],
        team_id=row[14],
        team_name=row[15] or "",
        team_slug=row[16] or "",
        visibility=row[17],
        created=row[18],
        note_html=row[19],
        version=row[20],
    )
    if with_article:
        card.article_title, card.article_slug = row[21], row[22]
    return card


def _facets(cards: list[Card], filters: dict[str, str]) -> list[Facet]:
    """Options of each filter with counts that follow the other filters (so a count
    says how many annotations choosing that option would show)."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for card in cards:
        labels["stance"][card.stance] = Stance(card.stance).label
        if card.team_slug:
            labels["team"][card.team_slug] = card.team_name
        for region_id, name in card.regions:
            labels["region"][str(region_id)] = name
        if card.source_id:
            labels["source"][str(card.source_id)] = card.source_name
        for slug, name in card.tags:
            labels["tag"][slug] = name
        labels["author"][card.author] = card.author
    facets = []
    titles = {
        "stance": "Stance",
        "team": "Team",
        "region": "Region",
        "source": "Source",
        "tag": "Tag",
        "author": "Author",
    }
    for key in FILTER_KEYS:
        others = {k: v for k, v in filters.items() if v and k != key}
        counts: dict[str, int] = defaultdict(int)
        for card in cards:
            if all(value in card.facet_values(k) for k, value in others.items()):
                for value in card.facet_values(key):
                    counts[value] += 1
        values = set(labels[key]) | ({filters[key]} if filters[key] else set())
        order = (
            [value for value in Stance.values if value in values]
            if key == "stance"
            else sorted(values, key=lambda v: labels[key].get(v, v).casefold())
        )
        options = [
            FacetOption(
                value=value,
                label=labels[key].get(value, value),
                count=counts.get(value, 0),
                selected=filters[key] == value,
            )
            for value in order
        ]
        facets.append(Facet(key=key, label=titles[key], options=options))
    return facets


def annotation_panel(
    user, article, params: QueryDict, memberships: dict[int, TeamMembership]
) -> AnnotationPanel:
    """The article page's annotations: what the viewer may see, filtered, in reading order."""
    filters = parse_filters(params)
    visible = Annotation.objects.visible_to(user).filter(article=article)
    cards = load_cards(visible, user, memberships)
    cards.sort(key=lambda card: (card.position, card.start, -card.end, card.id))
    shown = [
        card
        for card in cards
        if all(value in card.facet_values(key) for key, value in filters.items() if value)
    ]
    spans: dict[int, list[Span]] = defaultdict(list)
    for card in shown:
        spans[card.paragraph_id].append(Span(card.start, card.end, card.id, card.stance))
    return AnnotationPanel(
        cards=shown, total=len(cards), facets=_facets(cards, filters), filters=filters, spans=spans
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
