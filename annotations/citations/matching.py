"""Which entry of the reference list a citation points to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from annotations.citations.intext import Citation
from annotations.citations.names import fold_name, name_similarity
from annotations.citations.references import Reference

# rapidfuzz ratio (0-100) between two folded surnames. 85 accepts transliteration
# variants of one name ("Abdollahi Khani"/"Abdollah Khani" 96, "Vafaifard"/"Vafaei
# Fard" 95, "Ghodousi"/"Ghodsi" 86) and refuses different ones ("Nouri"/"Houri" 80,
# "Karami"/"Karimi" 83); a shared first letter is required on top ("Hosseini" is not
# "Mir Hosseini").
MATCH_THRESHOLD = 85


def match_citation(citation: Citation, references: list[Reference]) -> Reference | None:
    """The reference a citation points to, or None when none does for certain.

    Same year, and first author's name alike (``MATCH_THRESHOLD``, ignoring case,
    diacritics, spaces and hyphens; compared with the reference's surname and with
    its full name, so "Ammar Jelo" finds "Jalo, Ammar"). Among several, co-authors who
    match and an author count that agrees decide; a tie gives None.
    """
    return ReferenceIndex(references).match(citation)


@dataclass(frozen=True, slots=True)
class _Entry:
    reference: Reference
    coauthor_forms: tuple[str, ...]
    many: bool  # several authors, or "et al."


class ReferenceIndex:
    """A reference list prepared for matching many citations (``match_citation`` for
    each): the names are folded once, and a citation's first author is compared, in
    rapidfuzz's C loop, only with the first authors of its year that share its first
    letter (no other can reach the threshold). A passage can hold a thousand citations;
    folding and comparing every entry again for each of them in Python took a third of
    a second for 700 citations against 200 entries."""

    def __init__(self, references: Iterable[Reference]) -> None:
        self._entries: list[_Entry] = []
        # (year, first letter) -> the folded first-author forms, and whose each is
        self._forms: dict[tuple[int | None, str], tuple[list[str], list[int]]] = {}
        seen: set[tuple[int | None, str]] = set()
        for reference in references:
            if not reference.surnames or (reference.year, reference.raw) in seen:
                continue
            seen.add((reference.year, reference.raw))
            position = len(self._entries)
            self._entries.append(
                _Entry(
                    reference=reference,
                    coauthor_forms=tuple(
                        fold_name(name) for name in reference.surnames[1:] + reference.names[1:]
                    ),
                    many=len(reference.surnames) > 1 or reference.et_al,
                )
            )
            forms = {fold_name(reference.surnames[0])}
            if reference.names:
                forms.add(fold_name(reference.names[0]))
            for form in forms:
                if form:  # an empty form matches nothing (see name_similarity)
                    texts, owners = self._forms.setdefault((reference.year, form[0]), ([], []))
                    texts.append(form)
                    owners.append(position)

    def match(self, citation: Citation) -> Reference | None:
        """The reference ``citation`` points to, as ``match_citation`` decides."""
        cited = fold_name(citation.surnames[0])
        if not cited:
            return None
        texts, owners = self._forms.get((citation.year, cited[0]), ((), ()))
        first: dict[int, float] = {}
        for _, similarity, found in process.extract(
            cited, texts, scorer=fuzz.ratio, score_cutoff=MATCH_THRESHOLD, limit=None
        ):
            owner = owners[found]
            first[owner] = max(similarity, first.get(owner, 0.0))
        cited_coauthors = [fold_name(name) for name in citation.surnames[1:]]
        cited_many = len(citation.surnames) > 1 or citation.et_al
        scored: list[tuple[float, Reference]] = []
        for position in sorted(first):
            entry = self._entries[position]
            score = first[position]
            for coauthor in cited_coauthors:
                if any(
                    name_similarity(coauthor, form) >= MATCH_THRESHOLD
                    or (coauthor and form.endswith(coauthor))
                    for form in entry.coauthor_forms
                ):
                    score += 20
            if cited_many != entry.many:
                score -= 10
            scored.append((score, entry.reference))
        if not scored:
            return None
        scored.sort(key=lambda pair: pair[0], reverse=True)
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None
        return scored[0][1]
