"""The team's review page (agreement, what awaits review, passages read differently,
adopting a reading), its activity and its review setting, on the seeds; members only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import ReviewStatus
from annotations.services import annotation_approve, crossreference_create
from tests.conftest import make_annotation

QUOTES = (
    "Military intervention in Syria was one of Russia's strategies",
    "the eventual Russian military intervention in 2015",
)


def read(people, article, quote, author, stance, **fields):
    return make_annotation(
        author=people[author],
        paragraph=article.paragraphs.get(text__contains=quote),
        exact=quote,
        stance=stance,
        team=people["team"],
        visibility="team",
        **fields,
    )


@pytest.fixture
def readings(seed_articles, people):
    """Two passages each read by the author and the annotator: one alike, one not; and
    a private reading by the owner that nobody else sees or counts."""
    academic, global_research = seed_articles["academic"], seed_articles["global_research"]
    made = {
        "a_author": read(people, academic, QUOTES[0], "author", "supports"),
        "a_annotator": read(people, academic, QUOTES[0], "annotator", "opposes"),
        "g_author": read(people, global_research, QUOTES[1], "author", "neutral"),
        "g_annotator": read(people, global_research, QUOTES[1], "annotator", "neutral"),
    }
    make_annotation(
        author=people["owner"],
        paragraph=academic.paragraphs.get(text__contains=QUOTES[0]),
        exact=QUOTES[0],
        stance="mixed",
        claim="PRIVATE READING",
    )
    return made


def review(client, people, who="editor", **params):
    client.force_login(people[who])
    return client.get(reverse("annotations:team-review", args=["levant-desk"]), params)


def test_the_review_page_shows_agreement_over_the_passages_members_share(client, people, readings):
    response = review(client, people)
    assert response.status_code == 200
    agreement = response.context["page"].agreement
    assert (agreement.units, agreement.annotators) == (2, 2)
    # One passage read supports/opposes, one neutral/neutral: nominal alpha is
    # 1 - D_o/D_e = 1 - (2/4) / (10/12) = 0.4 (by hand, from the coincidence matrix).
    assert agreement.alpha == pytest.approx(0.4)
    assert agreement.reading.startswith("alpha 0.400: too little agreement")
    [pair] = agreement.pairs
    assert {pair.first, pair.second} == {"author", "annotator"} and pair.units == 2
    html = response.content.decode()
    assert "PRIVATE READING" not in html


def test_passages_read_differently_come_first_side_by_side(client, people, readings):
    sets = review(client, people).context["page"].readings
    assert [reading.disagrees for reading in sets] == [True, False]
    assert {card.id for card in sets[0].cards} == {
        readings["a_author"].pk,
        readings["a_annotator"].pk,
    }


def test_the_page_narrows_to_one_article(client, people, seed_articles, readings):
    page = review(client, people, article=seed_articles["academic"].slug).context["page"]
    assert page.article.slug == seed_articles["academic"].slug
    assert len(page.readings) == 1 and page.agreement.units == 1


def test_an_editor_adopts_one_reading_and_the_other_is_kept_rejected(client, people, readings):
    review(client, people)
    mine, theirs = readings["a_author"], readings["a_annotator"]
    response = client.post(
        reverse("annotations:team-review-adopt", args=["levant-desk"]),
        {
            "reading": [mine.pk, theirs.pk],
            "adopt": theirs.pk,
            f"version-{mine.pk}": mine.version,
            f"version-{theirs.pk}": theirs.version,
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.review_status, theirs.review_status) == (
        ReviewStatus.REJECTED,
        ReviewStatus.APPROVED,
    )


def test_an_annotator_cannot_adopt_a_reading(client, people, readings):
    client.force_login(people["annotator"])
    mine, theirs = readings["a_author"], readings["a_annotator"]
    response = client.post(
        reverse("annotations:team-review-adopt", args=["levant-desk"]),
        {"reading": [mine.pk, theirs.pk], "adopt": theirs.pk},
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.review_status == ReviewStatus.APPROVED


@pytest.mark.parametrize("outsider", ["outsider", "stranger"])
def test_the_review_and_activity_pages_are_the_teams_alone(client, people, readings, outsider):
    assert review(client, people, who=outsider).status_code == 404
    activity = client.get(reverse("annotations:team-activity", args=["levant-desk"]))
    assert activity.status_code == 404


def test_what_awaits_review_is_listed_once_the_owner_turns_review_on(client, people, seed_articles):
    client.force_login(people["owner"])
    client.post(
        reverse("annotations:team-review-setting", args=["levant-desk"]),
        {"review_required": "on"},
    )
    people["team"].refresh_from_db()
    waiting = read(people, seed_articles["academic"], QUOTES[0], "author", "supports")
    assert waiting.review_status == ReviewStatus.SUBMITTED
    page = review(client, people).context["page"]
    assert [card.id for card in page.awaiting] == [waiting.pk]
    annotation_approve(annotation=waiting, user=people["editor"], expected_version=1)
    assert review(client, people).context["page"].awaiting_count == 0


def test_only_an_owner_changes_the_review_setting(client, people):
    client.force_login(people["editor"])
    response = client.post(
        reverse("annotations:team-review-setting", args=["levant-desk"]),
        {"review_required": "on"},
    )
    assert response.status_code == 403
    people["team"].refresh_from_db()
    assert people["team"].review_required is False


def test_the_activity_page_lists_who_did_what_newest_first_with_links(client, people, readings):
    crossreference_create(
        author=people["author"],
        from_annotation=readings["g_author"],
        to_annotation=readings["a_author"],
        relation="supports",
        team=people["team"],
        visibility="team",
    )
    annotation_approve(annotation=readings["g_author"], user=people["editor"], expected_version=1)
    client.force_login(people["viewer"])
    response = client.get(reverse("annotations:team-activity", args=["levant-desk"]))
    entries = response.context["entries"]
    assert (entries[0].who, entries[0].action) == ("editor", "approved the annotation")
    assert entries[0].url == reverse("annotations:detail", args=[readings["g_author"].pk])
    assert entries[1].action == "linked two passages: supports"
    assert entries[1].url == reverse("annotations:detail", args=[readings["g_author"].pk])
    assert len(entries) == 6  # four annotated, a link, an approval; not the private one
    assert "PRIVATE READING" not in response.content.decode()


def test_the_review_page_takes_the_same_queries_however_many_readings(
    client, people, seed_articles, readings
):
    def queries():
        client.force_login(people["editor"])
        url = reverse("annotations:team-review", args=["levant-desk"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for index in range(6):
        read(
            people, seed_articles["southfront"], "Russians", "author", "supports", claim=str(index)
        )
    assert queries() == before
