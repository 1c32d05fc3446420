"""Anchoring a quote in a paragraph's text (no database)."""

import pytest

from annotations.anchoring import CONTEXT, QuoteNotFoundError, anchor_at, locate

TEXT = (
    "Iran is in Syria for good. The US faces a retreat from the Middle East. "
    "Iran is in Syria for good, say its officials, and Iran is in Syria to stay."
)


def test_offsets_that_point_at_the_quote_are_kept():
    start = TEXT.index("The US")
    anchor = locate(TEXT, exact="The US faces a retreat", start=start, end=start + 22)
    assert (anchor.start, anchor.end, anchor.exact) == (start, start + 22, "The US faces a retreat")
    assert anchor.prefix == TEXT[max(0, start - CONTEXT) : start]
    assert anchor.suffix == TEXT[start + 22 : start + 22 + CONTEXT]


def test_wrong_offsets_are_corrected_from_the_quote():
    anchor = locate(TEXT, exact="retreat from the Middle East", start=0, end=10)
    assert TEXT[anchor.start : anchor.end] == "retreat from the Middle East"


def test_repeated_quote_is_found_by_its_context():
    second = TEXT.index("Iran is in Syria for good", 10)
    anchor = locate(
        TEXT,
        exact="Iran is in Syria for good",
        prefix=TEXT[second - CONTEXT : second],
        suffix=TEXT[second + 25 : second + 25 + CONTEXT],
    )
    assert anchor.start == second


def test_repeated_quote_without_context_goes_to_the_offset_hint():
    third = TEXT.index("Iran is in Syria to stay")
    anchor = locate(TEXT, exact="Iran is in Syria", start=third + 1, end=third + 17)
    assert anchor.start == third


def test_selection_whitespace_is_normalised():
    anchor = locate(TEXT, exact="The US\n faces\u00a0a retreat")
    assert anchor.exact == "The US faces a retreat"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"exact": "   "}, "The quote is empty"),
        ({"exact": ""}, "The quote is empty"),
        ({"exact": "Moscow"}, "not in this paragraph"),
        ({"exact": "Iran", "start": -1, "end": 3}, "outside the paragraph"),
        ({"exact": "Iran", "start": 5, "end": 5000}, "outside the paragraph"),
        ({"exact": "Iran", "start": 7, "end": 3}, "outside the paragraph"),
        ({"exact": "Iran", "start": 3}, "both offsets"),
    ],
)
def test_bad_targets_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(QuoteNotFoundError, match=message):
        locate(TEXT, **kwargs)


def test_anchor_at_the_edges_has_short_context():
    anchor = anchor_at(TEXT, 0, 4)
    assert anchor.prefix == "" and anchor.exact == "Iran"
    end = len(TEXT)
    assert anchor_at(TEXT, end - 5, end).suffix == ""


def test_words_cut_off_into_a_new_paragraph_follow_their_context_not_a_twin_left_behind():
    """A paragraph cut in two keeps its row for the first part; an annotation on words
    of the second part that also occur once in the first goes with its neighbours."""
    from annotations.placement import ArticleText, Outcome, Target, place

    before = "Tehran sent advisers in 2012. Moscow sent aircraft in 2015, and advisers followed."
    first, second = before[:29], before[30:]
    start = before.index("advisers followed")
    target = Target(
        paragraph_id=1,
        start=start,
        end=start + len("advisers"),
        exact="advisers",
        prefix=before[max(0, start - 32) : start],
        suffix=before[start + 8 : start + 40],
    )
    article = ArticleText(texts={1: first, 2: second}, old_texts={1: before}, near={1: [1, 2]})
    placement = place(target, article)
    assert (placement.outcome, placement.paragraph_id) == (Outcome.MOVED, 2)
    assert second[placement.anchor.start : placement.anchor.end + 9] == "advisers followed"
