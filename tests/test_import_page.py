"""The import page: a team's writers (and staff, for the public corpus) upload files or
paste text; each file gets its result line; a submission of which nothing can be
imported is a 400 with each file's reason, and leaves the database as it was."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from corpus.models import Article, ImportItem, ImportJob, Paragraph
from tests import documents
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH, SOUTHFRONT

IMPORT = reverse("annotations:import")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def seed_file(path) -> SimpleUploadedFile:
    return upload(path.name, path.read_bytes())


@pytest.fixture
def writer(client, people):
    client.force_login(people["annotator"])
    return client


@pytest.fixture
def staff_client(client, db):
    staff = get_user_model().objects.create_user("curator", password="pw-curator", is_staff=True)
    client.force_login(staff)
    return client


def snapshot() -> tuple[int, int, int, int]:
    return (
        Article.objects.count(),
        Paragraph.objects.count(),
        ImportJob.objects.count(),
        ImportItem.objects.count(),
    )


def result_lines(response) -> list[tuple[str, str]]:
    """(file name, result) of each line of the results table, as a reader reads them."""
    html = response.content.decode()
    rows = re.findall(
        r'<tr class="import-result[^"]*"[^>]*>\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>', html, re.S
    )
    return [(name, re.sub(r"<[^>]+>", "", result).strip()) for name, result in rows]


def test_the_seeds_import_into_the_team_with_a_line_each_linking_to_the_articles(writer, people):
    response = writer.post(
        IMPORT,
        {
            "team": people["team"].pk,
            "files": [seed_file(GLOBAL_RESEARCH), seed_file(SOUTHFRONT), seed_file(ACADEMIC)],
        },
        follow=True,
    )
    assert response.status_code == 200
    lines = result_lines(response)
    assert [name for name, _ in lines] == [
        GLOBAL_RESEARCH.name,
        SOUTHFRONT.name,
        ACADEMIC.name,
    ]
    assert all(result.startswith("Created") for _, result in lines), lines
    articles = Article.objects.filter(team=people["team"])
    assert articles.count() == 3
    assert set(articles.values_list("visibility", flat=True)) == {"team"}
    html = response.content.decode()
    for article in articles:
        assert f'href="{article.get_absolute_url()}"' in html
        assert writer.get(article.get_absolute_url()).status_code == 200


def test_importing_the_same_files_again_says_unchanged(writer, people):
    for expected in ("Created", "Unchanged"):
        response = writer.post(
            IMPORT, {"team": people["team"].pk, "files": [seed_file(SOUTHFRONT)]}, follow=True
        )
        assert result_lines(response)[0][1].startswith(expected)
    assert Article.objects.count() == 1


def test_pasted_text_becomes_an_article(writer, people):
    text = GLOBAL_RESEARCH.read_text(encoding="utf-8")
    response = writer.post(IMPORT, {"team": people["team"].pk, "text": text}, follow=True)
    assert result_lines(response)[0][1].startswith("Created")
    article = Article.objects.get()
    assert article.team == people["team"]
    assert article.paragraphs.filter(text__contains="Syria").exists()


def test_a_web_page_keeps_its_article_and_loses_its_scripts(writer, people):
    response = writer.post(
        IMPORT,
        {"team": people["team"].pk, "files": [upload("news.html", documents.news_page_html())]},
        follow=True,
    )
    assert result_lines(response)[0][1].startswith("Created")
    article = Article.objects.get()
    assert article.source_format == "html"
    assert "<script>" not in article.raw_text.lower()
    assert "onclick" not in article.raw_text.lower()
    page = writer.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page


def test_a_pdf_imports_from_its_text_layer(writer, people):
    response = writer.post(
        IMPORT,
        {"team": people["team"].pk, "files": [upload("paper.pdf", documents.two_column_pdf())]},
        follow=True,
    )
    assert result_lines(response)[0][1].startswith("Created"), result_lines(response)
    article = Article.objects.get()
    assert article.source_format == "pdf"
    assert article.paragraphs.count() > 5


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.docx", b"PK\x03\x04 a word file", "unsupported file type '.docx'"),
        ("paper.pdf", b"Just some text, named as a PDF.", "not a PDF"),
        ("\u202e\u200e.txt", b"some text", "no usable file name"),
        ("empty.txt", b"", "empty file"),
        ("binary.txt", bytes(range(256)) * 40, "binary file, not text"),
    ],
    ids=["wrong type", "not a pdf", "odd name", "empty", "binary"],
)
def test_a_file_refused_is_a_400_with_its_reason_and_nothing_stored(
    writer, people, name, data, reason
):
    before = snapshot()
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": [upload(name, data)]})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Nothing was imported" in html
    assert reason in html
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_unread(writer, people, settings):
    settings.CROSSREAD_IMPORT_MAX_BYTES = 2 * 1_048_576
    before = snapshot()
    big = upload("long.txt", b"word " * (1_048_576 // 2))  # 2.5 MB
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": [big]})
    assert response.status_code == 400
    assert "larger than 2 MB (2.5 MB)" in response.content.decode()
    assert snapshot() == before


def test_a_scanned_pdf_is_refused_with_the_reason(writer, people):
    before = snapshot()
    response = writer.post(
        IMPORT, {"team": people["team"].pk, "files": [upload("scan.pdf", documents.scanned_pdf())]}
    )
    assert response.status_code == 400
    assert "the PDF has no text layer (a scanned image): OCR it first" in response.content.decode()
    assert snapshot() == before


def test_a_pdf_that_inflates_to_gigabytes_is_refused(writer, people):
    before = snapshot()
    bomb = documents.pdf_bomb()
    assert len(bomb) < 2_000_000
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": [upload("bomb.pdf", bomb)]})
    assert response.status_code == 400
    assert "Failed" in response.content.decode()
    assert snapshot() == before


def test_a_page_of_scripts_alone_is_no_article(writer, people):
    before = snapshot()
    page = (
        b"<html><head><title>Breaking</title><script>document.write('<p>"
        + b"Injected text that looks like an article paragraph. " * 20
        + b"</p>')</script></head><body><script>alert(1)</script></body></html>"
    )
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": [upload("x.html", page)]})
    assert response.status_code == 400
    assert "no article text found" in response.content.decode()
    assert snapshot() == before


def test_a_compressed_page_is_refused_not_inflated(writer, people):
    import gzip

    before = snapshot()
    data = gzip.compress(b"<html><body>" + b"<p>aaaa</p>" * 2_000_000 + b"</body></html>")
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": [upload("x.html", data)]})
    assert response.status_code == 400
    assert "a compressed file" in response.content.decode()
    assert snapshot() == before


def test_names_lose_their_folders_and_invisible_characters(writer, people):
    text = SOUTHFRONT.read_bytes()
    response = writer.post(
        IMPORT,
        {"team": people["team"].pk, "files": [upload("../../etc/alli\u202eance.txt", text)]},
        follow=True,
    )
    assert result_lines(response)[0][0] == "alliance.txt"
    assert Article.objects.get().source_file == "alliance.txt"


def test_one_bad_file_fails_alone_and_the_others_go_on(writer, people):
    response = writer.post(
        IMPORT,
        {
            "team": people["team"].pk,
            "files": [seed_file(SOUTHFRONT), upload("scan.pdf", documents.scanned_pdf())],
        },
        follow=True,
    )
    assert response.status_code == 200
    lines = dict(result_lines(response))
    assert lines[SOUTHFRONT.name].startswith("Created")
    assert lines["scan.pdf"] == (
        "Failed: the PDF has no text layer (a scanned image): OCR it first"
    )
    assert Article.objects.count() == 1


def test_too_many_files_is_a_400_before_anything_is_read(writer, people, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    before = snapshot()
    files = [upload(f"f{n}.txt", b"A title\n\nSome text of the article.") for n in range(4)]
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": files})
    assert response.status_code == 400
    assert "At most 3 files at once" in response.content.decode()
    assert snapshot() == before


def test_only_a_teams_writers_may_import_into_it(client, people):
    text = {"text": "A title\n\nSome text of the article, long enough to keep."}
    assert client.get(IMPORT).status_code == 302  # sign in first
    client.force_login(people["viewer"])
    refused = client.get(IMPORT)
    assert refused.status_code == 403
    assert "Importing is for the writers of a team" in refused.content.decode()
    client.force_login(people["stranger"])  # the owner of another team
    response = client.post(IMPORT, {"team": people["team"].pk, **text})
    assert response.status_code == 400
    assert "You may import into a team you write for" in response.content.decode()
    response = client.post(IMPORT, {"team": "", **text})  # not staff: no public corpus
    assert response.status_code == 400
    assert Article.objects.count() == 0


def test_staff_import_into_the_public_corpus(staff_client):
    response = staff_client.post(
        IMPORT, {"team": "", "files": [seed_file(SOUTHFRONT)]}, follow=True
    )
    assert result_lines(response)[0][1].startswith("Created")
    article = Article.objects.get()
    assert (article.team, article.visibility) == (None, "public")


def test_many_files_go_to_the_worker_and_the_page_follows_them(writer, people, settings):
    settings.CROSSREAD_IMPORT_WORKER = "external"
    settings.CROSSREAD_IMPORT_INLINE_FILES = 1
    files = [seed_file(GLOBAL_RESEARCH), seed_file(SOUTHFRONT)]
    response = writer.post(IMPORT, {"team": people["team"].pk, "files": files})
    assert response.status_code == 302
    job_url = response["Location"]
    waiting = writer.get(job_url)
    assert "Importing…" in waiting.content.decode()
    status_url = reverse("annotations:import-job-status", args=[ImportJob.objects.get().pk])
    waiting_status = writer.get(status_url).json()
    assert (waiting_status["done"], waiting_status["files"], waiting_status["finished"]) == (
        False,
        2,
        0,
    )
    assert [item["label"] for item in waiting_status["items"]] == ["Waiting", "Waiting"]
    assert Article.objects.count() == 0

    from django.core.management import call_command

    call_command("import_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    done_status = writer.get(status_url).json()
    assert (done_status["done"], done_status["finished"]) == (True, 2)
    assert [item["label"] for item in done_status["items"]] == ["Created", "Created"]
    lines = result_lines(writer.get(job_url))
    assert [result.split(" ")[0] for _, result in lines] == ["Created", "Created"]
    assert ImportItem.objects.filter(data__isnull=False).count() == 0  # the files are dropped


def test_an_import_is_its_submitters_alone(writer, people, client):
    writer.post(IMPORT, {"team": people["team"].pk, "files": [seed_file(SOUTHFRONT)]})
    job = ImportJob.objects.get()
    other = client.__class__()
    other.force_login(people["owner"])
    assert other.get(reverse("annotations:import-job", args=[job.pk])).status_code == 404
    assert other.get(reverse("annotations:import-job-status", args=[job.pk])).status_code == 404


def test_the_results_page_takes_the_same_queries_however_many_files(writer, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for files in ([SOUTHFRONT], [SOUTHFRONT, GLOBAL_RESEARCH, ACADEMIC]):
        ImportJob.objects.all().delete()
        writer.post(IMPORT, {"team": people["team"].pk, "files": [seed_file(f) for f in files]})
        url = reverse("annotations:import-job", args=[ImportJob.objects.get().pk])
        with CaptureQueriesContext(connection) as queries:
            assert writer.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
