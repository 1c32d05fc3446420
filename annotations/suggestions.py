"""What the annotation form proposes for a selected passage: the regions it names
and the source it cites (a known source, or an entry of the article's references).

Only curated sources are "known" to the matcher: a source someone named in their own
annotation is never offered to others as known. A proposal whose name is a source
the user may see (theirs, or one cited by an annotation they may see) points at it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from annotations.anchoring import QuoteNotFoundError, locate
from annotations.citations import SourceMatcher, normalize_name, suggest_source
from annotations.gazetteer import RegionMatcher
from annotations.models import Region, Source
from corpus import generations
from corpus.models import Paragraph, ParagraphKind

# The matchers are built in each worker process (a tenth of a second for the
# gazetteer) and kept there, each under the generation of its vocabulary it was built
# at (``corpus.generations``: in the shared cache), so that a change made in any
# worker, or by a command, reaches every worker: a worker whose matcher is of an
# older generation builds it again.
SOURCES = "sources"
REGIONS = "regions"
GENERATION_KEY = "suggestions:{kind}:generation"

_lock = threading.Lock()
_matchers: dict[str, tuple[str | None, object]] = {}  # kind -> (generation, matcher)
# The vocabularies this thread changed in its open transaction (and that transaction):
# a matcher built from rows not committed yet is not kept, as they may be rolled back.
_unsettled = threading.local()


def region_matcher() -> RegionMatcher:
    """The gazetteer's regions, by name, alias and demonym."""
    return _matcher(
        REGIONS,
        lambda: RegionMatcher(Region.objects.values_list("id", "name", "aliases", "demonyms")),
    )


def source_matcher() -> SourceMatcher:
    """The curated sources, by name and alias."""
    return _matcher(
        SOURCES,
        lambda: SourceMatcher(
            Source.objects.filter(curated=True).values_list("id", "name", "aliases")
        ),
    )


def vocabulary_changed(*kinds: str) -> None:
    """Sources or regions were written: every worker's matcher is to be rebuilt.

    Model signals call it for each save and delete; code that writes the tables in
    bulk (``update()``, ``bulk_create()``: the merges and their undo) calls it itself.
    This worker forgets its matcher at once; the others when the transaction commits
    (before it, they would rebuild from the rows as they were)."""
    kinds = kinds or (SOURCES, REGIONS)
    with _lock:
        for kind in kinds:
            _matchers.pop(kind, None)
    if connection.in_atomic_block:
        _unsettled_kinds().update(kinds)
    generations.advance_on_commit(*(GENERATION_KEY.format(kind=kind) for kind in kinds))


def _matcher(kind: str, build: Callable[[], object]):
    # The generation is read before the rows: a change committed after this read
    # moves the generation again, and the next request rebuilds.
    generation = _generation(kind)
    if kind in _unsettled_kinds():
        return build()  # from rows this transaction wrote and has not committed
    with _lock:
        held = _matchers.get(kind)
        if held is None or generation is None or held[0] != generation:
            held = _matchers[kind] = (generation, build())
        return held[1]


def _unsettled_kinds() -> set[str]:
    """The vocabularies changed in this thread's open transaction (the outermost
    atomic block tells one transaction from the next)."""
    outermost = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if getattr(_unsettled, "transaction", None) is not outermost or outermost is None:
        _unsettled.transaction, _unsettled.kinds = outermost, set()
    return _unsettled.kinds


def _generation(kind: str) -> str | None:
    """The vocabulary's current generation; None if the cache cannot be reached: the
    matcher is then built for each request, slower but never stale."""
    return generations.current(GENERATION_KEY.format(kind=kind))


@receiver([post_save, post_delete], sender=Region)
def _region_changed(**kwargs):
    vocabulary_changed(REGIONS)


@receiver([post_save, post_delete], sender=Source)
def _source_changed(signal, instance, created=False, **kwargs):
    # A source that is not curated and was not (one named in an annotation, created
    # as the annotation is written, or deleted) is none of the matcher's business.
    if not instance.curated and (created or signal is post_delete):
        return
    vocabulary_changed(SOURCES)


@dataclass
class PassageSuggestions:
    regions: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"regions": self.regions, "sources": self.sources}

    @property
    def region_ids(self) -> list[int]:
        return [region["id"] for region in self.regions]


def suggest_for_passage(
    paragraph: Paragraph,
    *,
    user,
    exact: str = "",
    start: int | None = None,
    end: int | None = None,
) -> PassageSuggestions:
    try:
        anchor = locate(paragraph.text, exact=exact, start=start, end=end)
        passage = anchor.exact
    except QuoteNotFoundError:
        passage = paragraph.text
    region_ids = region_matcher().region_ids(passage)
    names = dict(Region.objects.filter(id__in=region_ids).values_list("id", "name"))
    regions = [
        {"id": region_id, "name": names[region_id]}
        for region_id in region_ids
        if region_id in names
    ]
    references = list(
        Paragraph.objects.filter(article_id=paragraph.article_id, kind=ParagraphKind.REFERENCE)
        .order_by("position")
        .values_list("text", flat=True)
    )
    sources = [
        suggestion.as_dict()
        for suggestion in suggest_source(passage, matcher=source_matcher(), references=references)
    ]
    _point_at_visible_sources(sources, user)
    return PassageSuggestions(regions=regions, sources=sources)


def _point_at_visible_sources(sources: list[dict], user) -> None:
    """New-source proposals whose name is a source the user may see: that source."""
    new = {normalize_name(source["name"]): source for source in sources if source["id"] is None}
    if not new:
        return
    for source_id, name, key in (
        Source.objects.visible_to(user)
        .filter(normalized_name__in=list(new))
        .order_by("-curated", "pk")
        .values_list("id", "name", "normalized_name")
    ):
        proposal = new.pop(key, None)
        if proposal is not None:
            proposal.update(id=source_id, name=name, new=False)
