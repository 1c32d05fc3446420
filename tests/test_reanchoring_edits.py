"""The test set of edits on the seed articles: an annotation is made on the article as
imported, the file is edited and imported again, and the annotation must land where
its words went (kept or moved), on the reworded words (placed fuzzily), or wait as an
orphan; never on other words.

Each case is an article file ``before`` and ``after`` an edit, both made from a seed
by plain replacements, and the quote annotated in ``before``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotations.models import Annotation
from corpus.models import Article, Paragraph
from corpus.services import article_import_file
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH, SOUTHFRONT, make_annotation

RAND = (
    "US policy papers predating the 2011 proxy war against Syria – including the RAND Corporation's"
)
SELF_DEFENSE = (
    "noted that much of Iran's domestic and regional policies revolved around self-defense"
)


@dataclass(frozen=True)
class Edit:
    name: str
    seed: Path
    quote: str  # annotated in the "before" file
    expected: str  # kept, moved, fuzzy or orphaned
    lands_on: str | None  # the words it must stand on afterwards (None for an orphan)
    before: tuple[tuple[str, str], ...] = ()  # replacements making the "before" file
    after: tuple[tuple[str, str], ...] = ()  # replacements making the "after" file
    force: bool = False  # import "after" even if unchanged


EDITS = [
    Edit(
        "a typo fixed inside the quote",
        GLOBAL_RESEARCH,
        quote=SELF_DEFENSE.replace("domestic", "domestc"),
        before=(("Iran's domestic and regional", "Iran's domestc and regional"),),
        expected="fuzzy",
        lands_on=SELF_DEFENSE,
    ),
    Edit(
        "a typo fixed elsewhere in the paragraph",
        GLOBAL_RESEARCH,
        quote=SELF_DEFENSE,
        before=(("US policy papers predating", "US policy papers predatting"),),
        expected="moved",
        lands_on=SELF_DEFENSE,
    ),
    Edit(
        "a sentence inserted before the quote",
        GLOBAL_RESEARCH,
        quote=SELF_DEFENSE,
        after=(("US policy papers predating", "This matters. US policy papers predating"),),
        expected="moved",
        lands_on=SELF_DEFENSE,
    ),
    Edit(
        "a paragraph split in two (the quote in its second half)",
        GLOBAL_RESEARCH,
        quote=SELF_DEFENSE,
        after=(('(#)," noted that much', '(#)."\n\nIt noted that much'),),
        expected="moved",
        lands_on=SELF_DEFENSE,
    ),
    Edit(
        "a paragraph split in two (the quote in its first half)",
        GLOBAL_RESEARCH,
        quote=RAND,
        after=(('(#)," noted that much', '(#)."\n\nIt noted that much'),),
        expected="kept",
        lands_on=RAND,
    ),
    Edit(
        "two paragraphs merged (the quote in the second)",
        GLOBAL_RESEARCH,
        quote="The RAND paper itself would note",
        after=(("self-defense.\n\nThe RAND paper", "self-defense. The RAND paper"),),
        expected="moved",
        lands_on="The RAND paper itself would note",
    ),
    Edit(
        "the quote reworded slightly",
        GLOBAL_RESEARCH,
        quote=RAND,
        after=(("US policy papers predating", "American policy papers that predate"),),
        expected="fuzzy",
        lands_on=RAND.replace("US policy papers predating", "American policy papers that predate"),
    ),
    Edit(
        "the quote deleted",
        GLOBAL_RESEARCH,
        quote="revolved around self-defense",
        after=((" revolved around self-defense.", "."),),
        expected="orphaned",
        lands_on=None,
    ),
    Edit(
        "the paragraph deleted",
        GLOBAL_RESEARCH,
        quote="it is a possibility that appears to be fading into the distance",
        after=(
            (
                "While the prospect of US war with Iran can never be fully ruled out, it is a "
                "possibility that appears to be fading into the distance as US power wanes "
                "regionally and globally.",
                "",
            ),
        ),
        expected="orphaned",
        lands_on=None,
    ),
    Edit(
        "the whole article re-imported unchanged",
        GLOBAL_RESEARCH,
        quote=SELF_DEFENSE,
        force=True,
        expected="kept",
        lands_on=SELF_DEFENSE,
    ),
    Edit(
        "a typo fixed inside the quote (academic paper, plain text)",
        ACADEMIC,
        quote="The school of realism is the opposite of the school of idealsm",
        before=(("opposite of the school of idealism", "opposite of the school of idealsm"),),
        expected="fuzzy",
        lands_on="The school of realism is the opposite of the school of idealism",
    ),
    Edit(
        "a sentence inserted before the quote (academic paper)",
        ACADEMIC,
        quote="Realism is a French term derived from the root",
        after=(("Realism is a French term", "A note first. Realism is a French term"),),
        expected="moved",
        lands_on="Realism is a French term derived from the root",
    ),
    Edit(
        "a paragraph split in two (op-ed with reader comments)",
        SOUTHFRONT,
        quote="exists due to the fear of the influence of Iran upon its Shiite populations",
        after=(("each other: the Israeli/Sunni group", "each other.\n\nThe Israeli/Sunni group"),),
        expected="moved",
        lands_on="exists due to the fear of the influence of Iran upon its Shiite populations",
    ),
]


def _write(path: Path, seed: Path, replacements) -> None:
    text = seed.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"the seed has no {old!r}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def run_edit(edit: Edit, folder: Path, author) -> Annotation:
    path = folder / f"edited{edit.seed.suffix}"
    _write(path, edit.seed, edit.before)
    article = article_import_file(path=path).article
    paragraph = Paragraph.objects.get(article=article, text__contains=edit.quote)
    annotation = make_annotation(author=author, paragraph=paragraph, exact=edit.quote)
    _write(path, edit.seed, edit.after if (edit.after or edit.force) else ())
    outcome = article_import_file(path=path, force=edit.force)
    assert outcome.status in {"updated", "unchanged"}, outcome.error
    annotation.refresh_from_db()
    return annotation


def outcome_of(annotation: Annotation, version_before: int = 1) -> str:
    if annotation.anchor_status == "orphaned":
        return "orphaned"
    if annotation.anchor_status == "fuzzy":
        return "fuzzy"
    return "kept" if annotation.version == version_before else "moved"


@pytest.mark.parametrize("edit", EDITS, ids=[edit.name for edit in EDITS])
def test_an_edit_places_the_annotation_where_its_words_went(edit, tmp_path, people, reference_data):
    annotation = run_edit(edit, tmp_path, people["author"])
    assert outcome_of(annotation) == edit.expected
    if edit.lands_on is None:
        assert annotation.paragraph_id is None
        assert annotation.exact == edit.quote  # the old quote, kept for a person
        return
    text = annotation.paragraph.text
    assert text[annotation.start : annotation.end] == annotation.exact == edit.lands_on
    assert annotation.article_id == annotation.paragraph.article_id
    if edit.expected == "fuzzy":
        assert annotation.previous_exact == edit.quote


def test_the_edit_set_lands_nothing_on_wrong_words(tmp_path, people, reference_data, capsys):
    tally = Counter()
    for number, edit in enumerate(EDITS):
        folder = tmp_path / str(number)
        folder.mkdir()
        annotation = run_edit(edit, folder, people["author"])
        outcome = outcome_of(annotation)
        Annotation.objects.all().delete()  # the next case starts from a fresh corpus
        Article.objects.all().delete()
        tally[outcome] += 1
        right = (
            annotation.paragraph_id is None
            if edit.lands_on is None
            else annotation.exact == edit.lands_on
        )
        tally["right words" if right else "WRONG WORDS"] += 1
    with capsys.disabled():
        print(
            f"\nre-anchoring test set: {len(EDITS)} edits: {tally['kept'] + tally['moved']} exactly "
            f"({tally['kept']} kept, {tally['moved']} moved), {tally['fuzzy']} fuzzily, "
            f"{tally['orphaned']} orphaned; {tally['WRONG WORDS']} on wrong words"
        )
    assert tally["WRONG WORDS"] == 0
    assert tally["right words"] == len(EDITS)


def test_editing_a_paragraph_in_the_admin_replaces_its_annotation_on_the_new_words(
    client, people, seed_articles
):
    """The issue's example: paragraph 13 of the Global Research article, reworded."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    article = seed_articles["global_research"]
    paragraph = article.paragraphs.get(text__startswith="US policy papers predating")
    sentence = paragraph.text
    annotation = make_annotation(author=people["author"], paragraph=paragraph, exact=sentence)
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-c-2026")
    client.force_login(curator)
    response = client.post(
        reverse("admin:corpus_paragraph_change", args=[paragraph.pk]),
        {
            "kind": paragraph.kind,
            "level": "",
            "markup": paragraph.markup.replace(
                "US policy papers predating", "American policy papers that predate"
            ),
        },
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    paragraph.refresh_from_db()
    assert annotation.anchor_status == "fuzzy"
    assert annotation.exact.startswith("American policy papers that predate the 2011 proxy war")
    assert paragraph.text[annotation.start : annotation.end] == annotation.exact
    assert annotation.previous_exact == sentence
    # The page shows it on the new words, with the old quote for the record.
    client.force_login(people["author"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Placed on reworded text" in html


def test_an_orphan_is_listed_and_re_attached_by_its_author(
    client, people, reference_data, tmp_path
):
    edit = Edit(
        "",
        GLOBAL_RESEARCH,
        quote="revolved around self-defense",
        after=((" revolved around self-defense.", "."),),
        expected="orphaned",
        lands_on=None,
    )
    annotation = run_edit(edit, tmp_path, people["author"])
    article = annotation.article
    client.force_login(people["author"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Could not be placed" in html and "revolved around self-defense" in html
    assert f'href="/annotations/{annotation.pk}/reattach/"' in html
    # Others who may not see it see no trace of it.
    client.force_login(people["outsider"])
    assert "Could not be placed" not in client.get(article.get_absolute_url()).content.decode()
    # The author selects the new passage and saves.
    client.force_login(people["author"])
    paragraph = article.paragraphs.get(text__contains="noted that much of Iran's")
    page = client.get(f"/annotations/{annotation.pk}/reattach/")
    assert page.status_code == 200 and "Re-attach" in page.content.decode()
    response = client.post(
        f"/annotations/{annotation.pk}/reattach/",
        {"paragraph": paragraph.pk, "exact": "regional policies", "version": annotation.version},
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.anchor_status == "anchored"
    assert paragraph.text[annotation.start : annotation.end] == "regional policies"
    assert annotation.previous_exact == "revolved around self-defense"


def test_someone_who_may_not_edit_an_orphan_cannot_re_attach_it(
    client, people, reference_data, tmp_path
):
    edit = EDITS[7]  # the quote deleted
    annotation = run_edit(edit, tmp_path, people["author"])
    client.force_login(people["outsider"])
    assert client.get(f"/annotations/{annotation.pk}/reattach/").status_code == 404
