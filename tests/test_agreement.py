"""Agreement on stance (plain data, no database): Krippendorff's alpha against his own worked
examples, Cohen's kappa by hand, the rule that groups annotations into passages, and what
alpha is said to mean."""

from datetime import UTC, datetime, timedelta

import pytest

from annotations.agreement import (
    Agreement,
    PairKappa,
    Rating,
    Unit,
    alpha_reading,
    krippendorff_alpha,
    passage_units,
    stance_agreement,
)

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_ids = iter(range(1, 1_000_000))


def rating(annotator, stance, *, paragraph=1, start=0, end=10, minutes=0, id=None):
    return Rating(
        annotation_id=next(_ids) if id is None else id,
        paragraph_id=paragraph,
        start=start,
        end=end,
        annotator=annotator,
        stance=stance,
        updated=EPOCH + timedelta(minutes=minutes),
    )


def table(rows):
    """Ratings from a reliability table: one row of values per annotator, ``*`` for none;
    each column (unit) on a paragraph of its own, so each is its own passage."""
    return [
        rating(annotator, value, paragraph=column)
        for annotator, row in rows.items()
        for column, value in enumerate(row.split(), start=1)
        if value != "*"
    ]


# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: nominal
# data, four observers, twelve units, values 1-5, some missing. Unit 12 has one value and
# unit 1 three, so alpha rests on 11 units. The paper gives alpha = 0.743.
KRIPPENDORFF_MISSING = {
    "A": "1 2 3 3 2 1 4 1 2 * * *",
    "B": "1 2 3 3 2 2 4 1 2 5 * 3",
    "C": "* 3 3 3 2 3 4 2 2 5 1 *",
    "D": "1 2 3 3 2 4 4 1 2 5 1 *",
}

# The same paper, section A: binary data, two observers, ten units, no value missing.
# The paper gives nominal alpha = 0.095.
KRIPPENDORFF_BINARY = {
    "A": "0 1 0 0 0 0 0 0 1 0",
    "B": "1 1 1 0 0 1 0 0 0 0",
}


# ------------------------------------------------------------------------ alpha


def test_alpha_matches_krippendorffs_worked_example_with_missing_values():
    """The figures are the paper's (also checked against the `krippendorff` package)."""
    agreement = stance_agreement(table(KRIPPENDORFF_MISSING))
    assert agreement.alpha == pytest.approx(0.743, abs=0.0005)
    assert agreement.units == 11  # unit 12, rated by B alone, does not count
    assert agreement.annotators == 4
    assert agreement.reading == "alpha 0.743: tentative agreement, for tentative conclusions only"


def test_alpha_matches_krippendorffs_worked_binary_example():
    """The figures are the paper's (also checked against the `krippendorff` package)."""
    agreement = stance_agreement(table(KRIPPENDORFF_BINARY))
    assert agreement.alpha == pytest.approx(0.095, abs=0.0005)
    assert (agreement.units, agreement.annotators) == (10, 2)
    assert "too little agreement" in agreement.reading


def test_alpha_is_the_same_with_the_stance_labels_the_app_uses():
    labels = {"1": "supports", "2": "opposes", "3": "neutral", "4": "mixed", "5": "other"}
    relabelled = {
        annotator: " ".join(labels.get(value, value) for value in row.split())
        for annotator, row in KRIPPENDORFF_MISSING.items()
    }
    assert stance_agreement(table(relabelled)).alpha == pytest.approx(0.743, abs=0.0005)


def test_passages_rated_by_one_annotator_do_not_change_alpha():
    lone = [rating("E", "supports", paragraph=100 + n) for n in range(5)]
    alone = stance_agreement(table(KRIPPENDORFF_MISSING))
    assert stance_agreement([*table(KRIPPENDORFF_MISSING), *lone]).alpha == alone.alpha


def test_alpha_is_undefined_when_everyone_chose_the_same_stance():
    ratings = [rating(who, "supports", paragraph=p) for who in "AB" for p in (1, 2, 3)]
    agreement = stance_agreement(ratings)
    assert agreement.alpha is None
    assert agreement.units == 3
    assert agreement.reading == (
        "not enough data: everyone chose the same stance; alpha is undefined"
    )
    assert agreement.disagreements == []


def test_one_shared_passage_is_not_enough_data():
    ratings = [
        rating("A", "supports"),
        rating("B", "opposes"),
        rating("A", "neutral", paragraph=2),
    ]
    agreement = stance_agreement(ratings)
    assert agreement.alpha is None
    assert (agreement.units, agreement.annotators) == (1, 2)
    assert agreement.reading.startswith("not enough data")


def test_no_ratings_at_all_is_not_enough_data():
    agreement = stance_agreement([])
    assert agreement == Agreement(
        alpha=None,
        units=0,
        annotators=0,
        pairs=[],
        reading="not enough data: 0 passages were rated by two or more annotators",
        disagreements=[],
    )
    assert krippendorff_alpha([]) is None


def test_disagreements_list_the_passages_whose_stances_differ():
    agreement = stance_agreement(table(KRIPPENDORFF_MISSING))
    # Units 2, 6 and 8 differ; unit 12 is rated once and is no disagreement.
    assert [unit.paragraph_id for unit in agreement.disagreements] == [2, 6, 8]
    assert agreement.disagreements[1].ratings == {"A": "1", "B": "2", "C": "3", "D": "4"}


# ------------------------------------------------------------------------ kappa


def test_cohens_kappa_for_a_pair_matches_the_hand_computed_value():
    # Agree on 8 of 10 (po = 0.8); each says "supports" 6 times and "opposes" 4 times, so
    # pe = 0.6 * 0.6 + 0.4 * 0.4 = 0.52, and kappa = (0.8 - 0.52) / (1 - 0.52) = 7/12.
    rows = {"ann": "s s s s s s o o o o", "bob": "s s s s s o o o o s"}
    stances = {"s": "supports", "o": "opposes"}
    ratings = [
        rating(who, stances[value], paragraph=column)
        for who, row in rows.items()
        for column, value in enumerate(row.split(), start=1)
    ]
    (pair,) = stance_agreement(ratings).pairs
    assert (pair.first, pair.second, pair.units) == ("ann", "bob", 10)
    assert pair.kappa == pytest.approx(7 / 12)


def test_kappa_uses_only_the_passages_both_annotators_rated():
    ratings = table({"A": "x y x y *", "B": "x y x x *", "C": "x y * * y"})
    pairs = {(pair.first, pair.second): pair for pair in stance_agreement(ratings).pairs}
    assert pairs["A", "C"].units == 2
    assert pairs["A", "C"].kappa == pytest.approx(1.0)  # agree on both shared units
    assert pairs["A", "B"].units == 4
    assert pairs["A", "B"].kappa == pytest.approx(0.5)  # po 3/4, pe 1/2


def test_kappa_is_none_for_a_pair_sharing_fewer_than_two_passages():
    ratings = table({"A": "x y x", "B": "x y y", "C": "* * x"})
    pairs = {(pair.first, pair.second): pair for pair in stance_agreement(ratings).pairs}
    assert pairs["A", "C"] == PairKappa(first="A", second="C", kappa=None, units=1)
    assert pairs["B", "C"].kappa is None
    assert pairs["A", "B"].kappa is not None


def test_kappa_is_none_when_a_pair_always_chose_one_stance():
    ratings = table({"A": "x x x", "B": "x x x"})
    (pair,) = stance_agreement(ratings).pairs
    assert pair == PairKappa(first="A", second="B", kappa=None, units=3)


# ------------------------------------------------------------------ the unit rule


def test_annotations_overlapping_by_half_the_shorter_span_are_one_passage():
    # The shorter span is 10 long; they share [15, 20), exactly half of it.
    ratings = [rating("A", "supports", start=0, end=20), rating("B", "opposes", start=15, end=25)]
    (unit,) = passage_units(ratings)
    assert unit == Unit(
        paragraph_id=1,
        start=0,
        end=25,
        ratings={"A": "supports", "B": "opposes"},
        annotation_ids={"A": ratings[0].annotation_id, "B": ratings[1].annotation_id},
    )


def test_a_short_annotation_inside_a_long_one_is_the_same_passage():
    ratings = [rating("A", "supports", start=0, end=500), rating("B", "opposes", start=40, end=50)]
    assert len(passage_units(ratings)) == 1


def test_annotations_overlapping_by_less_than_half_are_different_passages():
    # The shorter span is 10 long; they share [16, 20), less than half of it.
    ratings = [rating("A", "supports", start=0, end=20), rating("B", "opposes", start=16, end=26)]
    units = passage_units(ratings)
    assert [unit.ratings for unit in units] == [{"A": "supports"}, {"B": "opposes"}]


def test_touching_spans_do_not_overlap():
    ratings = [rating("A", "supports", start=0, end=10), rating("B", "supports", start=10, end=20)]
    assert len(passage_units(ratings)) == 2


def test_annotations_on_different_paragraphs_are_never_one_passage():
    ratings = [rating("A", "supports", paragraph=1), rating("B", "supports", paragraph=2)]
    units = passage_units(ratings)
    assert [(unit.paragraph_id, unit.ratings) for unit in units] == [
        (1, {"A": "supports"}),
        (2, {"B": "supports"}),
    ]


def test_an_annotation_joins_the_first_passage_whose_first_annotation_it_overlaps():
    # [0, 10) starts a unit; [8, 30) overlaps it by 2 of 10 and starts another; [9, 19)
    # overlaps the first's first by 1 of 10 (not enough) and the second's first by 10.
    ratings = [
        rating("A", "supports", start=0, end=10),
        rating("B", "opposes", start=8, end=30),
        rating("C", "neutral", start=9, end=19),
    ]
    units = passage_units(reversed(ratings))  # the input's order does not matter
    assert [unit.ratings for unit in units] == [
        {"A": "supports"},
        {"B": "opposes", "C": "neutral"},
    ]


def test_an_annotators_newer_annotation_supersedes_their_older_one_in_a_passage():
    older = rating("A", "supports", start=0, end=10, minutes=1)
    newer = rating("A", "opposes", start=2, end=12, minutes=5)
    other = rating("B", "opposes", start=0, end=10)
    (unit,) = passage_units([newer, older, other])
    assert unit.ratings == {"A": "opposes", "B": "opposes"}
    assert unit.annotation_ids["A"] == newer.annotation_id
    assert (unit.start, unit.end) == (0, 12)


def test_of_two_annotations_updated_at_once_the_higher_id_counts():
    first = rating("A", "supports", id=10)
    second = rating("A", "mixed", id=11)
    (unit,) = passage_units([second, first])
    assert unit.ratings == {"A": "mixed"}


def test_annotations_without_a_stance_are_left_out():
    ratings = [
        rating("A", "supports", paragraph=1),
        rating("B", "", paragraph=1),  # a plain highlight: no rating
        rating("A", "opposes", paragraph=2),
        rating("B", "opposes", paragraph=2),
        rating("A", "", paragraph=2, minutes=9),  # newer, but no stance: A's stays
        rating("C", "", paragraph=3),
    ]
    units = passage_units(ratings)
    assert [unit.ratings for unit in units] == [{"A": "supports"}, {"A": "opposes", "B": "opposes"}]
    agreement = stance_agreement(ratings)
    assert (agreement.units, agreement.annotators) == (1, 2)


# ------------------------------------------------------------------------ readings


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (0.85, "alpha 0.850: reliable agreement"),
        (0.800, "alpha 0.800: reliable agreement"),
        (0.70, "alpha 0.700: tentative agreement, for tentative conclusions only"),
        (0.667, "alpha 0.667: tentative agreement, for tentative conclusions only"),
        (0.6669, "alpha 0.667: tentative agreement, for tentative conclusions only"),
        (0.666, "alpha 0.666: too little agreement to draw conclusions"),
        (0.3, "alpha 0.300: too little agreement to draw conclusions"),
        (-0.0001, "alpha 0.000: too little agreement to draw conclusions"),
        (-0.4, "alpha -0.400: too little agreement to draw conclusions"),
    ],
)
def test_alpha_reads_as_krippendorffs_conventions_say(alpha, reading):
    assert alpha_reading(alpha, units=12) == reading


def test_a_single_passage_reads_as_not_enough_data():
    assert alpha_reading(None, units=1) == (
        "not enough data: 1 passage was rated by two or more annotators"
    )
