"""Linking passages in a real Chromium, from the keyboard alone, and reading the link
from both ends."""

from pathlib import Path

import pytest
from django.conf import settings

from annotations.models import CrossReference
from tests.browser.test_annotate_in_browser import sign_in
from tests.conftest import make_annotation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
GR_QUOTE = "the eventual Russian military intervention in 2015"
ACADEMIC_QUOTE = "Military intervention in Syria was one of Russia's strategies"


@pytest.mark.parametrize(("width", "name"), [(1280, "laptop"), (390, "phone")])
def test_a_passage_is_linked_from_the_keyboard_and_both_ends_show_it(
    page, live_server, seed_articles, people, width, name
):
    common = dict(author=people["author"], visibility="public", team=people["team"])
    gr = make_annotation(
        paragraph=seed_articles["global_research"].paragraphs.get(text__contains=GR_QUOTE),
        exact=GR_QUOTE,
        **common,
    )
    academic = make_annotation(
        paragraph=seed_articles["academic"].paragraphs.get(text__contains=ACADEMIC_QUOTE),
        exact=ACADEMIC_QUOTE,
        **common,
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "author")
    page.goto(live_server.url + gr.article.get_absolute_url())
    link = page.locator(f"#a-{gr.pk} a", has_text="Link to…")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/annotations/{gr.pk}/link/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"link-page-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Choose the relation, then the suggested passage, with keys only.
    page.locator("#id_relation").focus()
    page.keyboard.press("ArrowDown")  # from "repeats" (the default) onwards
    relation = page.locator("#id_relation").input_value()
    button = page.locator(f'button[value="a:{academic.pk}"]')
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{gr.article.get_absolute_url()}*")
    made = CrossReference.objects.get()
    assert (made.from_annotation_id, made.to_annotation_id, made.relation) == (
        gr.pk,
        academic.pk,
        relation,
    )
    near = page.locator(f"#a-{gr.pk} .card-links")
    near.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"link-card-{name}.png"))
    assert near.is_visible()
    near.get_by_role("link", name="¶").first.click()
    page.wait_for_url(f"**{academic.article.get_absolute_url()}#hl-{academic.pk}")
    assert page.locator(f"#a-{academic.pk} .card-links").is_visible()
