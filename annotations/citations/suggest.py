"""What the annotation form proposes as the source of a passage.

Four kinds of evidence, best first:

1. a known source (a row of the Source table) named in the passage: "The Washington
   Post", "RAND", "the Kremlin";
2. an author-year citation ("(Nejat, 2014, p. 74)", "Darayandeh and colleagues (2019)")
   that points to an entry of the article's reference list;
3. an author-year citation that points to no entry;
4. an attribution to unnamed officials ("U.S. officials said") or to a titled,
   named official ("Foreign Minister Sergei Lavrov said").

Naming policies for proposed new sources (``SourceSuggestion.new_source["name"]``):

- a citation matched to a reference: ``"<authors> (<year>), <title>"``, e.g.
  "Nejat (2014), The Islamic Republic of Iran's Foreign Policy Approach towards New
  Middle Eastern Developments", the title shortened at a word so the name stays within
  300 characters; kind "academic"; notes hold the whole reference entry;
- a citation without a reference: ``"<authors> <year>"``, e.g. "Nejat 2014";
- ``<authors>`` is "Nejat" (one author), "Nejat & Jafari Valadani" (two), "Mohseni et
  al." (three or more, or an "et al."/"and colleagues" list);
- attributions to officials: see ``annotations.citations.attributions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from annotations.citations.attributions import find_attributions
from annotations.citations.intext import Citation, parse_citations
from annotations.citations.matching import ReferenceIndex
from annotations.citations.names import normalize_name
from annotations.citations.references import Reference, parse_reference
from annotations.citations.source_matcher import SourceMatcher

NAME_MAX_LENGTH = 300  # Source.name


@dataclass(frozen=True, slots=True)
class SourceSuggestion:
    """One proposal for the source of a passage.

    ``reason``: "named" (a known source named in the passage), "reference" (a citation
    matched to the reference list), "citation" (a citation without a reference) or
    "attribution" (unnamed or titled officials). ``source_id`` is set when the source
    exists already (always for "named"); ``new_source`` holds the fields of a Source to
    create otherwise (name, kind, year, notes, url). ``start``/``end``/``text`` say
    where the evidence is in the passage.
    """

    reason: str
    name: str
    kind: str | None
    start: int
    end: int
    text: str
    source_id: Any = None
    new_source: dict[str, Any] | None = None
    citation: Citation | None = None
    reference: Reference | None = None

    @property
    def why(self) -> str:
        if self.reason == "named":
            return f"“{self.text}” is named in the passage"
        if self.reason == "reference" and self.citation is None:
            return "the selection is an entry of the article's references"
        if self.reason == "reference":
            return f"cited as “{self.text}”, in the article's references"
        if self.reason == "citation":
            return f"cited as “{self.text}”, not in the article's references"
        return f"attributed in “{self.text}”"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the annotation form."""
        proposal = self.new_source or {}
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "year": proposal.get("year"),
            "url": proposal.get("url", ""),
            "notes": proposal.get("notes", ""),
            "reason": self.reason,
            "why": self.why,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "new": self.source_id is None,
        }


def suggest_source(
    passage: str, *, matcher: SourceMatcher | None, references: list[str]
) -> list[SourceSuggestion]:
    """What the annotation form proposes as the source of ``passage``, best first.

    Known sources named in the passage, then citations matched to the article's
    reference list (``references``: its entries as stored, one string each), then
    citations without a reference, then attributions to officials. Each source comes
    once. A proposal whose name is already a known source (under ``normalize_name``)
    carries that source's id instead of a new source.
    """
    suggestions: list[SourceSuggestion] = []
    seen_ids: set[Any] = set()
    seen_names: set[str] = set()

    if matcher is not None:
        for match in matcher.find(passage):
            if match.source_id in seen_ids:
                continue
            seen_ids.add(match.source_id)
            suggestions.append(
                SourceSuggestion(
                    reason="named",
                    name=matcher.name_of(match.source_id),
                    kind=None,
                    start=match.start,
                    end=match.end,
                    text=match.text,
                    source_id=match.source_id,
                )
            )

    def propose(reason: str, proposal: dict[str, Any], start: int, end: int, **evidence) -> None:
        key = normalize_name(proposal["name"])
        if key in seen_names:
            return
        seen_names.add(key)
        existing = matcher.id_for_name(proposal["name"]) if matcher is not None else None
        if existing is not None:
            if existing in seen_ids:
                return
            seen_ids.add(existing)
        suggestions.append(
            SourceSuggestion(
                reason=reason,
                name=matcher.name_of(existing) if existing is not None else proposal["name"],
                kind=proposal["kind"],
                start=start,
                end=end,
                text=passage[start:end],
                source_id=existing,
                new_source=None if existing is not None else proposal,
                **evidence,
            )
        )

    reference_list = _reference_list(tuple(references))
    entry = _entry_containing(passage, reference_list)
    if entry is not None:
        # The selection is (part of) a reference entry: that entry is the source, and
        # its "Ali (2004)" is not a citation.
        propose("reference", _reference_proposal(entry), 0, len(passage), reference=entry)
        return suggestions
    citations = parse_citations(passage)
    unmatched: list[Citation] = []
    # A passage may cite one work many times; each distinct citation is matched once.
    matched: dict[tuple[tuple[str, ...], bool, int], Reference | None] = {}
    for citation in citations:
        key = (tuple(citation.surnames), citation.et_al, citation.year)
        if key not in matched:
            matched[key] = reference_list.index.match(citation)
        reference = matched[key]
        if reference is None:
            unmatched.append(citation)
            continue
        propose(
            "reference",
            _reference_proposal(reference),
            citation.start,
            citation.end,
            citation=citation,
            reference=reference,
        )
    for citation in unmatched:
        label = _author_label(citation.surnames, citation.et_al)
        proposal = {
            "name": f"{label} {citation.year}"[:NAME_MAX_LENGTH],
            "kind": "academic",
            "year": citation.year,
            "notes": f"Cited as “{citation.text}”; not in the article's reference list.",
            "url": "",
        }
        propose("citation", proposal, citation.start, citation.end, citation=citation)
    for attribution in find_attributions(passage):
        proposal = {
            "name": attribution.name,
            "kind": attribution.kind,
            "year": None,
            "notes": attribution.notes,
            "url": "",
        }
        propose("attribution", proposal, attribution.start, attribution.end)
    return suggestions


@dataclass(frozen=True, slots=True)
class _ReferenceList:
    """An article's reference list, parsed and prepared once for all the selections
    made in it (parsing is three quarters of the time of a suggestion otherwise)."""

    references: tuple[Reference, ...]
    one_line: tuple[str, ...]  # each entry as written, its whitespace made single spaces
    index: ReferenceIndex


@lru_cache(maxsize=32)
def _reference_list(entries: tuple[str, ...]) -> _ReferenceList:
    references = tuple(reference for entry in entries if (reference := parse_reference(entry)))
    return _ReferenceList(
        references=references,
        one_line=tuple(" ".join(reference.raw.split()) for reference in references),
        index=ReferenceIndex(references),
    )


def _entry_containing(passage: str, reference_list: _ReferenceList) -> Reference | None:
    """The reference entry the passage is part of, when the passage holds the entry's
    first author and year (a body sentence that shares words with a title is not)."""
    selected = " ".join(passage.split())
    for reference, one_line in zip(reference_list.references, reference_list.one_line, strict=True):
        if (
            reference.surnames[0] in selected
            and str(reference.year) in selected
            and selected in one_line
        ):
            return reference
    return None


def _reference_proposal(reference: Reference) -> dict[str, Any]:
    return {
        "name": _reference_source_name(reference),
        "kind": "academic",
        "year": reference.year,
        "notes": reference.raw,
        "url": reference.url,
    }


def _author_label(surnames: list[str], et_al: bool) -> str:
    if len(surnames) >= 3 or (et_al and surnames):
        return f"{surnames[0]} et al."
    return " & ".join(surnames)


def _reference_source_name(reference: Reference) -> str:
    head = f"{_author_label(reference.surnames, reference.et_al)} ({reference.year})"
    if not reference.title:
        return head[:NAME_MAX_LENGTH]
    name = f"{head}, {reference.title}"
    if len(name) <= NAME_MAX_LENGTH:
        return name
    cut = name[: NAME_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"
