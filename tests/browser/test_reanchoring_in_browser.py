"""When the text changes, in a real Chromium: an annotation that could not be placed
is listed apart and re-attached by selecting a passage; one placed on reworded text
says so. And the new-annotation form as a reader meets it: an error keeps them on
the article, a selection across paragraphs is refused where it ends, the floating
button gets out of the way, the team decides who may see it, tags keep their spaces."""

import re
from pathlib import Path

import pytest

from annotations.models import Annotation
from corpus.services import article_import_file, paragraph_edit
from tests.conftest import GLOBAL_RESEARCH, make_annotation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path("/tmp/crossread-reanchoring")

IDLIB = "The US will also seek to preserve militants"
IDLIB_QUOTE = "still occupying the northern Syrian governorate of Idlib"
NEXT = "While the US has certainly failed"

# Selects the characters [from, to) of the paragraphs' texts (the text of `.ptext` is
# the paragraph's text, so offsets into one are offsets into the other), and returns
# where the selection is on the screen.
SELECT = """([[startParagraph, start], [endParagraph, end]]) => {
    function point(paragraphId, index) {
        const ptext = document.querySelector(`[data-paragraph-id="${paragraphId}"] .ptext`);
        const walker = document.createTreeWalker(ptext, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const length = node.textContent.length;
            if (index <= offset + length) return [node, index - offset];
            offset += length;
        }
        throw new Error(`paragraph ${paragraphId} has no character ${index}`);
    }
    const range = document.createRange();
    range.setStart(...point(startParagraph, start));
    range.setEnd(...point(endParagraph, end));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const rect = range.getBoundingClientRect();
    return {top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right};
}"""

# Where the first and the last character of a passage are on the screen.
CHARACTER_BOXES = """([paragraphId, start, end]) => {
    const ptext = document.querySelector(`[data-paragraph-id="${paragraphId}"] .ptext`);
    const node = ptext.firstChild;
    function box(index) {
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const rect = range.getBoundingClientRect();
        return {left: rect.left, right: rect.right, middle: (rect.top + rect.bottom) / 2};
    }
    return [box(start), box(end - 1)];
}"""


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def select_passage(page, paragraph, quote):
    """Select ``quote`` in ``paragraph`` as a script can, then let go of the mouse."""
    start = paragraph.text.index(quote)
    page.evaluate(SELECT, [[paragraph.pk, start], [paragraph.pk, start + len(quote)]])
    page.dispatch_event(f'[data-paragraph-id="{paragraph.pk}"] .ptext', "mouseup")


def drag_over(page, paragraph, quote):
    """Select ``quote`` in ``paragraph`` with the mouse: press on the left half of its
    first character, let go on the right half of its last."""
    page.locator(f'[data-paragraph-id="{paragraph.pk}"]').scroll_into_view_if_needed()
    start = paragraph.text.index(quote)
    first, last = page.evaluate(CHARACTER_BOXES, [paragraph.pk, start, start + len(quote)])
    page.mouse.move(first["left"] + 1, first["middle"])
    page.mouse.down()
    page.mouse.move(last["right"] - 1, last["middle"], steps=8)
    page.mouse.up()


def floating_button(page):
    return page.locator("button.annotate-button")


def open_form_on(page, paragraph, quote):
    select_passage(page, paragraph, quote)
    page.get_by_role("button", name="Annotate (a)").click()
    assert page.locator("[data-new-annotation]").evaluate("details => details.open")


@pytest.fixture
def idlib(seed_articles):
    article = seed_articles["global_research"]
    return article, article.paragraphs.get(text__startswith=IDLIB)


# ------------------------------------------------------------------ re-anchoring


def test_an_orphan_is_listed_apart_and_re_attached_to_a_selected_passage(
    page, live_server, idlib, people
):
    article, paragraph = idlib
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=IDLIB_QUOTE,
        stance="opposes",
        claim="The US shields militants in Idlib",
        team=people["team"],
        visibility="team",
    )
    rewritten = "Washington says little now about the armed groups that hold the north-west."
    paragraph_edit(paragraph=paragraph, markup=rewritten, kind=paragraph.kind)
    annotation.refresh_from_db()
    assert annotation.anchor_status == "orphaned" and annotation.paragraph is None
    paragraph.refresh_from_db()
    assert paragraph.text == rewritten
    article_url = live_server.url + article.get_absolute_url()

    # Someone in no team sees neither the orphan nor any trace of it.
    sign_in(page, live_server, "outsider")
    page.goto(article_url)
    assert page.locator("[data-article-text]").is_visible()
    assert page.locator("#could-not-be-placed").count() == 0
    assert page.get_by_text("Could not be placed").count() == 0
    assert IDLIB_QUOTE not in page.locator("body").inner_text()

    # Its author finds it under "Could not be placed", with its old quote.
    sign_in(page, live_server, "author")
    page.goto(article_url)
    orphans = page.locator("#could-not-be-placed")
    assert orphans.is_visible()
    assert orphans.get_by_role("heading", name=re.compile(r"^Could not be placed")).is_visible()
    card = orphans.locator(f"#a-{annotation.pk}")
    assert card.locator(".card-quote").inner_text() == IDLIB_QUOTE
    assert "The US shields militants in Idlib" in card.inner_text()
    assert page.locator(f"#hl-{annotation.pk}").count() == 0  # nowhere in the text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    orphans.scroll_into_view_if_needed()
    orphans.screenshot(path=str(SCREENSHOTS / "could-not-be-placed.png"))
    page.screenshot(path=str(SCREENSHOTS / "could-not-be-placed-page.png"))

    card.get_by_role("link", name="Re-attach").click()
    page.wait_for_url(f"{live_server.url}/annotations/{annotation.pk}/reattach/")
    reattach = page.locator("[data-reattach]")
    assert reattach.is_visible()
    assert IDLIB_QUOTE in reattach.locator(".card-quote").inner_text()
    form = reattach.locator("form.annotation-form--reattach")
    assert form.is_visible()

    chosen = "the armed groups that hold the north-west"
    drag_over(page, paragraph, chosen)
    button = page.get_by_role("button", name="Re-attach here (a)")
    button.wait_for(state="visible")
    button.click()
    assert form.locator("select[name=paragraph]").input_value() == str(paragraph.pk)
    assert form.locator("textarea[name=exact]").input_value() == chosen
    start = rewritten.index(chosen)
    assert form.locator("input[name=start]").input_value() == str(start)
    assert form.locator("input[name=end]").input_value() == str(start + len(chosen))
    page.screenshot(path=str(SCREENSHOTS / "re-attach-form.png"))

    form.get_by_role("button", name="Re-attach here", exact=True).click()
    page.wait_for_url(f"{article_url}#hl-{annotation.pk}")
    mark = page.locator(f"mark.hl#hl-{annotation.pk}")
    assert mark.is_visible() and mark.inner_text() == chosen
    assert page.locator(f'[data-paragraph-id="{paragraph.pk}"] mark.hl').inner_text() == chosen
    assert page.locator("#could-not-be-placed").count() == 0
    assert page.locator(f"#a-{annotation.pk} .card-quote").inner_text() == chosen
    annotation.refresh_from_db()
    assert annotation.anchor_status == "anchored" and annotation.paragraph_id == paragraph.pk


def test_the_teams_editors_may_re_attach_an_orphan_and_its_viewers_only_see_it(
    page, live_server, idlib, people
):
    article, paragraph = idlib
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=IDLIB_QUOTE,
        team=people["team"],
        visibility="team",
    )
    paragraph_edit(paragraph=paragraph, markup="Nothing of the kind.", kind=paragraph.kind)
    for username, may_re_attach in (("editor", True), ("viewer", False)):
        sign_in(page, live_server, username)
        page.goto(live_server.url + article.get_absolute_url())
        card = page.locator(f"#could-not-be-placed #a-{annotation.pk}")
        assert card.locator(".card-quote").inner_text() == IDLIB_QUOTE, username
        links = card.get_by_role("link", name="Re-attach")
        assert links.count() == (1 if may_re_attach else 0), username
    response = page.goto(f"{live_server.url}/annotations/{annotation.pk}/reattach/")
    assert response.status == 403  # the viewer cannot reach the form by its address either


def test_re_importing_an_edited_file_keeps_what_it_can_and_lists_what_it_cannot(
    page, live_server, reference_data, people, tmp_path
):
    path = tmp_path / GLOBAL_RESEARCH.name
    original = GLOBAL_RESEARCH.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    article = article_import_file(path=path).article
    paragraph = article.paragraphs.get(text__startswith=IDLIB)
    lost = make_annotation(author=people["author"], paragraph=paragraph, exact=IDLIB_QUOTE)
    kept_quote = "The US will also seek to preserve militants"
    kept = make_annotation(author=people["author"], paragraph=paragraph, exact=kept_quote)
    edited = original.replace(
        "still occupying the northern Syrian governorate of Idlib",
        "and whose fate nobody in Washington will discuss",
    )
    assert edited != original
    path.write_text(edited, encoding="utf-8")
    outcome = article_import_file(path=path)
    assert outcome.status == "updated" and outcome.article.pk == article.pk

    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(f"mark.hl#hl-{kept.pk}").inner_text() == kept_quote
    assert page.locator(f"#hl-{lost.pk}").count() == 0
    orphans = page.locator("#could-not-be-placed")
    assert orphans.locator(f"#a-{lost.pk} .card-quote").inner_text() == IDLIB_QUOTE
    assert orphans.locator(f"#a-{kept.pk}").count() == 0
    assert orphans.get_by_role("link", name="Re-attach").get_attribute("href") == (
        f"/annotations/{lost.pk}/reattach/"
    )


def test_an_annotation_on_reworded_text_says_so_and_can_be_re_attached(
    page, live_server, idlib, people
):
    article, paragraph = idlib
    annotation = make_annotation(author=people["author"], paragraph=paragraph, exact=IDLIB_QUOTE)
    reworded = paragraph.markup.replace(
        "northern Syrian governorate of Idlib", "northern Syrian province of Idlib"
    )
    assert reworded != paragraph.markup
    paragraph_edit(paragraph=paragraph, markup=reworded, kind=paragraph.kind)
    annotation.refresh_from_db()
    assert annotation.anchor_status == "fuzzy", annotation.anchor_status

    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    card = page.locator(f"#a-{annotation.pk}")
    notice = card.locator(".card-previous")
    assert "Placed on reworded text" in notice.inner_text()
    assert IDLIB_QUOTE in notice.inner_text()  # the words it quoted before
    assert "province of Idlib" in page.locator(f"#hl-{annotation.pk}").inner_text()
    assert page.locator("#could-not-be-placed").count() == 0
    card.get_by_role("link", name="Re-attach").click()
    page.wait_for_url(f"{live_server.url}/annotations/{annotation.pk}/reattach/")
    assert page.locator("[data-reattach] form.annotation-form--reattach").is_visible()


# ------------------------------------------------------------------ the new-annotation form


def test_a_form_error_keeps_the_reader_on_the_article_with_the_form_open(
    page, live_server, idlib, people
):
    article, paragraph = idlib
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    open_form_on(page, paragraph, IDLIB_QUOTE)
    page.fill("textarea[name=claim]", "The US shields militants in Idlib")
    # "Toward" longer than it may be (past the input's own limit, as a script could).
    page.evaluate("document.querySelector('input[name=stance_target]').value = 'x'.repeat(301)")
    page.locator("[data-save]").click()
    page.wait_for_load_state("load")

    assert page.locator("[data-article-text]").is_visible()
    assert IDLIB in page.locator("[data-article-text]").inner_text()
    details = page.locator("[data-new-annotation]")
    assert details.evaluate("details => details.open")
    error = details.locator(".field--stance_target .field-error")
    assert error.is_visible()
    assert "at most 300 characters" in error.inner_text()
    assert page.input_value("textarea[name=exact]") == IDLIB_QUOTE
    assert page.input_value("textarea[name=claim]") == "The US shields militants in Idlib"
    assert Annotation.objects.count() == 0


def test_a_selection_across_two_paragraphs_is_refused_next_to_where_it_ends(
    page, live_server, idlib, people
):
    article, paragraph = idlib
    following = article.paragraphs.get(text__startswith=NEXT)
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f'[data-paragraph-id="{paragraph.pk}"]').scroll_into_view_if_needed()
    rect = page.evaluate(
        SELECT,
        [[paragraph.pk, paragraph.text.index("still occupying")], [following.pk, len(NEXT)]],
    )
    page.dispatch_event(f'[data-paragraph-id="{following.pk}"] .ptext', "mouseup")

    button = floating_button(page)
    button.wait_for(state="visible")
    assert button.inner_text() == "Select a passage within one paragraph."
    assert button.is_disabled()
    box = button.bounding_box()
    assert 0 <= box["y"] - rect["bottom"] <= 60, (box, rect)
    assert rect["left"] - 10 <= box["x"] <= rect["right"]
    page.keyboard.press("a")  # the shortcut does nothing either
    assert not page.locator("[data-new-annotation]").evaluate("details => details.open")


def test_a_triple_clicked_paragraph_can_be_annotated(page, live_server, idlib, people):
    article, paragraph = idlib
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f'[data-paragraph-id="{paragraph.pk}"] .ptext').click(click_count=3)
    button = floating_button(page)
    button.wait_for(state="visible")
    assert button.inner_text() == "Annotate (a)"
    button.click()
    assert page.input_value("textarea[name=exact]") == paragraph.text


def test_the_floating_button_goes_away_once_the_form_is_open(page, live_server, idlib, people):
    article, paragraph = idlib
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    select_passage(page, paragraph, IDLIB_QUOTE)
    button = page.get_by_role("button", name="Annotate (a)")
    button.wait_for(state="visible")
    page.wait_for_timeout(300)  # a reader takes longer than the selection's debounce
    button.click()
    assert page.input_value("textarea[name=exact]") == IDLIB_QUOTE
    page.wait_for_timeout(400)  # past the 250 ms debounce of selectionchange
    assert floating_button(page).is_hidden()

    # Clicked at once after selecting, before the debounce: it stays away too.
    page.goto(live_server.url + article.get_absolute_url())
    open_form_on(page, paragraph, IDLIB_QUOTE)
    page.wait_for_timeout(400)
    assert floating_button(page).is_hidden()


def test_the_team_select_defaults_to_the_users_team_and_no_team_means_private(
    page, live_server, idlib, people
):
    article, paragraph = idlib
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    open_form_on(page, paragraph, IDLIB_QUOTE)
    team = page.locator("select[name=team]")
    assert team.input_value() == str(people["team"].pk)
    assert team.locator("option:checked").inner_text() == "Levant Desk"
    visibility = {
        value: page.locator(f"input[name=visibility][value={value}]")
        for value in ("private", "team", "public")
    }
    assert all(radio.is_enabled() for radio in visibility.values())
    visibility["public"].check()

    team.select_option(label="No team (private only)")
    assert visibility["team"].is_disabled() and visibility["public"].is_disabled()
    assert visibility["private"].is_checked() and not visibility["public"].is_checked()
    # Choosing the team again offers them again.
    team.select_option(label="Levant Desk")
    assert visibility["team"].is_enabled() and visibility["public"].is_enabled()


def test_tags_typed_with_spaces_and_commas_become_one_tag_each(page, live_server, idlib, people):
    article, paragraph = idlib
    sign_in(page, live_server, "author")
    page.goto(live_server.url + article.get_absolute_url())
    open_form_on(page, paragraph, IDLIB_QUOTE)
    page.check("input[name=stance][value=opposes]")
    page.fill("input[name=tags]", "dual containment, Iran")
    page.locator("[data-save]").click()
    page.wait_for_url(re.compile(r".*#hl-\d+$"))

    annotation = Annotation.objects.get()
    tags = page.locator(f"#a-{annotation.pk} .tag-list .tag")
    assert sorted(tags.all_inner_texts()) == ["Iran", "dual containment"]
