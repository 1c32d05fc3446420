"""Team pages: members and roles; owners add, remove and change roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Membership, Team


def detail(team):
    return reverse("annotations:team-detail", args=[team.slug])


def test_members_see_the_members_and_their_roles(client, people):
    client.force_login(people["viewer"])
    response = client.get(detail(people["team"]))
    assert response.status_code == 200
    html = response.content.decode()
    for name, role in (
        ("owner", "Owner"),
        ("editor", "Editor"),
        ("annotator", "Annotator"),
        ("viewer", "Viewer"),
    ):
        assert name in html and role in html
    assert "Add a member" not in html  # only owners manage members


@pytest.mark.parametrize("viewer", ["outsider", "stranger"])
def test_a_team_is_a_404_to_non_members(client, people, viewer):
    client.force_login(people[viewer])
    assert client.get(detail(people["team"])).status_code == 404
    assert client.get(reverse("annotations:team-detail", args=["no-such-team"])).status_code == 404


def test_owners_add_members_with_a_role(client, people):
    client.force_login(people["owner"])
    response = client.post(
        reverse("annotations:membership-add", args=[people["team"].slug]),
        {"username": "outsider", "role": "viewer"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=people["outsider"], team=people["team"]).role == "viewer"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "nobody-by-that-name", "role": "viewer"},
            "No user is called “nobody-by-that-name”",
        ),
        ({"username": "viewer", "role": "viewer"}, "viewer is already a member"),
        ({"username": "outsider", "role": "emperor"}, "role"),
    ],
)
def test_bad_additions_are_refused_with_a_reason(client, people, data, message):
    client.force_login(people["owner"])
    before = Membership.objects.count()
    response = client.post(reverse("annotations:membership-add", args=[people["team"].slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Membership.objects.count() == before


@pytest.mark.parametrize("actor", ["editor", "annotator", "viewer"])
def test_only_owners_manage_members(client, people, actor):
    client.force_login(people[actor])
    team = people["team"]
    target = Membership.objects.get(user=people["viewer"], team=team)
    add = client.post(
        reverse("annotations:membership-add", args=[team.slug]),
        {"username": "outsider", "role": "owner"},
    )
    role = client.post(
        reverse("annotations:membership-role", args=[team.slug, target.pk]), {"role": "owner"}
    )
    remove = client.post(reverse("annotations:membership-remove", args=[team.slug, target.pk]))
    assert add.status_code == role.status_code == remove.status_code == 403
    target.refresh_from_db()
    assert target.role == "viewer"
    assert not Membership.objects.filter(user=people["outsider"]).exists()


def test_owners_change_roles_and_remove_members(client, people):
    client.force_login(people["owner"])
    team = people["team"]
    viewer = Membership.objects.get(user=people["viewer"], team=team)
    client.post(
        reverse("annotations:membership-role", args=[team.slug, viewer.pk]), {"role": "editor"}
    )
    viewer.refresh_from_db()
    assert viewer.role == "editor"
    client.post(reverse("annotations:membership-remove", args=[team.slug, viewer.pk]))
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_the_last_owner_cannot_leave_or_step_down(client, people):
    client.force_login(people["owner"])
    team = people["team"]
    owner = Membership.objects.get(user=people["owner"], team=team)
    demote = client.post(
        reverse("annotations:membership-role", args=[team.slug, owner.pk]), {"role": "viewer"}
    )
    leave = client.post(reverse("annotations:membership-remove", args=[team.slug, owner.pk]))
    assert demote.status_code == leave.status_code == 400
    assert "keeps at least one owner" in leave.content.decode()
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_a_membership_of_another_team_cannot_be_reached_through_this_one(client, people):
    client.force_login(people["owner"])
    foreign = Membership.objects.get(user=people["stranger"])
    response = client.post(
        reverse("annotations:membership-remove", args=[people["team"].slug, foreign.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_anyone_signed_in_can_create_a_team_and_owns_it(client, people):
    client.force_login(people["outsider"])
    response = client.post(reverse("annotations:team-list"), {"name": "Caucasus Watch"})
    team = Team.objects.get(name="Caucasus Watch")
    assert response.status_code == 302 and response["Location"] == detail(team)
    assert Membership.objects.get(team=team).user == people["outsider"]
    assert Membership.objects.get(team=team).role == "owner"
    listing = client.get(reverse("annotations:team-list")).content.decode()
    assert "Caucasus Watch" in listing and "Owner" in listing


def test_the_team_list_takes_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    client.force_login(people["owner"])
    with django_assert_max_num_queries(5):
        assert client.get(reverse("annotations:team-list")).status_code == 200


def test_the_team_page_takes_a_fixed_number_of_queries(client, people):
    from django.contrib.auth import get_user_model

    client.force_login(people["owner"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail(people["team"])).status_code == 200
    for number in range(20):
        user = get_user_model().objects.create_user(f"member{number}")
        Membership.objects.create(user=user, team=people["team"], role="viewer")
    with CaptureQueriesContext(connection) as many:
        assert client.get(detail(people["team"])).status_code == 200
    assert len(many) == len(few) <= 5
