"""Who changes who sees an article: the team's owners and editors share it with
everyone (a deliberate, confirmed step) or take it back; moving it to another team is
for someone who owns both teams."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from corpus.models import Article, Membership
from corpus.services import article_import_file
from tests.conftest import SOUTHFRONT


@pytest.fixture
def team_article(people, reference_data):
    outcome = article_import_file(path=SOUTHFRONT, team=people["team"])
    assert outcome.status == "created", outcome.error
    return outcome.article


def sharing_url(article) -> str:
    return reverse("annotations:article-sharing", args=[article.slug])


def post(client, article, **data):
    return client.post(sharing_url(article), data)


def reload(article) -> Article:
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owners_and_editors_share_an_article_once_they_confirm(client, people, team_article, role):
    client.force_login(people[role])
    team = people["team"].pk
    unconfirmed = post(client, team_article, visibility="public", team=team)
    assert unconfirmed.status_code == 400
    assert "confirm to go on" in unconfirmed.content.decode()
    assert reload(team_article).visibility == "team"

    shared = post(client, team_article, visibility="public", team=team, confirm="on")
    assert shared.status_code == 302
    assert reload(team_article).visibility == "public"
    client.logout()
    assert client.get(team_article.get_absolute_url()).status_code == 200  # anyone reads it

    client.force_login(people[role])
    assert post(client, team_article, visibility="team", team=team).status_code == 302
    assert reload(team_article).visibility == "team"
    client.logout()
    assert client.get(team_article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["annotator", "viewer"])
def test_other_members_may_not_change_who_sees_it(client, people, team_article, role):
    client.force_login(people[role])
    assert client.get(sharing_url(team_article)).status_code == 403
    response = post(client, team_article, visibility="public", team=people["team"].pk, confirm="on")
    assert response.status_code == 403
    assert reload(team_article).visibility == "team"


def test_the_article_page_offers_the_change_to_those_who_may(client, people, team_article):
    client.force_login(people["editor"])
    assert sharing_url(team_article) in client.get(team_article.get_absolute_url()).content.decode()
    client.force_login(people["annotator"])
    assert (
        sharing_url(team_article)
        not in client.get(team_article.get_absolute_url()).content.decode()
    )


def test_moving_to_another_team_needs_an_owner_of_both(client, people, team_article):
    other = people["other_team"]
    # The team's owner does not own the other team: the other team is not even offered.
    client.force_login(people["owner"])
    refused = post(client, team_article, visibility="team", team=other.pk)
    assert refused.status_code == 400
    assert reload(team_article).team == people["team"]

    Membership.objects.create(user=people["owner"], team=other, role="owner")
    moved = post(client, team_article, visibility="team", team=other.pk)
    assert moved.status_code == 302
    assert reload(team_article).team == other
    # Its former members lose it, the new team's members have it.
    client.force_login(people["editor"])
    assert client.get(team_article.get_absolute_url()).status_code == 404
    client.force_login(people["stranger"])
    assert client.get(team_article.get_absolute_url()).status_code == 200


def test_an_editor_who_owns_the_other_team_still_may_not_move_it(client, people, team_article):
    other = people["other_team"]
    Membership.objects.create(user=people["editor"], team=other, role="owner")
    client.force_login(people["editor"])
    response = post(client, team_article, visibility="team", team=other.pk)
    assert response.status_code == 400
    assert "owns both teams" in response.content.decode()
    assert reload(team_article).team == people["team"]


def test_outsiders_get_a_404(client, people, team_article):
    client.force_login(people["outsider"])
    assert client.get(sharing_url(team_article)).status_code == 404
    staff = get_user_model().objects.create_user("staffer", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(sharing_url(team_article)).status_code == 404
