"""Who sees a team's article: its members alone, whatever its annotations' own
visibility says, on every page, count, facet and type-ahead. To anyone else it does
not exist: the same 404 as a missing article, and no trace in any list or count."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from annotations.models import Annotation, Source
from corpus.models import Article, Paragraph
from corpus.services import article_import_file
from tests.conftest import ACADEMIC, make_annotation

MEMBERS = ("viewer", "annotator", "editor", "owner", "author")
OUTSIDERS = ("anonymous", "outsider", "stranger", "staff")
VIEWERS = MEMBERS + OUTSIDERS

TITLE = "Qusayr Supply Lines: A Confidential Dossier"
KEYWORD = "qusayr-dossier-keyword"
QUOTES = {
    "public": "The Islamic Republic of Iran, as one of the powerful actors in West Asia",
    "team": "The geopolitical proximity of the Middle East to Russia",
    "private": "Russia's naval military base on the western coast of Syria",
}


@pytest.fixture
def viewers(people):
    staff = get_user_model().objects.create_user("staff", password="pw-staff-2026", is_staff=True)
    return {**people, "staff": staff}


@pytest.fixture
def team_article(seed_articles, viewers, tmp_path):
    """The academic paper, retitled and with a keyword of its own, imported into the
    team's collection, with a public, a team and a private annotation on it."""
    text = ACADEMIC.read_text(encoding="utf-8")
    text = text.replace(
        "The Military & Security Cooperation between Iran and Russia in the Syrian Crisis "
        "with the Approach of Realism 2010-2017",
        TITLE,
        1,
    )
    text = text.replace(
        "Keywords: Syrian crisis, civil war,", f"Keywords: {KEYWORD}, civil war,", 1
    )
    path = tmp_path / "dossier.txt"
    path.write_text(text, encoding="utf-8")
    outcome = article_import_file(path=path, team=viewers["team"])
    assert outcome.status == "created", outcome.error
    article = outcome.article
    annotations = {}
    for visibility, quote in QUOTES.items():
        annotations[visibility] = make_annotation(
            author=viewers["author"],
            paragraph=article.paragraphs.get(text__contains=quote),
            exact=quote,
            stance="supports",
            claim=f"DOSSIER-CLAIM-{visibility}",
            tags=[f"dossier-tag-{visibility}"],
            source_name=f"Dossier Source {visibility}",
            visibility=visibility,
            team=viewers["team"] if visibility != "private" else None,
        )
    return article, annotations


def masked(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def sign_in(client, viewers, viewer):
    if viewer != "anonymous":
        client.force_login(viewers[viewer])
    return client


def test_an_import_into_a_team_makes_a_team_article(team_article, viewers):
    article, _ = team_article
    assert article.team == viewers["team"]
    assert article.visibility == "team"
    assert KEYWORD in set(article.keywords.names())


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_article_page_is_the_members_alone_and_a_404_like_a_missing_one(
    client, viewers, team_article, viewer
):
    article, _ = team_article
    client = sign_in(client, viewers, viewer)
    response = client.get(article.get_absolute_url())
    if viewer in MEMBERS:
        assert response.status_code == 200
        assert TITLE in response.content.decode()
        return
    # The same address once no article is there.
    Article.objects.filter(pk=article.pk).update(slug="moved-elsewhere")
    missing = client.get(article.get_absolute_url())
    assert response.status_code == missing.status_code == 404
    # Byte for byte, but for the masked CSRF token of the sign-out form (new each page).
    assert masked(response) == masked(missing)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_annotation_on_it_is_hidden_from_outsiders_whatever_its_visibility(
    client, viewers, team_article, viewer
):
    _, annotations = team_article
    client = sign_in(client, viewers, viewer)
    html = client.get(reverse("annotations:list")).content.decode()
    for visibility, annotation in annotations.items():
        sees = viewer in MEMBERS and (visibility != "private" or viewer == "author")
        for trace in (
            f'id="a-{annotation.pk}"',
            f"DOSSIER-CLAIM-{visibility}",
            f"Dossier Source {visibility}",
            f"dossier-tag-{visibility}",
        ):
            assert (trace in html) == sees, (viewer, visibility, trace)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_article_list_its_counts_and_its_keyword_filter_leave_no_trace(
    client, viewers, team_article, seed_articles, viewer
):
    client = sign_in(client, viewers, viewer)
    member = viewer in MEMBERS
    response = client.get(reverse("corpus:article-list"))
    html = response.content.decode()
    assert (TITLE in html) == member
    assert (KEYWORD in html) == member
    assert ("Levant Desk only" in html) == member  # the badge of a team's article
    assert response.context["paginator"].count == len(seed_articles) + member
    kinds = {kind["value"]: kind["count"] for kind in response.context["facets"].kinds}
    assert kinds["academic"] == 1 + member
    keyword_counts = {tag.name: tag.count for tag in response.context["facets"].tags}
    assert keyword_counts.get("civil war") == 1 + member
    assert (KEYWORD in keyword_counts) == member

    filtered = client.get(reverse("corpus:article-list"), {"tag": KEYWORD})
    assert filtered.status_code == 200
    assert [a.title for a in filtered.context["articles"]] == ([TITLE] if member else [])


@pytest.mark.parametrize("viewer", VIEWERS)
def test_annotation_counts_on_the_lists_count_only_what_the_viewer_may_see(
    client, viewers, team_article, viewer
):
    article, _ = team_article
    client = sign_in(client, viewers, viewer)
    expected = {"author": 3}.get(viewer, 2 if viewer in MEMBERS else 0)
    listing = client.get(reverse("annotations:list")).context["listing"]
    on_article = [card for card in listing.cards if card.article_id == article.pk]
    assert len(on_article) == expected
    articles = client.get(reverse("corpus:article-list"), {"kind": "academic"}).context["articles"]
    counts = {row.pk: row.annotation_count for row in articles}
    assert counts.get(article.pk, 0) == expected


@pytest.mark.parametrize("viewer", ("outsider", "stranger", "staff"))
def test_type_ahead_and_suggestions_know_nothing_of_it(client, viewers, team_article, viewer):
    article, _ = team_article
    client = sign_in(client, viewers, viewer)
    sources = client.get(reverse("annotations:source-search"), {"q": "Dossier Source"})
    assert sources.json() == {"results": []}
    paragraph = article.paragraphs.first()
    suggestion = client.get(reverse("annotations:suggest"), {"paragraph": paragraph.pk})
    assert suggestion.status_code == 404
    assert suggestion.json() == {"error": "no such paragraph"}


def test_members_find_its_sources_in_the_type_ahead(client, viewers, team_article):
    client.force_login(viewers["viewer"])
    names = [
        result["name"]
        for result in client.get(
            reverse("annotations:source-search"), {"q": "Dossier Source"}
        ).json()["results"]
    ]
    assert names == ["Dossier Source public", "Dossier Source team"]


@pytest.mark.parametrize("viewer", ("outsider", "stranger", "staff"))
def test_outsiders_cannot_annotate_edit_or_share_it(client, viewers, team_article, viewer):
    article, annotations = team_article
    client = sign_in(client, viewers, viewer)
    before = Annotation.objects.count()
    for url in (
        reverse("annotations:create", args=[article.slug]),
        reverse("annotations:article-sharing", args=[article.slug]),
        reverse("annotations:edit", args=[annotations["public"].pk]),
        reverse("annotations:delete", args=[annotations["public"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    posted = client.post(
        reverse("annotations:create", args=[article.slug]),
        {
            "paragraph": article.paragraphs.first().pk,
            "exact": "Iran",
            "stance": "supports",
            "visibility": "private",
        },
    )
    assert posted.status_code == 404
    assert Annotation.objects.count() == before


def test_staff_who_are_not_members_do_not_see_it_in_the_admin(client, viewers, team_article):
    article, _ = team_article
    staff = viewers["staff"]
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "view_paragraph"])
    )
    client.force_login(staff)
    articles = client.get(reverse("admin:corpus_article_changelist"))
    assert articles.status_code == 200
    assert TITLE not in articles.content.decode()
    assert client.get(reverse("admin:corpus_article_change", args=[article.pk])).status_code == 302
    paragraph = article.paragraphs.first()
    paragraphs = client.get(reverse("admin:corpus_paragraph_changelist"), {"q": "Qusayr"})
    assert str(paragraph.pk) not in json.dumps(
        [row.pk for row in paragraphs.context["cl"].result_list]
    )


def test_a_member_who_leaves_the_team_loses_the_article_and_their_own_annotations(
    client, viewers, team_article
):
    article, annotations = team_article
    viewers["team"].memberships.filter(user=viewers["author"]).delete()
    client.force_login(viewers["author"])
    assert client.get(article.get_absolute_url()).status_code == 404
    listing = client.get(reverse("annotations:list")).context["listing"]
    assert annotations["private"].pk not in {card.id for card in listing.cards}


def test_the_same_file_in_two_collections_is_two_articles(team_article, viewers, tmp_path):
    article, _ = team_article
    copy = tmp_path / "dossier.txt"
    other = article_import_file(path=copy, team=viewers["other_team"])
    assert other.status == "created", other.error
    assert other.article.pk != article.pk
    assert other.article.slug != article.slug
    assert Article.objects.filter(title=TITLE).count() == 2
    assert Paragraph.objects.filter(article=other.article).count() == article.paragraphs.count()
    # A source named on one team's article stays that team's business.
    assert not Source.objects.visible_to(viewers["stranger"]).filter(name__startswith="Dossier")
