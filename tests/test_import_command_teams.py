"""python manage.py import_articles with web pages, PDFs and --team: the same importer
as the page, into the same collections."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from corpus.models import Article
from tests import documents
from tests.conftest import SOUTHFRONT


def run_import(*arguments) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, arguments), stdout=out, stderr=err)
    return out.getvalue()


def test_a_folder_of_text_pages_and_pdfs_imports_into_a_team(people, reference_data, tmp_path):
    (tmp_path / "alliance.txt").write_bytes(SOUTHFRONT.read_bytes())
    (tmp_path / "news.html").write_bytes(documents.news_page_html())
    (tmp_path / "paper.pdf").write_bytes(documents.two_column_pdf())
    out = run_import("--team", people["team"].slug, tmp_path)
    assert "Articles: 3 created, 0 updated, 0 unchanged, 0 failed" in out
    articles = Article.objects.filter(team=people["team"], visibility="team")
    assert sorted(articles.values_list("source_format", flat=True)) == ["html", "pdf", "text"]


def test_the_same_file_into_the_public_corpus_and_a_team_is_two_articles(people, reference_data):
    run_import(SOUTHFRONT)
    run_import("--team", people["team"].slug, SOUTHFRONT)
    out = run_import("--team", people["team"].slug, SOUTHFRONT)
    assert "0 created, 0 updated, 1 unchanged" in out
    assert sorted(Article.objects.values_list("visibility", flat=True)) == ["public", "team"]


def test_an_unknown_team_is_a_one_line_error_and_imports_nothing(db):
    with pytest.raises(CommandError, match="no team has the slug 'nowhere'"):
        call_command("import_articles", "--team", "nowhere", str(SOUTHFRONT))
    assert not Article.objects.exists()


def test_a_scanned_pdf_fails_alone_with_its_reason(people, reference_data, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(documents.scanned_pdf())
    (tmp_path / "alliance.txt").write_bytes(SOUTHFRONT.read_bytes())
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "the PDF has no text layer (a scanned image): OCR it first" in err.getvalue()
    assert Article.objects.count() == 1
