"""Who sees what: every viewer against private, team and public annotations, on every
page and count that shows annotations. A hidden annotation leaves no trace."""

import json
import re

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.conftest import make_annotation

VIEWERS = ("anonymous", "outsider", "stranger", "viewer", "annotator", "editor", "owner", "author")

# Who sees an annotation of each visibility (the author is an annotator of the team).
SEES = {
    "private": {"author"},
    "team": {"author", "viewer", "annotator", "editor", "owner"},
    "public": set(VIEWERS),
}
# Who may edit or delete it.
EDITS = {
    "private": {"author"},
    "team": {"author", "editor", "owner"},
    "public": {"author", "editor", "owner"},
}

QUOTES = {
    "private": "Russia's naval military base on the western coast of Syria",
    "team": "The geopolitical proximity of the Middle East to Russia",
    "public": "The potential for Western countries' interference",
}
CLAIMS = {
    "private": "PRIVATE-CLAIM-7a1",
    "team": "TEAM-CLAIM-3c9",
    "public": "PUBLIC-CLAIM-5e2",
}


@pytest.fixture
def annotated(seed_articles, people):
    article = seed_articles["academic"]
    annotations = {}
    for visibility, quote in QUOTES.items():
        paragraph = article.paragraphs.get(text__contains=quote)
        annotations[visibility] = make_annotation(
            author=people["author"],
            paragraph=paragraph,
            exact=quote,
            stance="opposes",
            claim=CLAIMS[visibility],
            tags=[f"tag-{visibility}"],
            source_name=f"Source {visibility}",
            visibility=visibility,
            team=people["team"] if visibility != "private" else None,
        )
    return article, annotations


def client_for(client, people, viewer):
    if viewer != "anonymous":
        client.force_login(people[viewer])
    return client


def matrix():
    return [
        (viewer, visibility) for viewer in VIEWERS for visibility in ("private", "team", "public")
    ]


@pytest.mark.parametrize(("viewer", "visibility"), matrix())
def test_article_page_shows_only_what_the_viewer_may_see(
    client, people, annotated, viewer, visibility
):
    article, annotations = annotated
    annotation = annotations[visibility]
    client = client_for(client, people, viewer)
    html = client.get(article.get_absolute_url()).content.decode()
    visible = viewer in SEES[visibility]
    # The highlight, the card, the claim, the source, the tag: all or nothing.
    for trace in (
        f'data-annotation-ids="{annotation.pk}"',
        f'id="a-{annotation.pk}"',
        CLAIMS[visibility],
        f"Source {visibility}",
        f"tag-{visibility}",
    ):
        assert (trace in html) == visible, (viewer, visibility, trace)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_counts_on_the_article_page_and_the_lists_follow_the_rule(
    client, people, annotated, viewer
):
    article, _ = annotated
    expected = sum(viewer in SEES[visibility] for visibility in QUOTES)
    client = client_for(client, people, viewer)

    page = client.get(article.get_absolute_url())
    assert len(page.context["panel"].cards) == expected
    assert page.context["panel"].counts.total == expected
    stance_counts = {f.key: f for f in page.context["panel"].counts.facets}["stance"].options
    assert sum(option.count for option in stance_counts) == expected
    author_counts = {f.key: f for f in page.context["panel"].counts.facets}["author"].options
    assert sum(option.count for option in author_counts) == expected

    article_list = client.get(reverse("corpus:article-list"), {"kind": "academic"})
    assert article_list.context["articles"][0].annotation_count == expected

    annotation_list = client.get(reverse("annotations:list"))
    assert annotation_list.context["listing"].counts.shown == expected
    assert len(annotation_list.context["listing"].cards) == expected
    for facet in annotation_list.context["listing"].counts.facets:
        if facet.key in {"stance", "author"}:
            assert sum(option.count for option in facet.options) == expected, facet.key


@pytest.mark.parametrize("viewer", VIEWERS)
def test_filter_options_never_name_hidden_annotations(client, people, annotated, viewer):
    article, _annotations = annotated
    client = client_for(client, people, viewer)
    for url in (article.get_absolute_url(), reverse("annotations:list")):
        html = client.get(url).content.decode()
        for visibility in QUOTES:
            assert (f"Source {visibility}" in html) == (viewer in SEES[visibility])
            assert (f"tag-{visibility}" in html) == (viewer in SEES[visibility])


@pytest.mark.parametrize(("viewer", "visibility"), matrix())
def test_edit_and_delete_answer_404_when_hidden_403_when_read_only(
    client, people, annotated, viewer, visibility
):
    _, annotations = annotated
    annotation = annotations[visibility]
    client = client_for(client, people, viewer)
    for name in ("annotations:edit", "annotations:delete"):
        response = client.get(reverse(name, args=[annotation.pk]))
        if viewer == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif viewer not in SEES[visibility]:
            assert response.status_code == 404, (viewer, visibility, name)
            assert CLAIMS[visibility] not in response.content.decode()
        elif viewer not in EDITS[visibility]:
            assert response.status_code == 403, (viewer, visibility, name)
            assert (
                "Only its author, and the editors and owners of its team"
                in response.content.decode()
            )
        else:
            assert response.status_code == 200, (viewer, visibility, name)


@pytest.mark.parametrize(("viewer", "visibility"), matrix())
def test_posting_a_delete_changes_nothing_unless_allowed(
    client, people, annotated, viewer, visibility
):
    _, annotations = annotated
    annotation = annotations[visibility]
    client = client_for(client, people, viewer)
    response = client.post(
        reverse("annotations:delete", args=[annotation.pk]), {"version": annotation.version}
    )
    allowed = viewer in EDITS[visibility]
    assert Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=True).exists() != allowed
    if not allowed and viewer != "anonymous":
        assert response.status_code == (403 if viewer in SEES[visibility] else 404)


def test_a_missing_annotation_and_a_hidden_one_look_the_same(client, people, annotated):
    _, annotations = annotated
    client.force_login(people["outsider"])
    hidden = client.get(reverse("annotations:edit", args=[annotations["team"].pk]))
    missing = client.get(reverse("annotations:edit", args=[999999]))
    assert hidden.status_code == missing.status_code == 404

    # The same page, but for the address it was asked for and the (masked) CSRF token.
    def neutral(response):
        html = response.content.decode().replace(
            f"/annotations/{annotations['team'].pk}/", "/annotations/N/"
        )
        html = html.replace("/annotations/999999/", "/annotations/N/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert neutral(hidden) == neutral(missing)


def test_the_queryset_rule_is_the_one_the_pages_use(people, annotated):
    _, annotations = annotated
    for viewer in VIEWERS:
        user = people.get(viewer)
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        visible = set(Annotation.objects.visible_to(user).values_list("pk", flat=True))
        assert visible == {annotations[v].pk for v in QUOTES if viewer in SEES[v]}, viewer
        editable = set(Annotation.objects.editable_by(user).values_list("pk", flat=True))
        assert editable == {annotations[v].pk for v in QUOTES if viewer in EDITS[v]}, viewer


def test_a_public_annotation_in_a_big_team_is_counted_once(client, people, annotated):
    from django.contrib.auth import get_user_model

    from annotations.models import Membership

    for number in range(5):
        user = get_user_model().objects.create_user(f"extra{number}")
        Membership.objects.create(user=user, team=people["team"], role="viewer")
    client.force_login(people["viewer"])
    assert client.get(reverse("annotations:list")).context["listing"].counts.shown == 2


def test_a_member_who_leaves_stops_seeing_team_annotations(client, people, annotated):
    from annotations.models import Membership

    article, _annotations = annotated
    client.force_login(people["viewer"])
    assert CLAIMS["team"] in client.get(article.get_absolute_url()).content.decode()
    Membership.objects.filter(user=people["viewer"]).delete()
    assert CLAIMS["team"] not in client.get(article.get_absolute_url()).content.decode()


def test_staff_do_not_see_private_annotations_in_the_reader(client, people, annotated):
    from django.contrib.auth import get_user_model

    article, annotations = annotated
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-2026")
    client.force_login(admin)
    assert CLAIMS["private"] not in client.get(article.get_absolute_url()).content.decode()
    assert (
        client.get(reverse("annotations:edit", args=[annotations["private"].pk])).status_code == 404
    )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_and_the_downloads_hold_only_what_the_viewer_may_see(
    client, people, annotated, viewer
):
    _, annotations = annotated
    client = client_for(client, people, viewer)
    expected = {annotations[v].pk for v in QUOTES if viewer in SEES[v]}
    container = client.get("/api/annotations/").json()
    assert container["total"] == len(expected)
    assert {int(item["id"].rsplit("/", 1)[1]) for item in container["first"]["items"]} == expected
    iris = client.get("/api/annotations/?iris=1&page=1").json()["items"]
    assert {int(iri.rsplit("/", 1)[1]) for iri in iris} == expected
    for kind in ("jsonld", "csv"):
        response = client.get(reverse("annotations:export"), {"format": kind})
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        for visibility in QUOTES:
            visible = viewer in SEES[visibility]
            for trace in (CLAIMS[visibility], f"Source {visibility}", f"tag-{visibility}"):
                assert (trace in content) == visible, (viewer, kind, trace)


@pytest.mark.parametrize(("viewer", "visibility"), matrix())
def test_the_api_answers_404_when_hidden_403_when_read_only(
    client, people, annotated, viewer, visibility
):
    _, annotations = annotated
    annotation = annotations[visibility]
    client = client_for(client, people, viewer)
    url = f"/api/annotations/{annotation.pk}"
    read = client.get(url)
    assert read.status_code == (200 if viewer in SEES[visibility] else 404)
    document = read.json() if read.status_code == 200 else {"type": "Annotation", "target": {}}
    replaced = client.put(
        url, data=json.dumps(document), content_type="application/ld+json", HTTP_IF_MATCH='"1"'
    )
    deleted = client.delete(url, HTTP_IF_MATCH='"1"')
    for response in (replaced, deleted):
        if viewer == "anonymous":
            assert response.status_code == 401
        elif viewer not in SEES[visibility]:
            assert response.status_code == 404
            assert CLAIMS[visibility] not in response.content.decode()
        elif viewer not in EDITS[visibility]:
            assert response.status_code == 403
    if viewer in EDITS[visibility]:
        assert (replaced.status_code, deleted.status_code) == (200, 412)  # the PUT moved it on
    still_there = Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=True).exists()
    assert still_there
