"""Reviewing in a real Chromium: an editor rejects an awaiting annotation with the
keyboard alone and its author reads why on the card; the team's review page laid out
for a laptop and a phone, adopting one of two readings; and an annotation's history,
from which an earlier claim comes back."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from annotations.models import Annotation, ReviewStatus
from annotations.services import annotation_update, crossreference_create
from tests.browser.test_annotate_in_browser import sign_in
from tests.conftest import make_annotation
from tests.test_browse_regions import region
from tests.test_team_review import QUOTES, read

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("console_errors"),  # these pages log no error at all
]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = Path(settings.BASE_DIR) / "static" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

WAITING_QUOTE = "Since September 2015, when Putin officially intervened in the Syrian crisis"
REASON = "The paper does not say that Iran asked Putin to intervene."


def shoot(page, name, *, readme=False):
    """A full-page screenshot in test-artifacts, to look at; one the README shows is
    also saved to static/screenshots when CROSSREAD_UPDATE_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if readme and os.environ.get("CROSSREAD_UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {
                id: e.id, name: e.getAttribute('name'), href: e.getAttribute('href'),
                text: e.textContent.trim(), tag: e.tagName.toLowerCase(),
                outline: getComputedStyle(e).outlineStyle,
            };
        }"""
    )


def tab_to(page, wanted, *, limit=60) -> dict:
    """Press Tab until ``wanted(focused element)`` holds; the focused element. Each stop
    on the way must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] != "body":
            assert now["outline"] != "none", f"the focus is not visible on {now}"
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached it; the focus is on {focused(page)}")


def no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def boxes_fit(page, selector):
    """Every element matching ``selector`` lies within the viewport's width."""
    width = page.viewport_size["width"]
    for box in page.locator(selector).all():
        edges = box.bounding_box()
        assert edges["x"] >= 0 and edges["x"] + edges["width"] <= width + 0.5, (selector, edges)


def detail_path(annotation) -> str:
    return f"/annotations/{annotation.pk}/"


# ---------------------------------------------------------------------- rejecting


@pytest.fixture
def awaiting(seed_articles, people):
    """In a team that reviews its work: the author's annotation, revised once, awaiting
    review, with a link to a passage of another article."""
    team = people["team"]
    team.review_required = True
    team.save()
    academic = seed_articles["academic"]
    common = dict(team=team, visibility="team")
    annotation = make_annotation(
        author=people["author"],
        paragraph=academic.paragraphs.get(text__contains=WAITING_QUOTE),
        exact=WAITING_QUOTE,
        stance="supports",
        claim="Putin intervened in Syria in September 2015",
        stance_target="Russian intervention",
        source_name="Vladimir Putin",
        regions=[region("SY"), region("RU")],
        tags=["intervention"],
        **common,
    )
    annotation = annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=annotation.version,
        claim="Putin intervened in Syria in September 2015, at Iran's request",
        stance="supports",
        stance_target="Russian intervention",
        source_name="Vladimir Putin",
        regions=[region("SY"), region("RU")],
        tags=["intervention", "iran-russia"],
        **common,
    )
    other = make_annotation(
        author=people["annotator"],
        paragraph=seed_articles["global_research"].paragraphs.get(text__contains=QUOTES[1]),
        exact=QUOTES[1],
        stance="neutral",
        claim="Dates the Russian intervention to 2015",
        **common,
    )
    crossreference_create(
        author=people["author"],
        from_annotation=annotation,
        to_annotation=other,
        relation="same_event",
        **common,
    )
    assert annotation.review_status == ReviewStatus.SUBMITTED
    return annotation


def test_an_editor_rejects_with_the_keyboard_and_the_author_reads_why_on_the_card(
    page, live_server, people, awaiting, console_errors
):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/teams/levant-desk/review/")
    assert page.get_by_role("heading", name="Awaiting review (2)").is_visible()

    # From the list of what awaits review to the annotation's page, by Tab and Enter.
    tab_to(page, lambda e: e["href"] == detail_path(awaiting))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{detail_path(awaiting)}")
    assert page.locator("[data-review-status=submitted]").inner_text() == "Awaiting review."
    no_sideways_scroll(page)
    boxes_fit(page, "table.diff")

    now = tab_to(page, lambda e: e["id"] == "reject-reason")
    assert now["outline"] != "none"
    page.keyboard.type(REASON)
    shoot(page, "annotation-page", readme=True)
    now = tab_to(page, lambda e: e["tag"] == "button", limit=1)
    assert now["text"] == "Reject"
    with page.expect_navigation(url=f"**{detail_path(awaiting)}"):  # the same page, again
        page.keyboard.press("Enter")
    assert page.locator(".message--success").inner_text() == (
        "Rejected: its author sees the reason on the card."
    )
    status = page.locator("[data-review-status=rejected]").inner_text()
    assert status.startswith("Rejected, by editor on ") and status.endswith(f"Reason: {REASON}")
    awaiting.refresh_from_db()
    assert (awaiting.review_status, awaiting.review_reason) == (ReviewStatus.REJECTED, REASON)

    # The author, on the article's page, reads the reason on the card.
    page.context.clear_cookies()
    sign_in(page, live_server, "author")
    page.goto(live_server.url + awaiting.article.get_absolute_url())
    card = page.locator(f"#a-{awaiting.pk}")
    card.scroll_into_view_if_needed()
    assert card.locator(".review--rejected").inner_text() == "Rejected"
    reason = card.locator(".card-review-reason")
    assert reason.is_visible()
    assert reason.inner_text() == f"Rejected: {REASON}"
    card.screenshot(path=str(ARTIFACTS / "review-rejected-card.png"))
    assert not console_errors, console_errors


# ---------------------------------------------------------------------- the review page


@pytest.fixture
def readings(seed_articles, people):
    """As in tests/test_team_review.py: two passages each read by the author and the
    annotator, one alike (neutral, neutral) and one not (supports, opposes), here with
    claims; and, once the team reviews its work, one more awaiting review."""
    academic, global_research = seed_articles["academic"], seed_articles["global_research"]
    made = {
        "a_author": read(
            people,
            academic,
            QUOTES[0],
            "author",
            "supports",
            claim="Intervening in Syria was part of Russia's strategy",
        ),
        "a_annotator": read(
            people,
            academic,
            QUOTES[0],
            "annotator",
            "opposes",
            claim="The paper calls the intervention a means, not the strategy",
        ),
        "g_author": read(
            people,
            global_research,
            QUOTES[1],
            "author",
            "neutral",
            claim="Russia intervened militarily in 2015",
        ),
        "g_annotator": read(
            people,
            global_research,
            QUOTES[1],
            "annotator",
            "neutral",
            claim="Dates the Russian intervention to 2015",
        ),
    }
    people["team"].review_required = True
    people["team"].save()
    made["waiting"] = read(
        people,
        seed_articles["southfront"],
        "the heads of the armed forces of the Republics of Syria, Iraq and Iran met in Damascus",
        "author",
        "neutral",
        claim="The three armies' chiefs met in Damascus",
    )
    return made


def box(locator) -> dict:
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()


def test_the_review_page_reads_side_by_side_on_a_laptop_stacked_on_a_phone_and_adopts_a_reading(
    page, live_server, people, readings, console_errors
):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/teams/levant-desk/review/")
    reading = page.locator(".agreement-reading")
    assert reading.is_visible()
    assert reading.inner_text().startswith("alpha 0.400: too little agreement")
    assert page.locator("table.kappa").is_visible()
    different = page.locator(".reading-set--disagrees")
    assert different.count() == 1
    columns = different.locator(".reading")
    assert columns.count() == 2
    authors = [column.locator("strong").first.inner_text() for column in columns.all()]
    assert sorted(authors) == ["annotator", "author"]
    first, second = box(columns.nth(0)), box(columns.nth(1))
    assert first["y"] == pytest.approx(second["y"], abs=0.5), (first, second)
    assert second["x"] >= first["x"] + first["width"], (first, second)
    no_sideways_scroll(page)
    boxes_fit(page, "table.kappa, .reading, .review-queue")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "review-page", readme=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.locator(".agreement-reading").is_visible()
    first, second = box(columns.nth(0)), box(columns.nth(1))
    assert second["y"] >= first["y"] + first["height"], (first, second)
    assert first["x"] == pytest.approx(second["x"], abs=0.5)
    no_sideways_scroll(page)
    boxes_fit(page, "table.kappa, .reading, .review-queue")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "review-page-phone")

    # Adopting the annotator's reading: the author's is kept, rejected, naming it.
    theirs_index = authors.index("annotator")
    mine = readings["a_author"]
    with page.expect_navigation(url="**/teams/levant-desk/review/"):
        columns.nth(theirs_index).get_by_role("button", name="Adopt this reading").click()
    message = page.locator(".message--success")
    assert message.is_visible()
    assert message.inner_text() == "annotator's reading adopted; the others are kept."
    mine_column = page.locator(".reading-set--disagrees .reading").nth(1 - theirs_index)
    mine_column.get_by_role("link", name="Its page and history").click()
    page.wait_for_url(f"**{detail_path(mine)}")
    status = page.locator("[data-review-status=rejected]")
    assert status.is_visible()
    assert "adopted annotator's reading (Opposes)" in status.inner_text()
    assert page.locator(f"#a-{mine.pk} .review--rejected").inner_text() == "Rejected"
    no_sideways_scroll(page)
    shoot(page, "review-adopted-phone")
    mine.refresh_from_db()
    assert mine.review_status == ReviewStatus.REJECTED

    # The team's activity says who adopted what, newest first, and leads to it.
    page.goto(f"{live_server.url}/teams/levant-desk/activity/")
    newest = page.locator(".activity-list li").first
    assert "editor" in newest.inner_text() and "adopted" in newest.inner_text()
    no_sideways_scroll(page)
    shoot(page, "activity-phone")
    assert not console_errors, console_errors


# ---------------------------------------------------------------------- history


def test_the_history_shows_an_edit_and_restores_what_it_said_then(
    page, live_server, seed_articles, people, console_errors
):
    article = seed_articles["academic"]
    annotation = make_annotation(
        author=people["author"],
        paragraph=article.paragraphs.get(text__contains=QUOTES[0]),
        exact=QUOTES[0],
        stance="supports",
        claim="Intervention was one of Russia's strategies in Syria",
        tags=["intervention"],
        team=people["team"],
        visibility="team",
    )
    old, new = annotation.claim, "Intervention was Russia's main strategy in Syria"
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    card = page.locator(f"#a-{annotation.pk}")
    card.get_by_role("link", name="Edit", exact=True).click()
    page.fill("textarea[name=claim]", new)
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r".*#hl-\d+$"))
    assert card.locator(".card-claim").inner_text() == new

    card.get_by_role("link", name="The annotation's page: its history and review").click()
    page.wait_for_url(f"**{detail_path(annotation)}")
    entries = page.locator(".history-entry")
    assert entries.count() == 2
    newest = entries.nth(0)
    assert "changed the annotation" in newest.inner_text()
    claim_row = newest.locator("table.diff tr", has=page.locator("th", has_text="Claim"))
    assert claim_row.locator("del").inner_text() == old
    assert claim_row.locator("ins").inner_text() == new
    # Told apart without colour: struck through, and underlined.
    lines = claim_row.evaluate(
        """row => [row.querySelector('del'), row.querySelector('ins')].map(
            e => getComputedStyle(e).textDecorationLine)"""
    )
    assert lines == ["line-through", "underline"], lines
    no_sideways_scroll(page)
    boxes_fit(page, "table.diff")
    shoot(page, "history-before-restore")

    restore = entries.nth(1).get_by_role("button", name="Restore what it said then")
    with page.expect_navigation(url=f"**{detail_path(annotation)}"):
        restore.click()
    assert page.locator(".message--success").inner_text().startswith("That version is restored")
    assert page.locator(f"#a-{annotation.pk} .card-claim").inner_text() == old
    assert entries.count() == 3
    assert entries.nth(0).inner_text().split("·")[0].strip().startswith("author restored")
    annotation = Annotation.objects.get(pk=annotation.pk)
    assert (annotation.claim, annotation.version) == (old, 3)

    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page)
    boxes_fit(page, "table.diff, .history-entry, .card")
    shoot(page, "history-restored-phone")
    assert not console_errors, console_errors
