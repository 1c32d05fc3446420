"""Reads of the corpus that pages need, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from corpus.models import Article, ArticleKind, Paragraph, ParagraphKind


@dataclass
class Block:
    """A run of the article's text as the reader shows it: one paragraph, or a list."""

    kind: str
    paragraphs: list[Paragraph]


@dataclass
class ReadingLayout:
    blocks: list[Block] = field(default_factory=list)
    contents: list[Paragraph] = field(default_factory=list)  # the headings
    boilerplate: list[Paragraph] = field(default_factory=list)
    comments: list[Paragraph] = field(default_factory=list)


_GROUPED = {ParagraphKind.LIST_ITEM: "list", ParagraphKind.REFERENCE: "references"}


def reading_layout(paragraphs: list[Paragraph]) -> ReadingLayout:
    """Group paragraphs for the page: lists together, the outlet's furniture and the
    readers' comments apart, folded under their own headings."""
    layout = ReadingLayout()
    for paragraph in paragraphs:
        if paragraph.kind == ParagraphKind.BOILERPLATE:
            layout.boilerplate.append(paragraph)
            continue
        if paragraph.kind == ParagraphKind.READER_COMMENT:
            layout.comments.append(paragraph)
            continue
        if paragraph.kind == ParagraphKind.HEADING:
            layout.contents.append(paragraph)
        group = _GROUPED.get(paragraph.kind)
        if group and layout.blocks and layout.blocks[-1].kind == group:
            layout.blocks[-1].paragraphs.append(paragraph)
        else:
            layout.blocks.append(Block(kind=group or paragraph.kind, paragraphs=[paragraph]))
    return layout


def article_for_reading(*, slug: str, user) -> tuple[Article, list[Paragraph]]:
    """The article with its keywords, and its paragraphs in order: three queries. An
    article the user may not see is a 404, exactly like one that does not exist."""
    article = get_object_or_404(
        Article.objects.visible_to(user).select_related("team").prefetch_related("keywords"),
        slug=slug,
    )
    paragraphs = list(
        Paragraph.objects.filter(article=article)
        .order_by("position")
        .only("id", "article_id", "position", "kind", "level", "html", "text")
    )
    return article, paragraphs


@dataclass
class ListFacets:
    outlets: list[dict]
    kinds: list[dict]
    tags: list[Tag]


def article_list_facets(user) -> ListFacets:
    """The choices of the article list's filters, with how many articles each has, of
    those the user may see (a hidden article's outlet or keyword is no trace)."""
    visible = Article.objects.visible_to(user)
    outlets = list(
        visible.exclude(outlet="").values("outlet").annotate(count=Count("id")).order_by("outlet")
    )
    kind_counts = dict(visible.values_list("kind").annotate(count=Count("id")).order_by())
    kinds = [
        {"value": value, "label": label, "count": kind_counts[value]}
        for value, label in ArticleKind.choices
        if kind_counts.get(value)
    ]
    tags = list(
        Tag.objects.filter(corpus_taggedarticle_items__content_object__in=visible)
        .annotate(count=Count("corpus_taggedarticle_items", distinct=True))
        .order_by("name")
    )
    return ListFacets(outlets=outlets, kinds=kinds, tags=tags)
