"""The one way to read annotations for a page.

Every page starts from ``Annotation.objects.visible_to(user)`` (the visibility rule),
narrows it with ``AnnotationFilters`` (one form parses them for every page), and
reads what it shows through the functions here: ``annotation_facets`` (the counts
of every filter's options, one query), ``load_cards`` (what a card shows, three
queries for any number of cards) and, for the article page, ``article_annotations``.
Each page takes a fixed number of queries however many annotations there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import CharField, Count, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404, QueryDict

from annotations.filters import AnnotationFilters, page_number
from annotations.highlight import Span
from annotations.models import (
    NO_STANCE,
    NO_STANCE_FILTER,
    AnchorStatus,
    Annotation,
    CrossReference,
    Membership,
    ReviewStatus,
    Stance,
    TaggedAnnotation,
    may_edit,
    relation_phrase,
)


@dataclass(frozen=True, slots=True)
class TeamMembership:
    """A team as the signed-in user belongs to it (enough to fill a form's choices)."""

    pk: int
    name: str
    slug: str
    role: str


def user_memberships(user) -> dict[int, TeamMembership]:
    """The signed-in user's teams by id, with their role (one query; none for visitors)."""
    if not user.is_authenticated:
        return {}
    return {
        row["team_id"]: TeamMembership(
            pk=row["team_id"], name=row["team__name"], slug=row["team__slug"], role=row["role"]
        )
        for row in Membership.objects.filter(user=user)
        .order_by("team__name")
        .values("team_id", "team__name", "team__slug", "role")
    }


# ------------------------------------------------------------------------- cards


@dataclass(frozen=True, slots=True)
class CardLink:
    """A cross-reference as one of its ends shows it: the relation read from this
    side ("contradicts", "is contradicted by") and the passage at the other end."""

    id: int
    phrase: str
    other_id: int
    other_article_title: str
    other_article_slug: str
    other_position: int | None
    other_exact: str
    note: str
    editable: bool


@dataclass(slots=True)
class Card:
    """One annotation as the pages show it."""

    id: int
    article_id: int
    article_title: str
    article_slug: str
    paragraph_id: int | None
    position: int | None
    start: int
    end: int
    exact: str
    previous_exact: str
    anchor_status: str
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
    review_status: str
    review_reason: str
    regions: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    links: list[CardLink] = field(default_factory=list)
    editable: bool = False
    linkable: bool = False  # the viewer may link it to another passage

    @property
    def orphaned(self) -> bool:
        return self.anchor_status == AnchorStatus.ORPHANED

    @property
    def review_label(self) -> str:
        return ReviewStatus(self.review_status).label

    @property
    def fuzzy(self) -> bool:
        return self.anchor_status == AnchorStatus.FUZZY


_CARD_FIELDS = {
    "id": "id",
    "article_id": "article_id",
    "article_title": "article__title",
    "article_slug": "article__slug",
    "paragraph_id": "paragraph_id",
    "position": "paragraph__position",
    "start": "start",
    "end": "end",
    "exact": "exact",
    "previous_exact": "previous_exact",
    "anchor_status": "anchor_status",
    "claim": "claim",
    "stance": "stance",
    "stance_target": "stance_target",
    "source_id": "source_id",
    "source_name": "source__name",
    "author_id": "author_id",
    "author": "author__username",
    "team_id": "team_id",
    "team_name": "team__name",
    "team_slug": "team__slug",
    "visibility": "visibility",
    "created": "created",
    "note_html": "note_html",
    "version": "version",
    "review_status": "review_status",
    "review_reason": "review_reason",
}


def load_cards(ids: list[int], user, memberships: dict[int, TeamMembership]) -> list[Card]:
    """The cards of these annotations, in the order of ``ids``: four queries. The ids
    come from a queryset that went through ``visible_to``."""
    if not ids:
        return []
    rows = Annotation.objects.filter(pk__in=ids).values(*_CARD_FIELDS.values())
    roles = {team_id: team.role for team_id, team in memberships.items()}
    cards = {}
    for row in rows:
        card = Card(**{name: row[path] for name, path in _CARD_FIELDS.items()})
        card.source_name = card.source_name or ""
        card.team_name = card.team_name or ""
        card.team_slug = card.team_slug or ""
        card.editable = may_edit(
            user,
            author_id=card.author_id,
            team_id=card.team_id,
            visibility=card.visibility,
            roles=roles,
        )
        cards[card.id] = card
    for annotation_id, region_id, name in (
        Annotation.regions.through.objects.filter(annotation_id__in=ids)
        .order_by("region__name")
        .values_list("annotation_id", "region_id", "region__name")
    ):
        cards[annotation_id].regions.append((region_id, name))
    seen_tags = defaultdict(set)
    for annotation_id, slug, name in (
        TaggedAnnotation.objects.filter(content_object_id__in=ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__slug", "tag__name")
    ):
        if slug not in seen_tags[annotation_id]:
            seen_tags[annotation_id].add(slug)
            cards[annotation_id].tags.append((slug, name))
    for card_id, link in card_links(user, list(cards), roles):
        cards[card_id].links.append(link)
    if user.is_authenticated:
        for card in cards.values():
            card.linkable = True
    return [cards[pk] for pk in ids if pk in cards]


_LINK_END_FIELDS = ("id", "article__title", "article__slug", "paragraph__position", "exact")


def card_links(user, ids: list[int], roles: dict[int, str]) -> list[tuple[int, CardLink]]:
    """The cross-references the viewer may see at either end of these annotations, as
    (annotation id, link read from its side): one query."""
    if not ids:
        return []
    ends = ("from_annotation", "to_annotation")
    rows = (
        CrossReference.objects.visible_to(user)
        .filter(Q(from_annotation_id__in=ids) | Q(to_annotation_id__in=ids))
        .order_by("created", "id")
        .values(
            "id",
            "relation",
            "note",
            "author_id",
            "team_id",
            "visibility",
            *(f"{end}__{name}" for end in ends for name in _LINK_END_FIELDS),
        )
    )
    wanted = set(ids)
    found = []
    for row in rows:
        editable = may_edit(
            user,
            author_id=row["author_id"],
            team_id=row["team_id"],
            visibility=row["visibility"],
            roles=roles,
        )
        for here, there, outgoing in (
            ("from_annotation", "to_annotation", True),
            ("to_annotation", "from_annotation", False),
        ):
            if row[f"{here}__id"] not in wanted:
                continue
            found.append(
                (
                    row[f"{here}__id"],
                    CardLink(
                        id=row["id"],
                        phrase=relation_phrase(row["relation"], outgoing=outgoing),
                        other_id=row[f"{there}__id"],
                        other_article_title=row[f"{there}__article__title"],
                        other_article_slug=row[f"{there}__article__slug"],
                        other_position=row[f"{there}__paragraph__position"],
                        other_exact=row[f"{there}__exact"],
                        note=row["note"],
                        editable=editable,
                    ),
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class RelationCount:
    phrase: str
    count: int


@dataclass(frozen=True, slots=True)
class LinkedArticle:
    """Another article this one is linked to, with its links counted by relation (as
    read from this article's side)."""

    title: str
    slug: str
    total: int
    relations: list[RelationCount]


def linked_articles(user, article_id: int) -> list[LinkedArticle]:
    """The articles linked to this one by cross-references the viewer may see: one
    query. Links within the article are left out."""
    rows = (
        CrossReference.objects.visible_to(user)
        .filter(Q(from_annotation__article_id=article_id) | Q(to_annotation__article_id=article_id))
        .order_by()
        .values(
            "relation",
            "from_annotation__article_id",
            "from_annotation__article__title",
            "from_annotation__article__slug",
            "to_annotation__article_id",
            "to_annotation__article__title",
            "to_annotation__article__slug",
        )
        .annotate(count=Count("id"))
    )
    by_article: dict[str, dict] = {}
    for row in rows:
        outgoing = row["from_annotation__article_id"] == article_id
        other = "to_annotation" if outgoing else "from_annotation"
        if row[f"{other}__article_id"] == article_id:
            continue
        entry = by_article.setdefault(
            row[f"{other}__article__slug"],
            {"title": row[f"{other}__article__title"], "relations": defaultdict(int)},
        )
        entry["relations"][relation_phrase(row["relation"], outgoing=outgoing)] += row["count"]
    linked = [
        LinkedArticle(
            title=entry["title"],
            slug=slug,
            total=sum(entry["relations"].values()),
            relations=[
                RelationCount(phrase=phrase, count=count)
                for phrase, count in sorted(entry["relations"].items(), key=lambda x: (-x[1], x[0]))
            ],
        )
        for slug, entry in by_article.items()
    ]
    return sorted(linked, key=lambda article: (-article.total, article.title.casefold()))


# ------------------------------------------------------------------------ facets


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class Facet:
    key: str
    label: str
    options: list[FacetOption]


# Each filter: the value it takes, and the label shown for it.
_FACET_PATHS = {
    "stance": ("stance", "stance"),
    "team": ("team__slug", "team__name"),
    # Counts roll up: an annotation about Idlib counts for Syria and the Middle East.
    "region": ("regions__ancestry__ancestor_id", "regions__ancestry__ancestor__name"),
    "source": ("source_id", "source__name"),
    "tag": ("tags__slug", "tags__name"),
    "author": ("author__username", "author__username"),
}
FACET_TITLES = {
    "stance": "Stance",
    "team": "Team",
    "region": "Region",
    "source": "Source",
    "tag": "Tag",
    "author": "Author",
}
STANCE_LABELS = {**dict(Stance.choices), NO_STANCE_FILTER: "No stance"}


@dataclass(frozen=True, slots=True)
class Counts:
    """How many annotations the viewer may see here (``total``), how many pass the
    filters (``shown``), and the options of every filter with their counts."""

    total: int
    shown: int
    facets: list[Facet]


NO_COUNTS = Counts(
    total=0,
    shown=0,
    facets=[Facet(key=key, label=FACET_TITLES[key], options=[]) for key in FACET_TITLES],
)


def annotation_facets(
    visible: QuerySet, filters: AnnotationFilters, *, shown: int | None = None
) -> Counts:
    """Counts of every filter's options, each following the *other* filters (so a
    count says how many annotations choosing that option would show), and the
    totals: one query (a UNION ALL of GROUP BYs). ``shown``, when the caller has
    counted what passes the filters already, is not counted again (nor, without
    filters, the total, which is then the same)."""
    parts = []
    if shown is None or filters:
        parts.append(_count_part(visible, "total", "stance", "stance", grouped=False))
    if shown is None:
        parts.append(
            _count_part(filters.apply(visible), "shown", "stance", "stance", grouped=False)
        )
    distinct = bool(filters.region is not None or filters.tag)  # joins that repeat rows
    for key, (value_path, label_path) in _FACET_PATHS.items():
        parts.append(
            _count_part(
                filters.without(key).apply(visible),
                key,
                value_path,
                label_path,
                distinct=distinct or key == "tag",  # two names may share a slug
            )
        )
    rows = list(parts[0].union(*parts[1:], all=True))
    found: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    totals = {"total": shown or 0, "shown": shown or 0}
    for row in rows:
        if row["facet"] in totals:
            totals[row["facet"]] = row["count"]
        else:
            value = str(row["value"])
            if row["facet"] == "stance" and value == NO_STANCE:
                value = NO_STANCE_FILTER
            found[row["facet"]][value] = (row["label"], row["count"])
    selected = filters.active
    facets = []
    for key in _FACET_PATHS:
        options = found[key]
        chosen = selected.get(key, "")
        if chosen and chosen not in options:
            options[chosen] = (chosen, 0)  # asked for, none visible: no label to give away
        if key == "stance":
            order = [value for value in (*Stance.values, NO_STANCE_FILTER) if value in options]
        else:
            order = sorted(options, key=lambda value: str(options[value][0]).casefold())
        facets.append(
            Facet(
                key=key,
                label=FACET_TITLES[key],
                options=[
                    FacetOption(
                        value=value,
                        label=STANCE_LABELS.get(value, value)
                        if key == "stance"
                        else str(options[value][0]),
                        count=options[value][1],
                        selected=chosen == value,
                    )
                    for value in order
                ],
            )
        )
    return Counts(total=totals["total"], shown=totals["shown"], facets=facets)


def _count_part(
    annotations: QuerySet,
    facet: str,
    value_path: str,
    label_path: str,
    *,
    grouped: bool = True,
    distinct: bool = True,
) -> QuerySet:
    annotations = annotations.order_by()
    if grouped:
        annotations = annotations.exclude(**{f"{value_path}__isnull": True})
        value = Cast(value_path, CharField())
    else:
        value = Value("", output_field=CharField())
    return (
        annotations.annotate(facet=Value(facet, output_field=CharField()), value=value)
        .values("facet", "value")
        .annotate(label=Min(label_path), count=Count("id", distinct=distinct))
        .values("facet", "value", "label", "count")
    )


# ------------------------------------------------------------------ article page

CARDS_PER_PAGE = 100


@dataclass
class ArticleAnnotations:
    """The article page's annotations: every visible one that passes the filters is
    highlighted (``spans``); the panel shows their cards a page at a time, in
    reading order; those that could not be placed are listed apart (``orphans``)."""

    cards: list[Card]
    orphans: list[Card]
    counts: Counts
    filters: AnnotationFilters
    spans: dict[int, list[Span]]  # by paragraph id
    order: list[int]  # ids of the highlighted annotations, in reading order
    page: int = 1
    pages: int = 1

    @property
    def first(self) -> int:
        return (self.page - 1) * CARDS_PER_PAGE + 1 if self.cards else 0

    @property
    def last(self) -> int:
        return self.first + len(self.cards) - 1 if self.cards else 0


def article_annotations(
    user,
    article,
    paragraph_positions: dict[int, int],
    params: QueryDict,
    memberships: dict[int, TeamMembership],
) -> ArticleAnnotations:
    """What the article page shows of its annotations. ``paragraph_positions`` maps
    the article's paragraph ids to their positions (the page has them already)."""
    filters = AnnotationFilters.from_query(params)
    visible = Annotation.objects.visible_to(user).filter(article_id=article.pk)
    rows = list(
        filters.apply(visible)
        .order_by()
        .values("id", "paragraph_id", "start", "end", "stance", "anchor_status")
    )
    orphan_ids = sorted(row["id"] for row in rows if row["anchor_status"] == AnchorStatus.ORPHANED)
    rows = [row for row in rows if row["anchor_status"] != AnchorStatus.ORPHANED]
    rows.sort(
        key=lambda row: (
            paragraph_positions.get(row["paragraph_id"], 0),
            row["start"],
            -row["end"],
            row["id"],
        )
    )
    spans: dict[int, list[Span]] = defaultdict(list)
    for row in rows:
        spans[row["paragraph_id"]].append(
            Span(start=row["start"], end=row["end"], annotation_id=row["id"], stance=row["stance"])
        )
    order = [row["id"] for row in rows]
    pages = max(1, -(-len(order) // CARDS_PER_PAGE))
    page = page_number(params, "cards", pages=pages)
    page_ids = order[(page - 1) * CARDS_PER_PAGE : page * CARDS_PER_PAGE]
    cards = load_cards(page_ids + orphan_ids, user, memberships)
    if not filters and not order and not orphan_ids:
        counts = NO_COUNTS  # nothing the viewer may see here: no filter has options
    else:
        counts = annotation_facets(visible, filters, shown=len(order) + len(orphan_ids))
    return ArticleAnnotations(
        cards=cards[: len(page_ids)],
        orphans=cards[len(page_ids) :],
        counts=counts,
        filters=filters,
        spans=spans,
        order=order,
        page=page,
        pages=pages,
    )


# ------------------------------------------------------------------- the list

CARDS_PER_LIST_PAGE = 50


@dataclass
class AnnotationListPage:
    cards: list[Card]
    counts: Counts
    filters: AnnotationFilters
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def annotation_list_page(
    user, params: QueryDict, memberships: dict[int, TeamMembership]
) -> AnnotationListPage:
    """Every annotation the viewer may see across the corpus, newest first, filtered."""
    filters = AnnotationFilters.from_query(params)
    visible = Annotation.objects.visible_to(user)
    counts = annotation_facets(visible, filters)
    pages = max(1, -(-counts.shown // CARDS_PER_LIST_PAGE))
    page = page_number(params, "page", pages=pages)
    ids = list(
        filters.apply(visible)
        .order_by("-created", "-id")
        .values_list("id", flat=True)[(page - 1) * CARDS_PER_LIST_PAGE : page * CARDS_PER_LIST_PAGE]
    )
    return AnnotationListPage(
        cards=load_cards(ids, user, memberships),
        counts=counts,
        filters=filters,
        page=page,
        pages=pages,
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


def annotation_in_bin_or_404(user, pk: int) -> Annotation:
    annotation = Annotation.objects.in_bin_of(user).select_related("article").filter(pk=pk).first()
    if annotation is None:
        raise Http404("No such annotation in your bin.")
    return annotation


def bin_cards(user, memberships: dict[int, TeamMembership]) -> list[Card]:
    """What the user may restore, most recently deleted first (at most 200)."""
    ids = list(
        Annotation.objects.in_bin_of(user)
        .order_by("-deleted_at", "-id")
        .values_list("id", flat=True)[:200]
    )
    return load_cards(ids, user, memberships)


def with_visible_annotation_counts(articles: QuerySet, user) -> QuerySet:
    """Annotate a queryset of articles with how many annotations the user may see."""
    counts = (
        Annotation.objects.visible_to(user)
        .filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return articles.annotate(annotation_count=Coalesce(Subquery(counts), 0))
