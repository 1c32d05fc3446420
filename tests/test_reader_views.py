"""The article list and the article page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.models import Article, Paragraph, ParagraphKind
from corpus.services import article_import_file
from tests.conftest import ACADEMIC

LIST_URL = reverse("corpus:article-list")


def article_url(article):
    return reverse("corpus:article-detail", kwargs={"slug": article.slug})


def make_articles(tmp_path, count, start=0):
    text = ACADEMIC.read_text(encoding="utf-8")
    for number in range(start, start + count):
        path = tmp_path / f"paper-{number:03}.txt"
        path.write_text(
            text.replace("Realism 2010-2017", f"Realism, part {number}"), encoding="utf-8"
        )
        assert article_import_file(path=path).status == "created"


# ------------------------------------------------------------------------ the list


def test_list_shows_title_outlet_date_kind_and_paragraph_count(client, seed_articles):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    gr = seed_articles["global_research"]
    row = html[html.index(gr.title.replace("'", "&#x27;")) :]
    row = row[: row.index("</tr>")]
    assert "Global Research" in row
    assert 'datetime="2019-03-09"' in row
    assert "Opinion" in row
    assert f">{gr.paragraphs.count()}<" in row
    assert "3 articles in the corpus" in html


def test_list_orders_dated_articles_first_newest_first(client, seed_articles):
    titles = [a.title for a in client.get(LIST_URL).context["articles"]]
    assert titles[0] == seed_articles["global_research"].title
    assert set(titles[1:]) == {seed_articles["southfront"].title, seed_articles["academic"].title}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"outlet": "SouthFront"}, ["An Alliance for Mutual Security"]),
        ({"kind": "academic"}, ["The Military & Security Cooperation"]),
        ({"kind": "opinion"}, ["Assad's Tehran Visit", "An Alliance for Mutual Security"]),
        ({"tag": "civil-war"}, ["The Military & Security Cooperation"]),
        ({"outlet": "SouthFront", "kind": "academic"}, []),
        ({"outlet": "Nobody"}, []),
    ],
)
def test_list_filters(client, seed_articles, query, expected):
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    titles = [article.title for article in response.context["articles"]]
    assert len(titles) == len(expected)
    for prefix in expected:
        assert any(title.startswith(prefix) for title in titles)
    if not expected:
        assert "No article matches these filters." in response.content.decode()


def test_list_filter_choices_show_counts(client, seed_articles):
    html = client.get(LIST_URL).content.decode()
    assert "Opinion (2)" in html and "Academic (1)" in html
    assert "Global Research (1)" in html and "SouthFront (1)" in html
    assert "civil war (1)" in html


def test_list_refuses_an_unknown_kind_with_a_reason(client, seed_articles):
    response = client.get(LIST_URL, {"kind": "poetry"})
    assert response.status_code == 400
    assert "Unknown kind &#x27;poetry&#x27;" in response.content.decode()


def test_list_is_paginated_and_keeps_the_filters(client, db, tmp_path):
    make_articles(tmp_path, 30)
    first = client.get(LIST_URL, {"kind": "academic"})
    assert len(first.context["articles"]) == 25
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert "?kind=academic&amp;page=2" in html
    second = client.get(LIST_URL, {"kind": "academic", "page": 2})
    assert len(second.context["articles"]) == 5
    assert client.get(LIST_URL, {"page": 9}).status_code == 404


def test_list_takes_a_fixed_number_of_queries(client, db, tmp_path):
    make_articles(tmp_path, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST_URL).status_code == 200
    make_articles(tmp_path, 22, start=3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST_URL).status_code == 200
    assert len(many) == len(few) <= 6


# ------------------------------------------------------------------------ the page


def test_article_page_shows_metadata_above_the_text(client, seed_articles):
    article = seed_articles["academic"]
    html = client.get(article_url(article)).content.decode()
    header = html[: html.index('class="article-text"')]
    for fragment in (
        "Mohammad Mosaddegh",
        "Garineh Keshishyan Siraki",
        "15 March 2023",
        "5 May 2023",
        "Islamic Azad University",
        "Abstract",
        "Iran, one of the powerful players in West Asia",
        "regional competition",
        "no date given",
    ):
        assert fragment in header, fragment


def test_every_paragraph_has_a_stable_anchor_and_its_id(client, seed_articles):
    article = seed_articles["academic"]
    html = client.get(article_url(article)).content.decode()
    for paragraph in article.paragraphs.all():
        assert f'id="p-{paragraph.position}" data-paragraph-id="{paragraph.pk}"' in html
    assert len(re.findall(r'data-paragraph-id="\d+"', html)) == article.paragraphs.count()


def test_paragraphs_render_by_kind(client, seed_articles):
    academic = client.get(article_url(seed_articles["academic"])).content.decode()
    assert re.search(
        r'<h2 class="para para--heading" id="p-\d+"[^>]*><span class="ptext">Introduction', academic
    )
    assert re.search(
        r'<h3 class="para para--heading"[^>]*><span class="ptext">Extremism, Terrorism', academic
    )
    assert academic.count('<li class="para para--list_item"') == 5
    assert academic.count('<ol class="references">') == 1
    assert academic.count('<li class="para para--reference"') == 37

    gr = client.get(article_url(seed_articles["global_research"])).content.decode()
    assert gr.count('<blockquote class="para para--quote"') == 3
    assert "<strong>President Bashar Al Assad</strong>" in gr

    sf = client.get(article_url(seed_articles["southfront"])).content.decode()
    assert sf.count('<figure class="para para--caption"') == 1


def test_boilerplate_and_reader_comments_are_folded_apart(client, seed_articles):
    sf = client.get(article_url(seed_articles["southfront"])).content.decode()
    comments = sf[sf.index('id="reader-comments"') :]
    comments = comments[: comments.index("</details>")]
    assert 'Reader comments <span class="count">(2)</span>' in comments
    assert comments.count('class="para para--reader_comment"') == 2
    boilerplate = sf[sf.index('id="boilerplate"') :]
    assert boilerplate.count('class="para para--boilerplate"') == 4
    text_part = sf[: sf.index('id="reader-comments"')]
    assert "Notify of" not in text_part and "Excellent step" not in text_part


def test_unknown_article_is_404(client, db):
    assert client.get(reverse("corpus:article-detail", kwargs={"slug": "nope"})).status_code == 404


def test_article_page_takes_the_same_few_queries_whatever_its_length(client, seed_articles):
    counts = {}
    for key in ("southfront", "academic"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article_url(seed_articles[key])).status_code == 200
        counts[key] = len(queries)
    long_article = seed_articles["academic"]
    Paragraph.objects.bulk_create(
        Paragraph(
            article=long_article,
            position=1000 + n,
            kind=ParagraphKind.BODY,
            text=f"x{n}",
            html=f"x{n}",
        )
        for n in range(500)
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article_url(long_article)).status_code == 200
    counts["long"] = len(queries)
    assert len(set(counts.values())) == 1, counts
    assert counts["long"] <= 8


def test_article_page_sends_a_content_security_policy_without_inline_script(client, seed_articles):
    response = client.get(article_url(seed_articles["academic"]))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_article_list_links_each_article(client, seed_articles):
    html = client.get(LIST_URL).content.decode()
    for article in Article.objects.all():
        assert f'href="{article_url(article)}"' in html
