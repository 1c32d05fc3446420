"""The admin under the Content-Security-Policy: its scripts load and work."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_admin_pages_run_under_the_policy(page, live_server, seed_articles):
    get_user_model().objects.create_superuser("curator", "c@example.org", "pw-curator-2026")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "pw-curator-2026")
    page.click("input[type=submit]")
    article = seed_articles["southfront"]
    for path in (
        "/admin/",
        "/admin/corpus/article/",
        f"/admin/corpus/article/{article.pk}/change/",
        "/admin/annotations/region/?q=syria",
        "/admin/annotations/annotation/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
    # The change page's script works: the collapsed "Import" fieldset opens.
    page.goto(f"{live_server.url}/admin/corpus/article/{article.pk}/change/")
    assert page.locator("textarea[name=raw_text]").is_hidden()
    page.get_by_text("Import", exact=True).click()
    page.locator("textarea[name=raw_text]").wait_for(state="visible")


def test_the_curation_pages_of_the_admin_run_under_the_policy(page, live_server, seed_articles):
    """The pages the curation work added: the annotation change page's autocompletes,
    a merge's confirmation, a paragraph's split page, an annotation's history with its
    diff; each loads its scripts and styles under the policy (the page fixture fails the
    test on any violation)."""
    from annotations.models import Source
    from annotations.services import annotation_create, annotation_update

    curator = get_user_model().objects.create_superuser(
        "curator", "c@example.org", "pw-curator-2026"
    )
    paragraph = seed_articles["academic"].paragraphs.filter(kind="body").first()
    annotation = annotation_create(
        author=curator,
        paragraph=paragraph,
        exact=paragraph.text[:40],
        stance="supports",
        claim="The first reading",
        source_name="Tasnim News",
    )
    annotation_update(
        annotation=annotation,
        editor=curator,
        expected_version=1,
        claim="The second reading",
        stance="opposes",
        source_name="Tasnim",
        visibility="private",
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "pw-curator-2026")
    page.click("input[type=submit]")

    # The source autocomplete (select2, the admin's own script) opens and searches.
    page.goto(f"{live_server.url}/admin/annotations/annotation/{annotation.pk}/change/")
    page.locator(".field-source .select2-selection").click()
    page.locator(".select2-search__field[aria-controls=select2-id_source-results]").fill("Tasnim")
    page.locator(".select2-results__option", has_text="Tasnim News").first.wait_for()

    # A merge of two sources: the confirmation page lists both, and what points at each.
    page.goto(f"{live_server.url}/admin/annotations/source/?q=Tasnim")
    tasnims = list(Source.objects.filter(name__startswith="Tasnim"))
    for source in tasnims:
        page.check(f"input[name=_selected_action][value='{source.pk}']")
    page.select_option("select[name=action]", "merge_selected")
    with page.expect_navigation():
        page.click("button[name=index]")
    # The confirmation page: one survivor choice per source, each named.
    page.locator("input[name=survivor]").first.wait_for()
    assert "Tasnim News" in page.locator("#content").inner_text()
    assert page.locator("input[name=survivor]").count() == len(tasnims) >= 2

    # A paragraph's split page, with its positions.
    response = page.goto(f"{live_server.url}/admin/corpus/paragraph/{paragraph.pk}/split/")
    assert response.status == 200
    # The annotation's history: what each version changed.
    page.goto(f"{live_server.url}/admin/annotations/annotation/{annotation.pk}/history/")
    assert page.locator("del", has_text="The first reading").is_visible()
    assert page.locator("ins", has_text="The second reading").is_visible()
