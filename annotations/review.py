"""The team's review page, read side: what awaits review, the agreement of its members
on stance (``annotations.agreement``), and the passages two or more members read
differently, side by side; and the team's activity (``annotations.history``'s
revisions), newest first. Every annotation shown goes through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.urls import reverse
from reversion.models import Revision, Version

from annotations.agreement import Agreement, Rating, Unit, passage_units, stance_agreement
from annotations.models import (
    NO_STANCE,
    Annotation,
    CrossReference,
    ReviewStatus,
    Visibility,
)
from annotations.selectors import Card, TeamMembership, load_cards
from corpus.models import Team

AWAITING_SHOWN = 100
UNITS_SHOWN = 30
ACTIVITY_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class ReadingSet:
    """A passage two or more members annotated: their cards, side by side."""

    unit: Unit
    cards: list[Card]
    disagrees: bool

    @property
    def adopted(self) -> Card | None:
        """The reading the team adopted: the one approved while the others are rejected."""
        approved = [card for card in self.cards if card.review_status == ReviewStatus.APPROVED]
        rejected = [card for card in self.cards if card.review_status == ReviewStatus.REJECTED]
        if len(approved) == 1 and len(rejected) == len(self.cards) - 1:
            return approved[0]
        return None


@dataclass(frozen=True, slots=True)
class ArticleChoice:
    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class ReviewPage:
    team: Team
    article: ArticleChoice | None  # the scope: one article, or the team's whole corpus
    articles: list[ArticleChoice]  # those with the team's shared annotations
    awaiting: list[Card]
    awaiting_count: int
    agreement: Agreement
    readings: list[ReadingSet]  # disagreements first, then passages read alike


def _team_work(user, team: Team):
    """The team's shared annotations the viewer may see."""
    return (
        Annotation.objects.visible_to(user)
        .filter(team=team)
        .exclude(visibility=Visibility.PRIVATE)
        .filter(paragraph__isnull=False)
    )


def team_review(
    user, team: Team, memberships: dict[int, TeamMembership], *, article_slug: str = ""
) -> ReviewPage:
    work = _team_work(user, team)
    articles = [
        ArticleChoice(slug=row["article__slug"], title=row["article__title"])
        for row in work.order_by("article__title")
        .values("article__slug", "article__title")
        .distinct()
    ]
    article = next((choice for choice in articles if choice.slug == article_slug), None)
    if article is not None:
        work = work.filter(article__slug=article.slug)
    awaiting_ids = list(
        work.filter(review_status=ReviewStatus.SUBMITTED)
        .order_by("article__title", "paragraph__position", "start", "id")
        .values_list("id", flat=True)
    )
    ratings = [
        Rating(
            annotation_id=row["id"],
            paragraph_id=row["paragraph_id"],
            start=row["start"],
            end=row["end"],
            annotator=row["author__username"],
            stance=row["stance"],
            updated=row["updated"],
        )
        for row in work.exclude(stance=NO_STANCE)
        .order_by()
        .values("id", "paragraph_id", "start", "end", "author__username", "stance", "updated")
    ]
    agreement = stance_agreement(ratings)
    units = [unit for unit in passage_units(ratings) if unit.pairable]
    units.sort(key=lambda unit: (not unit.disagrees, unit.paragraph_id, unit.start))
    units = units[:UNITS_SHOWN]
    shown_ids = awaiting_ids[:AWAITING_SHOWN] + [
        pk for unit in units for pk in unit.annotation_ids.values()
    ]
    cards = {card.id: card for card in load_cards(shown_ids, user, memberships)}
    readings = [
        ReadingSet(
            unit=unit,
            cards=[cards[pk] for pk in unit.annotation_ids.values() if pk in cards],
            disagrees=unit.disagrees,
        )
        for unit in units
    ]
    return ReviewPage(
        team=team,
        article=article,
        articles=articles,
        awaiting=[cards[pk] for pk in awaiting_ids[:AWAITING_SHOWN] if pk in cards],
        awaiting_count=len(awaiting_ids),
        agreement=agreement,
        readings=readings,
    )


# ---------------------------------------------------------------------- activity


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    when: object  # datetime
    who: str
    action: str
    url: str  # the annotation it concerns, when the viewer may see it; else ""


def team_activity(user, team: Team, page_number: int):
    """A page of the team's recorded changes, newest first (three queries)."""
    revisions = (
        Revision.objects.filter(team_links__team=team)
        .distinct()
        .select_related("user")
        .order_by("-date_created", "-id")
    )
    page = Paginator(revisions, ACTIVITY_PER_PAGE).get_page(page_number)
    annotation_type = ContentType.objects.get_for_model(Annotation)
    link_type = ContentType.objects.get_for_model(CrossReference)
    concerned: dict[int, int] = {}
    links: dict[int, int] = {}
    for version in Version.objects.filter(
        revision__in=list(page.object_list), content_type__in=[annotation_type, link_type]
    ).order_by("pk"):
        if version.content_type_id == annotation_type.pk:
            concerned.setdefault(version.revision_id, int(version.object_id))
        else:
            links.setdefault(version.revision_id, version.field_dict.get("from_annotation_id"))
    for revision_id, annotation_id in links.items():
        concerned.setdefault(revision_id, annotation_id)
    visible = set(
        Annotation.objects.visible_to(user)
        .filter(pk__in=set(concerned.values()))
        .values_list("pk", flat=True)
    )
    entries = [
        ActivityEntry(
            when=revision.date_created,
            who=revision.user.get_username() if revision.user else "(the system)",
            action=revision.comment,
            url=reverse("annotations:detail", args=[concerned[revision.pk]])
            if concerned.get(revision.pk) in visible
            else "",
        )
        for revision in page.object_list
    ]
    return page, entries
