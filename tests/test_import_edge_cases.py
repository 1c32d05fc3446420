"""Files that attack the importer: the same file imports the same way on SQLite and
PostgreSQL, or is refused with the importer's own one-line reason (never a raw
database error), and a folder import says what it skips."""

import os
import shutil
import socket

import pytest

from corpus.models import Article, Paragraph
from tests.conftest import ACADEMIC, SOUTHFRONT
from tests.test_import_command import run_import, snapshot


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


def academic_with(text_before: str, text_after: str) -> str:
    source = ACADEMIC.read_text(encoding="utf-8")
    assert text_before in source
    return source.replace(text_before, text_after, 1)


def test_a_nul_byte_far_into_the_file_is_refused_and_nothing_is_written(db, workdir):
    path = workdir / "nul.txt"
    text = ACADEMIC.read_text(encoding="utf-8")
    path.write_text(text[:20_000] + "\x00" + text[20_000:], encoding="utf-8")
    before = snapshot()
    _, err, _ = run_import(path, expect_failure=True)
    assert "nul.txt: a NUL character at offset 20,000: binary data, not text" in err
    assert snapshot() == before


def test_a_keyword_longer_than_a_tag_is_cut_at_a_word(db, workdir):
    long_keyword = "the " + "very " * 40 + "long keyword"
    path = workdir / "long-keyword.txt"
    path.write_text(
        academic_with("Keywords: Syrian crisis,", f"Keywords: {long_keyword}, Syrian crisis,"),
        encoding="utf-8",
    )
    run_import(path)
    names = list(Article.objects.get().keywords.values_list("name", flat=True))
    assert "Syrian crisis" in names
    cut = [name for name in names if name.startswith("the very")]
    assert len(cut) == 1 and len(cut[0]) <= 100 and cut[0].endswith("very")


def test_thousands_of_keywords_are_capped_not_a_database_error(db, workdir):
    many = ", ".join(f"keyword {number}" for number in range(5000))
    path = workdir / "many-keywords.txt"
    path.write_text(
        academic_with("Keywords: Syrian crisis,", f"Keywords: {many}, Syrian crisis,"),
        encoding="utf-8",
    )
    out, _, _ = run_import(path)
    assert "1 created" in out
    assert Article.objects.get().keywords.count() == 100


def test_a_folder_import_reports_each_thing_it_skips(db, workdir):
    folder = workdir / "corpus"
    folder.mkdir()
    shutil.copy(SOUTHFRONT, folder / "southfront.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "elsewhere").symlink_to(workdir)  # a link to a folder (here, a loop)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.txt"))
    try:
        out, err, _ = run_import(folder)
    finally:
        server.close()
    assert "1 created" in out and "5 skipped in the folders" in out
    skipped = [line for line in err.splitlines() if line.startswith("skipped: ")]
    for name, reason in (
        ("loop.txt", "a symbolic link loop"),
        ("dangling.txt", "a dangling symbolic link (its target does not exist)"),
        ("pipe.txt", "a FIFO (named pipe), not a regular file"),
        ("elsewhere", "a link to a folder, not followed"),
        ("socket.txt", "a socket, not a regular file"),
    ):
        assert f"skipped: {folder / name}: {reason}" in skipped, (name, err)
    assert Article.objects.count() == 1


def test_a_file_name_that_is_not_utf8_gets_the_importers_own_error(db, workdir):
    folder = workdir / "odd"
    folder.mkdir()
    shutil.copy(SOUTHFRONT, folder / "good.txt")
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(odd, "wb") as handle:
        handle.write(SOUTHFRONT.read_bytes().replace(b"Mutual Security", b"Other Security"))
    out, err, message = run_import(folder, expect_failure=True)
    assert "caf\\xe9.txt: the file's name is not valid UTF-8: rename the file" in err
    assert "1 created" in out and "1 failed" in out
    assert "1 of 2 files failed" in message
    assert Article.objects.count() == 1 and Paragraph.objects.exists()


def test_a_path_given_that_is_a_link_loop_is_reported_as_such(db, workdir):
    loop = workdir / "loop.txt"
    loop.symlink_to(loop)
    _, err, _ = run_import(loop, expect_failure=True)
    assert "loop.txt: a symbolic link loop" in err


def test_a_source_url_that_is_not_one_is_left_out(db, workdir):
    path = workdir / "url.md"
    path.write_text(
        "# A title\n\nSource: https://exa mple.org/" + "x" * 2000 + "\n\nA paragraph of text.\n",
        encoding="utf-8",
    )
    out, _, _ = run_import(path)
    assert "1 created" in out
    assert Article.objects.get().source_url == ""
