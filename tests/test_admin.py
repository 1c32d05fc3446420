"""Curating the corpus in the Django admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from corpus.models import ParagraphKind


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_superuser(
        "curator", "curator@example.org", "pw-curator-1"
    )


@pytest.fixture
def admin_client(client, curator):
    client.force_login(curator)
    return client


def test_article_changelist_searches_and_filters(admin_client, seed_articles):
    url = reverse("admin:corpus_article_changelist")
    response = admin_client.get(url, {"q": "Alliance"})
    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == [
        "An Alliance for Mutual Security"
    ]
    response = admin_client.get(url, {"kind__exact": "academic"})
    assert [a.kind for a in response.context["cl"].result_list] == ["academic"]
    assert "Paragraphs" in response.content.decode()


def test_article_change_page_lists_paragraphs_inline_with_editable_kind_and_markup(
    admin_client, seed_articles
):
    article = seed_articles["southfront"]
    url = reverse("admin:corpus_article_change", args=[article.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="paragraphs-') > 0
    assert 'name="paragraphs-0-kind"' in html and 'name="paragraphs-0-markup"' in html


def test_editing_a_paragraph_in_the_admin_updates_its_text_and_html(admin_client, seed_articles):
    article = seed_articles["southfront"]
    caption = article.paragraphs.get(kind=ParagraphKind.CAPTION)
    url = reverse("admin:corpus_paragraph_change", args=[caption.pk])
    response = admin_client.post(
        url,
        {"kind": ParagraphKind.BODY, "level": "", "markup": "Rare meeting <b>in</b>   Damascus."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    caption.refresh_from_db()
    assert caption.kind == ParagraphKind.BODY
    assert caption.text == "Rare meeting <b>in</b> Damascus."
    assert caption.html == "Rare meeting &lt;b&gt;in&lt;/b&gt; Damascus."
    assert len(caption.content_hash) == 64


def test_editing_a_markdown_paragraph_keeps_its_emphasis_and_links(admin_client, db, tmp_path):
    from corpus.services import article_import_file

    path = tmp_path / "note.md"
    path.write_text(
        "# A note on *Hmeimim*\n\nThe base at *Hmeimim* is described [here](https://example.org/a) "
        "by the ministry.\n",
        encoding="utf-8",
    )
    article = article_import_file(path=path).article
    paragraph = article.paragraphs.get(text__startswith="The base")
    assert "<em>Hmeimim</em>" in paragraph.html
    response = admin_client.post(
        reverse("admin:corpus_paragraph_change", args=[paragraph.pk]),
        {
            "kind": "body",
            "level": "",
            "markup": paragraph.markup.replace("by the ministry", "by Russia's ministry"),
        },
    )
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text.endswith("is described here by Russia's ministry.")
    assert "<em>Hmeimim</em>" in paragraph.html
    assert 'href="https://example.org/a"' in paragraph.html


def test_paragraph_changelist_filters_by_kind(admin_client, seed_articles):
    response = admin_client.get(
        reverse("admin:corpus_paragraph_changelist"), {"kind__exact": "reference"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 37


def test_a_level_on_a_body_paragraph_is_refused(admin_client, seed_articles):
    article = seed_articles["southfront"]
    paragraph = article.paragraphs.filter(kind=ParagraphKind.BODY).first()
    response = admin_client.post(
        reverse("admin:corpus_paragraph_change", args=[paragraph.pk]),
        {"kind": "body", "level": 2, "markup": "x"},
    )
    assert response.status_code == 200  # the form comes back with the error
    assert "Only headings have a level." in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.level is None
