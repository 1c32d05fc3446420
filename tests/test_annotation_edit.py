"""Editing and deleting annotations: who may, and nothing overwritten silently."""

import re

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.conftest import make_annotation


@pytest.fixture
def annotation(seed_articles, people):
    paragraph = seed_articles["academic"].paragraphs.get(text__startswith="Since September 2015")
    return make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact="Iran has been his main ally in this path",
        claim="Iran is Russia's main ally in Syria",
        stance="supports",
        team=people["team"],
        visibility="team",
        tags=["alliance"],
        source_name="Borshchevskaya 2016",
    )


def edit_data(annotation, **overrides):
    data = {
        "version": annotation.version,
        "claim": "Iran is Moscow's only ally on the ground",
        "stance": "mixed",
        "stance_target": "Russia",
        "source_name": "Borshchevskaya 2016",
        "source_kind": "academic",
        "note": "Compare *Shouri 2015*.",
        "tags": "alliance, ground forces",
        "team": annotation.team_id or "",
        "visibility": annotation.visibility,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("editor", ["author", "editor", "owner"])
def test_the_author_and_the_teams_editors_and_owners_can_edit(client, people, annotation, editor):
    client.force_login(people[editor])
    response = client.post(reverse("annotations:edit", args=[annotation.pk]), edit_data(annotation))
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.claim == "Iran is Moscow's only ally on the ground"
    assert annotation.stance == "mixed" and annotation.stance_target == "Russia"
    assert annotation.version == 2
    assert "<em>Shouri 2015</em>" in annotation.note_html
    assert sorted(t.name for t in annotation.tags.all()) == ["alliance", "ground forces"]
    assert annotation.author == people["author"]  # an edit does not change the author


def test_the_edit_form_shows_the_current_content(client, people, annotation):
    client.force_login(people["author"])
    html = client.get(reverse("annotations:edit", args=[annotation.pk])).content.decode()
    assert "Iran is Russia&#x27;s main ally in Syria" in html
    assert 'name="version" value="1"' in html
    assert re.search(r'<input type="radio" name="stance" value="supports"[^>]* checked', html)


def test_an_edit_from_an_old_version_is_refused_with_409_and_the_current_content(
    client, people, annotation
):
    client.force_login(people["editor"])
    stale = edit_data(annotation)
    client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        edit_data(annotation, claim="First edit wins"),
    )

    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]), {**stale, "claim": "Late edit"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this annotation while you were editing" in html
    assert "First edit wins" in html  # the current content is shown
    assert "Late edit" in html  # and the user's own input is kept in the form
    assert 'name="version" value="2"' in html
    annotation.refresh_from_db()
    assert annotation.claim == "First edit wins" and annotation.version == 2

    # Saving again, knowingly, goes through.
    again = client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        {**stale, "version": 2, "claim": "Late edit"},
    )
    assert again.status_code == 302
    annotation.refresh_from_db()
    assert annotation.claim == "Late edit" and annotation.version == 3


def test_an_editor_cannot_move_an_annotation_out_of_its_team_or_hide_it(client, people, annotation):
    client.force_login(people["editor"])
    response = client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        edit_data(annotation, visibility="private"),
    )
    assert response.status_code == 400
    assert "Only the author can make an annotation private" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.visibility == "team" and annotation.version == 1


def test_the_author_can_make_a_team_annotation_public(client, people, annotation):
    client.force_login(people["author"])
    client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        edit_data(annotation, visibility="public"),
    )
    annotation.refresh_from_db()
    assert annotation.visibility == "public"


def test_bad_edits_are_refused_and_change_nothing(client, people, annotation):
    client.force_login(people["author"])
    for overrides, message in (
        ({"stance": "maybe"}, "Unknown stance"),
        ({"region_names": "Narnia"}, "Unknown region “Narnia”"),
        ({"version": ""}, "This field is required"),
        ({"team": people["other_team"].pk}, "You cannot annotate for that team"),
    ):
        response = client.post(
            reverse("annotations:edit", args=[annotation.pk]), edit_data(annotation, **overrides)
        )
        assert response.status_code == 400, overrides
        assert message in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.version == 1 and annotation.claim == "Iran is Russia's main ally in Syria"


def test_delete_asks_first_then_moves_the_annotation_to_the_bin(client, people, annotation):
    client.force_login(people["owner"])
    page = client.get(reverse("annotations:delete", args=[annotation.pk]))
    assert page.status_code == 200 and "Delete this annotation?" in page.content.decode()
    response = client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 1})
    assert response.status_code == 302
    assert not Annotation.objects.visible_to(people["owner"]).filter(pk=annotation.pk).exists()
    article_page = client.get(annotation.article.get_absolute_url()).content.decode()
    assert f'id="a-{annotation.pk}"' not in article_page
    assert f'id="a-{annotation.pk}"' in client.get(reverse("annotations:bin")).content.decode()


def test_a_deleted_annotation_is_restored_from_the_bin_as_it_was(client, people, annotation):
    client.force_login(people["author"])
    client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 1})
    response = client.post(reverse("annotations:restore", args=[annotation.pk]))
    assert response.status_code == 302
    restored = Annotation.objects.visible_to(people["viewer"]).get(pk=annotation.pk)
    assert (restored.exact, restored.claim, restored.deleted_at) == (
        annotation.exact,
        annotation.claim,
        None,
    )
    assert restored.version == 3  # deleting and restoring are changes too


def test_only_those_who_may_edit_see_an_annotation_in_the_bin(client, people, annotation):
    client.force_login(people["author"])
    client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 1})
    for name, sees in (
        ("viewer", False),
        ("annotator", False),
        ("editor", True),
        ("outsider", False),
    ):
        client.force_login(people[name])
        page = client.get(reverse("annotations:bin")).content.decode()
        assert (f'id="a-{annotation.pk}"' in page) is sees, name
        restore = client.post(reverse("annotations:restore", args=[annotation.pk]))
        assert (restore.status_code == 302) is sees, name
        if sees:
            client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 3})


def test_a_delete_without_a_valid_version_is_refused(client, people, annotation):
    client.force_login(people["author"])
    for version in ("", "one", "²", "--1", "9" * 5000):
        response = client.post(
            reverse("annotations:delete", args=[annotation.pk]), {"version": version}
        )
        assert response.status_code == 400, version
        assert "no valid version" in response.content.decode()
    assert Annotation.objects.visible_to(people["author"]).filter(pk=annotation.pk).exists()


def test_deleting_a_changed_annotation_is_refused(client, people, annotation):
    Annotation.objects.filter(pk=annotation.pk).update(version=5)
    client.force_login(people["author"])
    response = client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 1})
    assert response.status_code == 409
    assert Annotation.objects.visible_to(people["author"]).filter(pk=annotation.pk).exists()


def test_hostile_input_is_stored_as_written_and_escaped(client, people, annotation):
    client.force_login(people["author"])
    vector = '<img src=x onerror=alert(1)><script>alert("x")</script>'
    client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        edit_data(annotation, claim=vector, stance_target=vector, note=vector, tags=f'"{vector}"'),
    )
    annotation.refresh_from_db()
    assert (
        annotation.claim == vector
        and annotation.stance_target == vector
        and annotation.note == vector
    )
    html = client.get(annotation.article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and '<script>alert("x")' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
