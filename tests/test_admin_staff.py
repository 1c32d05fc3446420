"""The admin as a staff user who is not a superuser: it shows only what the
visibility rule lets them see, and its writes go through the services, with the
same checks and the same version rule as the pages."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from annotations.models import Annotation, Membership
from tests.conftest import make_annotation

QUOTE = "The potential for Western countries' interference"


@pytest.fixture
def staff(db, people):
    """An editor of the Levant Desk who may use the admin for annotations."""
    user = get_user_model().objects.create_user(
        "deskstaff", password="pw-staff-2026", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["annotations", "corpus"])
    )
    Membership.objects.create(user=user, team=people["team"], role="editor")
    return user


@pytest.fixture
def annotations(seed_articles, people):
    paragraph = seed_articles["academic"].paragraphs.get(text__contains=QUOTE)
    common = {"author": people["author"], "paragraph": paragraph, "exact": QUOTE}
    return {
        "private": make_annotation(claim="PRIVATE-7", **common),
        "team": make_annotation(claim="TEAM-3", visibility="team", team=people["team"], **common),
        "public": make_annotation(
            claim="PUBLIC-5", visibility="public", team=people["team"], **common
        ),
    }


def change_data(annotation, **overrides):
    data = {
        "claim": annotation.claim,
        "stance": annotation.stance,
        "stance_target": annotation.stance_target,
        "source": "",
        "note": annotation.note,
        "tags": "",
        "team": annotation.team_id or "",
        "visibility": annotation.visibility,
        "expected_version": annotation.version,
    }
    data.update(overrides)
    return data


def change_url(annotation):
    return reverse("admin:annotations_annotation_change", args=[annotation.pk])


def test_the_annotation_list_shows_staff_only_what_they_may_see(client, staff, annotations):
    client.force_login(staff)
    response = client.get(reverse("admin:annotations_annotation_changelist"))
    shown = {annotation.claim for annotation in response.context["cl"].result_list}
    assert shown == {"TEAM-3", "PUBLIC-5"}
    assert client.get(change_url(annotations["private"])).status_code == 302  # not theirs: away


def test_an_edit_in_the_admin_goes_through_the_service_and_raises_the_version(
    client, staff, annotations
):
    client.force_login(staff)
    annotation = annotations["team"]
    response = client.post(change_url(annotation), change_data(annotation, claim="Curated claim"))
    assert response.status_code == 302, response.content.decode()[:3000]
    annotation.refresh_from_db()
    assert annotation.claim == "Curated claim" and annotation.version == 2


def test_the_author_and_the_passage_cannot_be_rewritten_in_the_admin(
    client, staff, people, annotations, seed_articles
):
    client.force_login(staff)
    annotation = annotations["team"]
    other = seed_articles["southfront"].paragraphs.first()
    response = client.post(
        change_url(annotation),
        change_data(
            annotation,
            author=people["owner"].pk,
            paragraph=other.pk,
            article=other.article_id,
            exact="something else",
            start=0,
            end=5,
        ),
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.author == people["author"]
    assert annotation.paragraph.article_id == seed_articles["academic"].pk
    assert annotation.exact == QUOTE


def test_an_edit_from_a_form_opened_before_someone_elses_is_refused(client, staff, annotations):
    client.force_login(staff)
    annotation = annotations["team"]
    stale = change_data(annotation, claim="Written over")
    Annotation.objects.filter(pk=annotation.pk).update(claim="Newer claim", version=2)
    response = client.post(change_url(annotation), stale)
    assert response.status_code == 200  # the form again, with the reason
    assert "Someone changed this annotation after you opened it" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.claim == "Newer claim"


def test_a_form_without_its_version_is_refused(client, staff, annotations):
    client.force_login(staff)
    annotation = annotations["team"]
    data = change_data(annotation, claim="No version")
    del data["expected_version"]
    response = client.post(change_url(annotation), data)
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert annotation.claim == "TEAM-3"


def test_staff_who_are_editors_may_not_make_an_annotation_private_or_public(
    client, staff, annotations
):
    client.force_login(staff)
    for name, visibility, message in (
        ("team", "private", "Only the author can make an annotation private."),
        ("team", "public", "Only the author and the team&#x27;s owners can make"),
    ):
        annotation = annotations[name]
        response = client.post(
            change_url(annotation), change_data(annotation, visibility=visibility)
        )
        assert response.status_code == 200, (name, visibility)
        assert message in response.content.decode()
        annotation.refresh_from_db()
        assert annotation.visibility == name


def test_adding_an_annotation_in_the_admin_is_not_offered(client, staff, annotations):
    client.force_login(staff)
    assert client.get(reverse("admin:annotations_annotation_add")).status_code == 403
    changelist = client.get(reverse("admin:annotations_annotation_changelist")).content.decode()
    assert reverse("admin:annotations_annotation_add") not in changelist


def test_deleting_in_the_admin_moves_the_annotation_to_the_bin(client, staff, annotations):
    client.force_login(staff)
    annotation = annotations["public"]
    response = client.post(
        reverse("admin:annotations_annotation_delete", args=[annotation.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.deleted_at is not None
    assert annotation in Annotation.objects.in_bin_of(staff)


def test_a_tag_too_long_or_too_many_tags_are_refused_in_the_admin_with_a_reason(
    client, staff, annotations
):
    client.force_login(staff)
    annotation = annotations["team"]
    for tags, message in (
        ("x" * 101, "A tag has at most 100 characters"),
        (", ".join(f"t{n}" for n in range(51)), "An annotation has at most 50 tags"),
    ):
        response = client.post(change_url(annotation), change_data(annotation, tags=tags))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert annotation.tags.count() == 0
