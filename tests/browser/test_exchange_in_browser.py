"""Annotations in and out, in a real Chromium under the site's Content-Security-Policy:
a personal API token made on the settings page (by keyboard) opens the W3C Web
Annotation Protocol to a real HTTP client until it is revoked; an article's W3C
download passes the W3C checker and, imported by a member of another team, lands
on the same words; a malformed file is refused next to its field with nothing
imported; the settings and import pages on a laptop and on a phone."""

import csv
import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from annotations.models import Annotation, ApiToken
from annotations.services import crossreference_create
from tests.browser.test_annotate_in_browser import sign_in
from tests.browser.test_review_in_browser import boxes_fit, no_sideways_scroll, tab_to
from tests.conftest import make_annotation
from tests.w3c import w3c_checker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("console_errors"),  # these pages log no error at all
]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = Path(settings.BASE_DIR) / "static" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


ACADEMIC_QUOTES = (
    "Military intervention in Syria was one of Russia's strategies",
    "Since September 2015, when Putin officially intervened in the Syrian crisis",
    "Iran and Russia in Syria has led to operational cooperation between the two",
)
GLOBAL_RESEARCH_QUOTE = "the eventual Russian military intervention in 2015"
A_LONG_ADDRESS = "https://example.org/an/article/that/is/nowhere/in/this/corpus/" + "x" * 80


def shoot(page, name, *, full_page=False, clip=None, docs=False):
    """A screenshot in test-artifacts, to look at; one of those the documentation shows
    (``docs``) is also saved to static/screenshots when CROSSREAD_UPDATE_SCREENSHOTS=1
    (not on every run: the pictures change with every token and date)."""
    ARTIFACTS.mkdir(exist_ok=True)
    options = {"full_page": full_page, "clip": clip}
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), **options)
    if docs and os.environ.get("CROSSREAD_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)


def under_the_policy(response) -> None:
    """The page came with the site's Content-Security-Policy (the fixtures fail the test
    on any violation of it)."""
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy


def check_w3c(path: Path) -> str:
    """Run the W3C checker on ``path``; its report. Exit status 0: every MUST holds."""
    result = subprocess.run(
        [sys.executable, str(w3c_checker()), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=path.parent,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, (
        f"the W3C checker refused {path.name}:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def api_get(live_server, path: str, token: str) -> tuple[int, str, dict]:
    """A real HTTP request to the live server, as a script would make it:
    (status, content type, JSON body)."""
    # The live server's own http:// address, never a file: or other scheme.
    request = urllib.request.Request(  # noqa: S310
        live_server.url + path,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/ld+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], json.load(error)


def documents_in(export: list) -> tuple[list[dict], list[dict]]:
    """(annotations, links) of an export file: [collection, page, page...]."""
    items = [
        item for node in export if node.get("type") == "AnnotationPage" for item in node["items"]
    ]
    links = [item for item in items if item.get("motivation") == "linking"]
    return [item for item in items if item.get("motivation") != "linking"], links


def download(page, link, folder: Path) -> Path:
    """Click ``link`` and keep the file the browser downloads."""
    with page.expect_download() as info:
        link.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.failure() is None
    return path


def csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def readable(page, selector: str) -> None:
    """Each element of ``selector`` is shown, lies within the viewport's width, holds
    its text without clipping it, in letters of at least 13 pixels (the site's help and
    error lines are 13.6)."""
    boxes_fit(page, selector)
    for element in page.locator(selector).all():
        assert element.is_visible(), selector
        fits = element.evaluate(
            """e => ({clipped: e.scrollWidth > e.clientWidth + 1,
                      size: parseFloat(getComputedStyle(e).fontSize)})"""
        )
        assert not fits["clipped"], (selector, element.inner_text())
        assert fits["size"] >= 13, (selector, fits)


# ---------------------------------------------------------------------- the team's work


@pytest.fixture
def team_work(seed_articles, people):
    """The Levant Desk's readings: three on the academic paper (two of them linked),
    one on the Global Research op-ed; and a private one of the annotator's that nobody
    else sees."""
    academic, global_research = seed_articles["academic"], seed_articles["global_research"]
    shared = dict(team=people["team"], visibility="team")

    def read(article, quote, author, stance, claim):
        return make_annotation(
            author=people[author],
            paragraph=article.paragraphs.get(text__contains=quote),
            exact=quote,
            stance=stance,
            claim=claim,
            **shared,
        )

    on_academic = [
        read(academic, ACADEMIC_QUOTES[0], "author", "supports", "Intervening was a strategy"),
        read(academic, ACADEMIC_QUOTES[1], "annotator", "neutral", "Russia intervened in 2015"),
        read(academic, ACADEMIC_QUOTES[2], "editor", "supports", "The two armies work together"),
    ]
    crossreference_create(
        author=people["author"],
        from_annotation=on_academic[0],
        to_annotation=on_academic[1],
        relation="elaborates",
        **shared,
    )
    elsewhere = read(
        global_research, GLOBAL_RESEARCH_QUOTE, "author", "neutral", "Dates the intervention"
    )
    make_annotation(
        author=people["annotator"],
        paragraph=academic.paragraphs.get(text__contains=ACADEMIC_QUOTES[0]),
        exact=ACADEMIC_QUOTES[0],
        stance="opposes",
        claim="PRIVATE READING",
    )
    return {"academic": on_academic, "all": [*on_academic, elsewhere]}


# ---------------------------------------------------------------------- API tokens


def test_a_token_made_on_the_settings_page_opens_the_api_until_it_is_revoked(
    page, live_server, people, team_work, console_errors
):
    page.set_viewport_size(LAPTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server, "author")
    page.goto(f"{live_server.url}/annotations/")
    shown = int(page.locator(".page-header p.muted").first.inner_text().split()[0])
    assert shown == len(team_work["all"])  # the team's four; not the annotator's private one

    # The user's name in the header leads to the settings.
    page.locator(".site-nav .nav-user").click()
    page.wait_for_url(f"{live_server.url}/settings/")
    assert page.get_by_text("You have no tokens.").is_visible()

    # Name the token and make it, by keyboard alone.
    now = tab_to(page, lambda e: e["name"] == "name")
    assert now["id"] == "id_name"
    page.keyboard.type("analysis notebook")
    with page.expect_navigation(url=f"{live_server.url}/settings/tokens/") as made:
        page.keyboard.press("Enter")
    assert made.value.status == 201
    assert made.value.headers.get("cache-control") == "no-store"
    under_the_policy(made.value)
    new = page.locator("[data-new-token]")
    assert new.get_by_role("heading").inner_text() == "Your new token “analysis notebook”"

    # Copy it as a person does: to the field, select all, copy.
    now = tab_to(page, lambda e: e["id"] == "new-token")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("ControlOrMeta+C")
    secret = page.evaluate("navigator.clipboard.readText()")
    assert secret == page.locator("#new-token").input_value()
    assert secret.startswith("cr_") and len(secret) > 40
    row = page.locator("table.tokens tbody tr")
    assert row.count() == 1
    assert "analysis notebook" in row.inner_text() and secret[:10] in row.inner_text()
    assert secret not in page.locator("table.tokens").inner_text()

    # A script with the token reads the container: what the list shows, the team's work.
    status, kind, container = api_get(live_server, "/api/annotations/", secret)
    assert status == 200, container
    assert kind.startswith("application/ld+json")
    assert container["total"] == shown
    ids = {item["id"] for item in container["first"]["items"]}
    base = live_server.url
    assert ids == {f"{base}/api/annotations/{annotation.pk}" for annotation in team_work["all"]}
    status, _, one_team = api_get(live_server, "/api/annotations/?team=levant-desk", secret)
    assert (status, one_team["total"]) == (200, len(team_work["all"]))

    # The page says when the token was last used; once revoked (by keyboard), it opens nothing.
    page.goto(f"{live_server.url}/settings/")
    assert page.locator("[data-new-token]").count() == 0  # the secret is shown once
    assert "never" not in row.inner_text()
    now = tab_to(page, lambda e: e["text"].startswith("Revoke"))
    assert now["text"] == "Revoke “analysis notebook”"
    with page.expect_navigation() as revoked:
        page.keyboard.press("Enter")
    under_the_policy(revoked.value)
    assert page.get_by_role("status").inner_text() == (
        "Token “analysis notebook” revoked: it opens nothing from now on."
    )
    assert row.get_attribute("class") == "token--revoked"
    assert "revoked" in row.inner_text()
    assert page.get_by_role("button", name="Revoke “analysis notebook”").count() == 0
    assert ApiToken.objects.get().revoked_at is not None

    status, kind, refused = api_get(live_server, "/api/annotations/", secret)
    assert status == 401
    assert kind.startswith("application/json")
    assert refused == {"error": "This token opens nothing: it was revoked, or never existed."}
    assert not console_errors, console_errors


# ---------------------------------------------------------------------- export, import


def test_an_articles_w3c_download_passes_the_checker_and_another_team_imports_it(
    page, live_server, seed_articles, people, team_work, tmp_path, console_errors
):
    w3c_checker()  # before any work: a missing checker is said at once
    academic = seed_articles["academic"]
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "author")
    response = page.goto(live_server.url + academic.get_absolute_url())
    under_the_policy(response)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".article-header dl").screenshot(path=str(ARTIFACTS / "article-downloads.png"))
    path = download(page, page.locator("[data-export=jsonld]"), tmp_path)
    assert path.name.startswith(f"crossread-{academic.slug[:40]}") and path.suffix == ".jsonld"
    report = check_w3c(path)
    assert "FAIL" not in report
    export = json.loads(path.read_text(encoding="utf-8"))
    annotations, links = documents_in(export)
    assert len(annotations) == len(team_work["academic"]) and len(links) == 1
    assert all(
        item["target"]["source"] == live_server.url + academic.get_absolute_url()
        for item in annotations
    )

    # The CSV next to it holds the same annotations, a row each.
    rows = csv_rows(download(page, page.locator("[data-export=csv]"), tmp_path))
    assert len(rows) == len(team_work["academic"])

    # A member of another team imports the file for their team.
    page.context.clear_cookies()
    sign_in(page, live_server, "stranger")
    response = page.goto(f"{live_server.url}/annotations/import/")
    under_the_policy(response)
    page.set_input_files("#id_file", path)
    page.select_option("#id_visibility", "team")
    page.select_option("#id_team", label="Gulf Desk")
    with page.expect_navigation() as imported:
        page.get_by_role("button", name="Import").click()
    assert imported.value.status == 200
    under_the_policy(imported.value)
    placed = len(annotations)
    report = page.locator("[data-import-report]")
    assert report.get_by_role("heading").inner_text() == (
        f"{placed} annotations imported ({placed} placed exactly, 0 fuzzily, 0 orphaned), 1 link."
    )
    counts = {
        cell.get_attribute("data-count"): cell.inner_text() for cell in report.locator("dd").all()
    }
    assert counts == {
        "exact": str(placed),
        "fuzzy": "0",
        "orphaned": "0",
        "links": "1",
        "skipped": "0",
    }

    theirs = list(Annotation.objects.filter(author=people["stranger"]))
    assert len(theirs) == placed
    assert {(a.team.slug, a.visibility) for a in theirs} == {("gulf-desk", "team")}
    words = {(a.paragraph_id, a.start, a.end, a.exact) for a in team_work["academic"]}
    assert {(a.paragraph_id, a.start, a.end, a.exact) for a in theirs} == words

    # The article's page now shows them, highlighted on their words, to their author.
    page.goto(live_server.url + academic.get_absolute_url())
    assert page.locator("[data-annotation-count]").inner_text() == str(placed)
    for annotation in theirs:
        card = page.locator(f"#a-{annotation.pk}")
        card.scroll_into_view_if_needed()
        assert card.is_visible()
        assert annotation.exact in card.locator(".card-quote").inner_text()
    assert not console_errors, console_errors


def test_the_lists_and_the_teams_downloads_keep_their_filters(
    page, live_server, people, team_work, tmp_path, console_errors
):
    w3c_checker()
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "author")
    page.goto(f"{live_server.url}/annotations/?stance=supports")
    links = page.locator("[data-export-links]")
    assert links.inner_text().startswith("Download these:")
    w3c = links.get_by_role("link", name="W3C Web Annotations")
    assert "stance=supports" in w3c.get_attribute("href")
    supporting = [a for a in team_work["all"] if a.stance == "supports"]
    export = json.loads(download(page, w3c, tmp_path).read_text(encoding="utf-8"))
    assert len(documents_in(export)[0]) == len(supporting)
    rows = csv_rows(download(page, links.get_by_role("link", name="CSV"), tmp_path))
    assert len(rows) == len(supporting)

    page.goto(f"{live_server.url}/annotations/")
    assert page.locator("[data-export-links]").inner_text().startswith("Download all you can see:")
    no_sideways_scroll(page)
    # The list's head: its heading, the download links, the filters.
    bottom = page.locator("form.filters").bounding_box()
    clip = {"x": 0, "y": 0, "width": LAPTOP["width"], "height": bottom["y"] + bottom["height"] + 12}
    shoot(page, "annotation-list-downloads", clip=clip, docs=True)

    page.goto(f"{live_server.url}/teams/levant-desk/")
    shoot(page, "team-downloads")
    path = download(page, page.locator("[data-export=jsonld]"), tmp_path)
    check_w3c(path)
    team_annotations, team_links = documents_in(json.loads(path.read_text(encoding="utf-8")))
    assert (len(team_annotations), len(team_links)) == (len(team_work["all"]), 1)
    assert len(csv_rows(download(page, page.locator("[data-export=csv]"), tmp_path))) == len(
        team_work["all"]
    )
    for url in ("/annotations/", "/teams/levant-desk/"):
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + url)
        no_sideways_scroll(page)
        boxes_fit(page, "[data-export-links], [data-export]")
    shoot(page, "team-downloads-phone", full_page=True)
    assert not console_errors, console_errors


NOT_JSON = b'{"type": "Annotation", "target": '


def an_annotation(live_server, article, quote: str, **fields) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "A reading", "purpose": "commenting"},
        "target": {
            "source": live_server.url + article.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
        **fields,
    }


@pytest.mark.parametrize("malformed", ["not JSON", "an annotation without a passage"])
def test_a_malformed_file_is_refused_next_to_its_field_and_nothing_is_imported(
    page, live_server, seed_articles, people, tmp_path, console_errors, malformed
):
    academic = seed_articles["academic"]
    path = tmp_path / "annotations.jsonld"
    if malformed == "not JSON":
        path.write_bytes(NOT_JSON)
        reason = "Nothing was imported. The file is not JSON: "
    else:
        good = an_annotation(live_server, academic, ACADEMIC_QUOTES[0])
        bad = an_annotation(live_server, academic, ACADEMIC_QUOTES[1])
        bad["target"] = {"source": bad["target"]["source"]}
        path.write_text(json.dumps([good, bad]), encoding="utf-8")
        reason = "Nothing was imported. $[1]: the target has no TextQuoteSelector (its quote)."
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "author")
    page.goto(f"{live_server.url}/annotations/import/")
    page.set_input_files("#id_file", path)
    with page.expect_navigation() as refused:
        page.get_by_role("button", name="Import").click()
    assert refused.value.status == 400
    # Chromium logs the page's 400 as a failed load: that one is expected.
    console_errors[:] = [error for error in console_errors if "status of 400" not in error]

    field = page.locator(".field--file")
    error = field.locator(".field-error")
    assert error.inner_text().startswith(reason), error.inner_text()
    assert page.locator("#id_file").get_attribute("aria-invalid") == "true"
    # In the field's own block, under the file input and its help, in one look with it.
    file_box, error_box = page.locator("#id_file").bounding_box(), error.bounding_box()
    help_box = field.locator(".help").bounding_box()
    assert file_box["y"] < help_box["y"] < error_box["y"], (file_box, help_box, error_box)
    assert error_box["y"] + error_box["height"] - file_box["y"] < PHONE["height"] / 3
    assert page.locator("[data-import-report]").count() == 0
    assert not Annotation.objects.exists()
    no_sideways_scroll(page)
    readable(page, ".field--file .field-error")
    shoot(page, f"import-annotations-refused-{malformed.replace(' ', '-')}-phone", full_page=True)
    assert not console_errors, console_errors


# ---------------------------------------------------------------------- laptop and phone


def test_the_settings_and_import_pages_fit_a_laptop_and_a_phone(
    page, live_server, seed_articles, people, tmp_path, console_errors
):
    """The settings page with a new token, a live one and a revoked one; the import
    page with a report that has every kind of line (a long address among them)."""
    academic = seed_articles["academic"]
    document = [
        an_annotation(live_server, academic, ACADEMIC_QUOTES[0]),
        an_annotation(live_server, academic, ACADEMIC_QUOTES[1]),
        an_annotation(
            live_server, academic, ACADEMIC_QUOTES[2].replace("operational", "operatonal")
        ),
        an_annotation(live_server, academic, "Words that are in no paragraph of the paper at all"),
        {
            **an_annotation(live_server, academic, "Nowhere."),
            "target": {
                "source": A_LONG_ADDRESS,
                "selector": {"type": "TextQuoteSelector", "exact": "A quote from no article here"},
            },
        },
    ]
    path = tmp_path / "readings.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    sign_in(page, live_server, "author")

    for width, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/settings/")
        for name in ("old script", f"field notebook ({width})"):
            page.fill("#id_name", name)
            with page.expect_navigation():
                page.get_by_role("button", name="Make a token").click()
            if name == "old script":
                with page.expect_navigation():
                    page.get_by_role("button", name="Revoke “old script”").first.click()
        secret = page.locator("#new-token")
        assert secret.is_visible()
        assert secret.input_value().startswith("cr_")
        # The whole secret is seen in its field, not cut off.
        assert secret.evaluate("e => e.scrollWidth <= e.clientWidth"), secret.evaluate(
            "e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).fontSize, getComputedStyle(e).fontFamily]"
        )
        no_sideways_scroll(page)
        boxes_fit(
            page, "[data-new-token], #new-token, table.tokens, #id_name, .import-form .button"
        )
        readable(page, "[data-new-token] h3, table.tokens td")
        revoked = page.locator("table.tokens tr.token--revoked").first
        assert "revoked" in revoked.inner_text()
        page.evaluate("window.scrollTo(0, 0)")
        suffix = "" if width == "laptop" else "-phone"
        shoot(page, f"settings-token{suffix}", full_page=True, docs=width == "laptop")

        page.goto(f"{live_server.url}/annotations/import/")
        no_sideways_scroll(page)
        # Each label above its control, as on the other forms.
        for field in page.locator(".import-form .field").all():
            label, control = (
                field.locator("label").bounding_box(),
                field.locator("input, select").bounding_box(),
            )
            assert label["y"] + label["height"] <= control["y"] + 1, field.inner_text()
        page.set_input_files("#id_file", path)
        with page.expect_navigation():
            page.get_by_role("button", name="Import").click()
        report = page.locator("[data-import-report]")
        assert report.get_by_role("heading", level=2).inner_text() == (
            "4 annotations imported (2 placed exactly, 1 fuzzily, 1 orphaned), 0 links, 1 skipped."
        )
        counts = {
            cell.get_attribute("data-count"): cell.inner_text()
            for cell in report.locator("dd").all()
        }
        assert counts == {"exact": "2", "fuzzy": "1", "orphaned": "1", "links": "0", "skipped": "1"}
        assert A_LONG_ADDRESS in report.locator(".import-lines").first.inner_text()
        no_sideways_scroll(page)
        readable(
            page, "[data-import-report] h2, .import-counts dt, .import-counts dd, .import-lines li"
        )
        # Each count is read with its label: on the same line.
        for label in report.locator(".import-counts dt").all():
            count = label.locator("xpath=following-sibling::dd[1]")
            top, other = label.bounding_box(), count.bounding_box()
            assert abs((top["y"] + top["height"] / 2) - (other["y"] + other["height"] / 2)) < 4, (
                top,
                other,
            )
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, f"import-annotations-report{suffix}", full_page=True, docs=width == "laptop")
    assert not console_errors, console_errors
