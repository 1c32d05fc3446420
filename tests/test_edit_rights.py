"""Who may change an annotation, and who may widen who sees it: one rule, written
once (annotations.models.visibility), the same in Python and in SQL."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from annotations.models import Annotation, Membership, editable_condition, may_edit
from annotations.services import team_roles
from tests.conftest import make_annotation
from tests.test_annotation_edit import edit_data

QUOTE = "The potential for Western countries' interference"


@pytest.fixture
def paragraph(seed_articles):
    return seed_articles["academic"].paragraphs.get(text__contains=QUOTE)


def test_the_python_rule_and_the_sql_rule_agree_for_every_role_and_visibility(people, paragraph):
    annotations = [
        make_annotation(
            author=people[author],
            paragraph=paragraph,
            exact=QUOTE,
            visibility=visibility,
            team=people["team"] if visibility != "private" else None,
        )
        for author, visibility in itertools.product(
            ("author", "editor", "annotator"), ("private", "team", "public")
        )
    ]
    # Roles change under the annotations: a former author, a demoted one.
    Membership.objects.filter(user=people["annotator"]).update(role="viewer")
    viewers = [AnonymousUser()] + [
        people[name]
        for name in ("owner", "editor", "annotator", "viewer", "author", "outsider", "stranger")
    ]
    for user in viewers:
        roles = team_roles(user)
        by_python = {
            a.pk
            for a in annotations
            if may_edit(
                user,
                author_id=a.author_id,
                team_id=a.team_id,
                visibility=a.visibility,
                roles=roles,
            )
        }
        by_sql = set(
            Annotation.objects.filter(pk__in=[a.pk for a in annotations])
            .filter(editable_condition(user))
            .values_list("pk", flat=True)
        )
        assert by_python == by_sql, user


@pytest.mark.parametrize(
    ("change", "becomes"),
    [("remove", None), ("demote", "viewer")],
)
def test_an_author_who_leaves_the_team_or_becomes_a_viewer_can_no_longer_edit_its_annotations(
    client, people, paragraph, change, becomes
):
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=QUOTE,
        visibility="team",
        team=people["team"],
    )
    membership = Membership.objects.get(user=people["author"], team=people["team"])
    if change == "remove":
        membership.delete()
    else:
        membership.role = becomes
        membership.save()
    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]), edit_data(annotation, claim="Changed")
    )
    assert response.status_code == 403
    response = client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 1})
    assert response.status_code == 403
    annotation.refresh_from_db()
    assert annotation.claim == "" and annotation.deleted_at is None
    # The team's editors still curate it.
    client.force_login(people["editor"])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]), edit_data(annotation, claim="Curated")
    )
    assert response.status_code == 302


def test_a_private_annotation_stays_its_authors_whatever_their_role(client, people, paragraph):
    annotation = make_annotation(author=people["author"], paragraph=paragraph, exact=QUOTE)
    Membership.objects.filter(user=people["author"]).delete()
    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]), edit_data(annotation, claim="Mine")
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("author", True), ("owner", True), ("editor", False)],
)
def test_only_the_author_and_the_teams_owners_make_a_team_annotation_public(
    client, people, paragraph, who, allowed
):
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=QUOTE,
        visibility="team",
        team=people["team"],
    )
    client.force_login(people[who])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        edit_data(annotation, visibility="public"),
    )
    annotation.refresh_from_db()
    assert (annotation.visibility == "public") is allowed
    if not allowed:
        assert response.status_code == 400
        assert "Only the author and the team&#x27;s owners can make" in response.content.decode()


def test_a_teams_editor_may_narrow_a_public_annotation_back_to_the_team(client, people, paragraph):
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=QUOTE,
        visibility="public",
        team=people["team"],
    )
    client.force_login(people["editor"])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]), edit_data(annotation, visibility="team")
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.visibility == "team"


def test_an_annotations_article_is_always_its_paragraphs(people, seed_articles, paragraph):
    """The denormalised Annotation.article, after creating, editing and re-attaching."""
    from annotations.services import annotation_reattach

    annotation = make_annotation(author=people["author"], paragraph=paragraph, exact=QUOTE)
    other = seed_articles["southfront"].paragraphs.filter(kind="body").first()
    with pytest.raises(Exception, match="own article"):
        annotation_reattach(
            annotation=annotation,
            editor=people["author"],
            expected_version=1,
            paragraph=other,
            exact=other.text[:20],
        )
    for row in Annotation.objects.exclude(anchor_status="orphaned").select_related("paragraph"):
        assert row.article_id == row.paragraph.article_id
        assert row.paragraph.text[row.start : row.end] == row.exact
