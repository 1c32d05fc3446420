"""The tag index and a tag's page: every passage with a tag that the viewer may see,
across articles, grouped by article in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min
from django.http import Http404, QueryDict

from annotations.filters import page_number
from annotations.models import Annotation, AnnotationTag, TaggedAnnotation, annotation_condition
from annotations.selectors import Card, TeamMembership, load_cards

PASSAGES_PER_TAG_PAGE = 100


@dataclass(frozen=True, slots=True)
class TagCount:
    slug: str
    name: str
    count: int  # passages the viewer may see with this tag


def tag_index(user) -> list[TagCount]:
    """Every tag on a passage the viewer may see, with how many such passages carry
    it, by name: one query."""
    rows = (
        TaggedAnnotation.objects.filter(annotation_condition(user, "content_object__"))
        .order_by()
        .values("tag__slug")
        .annotate(name=Min("tag__name"), count=Count("content_object_id", distinct=True))
    )
    tags = [TagCount(slug=row["tag__slug"], name=row["name"], count=row["count"]) for row in rows]
    return sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug))


@dataclass(frozen=True, slots=True)
class ArticleGroup:
    """One article's passages on a tag page, in reading order."""

    article_title: str
    article_slug: str
    cards: list[Card]


@dataclass(frozen=True, slots=True)
class TagPage:
    slug: str
    name: str
    total: int
    groups: list[ArticleGroup]
    page: int
    pages: int
    editable: int  # how many of the passages the viewer may change (rename reaches those)

    @property
    def others(self) -> int:
        """Passages shown that a rename would not reach (others' to change)."""
        return self.total - self.editable

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def tag_page(user, slug: str, params: QueryDict, memberships: dict[int, TeamMembership]) -> TagPage:
    """A tag's passages; 404 when the viewer may see none (a tag only on hidden
    passages is, for them, no tag at all)."""
    tagged = TaggedAnnotation.objects.filter(tag__slug=slug).values("content_object_id")
    visible = Annotation.objects.visible_to(user).filter(pk__in=tagged)
    ids = list(
        visible.order_by(
            "article__title", "article_id", "paragraph__position", "start", "end", "pk"
        ).values_list("pk", flat=True)
    )
    if not ids:
        raise Http404("No such tag.")
    name = (
        AnnotationTag.objects.visible_to(user)
        .filter(slug=slug)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    ) or slug
    pages = max(1, -(-len(ids) // PASSAGES_PER_TAG_PAGE))
    page = page_number(params, "page", pages=pages)
    shown = ids[(page - 1) * PASSAGES_PER_TAG_PAGE : page * PASSAGES_PER_TAG_PAGE]
    groups: list[ArticleGroup] = []
    for card in load_cards(shown, user, memberships):
        if not groups or groups[-1].article_slug != card.article_slug:
            groups.append(
                ArticleGroup(
                    article_title=card.article_title, article_slug=card.article_slug, cards=[]
                )
            )
        groups[-1].cards.append(card)
    editable = (
        Annotation.objects.editable_by(user).filter(pk__in=tagged).count()
        if user.is_authenticated
        else 0
    )
    return TagPage(
        slug=slug,
        name=name,
        total=len(ids),
        groups=groups,
        page=page,
        pages=pages,
        editable=editable,
    )
