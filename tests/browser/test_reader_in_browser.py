"""The reader in a real Chromium: laid out for a laptop and a phone, anchors that work."""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 900, "laptop"), (390, 844, "phone")])
def test_article_page_reads_comfortably(page, live_server, seed_articles, width, height, name):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + seed_articles["academic"].get_absolute_url())
    screenshot(page, f"article-{name}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    body = page.locator("p.para--body").first
    font_size = float(body.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    line_height = float(body.evaluate("e => getComputedStyle(e).lineHeight").removesuffix("px"))
    assert font_size >= 16 and line_height / font_size >= 1.45
    text_width = page.locator("[data-article-text]").evaluate(
        "e => e.getBoundingClientRect().width"
    )
    # A measure of at most about 75 characters: comfortable lines on a wide screen.
    assert text_width <= font_size * 40
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"


def test_article_list_on_a_phone_has_no_sideways_scroll(page, live_server, seed_articles):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    screenshot(page, "list-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.get_by_role("link", name="An Alliance for Mutual Security").is_visible()


def test_a_link_to_a_paragraph_shows_it_even_inside_a_folded_section(
    page, live_server, seed_articles
):
    article = seed_articles["southfront"]
    comment = article.paragraphs.filter(kind="reader_comment").first()
    page.goto(f"{live_server.url}{article.get_absolute_url()}#p-{comment.position}")
    target = page.locator(f"#p-{comment.position}")
    assert target.is_visible()
    assert target.get_attribute("data-paragraph-id") == str(comment.pk)
    assert page.evaluate("document.getElementById('reader-comments').open")
    box = target.bounding_box()
    assert 0 <= box["y"] < 900


def test_filters_work_without_javascript(chromium, live_server, seed_articles):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.select_option("select[name=kind]", "academic")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert "kind=academic" in page.url
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Military & Security Cooperation" in rows.first.inner_text()
    context.close()
