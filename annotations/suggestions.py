"""What the annotation form proposes for a selected passage: the regions it names
and the source it cites (a known source, or an entry of the article's references).

Only curated sources are "known" to the matcher: a source someone named in their own
annotation is never offered to others as known. A proposal whose name is a source
the user may see (theirs, or one cited by an annotation they may see) points at it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from annotations.anchoring import QuoteNotFoundError, locate
from annotations.citations import SourceMatcher, normalize_name, suggest_source
from annotations.gazetteer import RegionMatcher
from annotations.models import Region, Source
from corpus.models import Paragraph, ParagraphKind

_lock = threading.Lock()
_matchers: dict[str, object] = {}


def region_matcher() -> RegionMatcher:
    """Built once per process from the gazetteer; rebuilt when a region changes."""
    with _lock:
        if "regions" not in _matchers:
            _matchers["regions"] = RegionMatcher(
                Region.objects.values_list("id", "name", "aliases", "demonyms")
            )
        return _matchers["regions"]


def source_matcher() -> SourceMatcher:
    with _lock:
        if "sources" not in _matchers:
            _matchers["sources"] = SourceMatcher(
                Source.objects.filter(curated=True).values_list("id", "name", "aliases")
            )
        return _matchers["sources"]


@receiver([post_save, post_delete], sender=Region)
def _forget_region_matcher(**kwargs):
    with _lock:
        _matchers.pop("regions", None)


@receiver([post_save, post_delete], sender=Source)
def _forget_source_matcher(**kwargs):
    with _lock:
        _matchers.pop("sources", None)


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
