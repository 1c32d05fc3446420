"""What the "Link to…" page offers for a passage: the passages in other articles
that read most like it (suggested links), each with the annotations the viewer may
see on it. Reads only; the link itself is written by the cross-reference service."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from annotations.models import Annotation, stance_label
from corpus.models import Article, Paragraph
from corpus.similarity import passage_index

SUGGESTED_LINKS = 8
PASSAGE_PREVIEW = 400


@dataclass(frozen=True, slots=True)
class CandidateAnnotation:
    id: int
    label: str  # its stance, or what it is without one
    claim: str
    exact: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage one may link to: a paragraph, and the annotations on it."""

    paragraph_id: int
    article_title: str
    article_slug: str
    position: int
    text: str
    score: float | None = None
    annotations: list[CandidateAnnotation] = field(default_factory=list)


def _preview(text: str) -> str:
    return text if len(text) <= PASSAGE_PREVIEW else text[: PASSAGE_PREVIEW - 1] + "…"


def similarity_query(annotation: Annotation) -> str:
    """What a passage is about, for comparing it: its quote and claim, weighed twice,
    and the paragraph around it."""
    paragraph_text = annotation.paragraph.text if annotation.paragraph_id else ""
    own = f"{annotation.exact} {annotation.claim}"
    return f"{own} {own} {paragraph_text}"


def suggested_links(
    user, annotation: Annotation, *, limit: int = SUGGESTED_LINKS
) -> list[Candidate]:
    """The passages in other articles the viewer may see that read most like this
    one, best first: five queries (the index's freshness stamp, two, the articles the
    viewer may see, the passages and their annotations) and the index's lookup."""
    visible_articles = list(Article.objects.visible_to(user).values_list("pk", flat=True))
    similar = passage_index().similar(
        similarity_query(annotation),
        exclude_article_id=annotation.article_id,
        article_ids=visible_articles,
        limit=limit,
    )
    scores = {passage.paragraph_id: passage.score for passage in similar}
    return load_candidates(user, list(scores), scores=scores)


def load_candidates(
    user, paragraph_ids: list[int], *, scores: dict[int, float] | None = None
) -> list[Candidate]:
    """These paragraphs as candidates, in the given order, with the annotations the
    viewer may see on them: two queries."""
    if not paragraph_ids:
        return []
    rows = {
        row["id"]: row
        for row in Paragraph.objects.filter(pk__in=paragraph_ids).values(
            "id", "position", "text", "article__title", "article__slug"
        )
    }
    on_paragraph = defaultdict(list)
    for row in (
        Annotation.objects.visible_to(user)
        .filter(paragraph_id__in=paragraph_ids)
        .order_by("paragraph_id", "start", "pk")
        .values("id", "paragraph_id", "stance", "claim", "exact")
    ):
        on_paragraph[row["paragraph_id"]].append(
            CandidateAnnotation(
                id=row["id"],
                label=stance_label(row["stance"], claim=row["claim"]),
                claim=row["claim"],
                exact=_preview(row["exact"]),
            )
        )
    return [
        Candidate(
            paragraph_id=pk,
            article_title=rows[pk]["article__title"],
            article_slug=rows[pk]["article__slug"],
            position=rows[pk]["position"],
            text=_preview(rows[pk]["text"]),
            score=(scores or {}).get(pk),
            annotations=on_paragraph[pk],
        )
        for pk in paragraph_ids
        if pk in rows
    ]
