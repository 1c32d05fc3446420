"""Shared vocabularies leak nothing: a source or tag first named in an annotation is
seen only by those who may see an annotation naming it, in every type-ahead,
suggestion, facet and admin list; and reusing a name never hands back someone
else's hidden record."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from annotations.models import Annotation, AnnotationTag, Source
from tests.conftest import make_annotation
from tests.test_visibility import SEES, VIEWERS, client_for

SECRET = {
    "private": "Secret Informant Zebra",
    "team": "Levant Desk Insider Quokka",
    "public": "Open Channel Heron",
}
TAGS = {"private": "Operation Zebra", "team": "Desk Quokka", "public": "Heron Watch"}
PASSAGE = "The potential for Western countries' interference"


@pytest.fixture
def named(seed_articles, people):
    article = seed_articles["academic"]
    paragraph = article.paragraphs.get(text__contains=PASSAGE)
    annotations = {}
    for visibility in ("private", "team", "public"):
        annotations[visibility] = make_annotation(
            author=people["author"],
            paragraph=paragraph,
            exact=PASSAGE,
            source_name=SECRET[visibility],
            tags=[TAGS[visibility]],
            visibility=visibility,
            team=people["team"] if visibility != "private" else None,
        )
    return article, paragraph, annotations


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_the_source_type_ahead_offers_only_sources_the_viewer_may_see(
    client, people, named, viewer
):
    client = client_for(client, people, viewer)
    for visibility, name in SECRET.items():
        word = name.split()[-1]  # Zebra, Quokka, Heron
        results = client.get(reverse("annotations:source-search"), {"q": word}).json()["results"]
        found = [result["name"] for result in results]
        assert (name in found) == (viewer in SEES[visibility]), (viewer, visibility)


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_suggestions_never_offer_a_hidden_source_as_known(client, people, named, viewer):
    _, paragraph, _ = named
    # A passage that names all three sources outright.
    paragraph.text = (
        "According to Secret Informant Zebra, Levant Desk Insider Quokka and Open Channel Heron, "
        "the RAND Corporation said so."
    )
    paragraph.save(update_fields=["text"])
    client = client_for(client, people, viewer)
    data = client.get(
        reverse("annotations:suggest"), {"paragraph": paragraph.pk, "exact": paragraph.text}
    ).json()
    offered = {source["name"]: source for source in data["sources"]}
    assert "RAND Corporation" in offered and offered["RAND Corporation"]["id"]
    for visibility, name in SECRET.items():
        source_id = Source.objects.get(name=name).pk
        assert all(
            source["id"] != source_id or viewer in SEES[visibility] for source in data["sources"]
        )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_facets_name_only_visible_sources_and_tags(client, people, named, viewer):
    article, _, _ = named
    client = client_for(client, people, viewer)
    for url in (article.get_absolute_url(), reverse("annotations:list")):
        html = client.get(url).content.decode()
        for visibility in SECRET:
            assert (SECRET[visibility] in html) == (viewer in SEES[visibility]), (url, visibility)
            assert (TAGS[visibility] in html) == (viewer in SEES[visibility]), (url, visibility)


def test_naming_a_hidden_source_makes_a_new_one_of_ones_own(people, named):
    _, paragraph, annotations = named
    hidden = annotations["private"].source
    mine = make_annotation(
        author=people["outsider"],
        paragraph=paragraph,
        exact=PASSAGE,
        source_name="secret informant ZEBRA",
    )
    assert mine.source_id != hidden.pk
    assert mine.source.name == "secret informant ZEBRA"  # their spelling, not the hidden one's
    assert not mine.source.curated and mine.source.created_by == people["outsider"]


def test_naming_a_visible_source_reuses_it(people, named):
    _, paragraph, annotations = named
    shared = annotations["team"].source
    mine = make_annotation(
        author=people["viewer"].memberships.first().user,
        paragraph=paragraph,
        exact=PASSAGE,
        source_name="levant desk insider quokka",
    )
    assert mine.source_id == shared.pk


def test_naming_a_curated_source_reuses_it_whatever_the_spelling(people, named):
    _, paragraph, _ = named
    mine = make_annotation(
        author=people["outsider"], paragraph=paragraph, exact=PASSAGE, source_name="Washington Post"
    )
    assert mine.source.curated and mine.source.name == "The Washington Post"


def test_typing_a_hidden_tag_gives_a_tag_of_ones_own_spelling(people, named):
    _, paragraph, annotations = named
    hidden = annotations["private"].tags.get()
    mine = make_annotation(
        author=people["outsider"], paragraph=paragraph, exact=PASSAGE, tags=["operation zebra"]
    )
    tag = mine.tags.get()
    assert tag.pk != hidden.pk and tag.name == "operation zebra"


def test_typing_a_visible_tag_reuses_it_with_its_spelling(people, named):
    _, paragraph, annotations = named
    mine = make_annotation(
        author=people["outsider"], paragraph=paragraph, exact=PASSAGE, tags=["heron watch"]
    )
    assert mine.tags.get() == annotations["public"].tags.get()


def test_a_tag_is_what_stands_between_commas(client, people, named):
    article, paragraph, _ = named
    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:create", args=[article.slug]),
        {
            "paragraph": paragraph.pk,
            "exact": PASSAGE,
            "stance": "neutral",
            "visibility": "private",
            "tags": "dual containment,  Iran ,dual containment",
        },
    )
    assert response.status_code == 302
    annotation = Annotation.objects.latest("pk")
    assert sorted(annotation.tags.values_list("name", flat=True)) == ["Iran", "dual containment"]


@pytest.fixture
def staff(db, people):
    user = get_user_model().objects.create_user(
        "deskstaff", password="pw-staff-2026", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["annotations", "corpus"])
    )
    from annotations.models import Membership

    Membership.objects.create(user=user, team=people["other_team"], role="editor")
    return user


def test_staff_who_are_not_superusers_see_only_visible_vocabularies_in_the_admin(
    client, people, named, staff
):
    client.force_login(staff)
    sources = client.get(reverse("admin:annotations_source_changelist"), {"q": "a"})
    assert sources.status_code == 200
    html = sources.content.decode()
    assert SECRET["public"] in html
    assert SECRET["private"] not in html and SECRET["team"] not in html
    tags = client.get(reverse("admin:annotations_annotationtag_changelist")).content.decode()
    assert TAGS["public"] in tags
    assert TAGS["private"] not in tags and TAGS["team"] not in tags
    teams = client.get(reverse("admin:corpus_team_changelist")).content.decode()
    assert "Gulf Desk" in teams and "Levant Desk" not in teams
    members = client.get(reverse("admin:corpus_membership_changelist"))
    assert {str(m.user) for m in members.context["cl"].result_list} == {"deskstaff", "stranger"}
    popup = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "annotations",
            "model_name": "annotation",
            "field_name": "source",
            "term": "Zebra",
        },
    )
    assert SECRET["private"] not in popup.content.decode()
    hidden = Source.objects.get(name=SECRET["private"])
    assert (
        client.get(reverse("admin:annotations_source_change", args=[hidden.pk])).status_code == 302
    )


def test_the_tag_rows_of_one_slug_act_as_one_tag_in_the_filter(client, people, named):
    _article, paragraph, _ = named
    make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=PASSAGE,
        tags=["HERON WATCH"],
        visibility="public",
        team=people["team"],
    )
    assert AnnotationTag.objects.filter(slug="heron-watch").count() == 1  # reused: visible
    response = client.get(reverse("annotations:list"), {"tag": "heron-watch"})
    assert response.context["listing"].counts.shown == 2
