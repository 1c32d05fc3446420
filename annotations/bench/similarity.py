"""Suggested links by each method of the similarity index: TF-IDF (the default) and
the sentence model (``CROSSREAD_SIMILARITY = "semantic"``, when its extra is
installed). On the seeds, for every topic of the hand-judged gold set
(``annotations.bench.link_gold``), a whole paragraph is annotated and the first
``SUGGESTED_LINKS`` suggestions (as many as a card shows) are compared with the passages a reader judged to be on the same
subject: how many of those are found (recall), how many suggestions are right
(precision), and how high the first right one comes (mean reciprocal rank).
Then what each method costs: building the index and answering a query."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from annotations.bench.link_gold import GOLD_TOPICS, GoldTopic, PassageRef
from annotations.linking import SUGGESTED_LINKS, similarity_query
from annotations.models import Annotation
from corpus import embeddings
from corpus.models import Paragraph
from corpus.services import article_import_file
from corpus.similarity import SEMANTIC, TFIDF, PassageIndex, corpus_stamp


@dataclass(frozen=True, slots=True)
class TopicScore:
    name: str
    found: int  # relevant passages among the first SUGGESTED_LINKS suggestions
    relevant: int
    first_right: int | None  # the rank of the first relevant suggestion (1-based)


@dataclass(frozen=True, slots=True)
class MethodScore:
    method: str
    topics: list[TopicScore]
    build_seconds: float
    query_ms: float

    @property
    def recall(self) -> float:
        return _mean(t.found / min(t.relevant, SUGGESTED_LINKS) for t in self.topics)

    @property
    def precision(self) -> float:
        return _mean(t.found / SUGGESTED_LINKS for t in self.topics)

    @property
    def reciprocal_rank(self) -> float:
        return _mean(1 / t.first_right if t.first_right else 0.0 for t in self.topics)

    @property
    def first_right(self) -> int:
        return sum(1 for t in self.topics if t.first_right == 1)


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _import_seeds() -> dict[PassageRef, Paragraph]:
    """The seeds' paragraphs by the gold set's article names and positions. The seeds
    are imported from their files (or found, and restored if an earlier section edited
    them); an earlier section may have taken a seed's name for another copy of it (a
    PDF of it, say), so a seed is known by its name's stem, not by its exact name."""
    seeds = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
    articles = [article_import_file(path=seed, force=True).article for seed in seeds]
    names = {ref.article for topic in GOLD_TOPICS for ref in (topic.query, *topic.relevant)}
    by_name = {}
    for article in articles:
        name = next(
            (name for name in names if article.slug == name or article.slug.startswith(name + "-")),
            None,
        )
        if name is not None:
            by_name[article.pk] = name
    return {
        PassageRef(article=by_name[paragraph.article_id], position=paragraph.position): paragraph
        for paragraph in Paragraph.objects.filter(article_id__in=list(by_name))
    }


def _query_text(paragraph: Paragraph) -> str:
    """What suggested links compare for a passage annotated whole, without a claim."""
    return similarity_query(Annotation(paragraph=paragraph, exact=paragraph.text, claim=""))


def _score(
    index: PassageIndex, topic: GoldTopic, paragraphs: dict, article_ids: list[int]
) -> TopicScore:
    query = paragraphs[topic.query]
    suggested = index.similar(
        _query_text(query),
        exclude_article_id=query.article_id,
        article_ids=article_ids,
        limit=SUGGESTED_LINKS,
    )
    relevant = {paragraphs[ref].pk for ref in topic.relevant}
    ranks = [rank for rank, s in enumerate(suggested, start=1) if s.paragraph_id in relevant]
    return TopicScore(
        name=topic.name,
        found=len(ranks),
        relevant=len(relevant),
        first_right=ranks[0] if ranks else None,
    )


def _measure(method: str, paragraphs: dict, article_ids: list[int]) -> MethodScore:
    started = time.perf_counter()
    index = PassageIndex(corpus_stamp(), method)
    build_seconds = time.perf_counter() - started
    # Each topic's query is text the index has not seen (the sentence model encodes it).
    started = time.perf_counter()
    topics = [_score(index, topic, paragraphs, article_ids) for topic in GOLD_TOPICS]
    query_ms = (time.perf_counter() - started) / len(GOLD_TOPICS) * 1000
    return MethodScore(method, topics, build_seconds, query_ms)


def run(bench) -> None:
    paragraphs = _import_seeds()
    # The seeds alone are searched: other sections' articles are made from the seeds.
    article_ids = sorted({paragraph.article_id for paragraph in paragraphs.values()})
    relevant = sum(len(topic.relevant) for topic in GOLD_TOPICS)
    bench.heading(
        f"Suggested links on the seeds: {len(GOLD_TOPICS)} hand-judged topics, "
        f"{relevant} relevant passages, the first {SUGGESTED_LINKS} suggestions"
    )
    methods = [TFIDF]
    if embeddings.available():
        methods.append(SEMANTIC)
    else:
        bench.report("semantic", "not installed (pip install -e '.[semantic]')")
    scores = [_measure(method, paragraphs, article_ids) for method in methods]
    for score in scores:
        bench.report(
            f"{score.method}: recall@{SUGGESTED_LINKS}, precision@{SUGGESTED_LINKS}, MRR, first right",
            f"{score.recall:.2f}, {score.precision:.2f}, {score.reciprocal_rank:.2f}, "
            f"{score.first_right} of {len(score.topics)}",
        )
        bench.report(
            f"{score.method}: index built in; a query",
            f"{score.build_seconds * 1000:,.0f} ms (model load included); {score.query_ms:,.1f} ms",
        )
    bench.heading(
        f"By topic: relevant passages in the first {SUGGESTED_LINKS} (rank of the first right one)"
    )
    for position, topic in enumerate(GOLD_TOPICS):
        cells = []
        for score in scores:
            each = score.topics[position]
            rank = each.first_right or "-"
            cells.append(f"{score.method} {each.found}/{each.relevant} ({rank})")
        bench.report(topic.name[:58], ", ".join(cells))
