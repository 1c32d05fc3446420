"""Which entry of the reference list a citation points to."""

from __future__ import annotations

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
    cited = fold_name(citation.surnames[0])
    cited_coauthors = [fold_name(name) for name in citation.surnames[1:]]
    cited_many = len(citation.surnames) > 1 or citation.et_al
    scored: list[tuple[float, Reference]] = []
    seen: set[str] = set()
    for reference in references:
        if reference.year != citation.year or not reference.surnames or reference.raw in seen:
            continue
        seen.add(reference.raw)
        forms = {fold_name(reference.surnames[0])}
        if reference.names:
            forms.add(fold_name(reference.names[0]))
        first = max(name_similarity(cited, form) for form in forms)
        if first < MATCH_THRESHOLD:
            continue
        score = first
        coauthor_forms = [fold_name(name) for name in reference.surnames[1:] + reference.names[1:]]
        for coauthor in cited_coauthors:
            if any(
                name_similarity(coauthor, form) >= MATCH_THRESHOLD
                or (coauthor and form.endswith(coauthor))
                for form in coauthor_forms
            ):
                score += 20
        reference_many = len(reference.surnames) > 1 or reference.et_al
        if cited_many != reference_many:
            score -= 10
        scored.append((score, reference))
    if not scored:
        return None
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]
