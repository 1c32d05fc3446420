"""How far a team's annotators agree on stance: Krippendorff's alpha over the passages that
two or more of them annotated, Cohen's kappa for each pair of them, and a plain-language
reading. Plain data in, plain data out (no Django, no database): the caller turns a
queryset into ``Rating`` values.

Passages ("units"). Two annotations are of the same passage when they are on the same
paragraph and their character spans ``[start, end)`` overlap by at least half of the
shorter span. Units are built by one deterministic pass: annotations are sorted by
``(paragraph_id, start, end, annotation_id)``, and each joins the first unit of its
paragraph whose *first* annotation it overlaps that much, or else starts a new unit. When
one annotator has several annotations in a unit, only the most recent counts (highest
``updated``, then ``annotation_id``). An annotation without a stance (``""``, a plain
highlight) is no rating at all: it is left out before units are built, so it neither
counts as a category nor shapes a unit.

The numbers come from well-kept libraries, not from formulas of our own: NLTK's
``AnnotationTask`` (Apache-2.0) with ``binary_distance`` gives nominal alpha, and
scikit-learn's ``cohen_kappa_score`` gives each pair's kappa. NLTK drops items rated by
fewer than two coders when a missing rating is a triple left out (as here), and then
matches Krippendorff's worked examples; we still hand it only the units with two or more
ratings, the ones alpha rests on. NLTK answers 1 where alpha is undefined (everyone chose
the same value), so that case is caught here first and reported as undefined.

The reading follows Krippendorff's conventions: alpha >= 0.800 is reliable, 0.667 up to
0.800 is for tentative conclusions only, below that is too little agreement to draw any.
Alpha is judged as shown, to three decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import NamedTuple

NO_STANCE = ""  # a plain highlight: no rating, not a category
RELIABLE = 0.800  # Krippendorff: reliable agreement from here up
TENTATIVE = 0.667  # Krippendorff: tentative conclusions only, from here up to RELIABLE
PLACES = 3  # alpha is shown and judged to this many decimals
MIN_UNITS = 2  # passages with two or more ratings that alpha needs
MIN_SHARED_UNITS = 2  # passages both of a pair rated, that their kappa needs


# ------------------------------------------------------------------------ inputs


@dataclass(frozen=True, slots=True)
class Rating:
    """One annotation as agreement sees it: where it is, who made it, its stance."""

    annotation_id: int
    paragraph_id: int
    start: int
    end: int
    annotator: str
    stance: str
    updated: datetime


# ----------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class Unit:
    """A passage: the stance each annotator gave it (those who gave none are absent),
    the annotation each one's stance comes from, and the span the kept annotations cover."""

    paragraph_id: int
    start: int
    end: int
    ratings: dict[str, str]  # annotator -> stance
    annotation_ids: dict[str, int] = field(default_factory=dict)  # annotator -> annotation

    @property
    def pairable(self) -> bool:
        """Rated by two or more annotators, so it counts towards alpha."""
        return len(self.ratings) >= 2

    @property
    def disagrees(self) -> bool:
        """Its annotators did not all choose the same stance."""
        return len(set(self.ratings.values())) > 1


@dataclass(frozen=True, slots=True)
class PairKappa:
    """Cohen's kappa for two annotators over the ``units`` passages both rated; ``None``
    when they share fewer than two or kappa is undefined (both always chose one stance)."""

    first: str
    second: str
    kappa: float | None
    units: int


@dataclass(frozen=True, slots=True)
class Agreement:
    """Alpha over ``units`` passages rated by two or more of ``annotators`` annotators
    (``None`` when there is not enough data or alpha is undefined), each pair's kappa,
    what alpha means, and the passages whose ratings differ."""

    alpha: float | None
    units: int
    annotators: int
    pairs: list[PairKappa]
    reading: str
    disagreements: list[Unit]


class _Judgement(NamedTuple):
    """One coder's label for one item, in the form NLTK's ``AnnotationTask`` loads."""

    coder: str
    item: int
    label: str


# ------------------------------------------------------------------------- units


def same_passage(first: Rating, second: Rating) -> bool:
    """On the same paragraph, overlapping by at least half of the shorter span."""
    if first.paragraph_id != second.paragraph_id:
        return False
    overlap = min(first.end, second.end) - max(first.start, second.start)
    shorter = min(first.end - first.start, second.end - second.start)
    return overlap > 0 and 2 * overlap >= shorter


def _sort_key(rating: Rating) -> tuple[int, int, int, int]:
    return (rating.paragraph_id, rating.start, rating.end, rating.annotation_id)


def _group(ratings: Iterable[Rating]) -> list[list[Rating]]:
    """Stance ratings clustered into passages by the unit rule, in reading order."""
    groups: list[list[Rating]] = []
    by_paragraph: dict[int, list[list[Rating]]] = {}
    for rating in sorted((r for r in ratings if r.stance != NO_STANCE), key=_sort_key):
        candidates = by_paragraph.setdefault(rating.paragraph_id, [])
        group = next((g for g in candidates if same_passage(g[0], rating)), None)
        if group is None:
            group = []
            candidates.append(group)
            groups.append(group)
        group.append(rating)
    return groups


def _latest_per_annotator(group: list[Rating]) -> list[Rating]:
    """Each annotator's most recent rating in a passage, by annotator."""
    latest: dict[str, Rating] = {}
    for rating in group:
        kept = latest.get(rating.annotator)
        if kept is None or (rating.updated, rating.annotation_id) > (
            kept.updated,
            kept.annotation_id,
        ):
            latest[rating.annotator] = rating
    return [latest[annotator] for annotator in sorted(latest)]


def _unit(group: list[Rating]) -> Unit:
    kept = _latest_per_annotator(group)
    return Unit(
        paragraph_id=group[0].paragraph_id,
        start=min(rating.start for rating in kept),
        end=max(rating.end for rating in kept),
        ratings={rating.annotator: rating.stance for rating in kept},
        annotation_ids={rating.annotator: rating.annotation_id for rating in kept},
    )


def passage_units(ratings: Iterable[Rating]) -> list[Unit]:
    """The passages the stance ratings fall into, in reading order (see the module)."""
    return [_unit(group) for group in _group(ratings)]


# --------------------------------------------------------------------- measures


def krippendorff_alpha(units: Iterable[Unit]) -> float | None:
    """Nominal alpha over the units rated by two or more annotators, from NLTK; ``None``
    with fewer than two such units, or when every rating is the same (alpha undefined)."""
    pairable = [unit for unit in units if unit.pairable]
    if len(pairable) < MIN_UNITS:
        return None
    if len({stance for unit in pairable for stance in unit.ratings.values()}) < 2:
        return None
    # Imported here: NLTK takes about two seconds to import, and only this needs it.
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import binary_distance

    judgements = [
        _Judgement(coder=annotator, item=index, label=stance)
        for index, unit in enumerate(pairable)
        for annotator, stance in unit.ratings.items()
    ]
    return float(AnnotationTask(data=judgements, distance=binary_distance).alpha())


def cohen_kappa(first: str, second: str, units: Iterable[Unit]) -> PairKappa:
    """Cohen's kappa for two annotators over the units both rated, from scikit-learn."""
    shared = [unit for unit in units if first in unit.ratings and second in unit.ratings]
    firsts = [unit.ratings[first] for unit in shared]
    seconds = [unit.ratings[second] for unit in shared]
    kappa = None
    # One stance between them all along: chance agreement is 1 and kappa undefined, which
    # scikit-learn answers with nan and warnings; it is not asked.
    if len(shared) >= MIN_SHARED_UNITS and len(set(firsts) | set(seconds)) > 1:
        from sklearn.metrics import cohen_kappa_score

        value = float(cohen_kappa_score(firsts, seconds))
        kappa = None if math.isnan(value) else value
    return PairKappa(first=first, second=second, kappa=kappa, units=len(shared))


def pair_kappas(units: Iterable[Unit]) -> list[PairKappa]:
    """Kappa for each pair of annotators who rated at least one passage in common."""
    units = list(units)
    pairs: set[tuple[str, str]] = set()
    for unit in units:
        pairs.update(combinations(sorted(unit.ratings), 2))
    return [cohen_kappa(first, second, units) for first, second in sorted(pairs)]


def alpha_reading(alpha: float | None, units: int) -> str:
    """What alpha says, in Krippendorff's terms, or why there is nothing to say."""
    if units < MIN_UNITS:
        rated = "passage was" if units == 1 else "passages were"
        return f"not enough data: {units} {rated} rated by two or more annotators"
    if alpha is None:
        return "not enough data: everyone chose the same stance; alpha is undefined"
    shown = round(alpha, PLACES) + 0.0  # + 0.0: no "-0.000"
    if shown >= RELIABLE:
        meaning = "reliable agreement"
    elif shown >= TENTATIVE:
        meaning = "tentative agreement, for tentative conclusions only"
    else:
        meaning = "too little agreement to draw conclusions"
    return f"alpha {shown:.{PLACES}f}: {meaning}"


def stance_agreement(ratings: Iterable[Rating]) -> Agreement:
    """Agreement on stance among the annotators of these ratings (see the module)."""
    units = passage_units(ratings)
    pairable = [unit for unit in units if unit.pairable]
    alpha = krippendorff_alpha(pairable)
    return Agreement(
        alpha=alpha,
        units=len(pairable),
        annotators=len({annotator for unit in pairable for annotator in unit.ratings}),
        pairs=pair_kappas(pairable),
        reading=alpha_reading(alpha, len(pairable)),
        disagreements=[unit for unit in pairable if unit.disagrees],
    )
