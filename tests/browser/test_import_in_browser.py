"""Importing in a real Chromium: many files through the worker with the results page
following the work, a refused file answered with its reason, pasted text, and the
whole form by keyboard alone."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings

from corpus.services import import_jobs
from tests import documents
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH, SOUTHFRONT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("console_errors"),  # these pages log no error at all
]

SHOTS = Path("/tmp/shots")
SCREENSHOTS = Path(settings.BASE_DIR) / "static" / "screenshots"
SCREENSHOT_VIEWPORT = {"width": 1280, "height": 800}

TEAM_CHOICE = "Levant Desk (seen by the team alone)"

# What a reader finds on each article's page: its title and a passage of its text.
EXPECTED = {
    GLOBAL_RESEARCH.name: (
        "Assad's Tehran Visit Signals Iran's Victory in Syria",
        "President Assad had only travelled outside of Syria on two other occasions",
    ),
    SOUTHFRONT.name: (
        "An Alliance for Mutual Security",
        "the heads of the armed forces of the Republics of Syria, Iraq and Iran met in Damascus",
    ),
    ACADEMIC.name: (
        "The Military & Security Cooperation between Iran and Russia in the Syrian Crisis "
        "with the Approach of Realism 2010-2017",
        "Since September 2015, when Putin officially intervened in the Syrian crisis",
    ),
    "levant-ledger.html": (
        documents.NEWS_TITLE,
        "Analysts in Beirut describe a partnership of convenience rather than an alliance.",
    ),
    "brokers-and-patrons.pdf": (
        documents.PAPER_TITLE,
        "Iran had arrived earlier and more quietly.",
    ),
}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def shoot(page, name, *, readme=False):
    """A screenshot in /tmp/shots, to look at; one the README shows is also saved to
    static/screenshots when CROSSREAD_UPDATE_SCREENSHOTS=1 (not on every run: the
    pictures would change with every paragraph count)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    if readme and os.environ.get("CROSSREAD_UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def five_files(tmp_path):
    """The three seeds, a saved news page and a two-column PDF, as a user has them."""
    paths = []
    for seed in (GLOBAL_RESEARCH, SOUTHFRONT, ACADEMIC):
        path = tmp_path / seed.name
        path.write_bytes(seed.read_bytes())
        paths.append(path)
    html = tmp_path / "levant-ledger.html"
    html.write_bytes(documents.news_page_html())
    pdf = tmp_path / "brokers-and-patrons.pdf"
    pdf.write_bytes(documents.two_column_pdf())
    return [*paths, html, pdf]


class WorkerGate:
    """Holds the embedded worker at two points: before it touches the database, and
    after the first file, until the test has seen the page at each step. Without it
    five small files may be done before the results page has loaded."""

    def __init__(self) -> None:
        self.start = threading.Event()
        self.go_on = threading.Event()
        self.prepared: list[str] = []

    def release(self) -> None:
        self.start.set()
        self.go_on.set()


@pytest.fixture
def worker_gate(monkeypatch):
    gate = WorkerGate()
    run_pending_jobs = import_jobs.run_pending_jobs
    prepare = import_jobs.prepare_article_bytes

    def run_when_let(*args, **kwargs):
        gate.start.wait(timeout=60)
        return run_pending_jobs(*args, **kwargs)

    def prepare_then_wait(data, *, name, **kwargs):
        if gate.prepared:
            gate.go_on.wait(timeout=60)
        gate.prepared.append(name)
        return prepare(data, name=name, **kwargs)

    monkeypatch.setattr(import_jobs, "run_pending_jobs", run_when_let)
    monkeypatch.setattr(import_jobs, "prepare_article_bytes", prepare_then_wait)
    yield gate
    gate.release()  # never leave the server's worker thread waiting


def result_rows(page):
    """(file, result, article title) of each line of the results table."""
    return [
        tuple(cell.strip() for cell in row.locator("td").all_inner_texts())
        for row in page.locator("table.import-results tbody tr").all()
    ]


def test_five_files_import_through_the_worker_and_each_article_opens(
    page, live_server, settings, people, reference_data, five_files, worker_gate
):
    settings.CROSSREAD_IMPORT_WORKER = "embedded"
    assert len(five_files) > settings.CROSSREAD_IMPORT_INLINE_FILES
    # The page's questions to the server while the worker writes must all be answered.
    failures: list[str] = []
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.status} {response.url}") if response.status >= 500 else None
        ),
    )
    page.set_viewport_size(SCREENSHOT_VIEWPORT)
    sign_in(page, live_server, "annotator")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Into").select_option(label=TEAM_CHOICE)
    page.get_by_label("Files").set_input_files(five_files)
    shoot(page, "import-page", readme=True)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/import/\d+/$"))

    # The page follows the work: nothing done yet, then one file of five.
    assert page.get_by_role("heading", name="Import into Levant Desk").is_visible()
    progress = page.get_by_role("status")
    progress.filter(has_text="Importing… 0 of 5 files done.").wait_for()
    assert [result for _, result, _ in result_rows(page)] == ["Waiting"] * 5
    worker_gate.start.set()
    progress.filter(has_text="Importing… 1 of 5 files done.").wait_for()
    # Each line says its result as soon as its file is done.
    assert [result for _, result, _ in result_rows(page)] == ["Created"] + ["Waiting"] * 4
    shoot(page, "import-progress")
    worker_gate.go_on.set()

    # When the worker is done the page reloads itself with every line filled in.
    page.get_by_text("Done: 5 files.").wait_for(timeout=60_000)
    rows = result_rows(page)
    assert [name for name, _, _ in rows] == [path.name for path in five_files]
    for name, result, title in rows:
        assert re.fullmatch(r"Created \(\d+ paragraphs?\)", result), (name, result)
        assert title == EXPECTED[name][0]
    assert page.locator(".import-result--failed").count() == 0
    assert not failures, failures
    shoot(page, "import-results", readme=True)
    # On a phone the table fits the screen: long file names break, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "import-results-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    results = page.url
    for name, (title, passage) in EXPECTED.items():
        row = page.locator("table.import-results tbody tr", has_text=name)
        row.get_by_role("link", name=title).click()
        page.wait_for_url(re.compile(r".*/articles/[^/]+/$"))
        assert page.locator("h1.article-title").inner_text() == title
        assert page.locator(".ptext", has_text=passage).first.is_visible(), name
        page.goto(results)


def test_a_refused_file_alone_is_answered_with_its_reason_and_the_form_to_try_again(
    page, live_server, people, reference_data, tmp_path, console_errors
):
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 not an article Crossread reads")
    page.set_viewport_size(SCREENSHOT_VIEWPORT)
    sign_in(page, live_server, "annotator")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Files").set_input_files(notes)
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith("/import/")
    ) as answer:
        page.get_by_role("button", name="Import").click()
    assert answer.value.status == 400
    page.wait_for_load_state()
    # Chromium logs every answer of 400 or more; this one is the page's own answer.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    console_errors.clear()

    alert = page.get_by_role("alert")
    assert alert.get_by_role("heading", name="Nothing was imported").is_visible()
    assert result_rows(page) == [
        (
            "notes.docx",
            "Failed: unsupported file type '.docx'; Crossread imports .txt, .md, .html and "
            ".pdf files",
            "",
        )
    ]
    shoot(page, "import-refused")

    # The form is still there, the team still chosen: try again with a file it reads.
    assert page.get_by_label("Into").input_value() == str(people["team"].pk)
    page.get_by_label("Files").set_input_files(GLOBAL_RESEARCH)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/import/\d+/$"))
    assert page.get_by_text("Done: 1 file.").is_visible()
    ((name, result, title),) = result_rows(page)
    assert name == GLOBAL_RESEARCH.name and result.startswith("Created")
    assert title == EXPECTED[GLOBAL_RESEARCH.name][0]


PASTED_TITLE = "Notes from the Astana talks"
PASTED_PASSAGE = "The delegations agreed to meet again in Tehran before the summer."


def test_pasted_text_imports_and_its_article_opens(page, live_server, people, reference_data):
    sign_in(page, live_server, "annotator")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Or paste text").fill(
        f"# {PASTED_TITLE}\n\n"
        "Russian, Iranian and Turkish envoys met in Astana for two days of talks on the "
        "ceasefire in Idlib.\n\n"
        f"{PASTED_PASSAGE}\n"
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/import/\d+/$"))
    assert page.get_by_text("Done: 1 file.").is_visible()
    ((name, result, title),) = result_rows(page)
    assert re.fullmatch(r"pasted-text-[0-9a-f]{12}\.txt", name), name
    assert result == "Created (2 paragraphs)"
    assert title == PASTED_TITLE
    page.get_by_role("link", name=PASTED_TITLE).click()
    page.wait_for_url(re.compile(r".*/articles/[^/]+/$"))
    assert page.locator("h1.article-title").inner_text() == PASTED_TITLE
    assert page.locator(".ptext", has_text=PASTED_PASSAGE).is_visible()


def focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || e.getAttribute('name') || e.textContent.trim(); }"
    )


def tab_to(page, target, *, limit=40):
    """Press Tab until the element (by id, name or text) has the focus; how many presses
    it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return presses
    raise AssertionError(f"Tab never reached {target!r}; the focus is on {focused(page)!r}")


def test_the_form_by_keyboard_alone(page, live_server, people, reference_data, console_errors):
    # Playwright asks Chromium to hand it file choosers without waiting for the answer:
    # asked this early, the request is in place before a key opens one.
    page.on("filechooser", lambda chooser: None)
    sign_in(page, live_server, "annotator")
    page.goto(f"{live_server.url}/import/")

    # Every field has its label; the file field is one a keyboard reaches.
    assert page.get_by_label("Into").get_attribute("id") == "id_team"
    assert page.get_by_label("Files").get_attribute("id") == "id_files"
    assert page.get_by_label("Or paste text").get_attribute("id") == "id_text"

    tab_to(page, "id_team")
    page.keyboard.press("ArrowDown")  # one team to choose from: it stays chosen
    assert page.get_by_label("Into").input_value() == str(people["team"].pk)
    page.keyboard.press("Tab")
    assert focused(page) == "id_files"
    shoot(page, "import-file-focused")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    assert chooser.value.is_multiple()
    chooser.value.set_files([SOUTHFRONT])
    page.keyboard.press("Tab")
    assert focused(page) == "id_text"
    page.keyboard.type(f"# {PASTED_TITLE}\n\n{PASTED_PASSAGE}")
    page.keyboard.press("Tab")
    assert focused(page) == "Import"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/import/\d+/$"))

    assert page.get_by_text("Done: 2 files.").is_visible()
    assert [(name[:12], result[:7], title) for name, result, title in result_rows(page)] == [
        ("pasted-text-", "Created", PASTED_TITLE),
        (SOUTHFRONT.name[:12], "Created", EXPECTED[SOUTHFRONT.name][0]),
    ]
    # From the results, the keyboard reaches the articles too.
    tab_to(page, PASTED_TITLE, limit=60)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/articles/[^/]+/$"))
    assert page.locator(".ptext", has_text=PASTED_PASSAGE).is_visible()
    assert not console_errors, console_errors
