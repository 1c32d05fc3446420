"""Annotating in a real Chromium: select, create, see the highlight, edit, delete;
overlapping highlights; the keyboard path; hostile input that must never run."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from annotations.models import Annotation
from tests.conftest import make_annotation
from tests.data.xss_vectors import VECTORS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def select_in_paragraph(page, position, quote):
    """Select ``quote`` inside paragraph #p-<position> as a reader's mouse would."""
    page.evaluate(
        """([position, quote]) => {
            const ptext = document.querySelector(`#p-${position} .ptext`);
            const walker = document.createTreeWalker(ptext, NodeFilter.SHOW_TEXT);
            let offset = 0, start = null, end = null;
            const from = ptext.textContent.indexOf(quote), to = from + quote.length;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const length = node.textContent.length;
                if (start === null && from < offset + length) start = [node, from - offset];
                if (end === null && to <= offset + length) end = [node, to - offset];
                offset += length;
            }
            const range = document.createRange();
            range.setStart(...start);
            range.setEnd(...end);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [position, quote],
    )
    page.dispatch_event(f"#p-{position} .ptext", "mouseup")


def test_select_create_highlight_edit_delete(page, live_server, seed_articles, people):
    article = seed_articles["global_research"]
    paragraph = article.paragraphs.get(
        text__startswith="The US will also seek to preserve militants"
    )
    quote = "still occupying the northern Syrian governorate of Idlib"
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())

    select_in_paragraph(page, paragraph.position, quote)
    page.get_by_role("button", name="Annotate (a)").click()
    form = page.locator("[data-annotation-form]")
    assert form.is_visible()
    assert page.input_value("textarea[name=exact]") == quote
    start = paragraph.text.index(quote)
    assert page.input_value("input[name=start]") == str(start)
    assert page.input_value("input[name=end]") == str(start + len(quote))
    assert page.input_value("input[name=prefix]") == paragraph.text[start - 32 : start]
    # The passage names Syria (a demonym) and Idlib: both are suggested.
    page.wait_for_selector(".region-option--suggested >> text=Idlib")
    assert page.locator(".region-option--suggested", has_text="Syria").count() == 1
    page.locator(".region-option--suggested", has_text="Idlib").locator("input").check()
    page.check("input[name=stance][value=opposes]")
    page.fill("textarea[name=claim]", "The US shields militants in Idlib")
    page.fill("input[name=source_name]", "Global Research editorial")
    page.locator("[data-save]").click()
    page.wait_for_url(re.compile(r".*#hl-\d+$"))

    annotation = Annotation.objects.get()
    assert annotation.exact == quote and annotation.start == start
    assert [region.name for region in annotation.regions.all()] == ["Idlib"]
    mark = page.locator(f"#hl-{annotation.pk}")
    assert mark.is_visible() and mark.inner_text() == quote
    card = page.locator(f"#a-{annotation.pk}")
    assert "The US shields militants in Idlib" in card.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annotated.png"))

    # Clicking the highlight brings its card forward; clicking the card, the highlight.
    page.locator(f"#hl-{annotation.pk}").click()
    assert "is-active" in card.get_attribute("class")

    card.get_by_role("link", name="Edit", exact=True).click()
    page.fill("textarea[name=claim]", "The US protects militants in Idlib")
    page.check("input[name=stance][value=mixed]")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r".*#hl-\d+$"))
    annotation.refresh_from_db()
    assert annotation.claim == "The US protects militants in Idlib" and annotation.version == 2
    assert "MIXED" in page.locator(f"#a-{annotation.pk}").inner_text()  # shown in capitals

    page.locator(f"#a-{annotation.pk}").get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.wait_for_url(live_server.url + article.get_absolute_url())
    assert not Annotation.objects.visible_to(annotation.author).exists()
    assert page.locator("mark.hl").count() == 0
    # Nothing is lost: the bin has it, and restores it with its highlight.
    page.goto(f"{live_server.url}/annotations/bin/")
    page.get_by_role("button", name="Restore").click()
    page.wait_for_url(re.compile(r".*#hl-\d+$"))
    assert page.locator(f"#hl-{annotation.pk}").count() == 1


def test_overlapping_highlights_and_their_cards(page, live_server, seed_articles, people):
    article = seed_articles["academic"]
    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    common = dict(
        author=people["author"], paragraph=paragraph, team=people["team"], visibility="public"
    )
    outer = make_annotation(
        exact="Iran has been his main ally in this path", stance="supports", **common
    )
    inner = make_annotation(exact="his main ally", stance="opposes", **common)
    page.goto(live_server.url + article.get_absolute_url())
    shared = page.locator(f'mark.hl[data-annotation-ids="{outer.pk} {inner.pk}"]')
    assert shared.inner_text() == "his main ally"
    assert shared.get_attribute("data-depth") == "2"
    # Both highlights keep the text intact.
    assert paragraph.text.startswith(
        page.locator(f"#p-{paragraph.position} .ptext").inner_text()[:80]
    )
    shared.click()
    active = page.locator(".card.is-active")
    first = active.get_attribute("data-annotation-id")
    shared.click()  # the same place again brings the other annotation forward
    second = page.locator(".card.is-active").get_attribute("data-annotation-id")
    assert {first, second} == {str(outer.pk), str(inner.pk)}
    page.locator(f"#a-{outer.pk}").click()
    marks = page.locator(f'mark.hl.is-active[data-annotation-ids~="{outer.pk}"]')
    assert marks.count() >= 2  # every piece of the outer passage lights up


def test_the_keyboard_path(page, live_server, seed_articles, people):
    article = seed_articles["academic"]
    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())

    summary = page.locator("[data-new-annotation] > summary")
    summary.focus()
    page.keyboard.press("Enter")
    paragraph_select = page.locator("select[name=paragraph]")
    paragraph_select.focus()
    paragraph_select.select_option(str(paragraph.pk))  # a keyboard user types to choose
    page.keyboard.press("Tab")
    page.keyboard.type("both nations faced a common threat")
    page.locator("input[name=stance][value=supports]").focus()
    page.keyboard.press("Space")
    page.locator("textarea[name=claim]").focus()
    page.keyboard.type("Iran and Russia shared a threat")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r".*#hl-\d+$"))
    created = Annotation.objects.get()
    assert created.exact == "both nations faced a common threat"
    assert paragraph.text[created.start : created.end] == created.exact

    make_annotation(
        author=people["author"],
        paragraph=article.paragraphs.get(text__startswith="In general, several key factors"),
        exact="several key factors",
        stance="neutral",
    )
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.getAttribute('data-annotation-id')")
    page.keyboard.press("j")
    second = page.evaluate("document.activeElement.getAttribute('data-annotation-id')")
    page.keyboard.press("k")
    back = page.evaluate("document.activeElement.getAttribute('data-annotation-id')")
    assert first != second and back == first
    assert page.locator(f"mark.hl.is-active[data-annotation-ids~='{first}']").count() >= 1
    # Escape closes an open form and gives focus back to its summary.
    page.locator("[data-new-annotation] > summary").click()
    page.keyboard.press("Escape")
    assert not page.evaluate("document.querySelector('[data-new-annotation]').open")


@pytest.mark.parametrize("engine", ["bleach", "nh3"])
def test_hostile_input_never_runs(page, live_server, seed_articles, people, settings, engine):
    settings.CROSSREAD_SANITIZER = engine
    article = seed_articles["academic"]
    paragraphs = list(article.paragraphs.filter(kind="body").order_by("position"))
    for number, vector in enumerate(VECTORS):
        paragraph = paragraphs[number % len(paragraphs)]
        make_annotation(
            author=people["author"],
            paragraph=paragraph,
            exact=paragraph.text[:40],
            stance="neutral",
            claim=vector,
            stance_target=vector,
            note=vector,
            tags=[vector[:100]],
            source_name=f"{vector} {number}"[:300],
            team=people["team"],
            visibility="public",
        )
    annotation = Annotation.objects.first()
    sign_in(page, live_server, "author")
    for path in (
        article.get_absolute_url(),
        "/annotations/",
        f"/annotations/{annotation.pk}/edit/",
        f"/annotations/{annotation.pk}/delete/",
        "/teams/levant-desk/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        for card in page.locator(".card").all()[:5]:
            card.hover()
        page.wait_for_timeout(200)
        assert not page.dialogs, (path, page.dialogs)
        # The vectors are shown as text, not lost.
        if path in ("/annotations/", article.get_absolute_url()):
            assert "<script>alert('XSS')</script>" in page.locator("body").inner_text()
    assert page.evaluate("typeof window.XSS") == "undefined"


def test_a_selection_made_without_a_mouse_offers_to_annotate(
    page, live_server, seed_articles, people
):
    # A touch screen, or caret browsing, selects text without any mouseup.
    article = seed_articles["southfront"]
    paragraph = article.paragraphs.filter(kind="body").first()
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate(
        """(position) => {
            const node = document.querySelector(`#p-${position} .ptext`).firstChild;
            const range = document.createRange();
            range.setStart(node, 0);
            range.setEnd(node, 11);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }""",
        paragraph.position,
    )
    button = page.get_by_role("button", name="Annotate (a)")
    button.wait_for(state="visible")
    button.click()
    assert page.input_value("textarea[name=exact]") == paragraph.text[:11]
    assert page.input_value("input[name=start]") == "0"
