"""Tags across the corpus: the index with counts, a tag's page (its passages by
article, in reading order), and renaming or merging a tag without losing any."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from annotations.models import Annotation, AnnotationTag, TaggedAnnotation
from tests import test_visibility
from tests.conftest import make_annotation
from tests.test_team_articles import masked
from tests.test_visibility import SEES, VIEWERS, client_for

annotated = test_visibility.annotated  # the matrix's three annotations, as a fixture here

INTERVENTION = {
    "global_research": "Russia",
    "southfront": "Russia",
    "academic": "Russia",
}


def tag_slugs(annotation) -> set[str]:
    return set(annotation.tags.values_list("slug", flat=True))


@pytest.fixture
def tagged_across(seed_articles, people):
    """Two passages in each seed article tagged "intervention", public, by the team."""
    made = []
    for article in seed_articles.values():
        paragraphs = [p for p in article.paragraphs.filter(kind="body").order_by("position")]
        for paragraph in (paragraphs[5], paragraphs[2]):  # written out of reading order
            made.append(
                make_annotation(
                    author=people["author"],
                    paragraph=paragraph,
                    exact=paragraph.text[:40],
                    stance="",
                    tags=["Intervention"],
                    visibility="public",
                    team=people["team"],
                )
            )
    return made


@pytest.mark.parametrize("viewer", VIEWERS)
def test_tag_index_counts_only_the_passages_the_viewer_may_see(client, people, annotated, viewer):
    client = client_for(client, people, viewer)
    html = client.get(reverse("annotations:tag-list")).content.decode()
    for visibility in ("private", "team", "public"):
        assert (f"tag-{visibility}" in html) == (viewer in SEES[visibility])


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_tag_on_hidden_passages_only_is_a_missing_page(client, people, annotated, viewer):
    client = client_for(client, people, viewer)
    url = reverse("annotations:tag-detail", args=["tag-private"])
    response = client.get(url)
    if viewer == "author":
        assert response.status_code == 200
        return
    AnnotationTag.objects.filter(slug="tag-private").delete()  # the same address, no tag
    missing = client.get(url)
    assert response.status_code == missing.status_code == 404
    # Byte for byte, but for the masked CSRF token of the sign-out form (new each page).
    assert masked(response) == masked(missing)


def test_tag_page_groups_passages_by_article_in_reading_order(client, tagged_across):
    response = client.get(reverse("annotations:tag-detail", args=["intervention"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "6 passages you can see" in html
    by_article = {}
    for annotation in tagged_across:
        by_article.setdefault(annotation.article.title, []).append(annotation)
    # Each article is one group, its passages in paragraph order.
    for title, annotations in by_article.items():
        assert html.count(f">{escape(title)}</a> <span") == 1
        first, second = sorted(annotations, key=lambda a: a.paragraph.position)
        assert html.index(f'id="a-{first.pk}"') < html.index(f'id="a-{second.pk}"')
    # A passage tagged without a claim or stance is drawn as a plain tagged passage.
    assert "Tagged passage" in html and "card--plain" in html


def test_tag_index_counts_passages(client, tagged_across):
    html = client.get(reverse("annotations:tag-list")).content.decode()
    assert 'Intervention <span class="tag-count">6</span>' in html


def test_tag_page_takes_the_same_queries_for_many_passages(client, people, seed_articles):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("annotations:tag-detail", args=["sanctions"])).status_code == 200
            )
        return len(queries)

    article = seed_articles["academic"]
    paragraphs = list(article.paragraphs.filter(kind="body").order_by("position"))
    client.force_login(people["editor"])

    def tag(count):
        for paragraph in paragraphs[:count]:
            make_annotation(
                author=people["editor"],
                paragraph=paragraph,
                exact=paragraph.text[:30],
                tags=["Sanctions", "Oil"],
                regions=[],
                source_name="Reuters",
                visibility="team",
                team=people["team"],
            )

    tag(2)
    few = count_queries()
    Annotation.objects.all().delete()
    tag(25)
    assert count_queries() == few


def test_editor_renames_a_tag_on_the_team_passages_and_the_authors_private_one_keeps_it(
    client, people, seed_articles
):
    paragraph = seed_articles["academic"].paragraphs.filter(kind="body").first()
    shared = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=paragraph.text[:20],
        tags=["irgc"],
        visibility="team",
        team=people["team"],
    )
    private = make_annotation(
        author=people["author"], paragraph=paragraph, exact=paragraph.text[:25], tags=["irgc"]
    )
    client.force_login(people["editor"])
    page = client.get(reverse("annotations:tag-detail", args=["irgc"])).content.decode()
    assert "Rename or merge" in page and "the 1 passage you may change" in page
    response = client.post(reverse("annotations:tag-rename", args=["irgc"]), {"name": "IRGC"})
    assert response.status_code == 302
    assert response["Location"] == reverse("annotations:tag-detail", args=["irgc"])
    shared.refresh_from_db()
    assert list(shared.tags.values_list("name", flat=True)) == ["IRGC"]
    assert shared.version == 2  # an edit opened before the rename is refused, not applied
    assert list(private.tags.values_list("name", flat=True)) == ["irgc"]


def test_merging_a_tag_leaves_every_passage_tagged_once_with_the_survivor(
    client, people, seed_articles
):
    paragraphs = list(seed_articles["southfront"].paragraphs.filter(kind="body")[:3])
    common = dict(author=people["author"], visibility="team", team=people["team"])
    only_old = make_annotation(
        paragraph=paragraphs[0], exact=paragraphs[0].text[:20], tags=["Hezbolla"], **common
    )
    both = make_annotation(
        paragraph=paragraphs[1],
        exact=paragraphs[1].text[:20],
        tags=["Hezbolla", "Hezbollah", "Proxy"],
        **common,
    )
    only_new = make_annotation(
        paragraph=paragraphs[2], exact=paragraphs[2].text[:20], tags=["Hezbollah"], **common
    )
    client.force_login(people["owner"])
    response = client.post(
        reverse("annotations:tag-rename", args=["hezbolla"]), {"name": "hezbollah"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("annotations:tag-detail", args=["hezbollah"])
    assert tag_slugs(only_old) == {"hezbollah"}
    assert tag_slugs(both) == {"hezbollah", "proxy"}
    assert TaggedAnnotation.objects.filter(content_object=both, tag__slug="hezbollah").count() == 1
    assert tag_slugs(only_new) == {"hezbollah"}
    assert not AnnotationTag.objects.filter(slug="hezbolla").exists()
    page = client.get(reverse("annotations:tag-detail", args=["hezbollah"])).content.decode()
    assert "3 passages you can see" in page


def test_a_merge_that_fails_halfway_changes_nothing(people, seed_articles, monkeypatch):
    from annotations import services
    from annotations.services import tags as tag_service

    paragraphs = list(seed_articles["southfront"].paragraphs.filter(kind="body")[:2])
    annotations = [
        make_annotation(
            author=people["editor"],
            paragraph=paragraph,
            exact=paragraph.text[:20],
            tags=["Assad"],
            visibility="team",
            team=people["team"],
        )
        for paragraph in paragraphs
    ]

    def broken_clock():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tag_service.timezone, "now", broken_clock)
    with pytest.raises(RuntimeError):
        services.tag_rename(editor=people["editor"], slug="assad", new_name="Bashar al-Assad")
    for annotation in annotations:
        assert tag_slugs(annotation) == {"assad"}
        annotation.refresh_from_db()
        assert annotation.version == 1
    assert not AnnotationTag.objects.filter(slug="bashar-al-assad").exists()


@pytest.mark.parametrize(
    ("viewer", "status"), [("viewer", 400), ("outsider", 400), ("stranger", 400)]
)
def test_who_may_not_change_the_passages_cannot_rename_their_tag(
    client, people, seed_articles, viewer, status
):
    paragraph = seed_articles["academic"].paragraphs.filter(kind="body").first()
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=paragraph.text[:20],
        tags=["Damascus"],
        visibility="public",
        team=people["team"],
    )
    client.force_login(people[viewer])
    page = client.get(reverse("annotations:tag-detail", args=["damascus"])).content.decode()
    assert "Rename or merge" not in page
    response = client.post(reverse("annotations:tag-rename", args=["damascus"]), {"name": "X"})
    assert response.status_code == status
    assert "You may not change any of the passages with this tag." in response.content.decode()
    assert tag_slugs(annotation) == {"damascus"}


def test_visitors_are_sent_to_sign_in_before_renaming(client, annotated):
    response = client.post(reverse("annotations:tag-rename", args=["tag-public"]), {"name": "X"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AnnotationTag.objects.filter(slug="tag-public").exists()


@pytest.mark.parametrize("name", ["", "   ", "!!!", "x" * 101])
def test_a_name_that_cannot_be_a_tag_is_refused_with_the_reason(client, people, annotated, name):
    client.force_login(people["editor"])
    response = client.post(reverse("annotations:tag-rename", args=["tag-team"]), {"name": name})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert AnnotationTag.objects.filter(slug="tag-team").exists()


def test_renaming_to_the_same_name_says_so(client, people, annotated):
    client.force_login(people["editor"])
    response = client.post(
        reverse("annotations:tag-rename", args=["tag-team"]), {"name": "tag-team"}
    )
    assert response.status_code == 400
    assert "already" in response.content.decode()


def test_a_slug_that_cannot_be_a_tag_is_a_missing_page(client):
    assert client.get("/tags/" + "a" * 300 + "/").status_code == 404
    assert client.get("/tags/%00/").status_code == 404
