"""Curating in the admin: changelists that do not grow a query per row, filters and
autocompletes that show staff only what they may see, the review and bulk actions
through the services (refused per row, never a server error), the CSV export, and
merging sources, regions and tags, undone from the history."""

import csv
import io
import itertools
import json

import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Revision, Version

from annotations import services
from annotations.models import (
    Annotation,
    AnnotationTag,
    Membership,
    Region,
    RegionAncestor,
    ReviewStatus,
    Source,
    TaggedAnnotation,
)
from annotations.services.merges import (
    annotations_regions_change,
    merge_undo,
    regions_merge,
    sources_merge,
    tags_merge,
)
from corpus.models import Paragraph, ParagraphKind
from tests.conftest import make_annotation

CHANGELIST = "admin:annotations_annotation_changelist"


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_superuser(
        "curator", "curator@example.org", "pw-curator-1"
    )


def staff_user(username, team, role):
    user = get_user_model().objects.create_user(username, password="pw-staff-2026", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["annotations", "corpus"])
    )
    Membership.objects.create(user=user, team=team, role=role)
    return user


@pytest.fixture
def staff(people):
    """An editor of the Levant Desk who may use the admin."""
    return staff_user("deskstaff", people["team"], "editor")


@pytest.fixture
def annotator_staff(people):
    """Staff who annotate for the Levant Desk but do not review its work."""
    return staff_user("deskannotator", people["team"], "annotator")


@pytest.fixture
def paragraphs(seed_articles):
    return list(
        Paragraph.objects.filter(kind=ParagraphKind.BODY, text__regex=r"^\w.{40}").order_by(
            "article_id", "position"
        )[:80]
    )


def annotate(author, paragraph, **fields):
    fields.setdefault("stance", "supports")
    return make_annotation(author=author, paragraph=paragraph, exact=paragraph.text[:30], **fields)


def shared(people, paragraph, **fields):
    """A team annotation of the Levant Desk, by its annotator."""
    return annotate(people["author"], paragraph, visibility="team", team=people["team"], **fields)


def act(client, action, annotations, url=None, **data):
    """Run a changelist action on the annotations (``apply`` answers its page)."""
    return client.post(
        url or reverse(CHANGELIST),
        {
            "action": action,
            "index": 0,
            helpers.ACTION_CHECKBOX_NAME: [a.pk for a in annotations],
            **data,
        },
    )


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def followed(client, response) -> list[str]:
    assert response.status_code == 302, response.content.decode()[:2000]
    return shown_messages(client.get(response["Location"]))


# ------------------------------------------------------------------ changelists and queries


def populate(people, paragraphs, regions, count, start=0):
    """Annotations with tags, regions and sources, across two teams and visibilities."""
    made = []
    for n in range(start, start + count):
        paragraph = paragraphs[n % len(paragraphs)]
        desk = n % 3 != 2
        author = people["author"] if desk else people["stranger"]
        team = people["team"] if desk else people["other_team"]
        visibility = ("team", "public", "private")[n % 3] if desk else "team"
        made.append(
            annotate(
                author,
                paragraph,
                visibility=visibility,
                team=team,
                claim=f"Claim {n}",
                source_name=f"Outlet {n % 7}",
                regions=regions[n % 4 : n % 4 + 2],
                tags=[f"topic {n % 5}", "common"],
            )
        )
    for first, second in itertools.pairwise(made):
        if first.team_id == second.team_id and "private" not in (
            first.visibility,
            second.visibility,
        ):
            services.crossreference_create(
                author=first.author,
                from_annotation=first,
                to_annotation=second,
                relation="supports",
                team=first.team,
                visibility="team",
            )
    return made


CHANGELISTS = (
    "annotations_annotation",
    "annotations_source",
    "annotations_region",
    "annotations_annotationtag",
    "annotations_crossreference",
    "corpus_team",
    "corpus_membership",
)


def changelist_queries(client) -> dict[str, int]:
    counts = {}
    for name in CHANGELISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_no_changelist_makes_a_query_per_row(client, curator, staff, people, paragraphs):
    regions = list(Region.objects.filter(kind="country").order_by("name")[:5])
    populate(people, paragraphs, regions, 5)
    client.force_login(curator)
    few = changelist_queries(client)
    client.force_login(staff)
    few_staff = changelist_queries(client)

    populate(people, paragraphs, regions, 55, start=5)
    assert Annotation.objects.count() == 60
    client.force_login(curator)
    assert changelist_queries(client) == few
    client.force_login(staff)
    assert changelist_queries(client) == few_staff
    listed = client.get(reverse(CHANGELIST)).context["cl"]
    assert listed.result_count == Annotation.objects.visible_to(staff).count() < 60


def test_the_annotation_list_shows_regions_tags_and_source_of_each(
    client, curator, people, paragraphs
):
    syria = Region.objects.get(code="SY")
    shared(people, paragraphs[0], source_name="Reuters", regions=[syria], tags=["Hmeimim"])
    client.force_login(curator)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "Reuters" in html and "Syria" in html and "Hmeimim" in html


# ---------------------------------------------------------------------------------- filters


def test_the_annotation_list_filters_by_every_body_and_by_date(client, curator, people, paragraphs):
    syria, iran = Region.objects.get(code="SY"), Region.objects.get(code="IR")
    first = shared(people, paragraphs[0], source_name="Reuters", regions=[syria], tags=["Hmeimim"])
    second = shared(people, paragraphs[1], stance="opposes", regions=[iran], tags=["Tartus"])
    other = annotate(
        people["stranger"], paragraphs[40], team=people["other_team"], visibility="team"
    )
    Annotation.objects.filter(pk=second.pk).update(review_status=ReviewStatus.SUBMITTED)
    client.force_login(curator)

    def listed(**params):
        response = client.get(reverse(CHANGELIST), params)
        assert response.status_code == 200
        return {a.pk for a in response.context["cl"].result_list}

    assert listed(stance__exact="opposes") == {second.pk}
    assert listed(review_status__exact="submitted") == {second.pk}
    assert listed(team__id__exact=people["other_team"].pk) == {other.pk}
    assert listed(regions__id__exact=syria.pk) == {first.pk}
    assert listed(source__id__exact=first.source_id) == {first.pk}
    assert listed(tag="tartus") == {second.pk}
    assert listed(article__id__exact=paragraphs[40].article_id) == {other.pk}
    assert listed(author__id__exact=people["stranger"].pk) == {other.pk}
    assert listed(created__gte="2000-01-01 00:00+00:00") == {first.pk, second.pk, other.pk}
    assert listed(created__lt="2000-01-01 00:00+00:00") == set()


def test_the_tag_filter_lists_annotation_tags_not_article_keywords(
    client, curator, people, paragraphs, seed_articles
):
    shared(people, paragraphs[0], tags=["Hmeimim"])
    seed_articles["academic"].keywords.add("keyword-only-marker")
    client.force_login(curator)
    response = client.get(reverse(CHANGELIST))
    specs = response.context["cl"].filter_specs
    spec = next(s for s in specs if getattr(s, "parameter_name", "") == "tag")
    assert spec.lookup_choices == [("hmeimim", "Hmeimim")]
    assert "keyword-only-marker" not in response.content.decode()


def test_staff_filters_list_only_what_they_may_see(client, staff, people, paragraphs):
    shared(people, paragraphs[0], source_name="Desk Wire", tags=["desk topic"])
    annotate(
        people["stranger"],
        paragraphs[1],
        team=people["other_team"],
        visibility="team",
        source_name="Gulf Secret Source",
        tags=["gulf secret tag"],
    )
    annotate(people["author"], paragraphs[2], source_name="Private Notebook", tags=["my secret"])
    client.force_login(staff)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "Desk Wire" in html and "desk topic" in html and "Levant Desk" in html
    for hidden in ("Gulf Secret Source", "gulf secret tag", "Private Notebook", "my secret"):
        assert hidden not in html
    assert "Gulf Desk" not in html and "stranger" not in html


def test_a_private_source_of_someone_else_never_appears_in_staff_autocomplete(
    client, staff, people, paragraphs
):
    shared(people, paragraphs[0], source_name="Zebra Desk Wire")
    annotate(people["author"], paragraphs[1], source_name="Zebra Private Informant")
    client.force_login(staff)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "annotations",
            "model_name": "annotation",
            "field_name": "source",
            "term": "Zebra",
        },
    )
    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert names == ["Zebra Desk Wire"]


# ----------------------------------------------------------------------------------- review


def test_an_editor_approves_in_bulk_and_a_private_annotation_is_refused_with_a_message(
    client, staff, people, paragraphs
):
    team_one = shared(people, paragraphs[0])
    team_two = shared(people, paragraphs[1])
    # Another team's public work: the staff sees it, but does not review it.
    theirs = annotate(
        people["stranger"], paragraphs[2], visibility="public", team=people["other_team"]
    )
    Annotation.objects.filter(pk__in=[team_one.pk, team_two.pk, theirs.pk]).update(
        review_status=ReviewStatus.SUBMITTED
    )
    mine = annotate(staff, paragraphs[3])  # private: approved from the start
    client.force_login(staff)
    response = act(client, "approve_selected", [team_one, team_two, theirs, mine])
    assert followed(client, response) == [
        "1 were approved already.",
        "2 annotation(s) approved.",
        "1 not approved: Only the team's editors and owners review its annotations "
        f"(#{theirs.pk}).",
    ]
    team_one.refresh_from_db()
    assert team_one.review_status == ReviewStatus.APPROVED and team_one.version == 2
    assert team_one.reviewed_by == staff
    theirs.refresh_from_db()
    assert theirs.review_status == ReviewStatus.SUBMITTED and theirs.version == 1


def test_a_non_editor_approving_or_rejecting_is_refused_per_row_not_a_server_error(
    client, annotator_staff, people, paragraphs
):
    waiting = shared(people, paragraphs[0])
    Annotation.objects.filter(pk=waiting.pk).update(review_status=ReviewStatus.SUBMITTED)
    client.force_login(annotator_staff)
    shown = followed(client, act(client, "approve_selected", [waiting]))
    assert shown == [
        f"1 not approved: Only the team's editors and owners review its annotations (#{waiting.pk})."
    ]
    response = act(
        client,
        "reject_selected",
        [waiting],
        apply="1",
        reason="Not sourced",
        versions=f"{waiting.pk}:1",
    )
    assert any(
        m.startswith("1 not rejected: Only the team's editors") for m in followed(client, response)
    )
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.SUBMITTED and waiting.version == 1


def test_rejecting_asks_a_reason_then_rejects_each_with_it(client, staff, people, paragraphs):
    first, second = shared(people, paragraphs[0]), shared(people, paragraphs[1])
    client.force_login(staff)
    page = act(client, "reject_selected", [first, second])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="reason"' in html and 'name="apply"' in html
    assert f'value="{first.pk}:1,{second.pk}:1"' in html  # the versions seen

    empty = act(
        client, "reject_selected", [first], apply="1", reason="  ", versions=f"{first.pk}:1"
    )
    assert empty.status_code == 200 and "a rejection needs a reason" in empty.content.decode()

    response = act(
        client,
        "reject_selected",
        [first, second],
        apply="1",
        reason="The quote is out of context.",
        versions=f"{first.pk}:1,{second.pk}:1",
    )
    assert "2 annotation(s) rejected." in followed(client, response)
    for annotation in (first, second):
        annotation.refresh_from_db()
        assert annotation.review_status == ReviewStatus.REJECTED
        assert annotation.review_reason == "The quote is out of context."


def test_rejecting_an_annotation_changed_since_the_page_was_shown_is_refused(
    client, staff, people, paragraphs
):
    annotation = shared(people, paragraphs[0])
    client.force_login(staff)
    Annotation.objects.filter(pk=annotation.pk).update(claim="Changed meanwhile", version=2)
    response = act(
        client,
        "reject_selected",
        [annotation],
        apply="1",
        reason="No.",
        versions=f"{annotation.pk}:1",
    )
    assert followed(client, response) == [
        f"1 not rejected: someone changed it meanwhile (#{annotation.pk})."
    ]
    annotation.refresh_from_db()
    assert annotation.review_status == ReviewStatus.APPROVED


# ------------------------------------------------------------------------------ bulk changes


def test_setting_a_source_in_bulk_is_one_recorded_change_raising_versions(
    client, staff, people, paragraphs
):
    first, second = shared(people, paragraphs[0]), shared(people, paragraphs[1])
    theirs = annotate(people["author"], paragraphs[2], visibility="private")
    wire = services.source_for_name(user=staff, name="Desk Wire")
    client.force_login(staff)
    page = act(client, "set_source", [first, second])
    assert page.status_code == 200
    assert "admin-autocomplete" in page.content.decode()  # the source is picked by typing

    response = act(
        client,
        "set_source",
        [first, second],
        apply="1",
        source=wire.pk,
        versions=f"{first.pk}:1,{second.pk}:1",
    )
    assert "Changed 2 annotation(s)." in followed(client, response)
    for annotation in (first, second):
        annotation.refresh_from_db()
        assert annotation.source == wire and annotation.version == 2
    revision = Version.objects.get_for_object(first).order_by("-pk").first().revision
    assert revision.comment == "set the source of 2 annotation(s) to Desk Wire"
    assert revision.user == staff
    assert [link.team for link in revision.team_links.all()] == [people["team"]]
    assert {v.object_id for v in revision.version_set.filter(content_type__model="annotation")} == {
        str(first.pk),
        str(second.pk),
    }
    # A private annotation of someone else is not the staff's to change: not even listed.
    response = act(
        client, "set_source", [theirs], apply="1", source=wire.pk, versions=f"{theirs.pk}:1"
    )
    theirs.refresh_from_db()
    assert theirs.source is None


def test_bulk_changes_refuse_what_the_user_may_not_change_and_do_the_rest(
    client, annotator_staff, people, paragraphs
):
    own = annotate(annotator_staff, paragraphs[0], visibility="team", team=people["team"])
    others = shared(people, paragraphs[1])  # the author's: an annotator may not change it
    syria = Region.objects.get(code="SY")
    client.force_login(annotator_staff)
    response = act(
        client,
        "change_regions",
        [own, others],
        apply="1",
        region=syria.pk,
        how="add",
        versions=f"{own.pk}:1,{others.pk}:1",
    )
    shown = followed(client, response)
    assert "Changed 1 annotation(s)." in shown
    assert f"1 not changed: you may not change them (#{others.pk})." in shown
    assert list(own.regions.all()) == [syria] and not others.regions.exists()


def test_regions_are_added_replaced_or_removed_in_bulk_without_duplicates(
    client, staff, people, paragraphs
):
    syria, iran = Region.objects.get(code="SY"), Region.objects.get(code="IR")
    first = shared(people, paragraphs[0], regions=[syria])
    second = shared(people, paragraphs[1], regions=[iran])
    client.force_login(staff)

    def change(how, region, versions):
        response = act(
            client,
            "change_regions",
            [first, second],
            apply="1",
            region=region.pk,
            how=how,
            versions=",".join(
                f"{a.pk}:{v}" for a, v in zip((first, second), versions, strict=True)
            ),
        )
        return followed(client, response)

    assert change("add", syria, (1, 1)) == ["Changed 1 annotation(s).", "1 had it already."]
    assert set(second.regions.all()) == {syria, iran}
    assert change("replace", iran, (1, 2)) == ["Changed 2 annotation(s)."]
    assert list(first.regions.all()) == [iran] and list(second.regions.all()) == [iran]
    assert change("remove", iran, (2, 3)) == ["Changed 2 annotation(s)."]
    assert not region_links(first, second)
    first.refresh_from_db()
    assert first.version == 3


def test_a_bulk_change_across_teams_is_in_the_activity_of_each_team_whose_work_it_changed(
    people, paragraphs
):
    editor = people["stranger"]  # owns the Gulf Desk; edits for the Levant Desk too
    Membership.objects.create(user=editor, team=people["team"], role="editor")
    desk = shared(people, paragraphs[0])
    gulf = annotate(editor, paragraphs[1], visibility="team", team=people["other_team"])
    private = annotate(editor, paragraphs[2])
    syria = Region.objects.get(code="SY")
    result = annotations_regions_change(
        user=editor,
        annotations=[desk, gulf, private],
        region=syria,
        how="add",
        expected_versions={desk.pk: 1, gulf.pk: 1, private.pk: 1},
    )
    assert sorted(result.changed) == sorted([desk.pk, gulf.pk, private.pk])
    revision = Revision.objects.get(comment="added the region Syria to 3 annotation(s)")
    teams = {link.team for link in revision.team_links.all()}
    assert teams == {people["team"], people["other_team"]}


def region_links(*annotations):
    return Annotation.regions.through.objects.filter(annotation__in=annotations).exists()


def test_moving_selected_annotations_to_the_bin_goes_through_the_service(
    client, staff, people, paragraphs
):
    first = shared(people, paragraphs[0])
    theirs = annotate(
        people["stranger"], paragraphs[1], visibility="public", team=people["other_team"]
    )
    client.force_login(staff)
    page = act(client, "delete_selected", [first, theirs])
    assert page.status_code == 200 and "to the bin" in page.content.decode()
    shown = followed(client, act(client, "delete_selected", [first, theirs], apply="1"))
    assert "1 annotation(s) moved to the bin." in shown
    assert f"1 not moved to the bin: You may not change this annotation (#{theirs.pk})." in shown
    first.refresh_from_db()
    theirs.refresh_from_db()
    assert first.deleted_at is not None and theirs.deleted_at is None
    assert Annotation.objects.in_bin_of(staff).filter(pk=first.pk).exists()


# ----------------------------------------------------------------------------------- export


def test_the_csv_export_is_read_back_with_every_column_and_formulas_disarmed(
    client, curator, people, paragraphs
):
    syria, iran = Region.objects.get(code="SY"), Region.objects.get(code="IR")
    formula = shared(
        people,
        paragraphs[0],
        claim='=HYPERLINK("http://evil.example","click")',
        stance_target="-the ministry",
        source_name="@Example Desk Wire",
        regions=[syria, iran],
        tags=["Hmeimim", "bases"],
    )
    plain = shared(people, paragraphs[1], claim="Ordinary claim, with a comma", stance="opposes")
    client.force_login(curator)
    response = act(client, "export_csv", [formula, plain])
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="crossread-annotations-'
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == [
        "Article",
        "Outlet",
        "Date",
        "Paragraph position",
        "Quote",
        "Claim",
        "Stance",
        "Stance target",
        "Source",
        "Regions",
        "Tags",
        "Author",
        "Team",
        "Review status",
        "Created",
        "Updated",
    ]
    by_claim = {row[5]: row for row in rows[1:]}
    assert len(rows) == 3
    row = by_claim['\'=HYPERLINK("http://evil.example","click")']
    article = paragraphs[0].article
    assert row[0] == article.title and row[1] == article.outlet
    assert row[2] == (article.published.isoformat() if article.published else "")
    assert row[3] == str(paragraphs[0].position)
    assert row[4] == paragraphs[0].text[:30]
    assert row[6:9] == ["supports", "'-the ministry", "'@Example Desk Wire"]
    assert set(row[9].split("; ")) == {"Syria", "Iran"}
    assert set(row[10].split("; ")) == {"Hmeimim", "bases"}
    assert row[11:14] == ["author", "Levant Desk", "approved"]
    assert by_claim["Ordinary claim, with a comma"][6] == "opposes"


def test_staff_export_only_what_they_may_see(client, staff, people, paragraphs):
    visible = shared(people, paragraphs[0], claim="Desk claim")
    hidden = annotate(people["author"], paragraphs[1], claim="Private claim")
    client.force_login(staff)
    response = act(client, "export_csv", [visible, hidden])
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Desk claim" in body and "Private claim" not in body


# ----------------------------------------------------------------------------------- merges


def references(annotations):
    """What each annotation points at, to compare before a merge and after its undo."""
    rows = Annotation.objects.filter(pk__in=[a.pk for a in annotations]).order_by("pk")
    return {
        row.pk: (
            row.source_id,
            sorted(row.regions.values_list("pk", flat=True)),
            sorted(
                TaggedAnnotation.objects.filter(content_object=row).values_list("tag_id", flat=True)
            ),
        )
        for row in rows
    }


def merge_url(model):
    return reverse(f"admin:annotations_{model}_changelist")


def test_merging_sources_moves_every_annotation_and_the_undo_gives_them_back(
    client, curator, people, paragraphs
):
    kept = Source.objects.create(name="Desk Wire Agency", curated=True)
    first = shared(people, paragraphs[0], source_name="Desk Wire")
    twin = first.source
    # The stranger cannot see the author's source: naming it makes another of the name.
    second = annotate(people["stranger"], paragraphs[1], source_name="Desk Wire")
    duplicate = second.source
    assert duplicate != twin
    binned = shared(people, paragraphs[2], source_name="Desk Wire")
    services.annotation_delete(annotation=binned, user=people["author"], expected_version=1)
    untouched = shared(people, paragraphs[3], source_name="AP")
    everything = [first, second, binned, untouched]
    before = references(everything)
    versions = dict(Annotation.objects.values_list("pk", "version"))

    client.force_login(curator)
    page = act(client, "merge_selected", [kept, twin, duplicate], url=merge_url("source"))
    assert page.status_code == 200
    entries = {entry.pk: entry for entry in page.context["entries"]}
    assert entries[twin.pk].annotation_count == 2  # the one in the bin counts: it moves too
    assert page.context["survivor_id"] == kept.pk  # the curated one is offered first
    response = act(
        client,
        "merge_selected",
        [kept, twin, duplicate],
        url=merge_url("source"),
        apply="1",
        survivor=kept.pk,
    )
    shown = followed(client, response)
    assert shown[0].startswith(
        "Merged Desk Wire, Desk Wire into Desk Wire Agency: 3 annotation(s) moved."
    )

    assert not Source.objects.filter(pk__in=[twin.pk, duplicate.pk]).exists()
    for annotation in (first, second, binned):
        annotation.refresh_from_db()
        assert annotation.source_id == kept.pk
        assert annotation.version == versions[annotation.pk] + 1
    untouched.refresh_from_db()
    assert untouched.version == versions[untouched.pk]
    merge = Revision.objects.get(
        comment="merged sources Desk Wire, Desk Wire into Desk Wire Agency"
    )
    assert merge.user == curator

    history = client.get(reverse("admin:annotations_source_history", args=[kept.pk]))
    undo = reverse("admin:annotations_source_merge_undo", args=[merge.pk])
    assert undo in history.content.decode() and "Undo this merge" in history.content.decode()
    assert client.get(undo).status_code == 200
    response = client.post(undo)
    assert response.status_code == 302
    assert Source.objects.filter(pk__in=[twin.pk, duplicate.pk]).count() == 2
    assert Source.objects.get(pk=duplicate.pk).created_by == people["stranger"]
    assert references(everything) == before
    first.refresh_from_db()
    assert first.version == versions[first.pk] + 2
    assert Revision.objects.filter(
        comment__startswith=f"undid revision {merge.pk}: merged"
    ).exists()
    # Undone once: the link is gone from the history, and a second undo is refused.
    assert (
        undo
        not in client.get(
            reverse("admin:annotations_source_history", args=[kept.pk])
        ).content.decode()
    )
    client.post(undo)
    assert references(everything) == before


def test_an_undo_moves_back_only_the_annotations_still_on_the_survivor(curator, people, paragraphs):
    kept = Source.objects.create(name="Agence France-Presse", curated=True)
    first = shared(people, paragraphs[0], source_name="AFP")
    second = shared(people, paragraphs[1], source_name="AFP")
    result = sources_merge(user=curator, survivor=kept, merged=[first.source])
    second.refresh_from_db()
    services.annotation_update(
        annotation=second,
        editor=people["author"],
        expected_version=second.version,
        claim="",
        stance="supports",
        source_name="Reuters",
        visibility="team",
        team=people["team"],
    )
    undone = merge_undo(user=curator, revision_id=result.revision_id)
    assert undone.annotations == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.source.name == "AFP"
    assert second.source.name == "Reuters"  # changed after the merge: left as it is


def test_merging_regions_moves_links_without_duplicates_and_children_and_undo_restores_them(
    client, curator, people, paragraphs
):
    syria = Region.objects.get(code="SY")
    kept = Region.objects.create(name="Idlib", kind="subdivision", code="test-idlib", parent=syria)
    spelling = Region.objects.create(
        name="Idleb", kind="subdivision", code="test-idleb", parent=syria, aliases=["Edlib"]
    )
    town = Region.objects.create(name="Saraqib", kind="place", code="test-saraqib", parent=spelling)
    both = shared(people, paragraphs[0], regions=[kept, spelling])
    only = shared(people, paragraphs[1], regions=[spelling, syria])
    before = references([both, only])

    client.force_login(curator)
    page = act(client, "merge_selected", [kept, spelling], url=merge_url("region"))
    entries = {entry.pk: entry for entry in page.context["entries"]}
    assert (entries[spelling.pk].annotation_count, entries[spelling.pk].child_count) == (2, 1)
    response = act(
        client,
        "merge_selected",
        [kept, spelling],
        url=merge_url("region"),
        apply="1",
        survivor=kept.pk,
    )
    assert "1 sub-region(s)" in followed(client, response)[0]

    assert not Region.objects.filter(pk=spelling.pk).exists()
    assert sorted(both.regions.values_list("pk", flat=True)) == [kept.pk]  # one link, not two
    assert sorted(only.regions.values_list("pk", flat=True)) == sorted([kept.pk, syria.pk])
    town.refresh_from_db()
    assert town.parent == kept
    assert RegionAncestor.objects.filter(region=town, ancestor=kept).exists()
    kept.refresh_from_db()
    assert kept.aliases == ["Idleb", "Edlib"]

    merge = Revision.objects.get(comment="merged regions Idleb into Idlib")
    client.post(reverse("admin:annotations_region_merge_undo", args=[merge.pk]))
    assert references([both, only]) == before
    town.refresh_from_db()
    assert town.parent_id == spelling.pk
    assert RegionAncestor.objects.filter(region=town, ancestor_id=spelling.pk, depth=1).exists()
    assert RegionAncestor.objects.filter(region=town, ancestor=syria, depth=2).exists()
    kept.refresh_from_db()
    assert kept.aliases == []
    assert Region.objects.get(pk=spelling.pk).aliases == ["Edlib"]


def test_a_region_cannot_be_merged_into_one_within_it(curator, people):
    syria = Region.objects.get(code="SY")
    inside = Region.objects.create(name="Test Town", kind="place", code="test-town", parent=syria)
    with pytest.raises(Exception, match="lies within a region merged into it"):
        regions_merge(user=curator, survivor=inside, merged=[syria])
    assert Region.objects.filter(pk=syria.pk).exists()


def test_merging_tags_keeps_every_annotation_tagged_once_and_undo_restores_the_links(
    client, curator, people, paragraphs
):
    carries_both = shared(people, paragraphs[0], tags=["Iran", "Islamic Republic"])
    carries_old = annotate(people["author"], paragraphs[1], tags=["islamic republic", "bases"])
    carries_kept = shared(people, paragraphs[2], tags=["Iran"])
    iran = AnnotationTag.objects.get(name="Iran")
    old = list(AnnotationTag.objects.filter(slug="islamic-republic"))
    everything = [carries_both, carries_old, carries_kept]
    before = references(everything)

    client.force_login(curator)
    response = act(
        client,
        "merge_selected",
        [iran, *old],
        url=merge_url("annotationtag"),
        apply="1",
        survivor=iran.pk,
    )
    assert followed(client, response)[0].startswith("Merged ")
    assert set(carries_both.tags.values_list("name", flat=True)) == {"Iran"}
    assert set(carries_old.tags.values_list("name", flat=True)) == {"Iran", "bases"}
    assert TaggedAnnotation.objects.filter(content_object=carries_both).count() == 1
    assert not AnnotationTag.objects.filter(slug="islamic-republic").exists()

    merge_id = Version.objects.get_for_object(iran).order_by("-pk").first().revision_id
    client.post(reverse("admin:annotations_annotationtag_merge_undo", args=[merge_id]))
    assert references(everything) == before


def test_staff_may_not_merge_entries_carried_by_annotations_they_may_not_change(
    client, staff, people, paragraphs
):
    kept = shared(people, paragraphs[0], tags=["Hezbollah"]).tags.get()
    desk = shared(people, paragraphs[1], tags=["Hizbullah"])
    other = desk.tags.get()
    # The author's private annotations with the same tag rows: not the staff's to change,
    # so that neither can be merged into the other.
    annotate(people["author"], paragraphs[2], tags=["Hizbullah", "Hezbollah"])
    assert AnnotationTag.objects.filter(slug__in=["hizbullah", "hezbollah"]).count() == 2
    client.force_login(staff)
    page = act(client, "merge_selected", [kept, other], url=merge_url("annotationtag"))
    assert page.status_code == 200
    assert "are not yours to change" in page.content.decode()
    assert 'name="apply"' not in page.content.decode()
    response = act(
        client,
        "merge_selected",
        [kept, other],
        url=merge_url("annotationtag"),
        apply="1",
        survivor=kept.pk,
    )
    assert response.status_code == 200 and "are not yours to change" in response.content.decode()
    assert AnnotationTag.objects.filter(pk=other.pk).exists()


def test_staff_merge_what_they_may_change_and_never_see_hidden_entries_on_the_page(
    client, staff, people, paragraphs
):
    kept = shared(people, paragraphs[0], tags=["Hezbollah"]).tags.get()
    other = shared(people, paragraphs[1], tags=["Hizbullah"]).tags.get()
    hidden = annotate(people["stranger"], paragraphs[2], tags=["Gulf Secret"]).tags.get()
    client.force_login(staff)
    page = act(client, "merge_selected", [kept, other, hidden], url=merge_url("annotationtag"))
    assert {entry.pk for entry in page.context["entries"]} == {kept.pk, other.pk}
    assert "Gulf Secret" not in page.content.decode()
    response = act(
        client,
        "merge_selected",
        [kept, other, hidden],
        url=merge_url("annotationtag"),
        apply="1",
        survivor=kept.pk,
    )
    assert followed(client, response)[0].startswith("Merged Hizbullah into Hezbollah")
    assert AnnotationTag.objects.filter(pk=hidden.pk).exists()
    merge = Revision.objects.get(comment="merged tags Hizbullah into Hezbollah")
    # Another curator's merge is not offered to them.
    other_staff = staff_user("otherstaff", people["team"], "owner")
    client.force_login(other_staff)
    undo = reverse("admin:annotations_annotationtag_merge_undo", args=[merge.pk])
    assert client.get(undo).status_code == 404


def test_merges_and_undos_refuse_what_is_not_theirs(curator, people, paragraphs):
    from django.core.exceptions import PermissionDenied

    kept = Source.objects.create(name="Kept Source", curated=True)
    with pytest.raises(PermissionDenied, match="at least two"):
        sources_merge(user=curator, survivor=kept, merged=[])
    tag = AnnotationTag.objects.create(name="x")
    with pytest.raises(PermissionDenied, match="merged into itself"):
        tags_merge(user=curator, survivor=tag, merged=[tag])


# ------------------------------------------------------------------------------- history


def test_an_annotations_history_lists_its_versions_but_reverting_them_is_closed(
    client, staff, people, paragraphs
):
    annotation = shared(people, paragraphs[0], claim="First claim")
    services.annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=1,
        claim="Second claim",
        stance="supports",
        visibility="team",
        team=people["team"],
    )
    client.force_login(staff)
    history = client.get(reverse("admin:annotations_annotation_history", args=[annotation.pk]))
    assert history.status_code == 200
    comments = [action["revision"].comment for action in history.context["action_list"]]
    assert comments == ["changed the annotation", "annotated a passage"]
    html = history.content.decode()
    assert "restore a version from the annotation&#x27;s page" in html
    page = reverse("annotations:detail", args=[annotation.pk])
    assert f'href="{page}"' in html

    version = Version.objects.get_for_object(annotation).order_by("pk").first()
    revert = reverse("admin:annotations_annotation_revision", args=[annotation.pk, version.pk])
    recover = reverse("admin:annotations_annotation_recover", args=[version.pk])
    for send in (
        lambda: client.get(revert),
        lambda: client.post(revert, {"claim": "First claim"}),
        lambda: client.get(recover),
    ):
        response = send()
        assert response.status_code == 302 and response["Location"] == page
        shown = shown_messages(client.get(reverse(CHANGELIST)))
        assert shown == [
            "Versions are not reverted here: restore a version from the annotation's page."
        ]
    annotation.refresh_from_db()
    assert annotation.claim == "Second claim" and annotation.version == 2


def test_an_admin_edit_of_a_source_is_recorded_and_a_merge_is_not_reverted_raw(
    client, curator, people, paragraphs
):
    kept = Source.objects.create(name="Kept Wire", curated=True)
    client.force_login(curator)
    response = client.post(
        reverse("admin:annotations_source_change", args=[kept.pk]),
        {
            "name": "Kept Wire Service",
            "kind": "outlet",
            "aliases": "[]",
            "url": "",
            "year": "",
            "notes": "",
            "curated": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    edit = Version.objects.get_for_object(kept).order_by("-pk").first()
    assert edit.revision.user == curator

    twin = shared(people, paragraphs[0], source_name="Kept Wire").source
    result = sources_merge(user=curator, survivor=kept, merged=[twin])
    merge_version = Version.objects.get(
        revision_id=result.revision_id, object_id=str(kept.pk), content_type__model="source"
    )
    revert = reverse("admin:annotations_source_revision", args=[kept.pk, merge_version.pk])
    shown = followed(client, client.post(revert, {"name": "Reverted", "kind": "other"}))
    assert any("undo it from the history" in message for message in shown)
    kept.refresh_from_db()
    assert kept.name == "Kept Wire Service"


def test_staff_cannot_open_the_history_of_what_they_do_not_see(client, staff, people, paragraphs):
    hidden = annotate(people["author"], paragraphs[0])
    client.force_login(staff)
    response = client.get(reverse("admin:annotations_annotation_history", args=[hidden.pk]))
    assert response.status_code == 302
    source = annotate(people["stranger"], paragraphs[1], source_name="Gulf Secret Source").source
    assert (
        client.get(reverse("admin:annotations_source_history", args=[source.pk])).status_code == 302
    )
    assert client.get(reverse("admin:annotations_source_recoverlist")).status_code == 302


def test_teams_list_their_members_count_to_staff_too(client, curator, staff, people):
    def counts():
        response = client.get(reverse("admin:corpus_team_changelist"))
        return {team.name: team.member_count for team in response.context["cl"].result_list}

    client.force_login(curator)
    assert counts() == {"Levant Desk": 6, "Gulf Desk": 1}
    client.force_login(staff)
    assert counts() == {"Levant Desk": 6}


def test_an_annotations_admin_history_shows_what_each_version_changed(
    client, curator, people, paragraphs
):
    annotation = shared(people, paragraphs[0], claim="The first reading")
    services.annotation_update(
        annotation=annotation,
        editor=people["author"],
        expected_version=1,
        claim="The second reading",
        stance="opposes",
        team=people["team"],
        visibility="team",
    )
    client.force_login(curator)
    url = reverse("admin:annotations_annotation_history", args=[annotation.pk])
    html = client.get(url).content.decode()
    assert "<del>The first reading</del>" in html and "<ins>The second reading</ins>" in html
    assert "Restore what it said then" not in html  # restored from the annotation's page


def test_the_w3c_export_of_a_selection_holds_it_and_the_links_between_its_passages(
    client, curator, people, paragraphs
):
    first = shared(people, paragraphs[0], claim="First claim")
    second = shared(people, paragraphs[1], claim="Second claim")
    left_out = shared(people, paragraphs[2], claim="Not selected")
    services.crossreference_create(
        author=people["author"],
        from_annotation=first,
        to_annotation=second,
        relation="repeats",
        team=people["team"],
        visibility="team",
    )
    client.force_login(curator)
    response = act(client, "export_jsonld", [first, second])
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="crossread-selection-')
    collection, page = json.loads(b"".join(response.streaming_content))
    assert collection["total"] == 3
    claims = [item["body"][0]["value"] for item in page["items"] if item["motivation"] != "linking"]
    assert sorted(claims) == ["First claim", "Second claim"]
    assert left_out.claim not in json.dumps(page)
    link = next(item for item in page["items"] if item["motivation"] == "linking")
    assert {"type": "SpecificResource", "purpose": "classifying",
            "source": "urn:crossread:relation:repeats"} in link["body"]  # fmt: skip
