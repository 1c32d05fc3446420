"""The overview and the region pages in a real Chromium: laid out for a phone and a
laptop without sideways scroll, the charts drawn and readable, and a bar that leads
to the passages it counts."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from annotations.models import CrossReference
from tests.test_browse_regions import annotate, bulk_annotations, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SIZES = [(1280, 900, "laptop"), (390, 844, "phone")]


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def corpus(seed_articles, people):
    """Claims across the three seeds, about several countries, citing several sources,
    with cross-references between the articles."""
    articles = list(seed_articles.values())
    made = bulk_annotations(articles, people, 70)
    shared = {"author": people["author"], "team": people["team"], "visibility": "public"}
    extra = [
        annotate(
            article=seed_articles["global_research"],
            index=2,
            regions=[region("TR")],
            source_name="Anadolu Agency",
            stance="opposes",
            **shared,
        ),
        annotate(
            article=seed_articles["southfront"],
            index=2,
            regions=[region("LB")],
            source_name="Al-Manar",
            stance="supports",
            **shared,
        ),
    ]
    public = [annotation for annotation in made if annotation.visibility == "public"] + extra
    by_article = {}
    for annotation in public:
        by_article.setdefault(annotation.article_id, []).append(annotation)
    groups = list(by_article.values())
    relations = ["supports", "contradicts", "repeats", "cites", "elaborates", "same_event"]
    for n in range(9):
        origin = groups[n % 3][n]
        target = groups[(n + 1 + n // 4) % 3][n + 1]
        CrossReference.objects.get_or_create(
            from_annotation=origin,
            to_annotation=target,
            relation=relations[n % len(relations)],
            defaults={"author": people["author"], "team": people["team"], "visibility": "public"},
        )
    return seed_articles


def no_sideways_scroll(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_the_overview_draws_its_charts_for_a_phone_and_a_laptop(
    page, live_server, corpus, width, height, name
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/overview/")
    screenshot(page, f"overview-{name}")
    no_sideways_scroll(page, width)
    charts = page.locator("svg.chart-svg")
    assert charts.count() == 4
    for index in range(4):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 250 and box["height"] > 100
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # Text that reads: the labels and numbers at least 11 px high, even on a phone.
    for selector in (".chart-label", ".chart-total", ".graph-label", ".graph-weight"):
        size = page.locator(selector).first.evaluate("e => e.getBoundingClientRect().height")
        assert size >= 11, (selector, size)
    assert page.locator("link[rel=stylesheet]").count() == 1
    # The colours come from the stylesheet (no inline style): a supporting bar is green.
    fill = page.locator("#by-country .seg--supports").first.evaluate(
        "e => getComputedStyle(e).fill"
    )
    assert fill == "rgb(47, 107, 58)"


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_the_region_pages_fit_a_phone_and_a_laptop(page, live_server, corpus, width, height, name):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/regions/")
    screenshot(page, f"regions-{name}")
    no_sideways_scroll(page, width)
    assert page.locator(".region-tree svg.stance-bar").first.is_visible()
    page.get_by_role("link", name="Syria", exact=True).click()
    page.wait_for_url(re.compile(r"/regions/\d+/$"))
    screenshot(page, f"region-syria-{name}")
    no_sideways_scroll(page, width)
    assert page.locator("h1").inner_text() == "Syria"
    assert page.locator(".browse-summary svg.stance-bar").is_visible()
    assert page.locator("article.card").count() > 0


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_the_source_pages_fit_a_phone_and_a_laptop(page, live_server, corpus, width, height, name):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/sources/")
    screenshot(page, f"sources-{name}")
    no_sideways_scroll(page, width)
    page.get_by_role("link", name="Bulk Source 0", exact=True).click()
    page.wait_for_url(re.compile(r"/sources/\d+/$"))
    screenshot(page, f"source-detail-{name}")
    no_sideways_scroll(page, width)
    assert page.locator("article.card").count() > 0


def test_a_bar_leads_to_the_list_of_the_passages_it_counts(page, live_server, corpus):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/overview/")
    segment = page.locator("#by-country svg a[data-count]").first
    count = int(segment.get_attribute("data-count"))
    label = segment.get_attribute("aria-label")
    segment.scroll_into_view_if_needed()
    segment.click()
    page.wait_for_url(re.compile(r"/annotations/\?region=\d+&stance=\w+"))
    screenshot(page, "overview-bar-followed-phone")
    assert page.locator("article.card").count() == min(count, 50), label
    assert page.locator(".page-header .muted").inner_text().startswith(f"{count} annotation")


def test_the_overview_works_without_javascript(chromium, live_server, corpus):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/overview/")
    assert page.locator("svg.chart-svg").count() == 4
    edge = page.locator("#links svg a[data-count]").first
    count = int(edge.get_attribute("data-count"))
    edge.click()
    page.wait_for_url(re.compile(r"pair=\d+-\d+"))
    assert page.locator("#pair [data-link]").count() == count
    screenshot(page, "overview-pair-phone")
    context.close()
