"""Passages that read alike, across the corpus: a vector for every passage of running
text, compared by cosine similarity. The vectors are TF-IDF weights of the passage's
stemmed words and word pairs (scikit-learn), or, with ``CROSSREAD_SIMILARITY =
"semantic"``, a sentence model's embeddings (``corpus.embeddings``, an optional extra).

The index is built in memory, once per process, from every article (visibility is
applied when it is asked, by the article ids the caller may see), and rebuilt when
the corpus changes: its stamp (how many articles, the latest change to one, the
newest paragraph, and the corpus text's generation in the shared cache, which every
committed change of text moves in every process) is read on every query. Building it takes a few seconds at 200,000 paragraphs (the
benchmark prints the figure); a query, milliseconds.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import snowballstemmer
from django.conf import settings
from django.db.models import Count, Max
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from corpus import generations
from corpus.models import Article, Paragraph, ParagraphKind

# The article's own running text: headings are too short to compare, references
# are titles of other works, boilerplate and reader comments are not the article's.
SIMILARITY_KINDS = (
    ParagraphKind.BODY,
    ParagraphKind.QUOTE,
    ParagraphKind.LIST_ITEM,
    ParagraphKind.CAPTION,
)
# Word pairs ("military intervention") find passages on one subject better than
# words alone; below this many passages every pair is kept, above it only pairs
# seen twice (the vocabulary otherwise grows with every passage).
SMALL_CORPUS = 20_000
TFIDF = "tfidf"
SEMANTIC = "semantic"
METHODS = (TFIDF, SEMANTIC)
# Below these scores two passages share little more than common words (TF-IDF), or
# than the subject of the whole corpus (a sentence model's cosine).
MIN_SCORES = {TFIDF: 0.03, SEMANTIC: 0.3}

_WORD = re.compile(r"\w[\w'’-]*\w|\w")
_stemmers = threading.local()  # a Snowball stemmer keeps state while it stems


# A corpus has tens of thousands of distinct words and millions of occurrences: each
# word is stemmed once.
@functools.lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def passage_terms(text: str) -> list[str]:
    """A passage's terms: its words stemmed ("Russian", "Russia's" and "Russians"
    are one term), stop words dropped, and each pair of neighbouring words."""
    words = [
        word
        for word in (w.casefold().replace("’", "'").removesuffix("'s") for w in _WORD.findall(text))
        if word not in ENGLISH_STOP_WORDS and (not word.isdigit() or len(word) == 4)  # years
    ]
    stems = [_stem(word) for word in words]
    return stems + [f"{first} {second}" for first, second in itertools.pairwise(stems)]


@dataclass(frozen=True, slots=True)
class SimilarPassage:
    paragraph_id: int
    article_id: int
    score: float  # cosine similarity, 0 to 1


@dataclass(frozen=True, slots=True)
class CorpusStamp:
    articles: int
    last_change: object  # the latest Article.updated_at
    last_paragraph: int | None
    # The corpus text's generation (``corpus.generations``): moved when a change
    # commits, so a change stamped earlier than one committed before it still counts.
    # None when the shared cache cannot be reached: the rows alone then tell.
    generation: str | None


def corpus_stamp() -> CorpusStamp:
    """What changes whenever a passage is added, changed or removed."""
    # The generation is read before the rows: a change committed after this read
    # moves it again, and the next query rebuilds.
    generation = generations.current(generations.CORPUS_TEXT)
    # The rows tell the changes this transaction made and has not committed, and
    # those made while the cache was unreachable. The newest paragraph apart: answered
    # from the primary key's index, where a join of every article to its paragraphs
    # is not (two light queries, not one heavy).
    row = Article.objects.aggregate(articles=Count("id"), last_change=Max("updated_at"))
    newest = Paragraph.objects.order_by("-id").values_list("id", flat=True).first()
    return CorpusStamp(**row, last_paragraph=newest, generation=generation)


class _TfidfVectors:
    """TF-IDF weights, L2-normalised (a dot product is a cosine)."""

    def __init__(self, texts: list[str]) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer=passage_terms,
            sublinear_tf=True,
            min_df=1 if len(texts) < SMALL_CORPUS else 2,
            dtype=np.float32,
        )
        self.matrix = self.vectorizer.fit_transform(texts)

    def query(self, text: str) -> np.ndarray | None:
        vector = self.vectorizer.transform([text])
        return vector.toarray().ravel() if vector.nnz else None


class _SentenceVectors:
    """A sentence model's embeddings, unit length."""

    def __init__(self, texts: list[str]) -> None:
        from corpus import embeddings

        self.embeddings = embeddings
        self.matrix = embeddings.encode(texts)

    def query(self, text: str) -> np.ndarray | None:
        return self.embeddings.encode([text])[0]


def similarity_method() -> str:
    method = getattr(settings, "CROSSREAD_SIMILARITY", TFIDF)
    return method if method in METHODS else TFIDF


class PassageIndex:
    """A vector for every passage; ``method`` is ``TFIDF`` or ``SEMANTIC``."""

    def __init__(self, stamp: CorpusStamp, method: str = TFIDF) -> None:
        self.stamp = stamp
        self.method = method
        self.min_score = MIN_SCORES[method]
        rows = list(
            Paragraph.objects.filter(kind__in=SIMILARITY_KINDS)
            .order_by("id")
            .values_list("id", "article_id", "text")
        )
        self.paragraph_ids = np.array([row[0] for row in rows], dtype=np.int64)
        self.article_ids = np.array([row[1] for row in rows], dtype=np.int64)
        texts = [row[2] for row in rows]
        vectors = _SentenceVectors if method == SEMANTIC else _TfidfVectors
        self.vectors = vectors(texts) if texts else None

    def similar(
        self,
        text: str,
        *,
        exclude_article_id: int | None,
        article_ids: Collection[int],
        limit: int,
    ) -> list[SimilarPassage]:
        """The passages most like ``text`` in the articles ``article_ids`` (those the
        caller may see), but for ``exclude_article_id``'s, best first."""
        if self.vectors is None or not text.strip():
            return []
        query = self.vectors.query(text)
        if query is None:
            return []
        scores = self.vectors.matrix @ query  # TF-IDF: sparse × dense, 3× sparse × sparse
        allowed = np.isin(self.article_ids, np.fromiter(article_ids, dtype=np.int64))
        if exclude_article_id is not None:
            allowed &= self.article_ids != exclude_article_id
        scores = np.where(allowed & (scores >= self.min_score), scores, 0.0)
        candidates = np.flatnonzero(scores)
        if len(candidates) > limit:
            top = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        ranked = sorted(candidates, key=lambda i: (-scores[i], self.paragraph_ids[i]))
        return [
            SimilarPassage(
                paragraph_id=int(self.paragraph_ids[i]),
                article_id=int(self.article_ids[i]),
                score=round(float(scores[i]), 4),
            )
            for i in ranked
        ]


_index: PassageIndex | None = None
_lock = threading.Lock()


def passage_index() -> PassageIndex:
    """The index of the corpus as it is now, by the configured method: rebuilt when
    its stamp moved."""
    global _index
    stamp, method = corpus_stamp(), similarity_method()
    index = _index
    if index is not None and (index.stamp, index.method) == (stamp, method):
        return index
    with _lock:
        if _index is None or (_index.stamp, _index.method) != (stamp, method):
            _index = PassageIndex(stamp, method)
        return _index


def forget_index() -> None:
    """Drop the index (tests that rebuild the corpus in one process)."""
    global _index
    _index = None
