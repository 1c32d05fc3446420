"""The review workflow on real seeds: who submits, who approves and rejects (with a
reason the annotator sees), where a new annotation starts, adopting one reading; and
the annotation's own page with its history, from which an earlier version comes back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotations.history import annotation_history
from annotations.models import Annotation, ReviewStatus
from annotations.services import (
    AnnotationConflictError,
    annotation_approve,
    annotation_reject,
    annotation_submit,
    annotation_update,
    reading_adopt,
)
from tests.conftest import make_annotation

QUOTE = "Military intervention in Syria was one of Russia's strategies"


@pytest.fixture
def reviewing(people):
    team = people["team"]
    team.review_required = True
    team.save()
    return team


def shared(people, article, *, author=None, stance="supports", **fields):
    paragraph = article.paragraphs.get(text__contains=QUOTE)
    return make_annotation(
        author=author or people["author"],
        paragraph=paragraph,
        exact=QUOTE,
        stance=stance,
        team=people["team"],
        visibility="team",
        **fields,
    )


def test_in_a_team_that_reviews_new_work_awaits_review_and_elsewhere_starts_approved(
    seed_articles, people, reviewing
):
    academic = seed_articles["academic"]
    assert shared(people, academic).review_status == ReviewStatus.SUBMITTED
    assert shared(people, academic, draft=True).review_status == ReviewStatus.DRAFT
    private = make_annotation(
        author=people["author"],
        paragraph=academic.paragraphs.get(text__contains=QUOTE),
        exact=QUOTE,
    )
    assert private.review_status == ReviewStatus.APPROVED  # nobody to review a private note
    reviewing.review_required = False
    reviewing.save()
    assert shared(people, academic).review_status == ReviewStatus.APPROVED


@pytest.mark.parametrize("role", ["annotator", "viewer"])
def test_only_editors_and_owners_approve_or_reject(seed_articles, people, reviewing, role):
    annotation = shared(people, seed_articles["academic"])
    with pytest.raises(PermissionDenied):
        annotation_approve(annotation=annotation, user=people[role], expected_version=1)
    with pytest.raises(PermissionDenied):
        annotation_reject(
            annotation=annotation, user=people[role], expected_version=1, reason="No."
        )
    annotation.refresh_from_db()
    assert (annotation.review_status, annotation.version) == (ReviewStatus.SUBMITTED, 1)


def test_a_rejection_needs_a_reason_that_the_author_reads_on_the_card(
    client, seed_articles, people, reviewing
):
    annotation = shared(people, seed_articles["academic"])
    with pytest.raises(ValidationError):
        annotation_reject(
            annotation=annotation, user=people["editor"], expected_version=1, reason="  "
        )
    annotation_reject(
        annotation=annotation,
        user=people["editor"],
        expected_version=1,
        reason="The paper says 'one of', not 'the main' strategy.",
    )
    client.force_login(people["author"])
    html = client.get(seed_articles["academic"].get_absolute_url()).content.decode()
    assert "Rejected:</strong> The paper says &#x27;one of&#x27;, not &#x27;the main&#x27;" in html


def test_a_viewer_cannot_submit_and_an_annotator_resubmits_a_rejected_annotation(
    seed_articles, people, reviewing
):
    annotation = shared(people, seed_articles["academic"], draft=True)
    with pytest.raises(PermissionDenied):
        annotation_submit(annotation=annotation, user=people["viewer"], expected_version=1)
    annotation = annotation_submit(annotation=annotation, user=people["author"], expected_version=1)
    assert annotation.review_status == ReviewStatus.SUBMITTED
    annotation = annotation_reject(
        annotation=annotation, user=people["owner"], expected_version=2, reason="Too broad."
    )
    annotation = annotation_submit(annotation=annotation, user=people["author"], expected_version=3)
    assert annotation.review_status == ReviewStatus.SUBMITTED


def test_a_stale_approval_is_refused_and_changes_nothing(seed_articles, people, reviewing):
    annotation = shared(people, seed_articles["academic"])
    annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=1,
        claim="Changed meanwhile",
        stance="supports",
        team=people["team"],
        visibility="team",
    )
    with pytest.raises(AnnotationConflictError):
        annotation_approve(annotation=annotation, user=people["editor"], expected_version=1)
    annotation.refresh_from_db()
    assert annotation.review_status == ReviewStatus.SUBMITTED


def test_an_annotators_change_to_an_approved_annotation_goes_back_for_review(
    seed_articles, people, reviewing
):
    annotation = shared(people, seed_articles["academic"])
    annotation = annotation_approve(
        annotation=annotation, user=people["editor"], expected_version=1
    )
    annotation = annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=annotation.version,
        claim="A new claim",
        stance="opposes",
        team=people["team"],
        visibility="team",
    )
    assert annotation.review_status == ReviewStatus.SUBMITTED


def test_adopting_a_reading_approves_it_and_rejects_the_others_without_deleting_them(
    seed_articles, people
):
    academic = seed_articles["academic"]
    mine = shared(people, academic, stance="supports")
    theirs = shared(people, academic, author=people["annotator"], stance="opposes")
    reading_adopt(
        adopted=theirs,
        others=[mine],
        user=people["editor"],
        expected_versions={mine.pk: mine.version, theirs.pk: theirs.version},
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.review_status == ReviewStatus.APPROVED
    assert mine.review_status == ReviewStatus.REJECTED
    assert "adopted annotator's reading (Opposes)" in mine.review_reason
    assert Annotation.objects.filter(pk=mine.pk, deleted_at__isnull=True).exists()
    assert annotation_history(mine)[0].action == ("adopted annotator's reading of a passage")


def test_the_annotation_page_shows_the_passage_the_card_and_a_readable_history(
    client, seed_articles, people
):
    annotation = shared(people, seed_articles["academic"], claim="First claim")
    annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=1,
        claim="Second claim",
        stance="opposes",
        tags=["intervention"],
        team=people["team"],
        visibility="team",
    )
    client.force_login(people["viewer"])
    response = client.get(reverse("annotations:detail", args=[annotation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<mark class="hl" id="hl-{annotation.pk}">{QUOTE}</mark>' in html.replace("&#x27;", "'")
    assert 'id="a-' in html  # the card
    history = response.context["history"]
    assert [entry.action for entry in history] == ["changed the annotation", "annotated a passage"]
    changes = {change.label: (change.before, change.after) for change in history[0].changes}
    assert changes["Claim"] == ("First claim", "Second claim")
    assert changes["Stance"] == ("supports", "opposes")
    assert changes["Tags"] == ("", "intervention")
    assert "Restore what it said then" not in html  # a viewer may not change it


def test_an_annotation_nobody_shared_is_a_404_on_its_page(client, seed_articles, people):
    private = make_annotation(
        author=people["author"],
        paragraph=seed_articles["academic"].paragraphs.get(text__contains=QUOTE),
        exact=QUOTE,
        claim="PRIVATE",
    )
    client.force_login(people["owner"])
    assert client.get(reverse("annotations:detail", args=[private.pk])).status_code == 404


def test_restoring_an_earlier_version_brings_back_what_it_said_as_a_new_change(
    client, seed_articles, people
):
    annotation = shared(
        people, seed_articles["academic"], claim="First claim", tags=["one"], source_name="Reuters"
    )
    annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=1,
        claim="Second claim",
        stance="opposes",
        tags=["two"],
        source_name="Tasnim News",
        team=people["team"],
        visibility="team",
    )
    changes = {c.label: (c.before, c.after) for c in annotation_history(annotation)[0].changes}
    assert changes["Source"] == ("Reuters", "Tasnim News")
    first = annotation_history(annotation)[-1]
    client.force_login(people["author"])
    url = reverse("annotations:restore-version", args=[annotation.pk, first.version_id])
    stale = client.post(url, {"version": "1"})
    assert stale.status_code == 409
    response = client.post(url, {"version": "2"})
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.claim, annotation.stance, annotation.version) == (
        "First claim",
        "supports",
        3,
    )
    assert list(annotation.tags.names()) == ["one"]
    assert annotation.source.name == "Reuters"
    history = annotation_history(annotation)
    assert len(history) == 3 and history[0].action.startswith("restored the version of")


def test_review_actions_in_the_browser_flow_answer_with_the_reason_when_refused(
    client, seed_articles, people, reviewing
):
    annotation = shared(people, seed_articles["academic"])
    client.force_login(people["editor"])
    empty = client.post(
        reverse("annotations:reject", args=[annotation.pk]), {"version": "1", "reason": ""}
    )
    assert empty.status_code == 400
    assert "a rejection needs a reason" in empty.content.decode()
    approved = client.post(reverse("annotations:approve", args=[annotation.pk]), {"version": "1"})
    assert approved.status_code == 302
    client.force_login(people["annotator"])
    refused = client.post(reverse("annotations:approve", args=[annotation.pk]), {"version": "2"})
    assert refused.status_code == 403


def test_only_a_teams_owner_empties_its_bin_and_the_history_keeps_what_went(
    client, seed_articles, people
):
    from reversion.models import Version

    from annotations.models import CrossReference
    from annotations.services import annotation_bin_empty, annotation_delete, crossreference_create

    academic = seed_articles["academic"]
    binned = shared(people, academic, claim="Binned")
    other = shared(people, academic, author=people["annotator"], claim="Kept")
    crossreference_create(
        author=people["author"],
        from_annotation=binned,
        to_annotation=other,
        relation="supports",
        team=people["team"],
        visibility="team",
    )
    annotation_delete(annotation=binned, user=people["author"], expected_version=1)
    with pytest.raises(PermissionDenied):
        annotation_bin_empty(actor=people["editor"], team=people["team"])
    assert Annotation.objects.filter(pk=binned.pk).exists()
    client.force_login(people["owner"])
    bin_page = client.get(reverse("annotations:bin")).content.decode()
    assert "Empty Levant Desk's bin for good" in bin_page
    response = client.post(reverse("annotations:bin-empty"), {"team": "levant-desk"})
    assert response.status_code == 302
    assert not Annotation.objects.filter(pk=binned.pk).exists()
    assert Annotation.objects.filter(pk=other.pk).exists()  # not in the bin: untouched
    assert not CrossReference.objects.filter(from_annotation_id=binned.pk).exists()
    last = Version.objects.get_deleted(Annotation).get(object_id=str(binned.pk))
    assert last.field_dict["claim"] == "Binned"
    assert last.revision.comment == "emptied the team's bin: 1 annotation(s)"
