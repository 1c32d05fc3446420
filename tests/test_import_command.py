"""python manage.py import_articles: idempotence, updates in place, bad input."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.models import Article, Paragraph
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH, SEEDS, SOUTHFRONT


def run_import(*paths, expect_failure=False):
    out, err = StringIO(), StringIO()
    if expect_failure:
        with pytest.raises(CommandError) as error:
            call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue(), str(error.value)
    call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), ""


def snapshot():
    """Everything the importer writes, to compare before and after."""
    return (
        list(
            Article.objects.order_by("pk").values_list("pk", "slug", "content_hash", "updated_at")
        ),
        list(
            Paragraph.objects.order_by("pk").values_list(
                "pk", "article_id", "position", "kind", "text"
            )
        ),
    )


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


def test_importing_the_seed_folder_prints_a_summary(db):
    out, err, _ = run_import(SEEDS)
    assert "Articles: 3 created, 0 updated, 0 unchanged, 0 failed" in out
    assert "Paragraphs written: 144" in out
    assert "reference 37" in out and "reader_comment 2" in out and "quote 3" in out
    assert Article.objects.count() == 3
    assert err.strip() == ""


def test_importing_the_same_files_again_changes_nothing(db):
    run_import(SEEDS)
    before = snapshot()
    out, _, _ = run_import(SEEDS)
    assert "0 created, 0 updated, 3 unchanged, 0 failed" in out
    assert snapshot() == before


def test_forced_reimport_of_unchanged_files_keeps_every_id(db):
    run_import(SEEDS)
    before = snapshot()
    call_command("import_articles", str(SEEDS), "--force", stdout=StringIO(), stderr=StringIO())
    after = snapshot()
    assert [row[:3] for row in after[0]] == [row[:3] for row in before[0]]
    assert after[1] == before[1]


def test_the_same_content_under_another_path_is_not_a_second_article(db, workdir):
    run_import(GLOBAL_RESEARCH)
    shutil.copy(GLOBAL_RESEARCH, workdir / "copy.txt")
    out, _, _ = run_import(workdir / "copy.txt")
    assert "1 unchanged" in out
    assert Article.objects.count() == 1


def test_editing_a_file_updates_the_article_in_place(db, workdir):
    path = workdir / "paper.txt"
    shutil.copy(ACADEMIC, path)
    run_import(path)
    article = Article.objects.get()
    before = {p.text: p.pk for p in article.paragraphs.all()}
    conclusion = article.paragraphs.get(text="Conclusion")

    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "Research Background\n",
        "Research Background\n\nA paragraph added by the editor to test updates in place.\n",
    ).replace("alliances are temporary phenomena.", "alliances are short-lived phenomena.")
    path.write_text(edited, encoding="utf-8")

    out, _, _ = run_import(path)
    assert "0 created, 1 updated, 0 unchanged" in out
    article.refresh_from_db()
    assert Article.objects.count() == 1
    after = {p.text: p.pk for p in article.paragraphs.all()}
    unchanged = set(before) & set(after)
    assert len(unchanged) == len(before) - 1  # only the edited paragraph changed
    assert all(before[text] == after[text] for text in unchanged)
    added = article.paragraphs.get(text="A paragraph added by the editor to test updates in place.")
    assert added.position == article.paragraphs.get(text="Research Background").position + 1
    assert article.paragraphs.get(text="Conclusion").pk == conclusion.pk
    positions = list(article.paragraphs.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(after) + 1))
    edited_paragraph = article.paragraphs.get(text__contains="alliances are short-lived phenomena.")
    assert edited_paragraph.pk in before.values()  # the changed paragraph kept its row
    assert article.raw_text == edited


def test_an_added_paragraph_takes_its_place_in_the_order(db, workdir):
    path = workdir / "paper.txt"
    shutil.copy(SOUTHFRONT, path)
    run_import(path)
    article = Article.objects.get()
    first_body = article.paragraphs.order_by("position").first()
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Rare meeting.", "An inserted paragraph, for the test.\n\nRare meeting."
        ),
        encoding="utf-8",
    )
    run_import(path)
    ordered = list(article.paragraphs.order_by("position").values_list("pk", "text"))
    assert ordered[0][0] == first_body.pk
    assert ordered[1][1] == "An inserted paragraph, for the test."
    assert ordered[2][1].startswith("Rare meeting.")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n \t\n", "empty file"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "binary file",
        ),
        ("latin.txt", "Caf\u00e9 \u2013 na\u00efve".encode("utf-16"), "binary file"),
        ("noise.txt", b"\x81\x8d\x8f\x90\x9d" * 20, "not UTF-8 or Windows-1252 text"),
        ("notes.docx", b"PK\x03\x04 a word file", "unsupported file type '.docx'"),
    ],
)
def test_bad_files_fail_with_a_one_line_reason_and_write_nothing(
    db, workdir, name, content, reason
):
    run_import(GLOBAL_RESEARCH)
    before = snapshot()
    path = workdir / name
    path.write_bytes(content)
    out, err, summary = run_import(path, expect_failure=True)
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert name in error_lines[0] and reason in error_lines[0]
    assert "1 of 1 files failed" in summary
    assert "0 created, 0 updated, 0 unchanged, 1 failed" in out
    assert snapshot() == before


def test_windows_1252_text_is_read_as_such(db, workdir):
    path = workdir / "cp1252.txt"
    path.write_bytes(
        "A Title\n\nThe minister\u2019s \u201cred line\u201d \u2013 as reported \u2013 held.\n".encode(
            "cp1252"
        )
    )
    _out, _, _ = run_import(path)
    article = Article.objects.get()
    assert article.source_encoding == "cp1252"
    assert article.paragraphs.get().text == "The minister’s “red line” – as reported – held."


def test_a_file_over_the_size_limit_is_refused_without_reading_it(db, workdir, settings):
    path = workdir / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # 21 MB, sparse
    _out, err, _ = run_import(path, expect_failure=True)
    assert "huge.txt: larger than 20 MB (21.0 MB)" in err
    assert Article.objects.count() == 0


def test_a_missing_path_is_an_error_and_the_other_files_go_on(db, workdir):
    out, err, summary = run_import(workdir / "nowhere.txt", GLOBAL_RESEARCH, expect_failure=True)
    assert "nowhere.txt: no such file or directory" in err
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out
    assert "1 of 2 files failed" in summary
    assert Article.objects.count() == 1


def test_a_folder_of_mixed_files_imports_the_good_and_reports_the_bad(db, workdir):
    shutil.copy(GLOBAL_RESEARCH, workdir / "a.txt")
    (workdir / "sub").mkdir()
    shutil.copy(SOUTHFRONT, workdir / "sub" / "b.md")
    (workdir / "c.txt").write_bytes(b"")
    (workdir / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (workdir / ".hidden.txt").write_text("ignored")
    out, err, _summary = run_import(workdir, expect_failure=True)
    assert "2 created, 0 updated, 0 unchanged, 2 failed" in out
    assert "c.txt: empty file" in err
    assert "d.png: unsupported file type '.png'" in err
    assert ".hidden" not in out + err
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "An Alliance for Mutual Security",
        "Assad's Tehran Visit Signals Iran's Victory in Syria",
    ]


def test_a_failure_while_writing_rolls_back_that_file_only(db, workdir, monkeypatch):
    from corpus.services import paragraphs as services

    calls = {"count": 0}
    original = services._insert

    def fail_on_second_file(*args, **kwargs):
        original(*args, **kwargs)  # the paragraphs are written, then the write fails
        calls["count"] += 1
        if calls["count"] == 2:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "_insert", fail_on_second_file)
    out, err, _ = run_import(GLOBAL_RESEARCH, SOUTHFRONT, ACADEMIC, expect_failure=True)
    assert "001_3707027aeb539fd2.txt: the import failed (RuntimeError)" in err
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in out
    assert not Article.objects.filter(title="An Alliance for Mutual Security").exists()
    assert not Paragraph.objects.filter(text__startswith="Rare meeting.").exists()
    assert Article.objects.count() == 2


def test_many_files_show_a_progress_bar(db, workdir):
    text = SOUTHFRONT.read_text(encoding="utf-8")
    for number in range(25):
        (workdir / f"{number:02}.txt").write_text(
            text.replace("An Alliance for Mutual Security", f"Alliance number {number}"),
            encoding="utf-8",
        )
    out, err, _ = run_import(workdir)
    assert "Importing" in err and "/25 [" in err
    assert "25 created" in out
    assert Article.objects.count() == 25
    assert len({article.slug for article in Article.objects.all()}) == 25


def test_titles_that_clash_get_distinct_slugs(db, workdir):
    for number in range(3):
        (workdir / f"{number}.txt").write_text(f"Same Title\n\nParagraph number {number}.\n")
    run_import(workdir)
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "same-title",
        "same-title-2",
        "same-title-3",
    ]


def test_the_number_of_queries_does_not_grow_with_the_paragraphs(db, workdir):
    # Paragraphs are written in bulk: a paper twice as long costs about the same round trips.
    text = ACADEMIC.read_text(encoding="utf-8")
    body = text[text.index("Introduction") : text.index("References")]
    longer = text.replace(body, body + body.replace("Introduction", "Introduction Again"))
    (workdir / "long").mkdir()
    (workdir / "long" / "paper.txt").write_text(longer, encoding="utf-8")
    (workdir / "short").mkdir()
    (workdir / "short" / "paper.txt").write_text(
        text.replace("Realism", "Neorealism"), encoding="utf-8"
    )
    run_import(ACADEMIC)  # creates the keywords' tags, which the two measured imports reuse
    counts = []
    for path in (workdir / "short" / "paper.txt", workdir / "long" / "paper.txt"):
        with CaptureQueriesContext(connection) as queries:
            run_import(path)
        counts.append(len(queries))
    long_article = Article.objects.get(source_file__endswith="long/paper.txt")
    assert long_article.paragraphs.count() > 150
    # Batches of hundreds of rows: at most a couple more statements, not one per paragraph.
    assert counts[1] - counts[0] <= 2, counts


def test_a_new_version_that_drops_an_annotated_paragraph_keeps_its_annotation_as_an_orphan(
    db, workdir, people
):
    from tests.conftest import make_annotation

    path = workdir / "southfront.txt"
    shutil.copy(SOUTHFRONT, path)
    run_import(path)
    article = Article.objects.get()
    doomed = article.paragraphs.get(text__startswith="Neither of these groups exists in isolation")
    annotation = make_annotation(
        author=people["author"], paragraph=doomed, exact="Neither of these groups", stance="neutral"
    )
    text = path.read_text(encoding="utf-8")
    start = text.index("Neither of these groups")
    end = text.index("\n", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    out, _, _ = run_import(path)
    assert "0 created, 1 updated" in out
    assert "Annotations on changed text: 0 kept, 0 moved, 0 placed fuzzily, 1 orphaned" in out
    annotation.refresh_from_db()
    assert annotation.anchor_status == "orphaned"
    assert annotation.paragraph is None
    assert annotation.exact == "Neither of these groups"
    assert annotation.article_id == article.pk
    assert not article.paragraphs.filter(text__startswith="Neither of these groups").exists()
