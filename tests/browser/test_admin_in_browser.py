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
    assert page.locator("textarea[name=raw_text]").is_visible()
