"""Cross-references: link two passages with a relation, read the link from both
ends, find passages to link (suggested and searched), remove and bring back a link;
nobody sees a link who may not see it and both its ends."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Annotation, CrossReference
from tests.conftest import make_annotation
from tests.test_team_articles import masked
from tests.test_visibility import VIEWERS, client_for

GR_QUOTE = "the eventual Russian military intervention in 2015"
ACADEMIC_QUOTE = "Military intervention in Syria was one of Russia's strategies"
SF_QUOTE = "had the Russians not come to the defense of President Assad"


def passage(article, quote):
    return article.paragraphs.get(text__contains=quote)


@pytest.fixture
def ends(seed_articles, people):
    """A public passage in Global Research and one in the academic paper, by the team."""
    common = dict(author=people["author"], visibility="public", team=people["team"])
    gr = make_annotation(
        paragraph=passage(seed_articles["global_research"], GR_QUOTE),
        exact=GR_QUOTE,
        claim="Washington did not foresee Russia's intervention.",
        **common,
    )
    academic = make_annotation(
        paragraph=passage(seed_articles["academic"], ACADEMIC_QUOTE),
        exact=ACADEMIC_QUOTE,
        stance="neutral",
        **common,
    )
    return gr, academic


def link(people, source, target, relation="contradicts", visibility="public", **fields):
    return services.crossreference_create(
        author=people["author"],
        from_annotation=source,
        to_annotation=target,
        relation=relation,
        visibility=visibility,
        team=people["team"] if visibility != "private" else None,
        **fields,
    )


def test_both_ends_show_the_link_read_from_their_side_and_jump_to_the_other(client, ends, people):
    gr, academic = ends
    link(people, gr, academic, "contradicts", note="Dates differ.")
    gr_page = client.get(gr.article.get_absolute_url()).content.decode()
    academic_page = client.get(academic.article.get_absolute_url()).content.decode()
    assert '<span class="link-relation">contradicts</span>' in gr_page
    assert f'{academic.article.get_absolute_url()}#hl-{academic.pk}"' in gr_page
    assert '<span class="link-relation">is contradicted by</span>' in academic_page
    assert f'{gr.article.get_absolute_url()}#hl-{gr.pk}"' in academic_page
    assert "Dates differ." in gr_page and "Dates differ." in academic_page


@pytest.mark.parametrize(
    ("relation", "forward", "backward"),
    [
        ("repeats", "repeats", "is repeated in"),
        ("supports", "supports", "is supported by"),
        ("elaborates", "elaborates on", "is elaborated on in"),
        ("cites", "cites", "is cited by"),
        ("same_event", "reports the same event as", "reports the same event as"),
    ],
)
def test_every_relation_reads_both_ways(client, ends, people, relation, forward, backward):
    gr, academic = ends
    link(people, gr, academic, relation)
    assert f">{forward}</span>" in client.get(gr.article.get_absolute_url()).content.decode()
    assert f">{backward}</span>" in client.get(academic.article.get_absolute_url()).content.decode()


def test_the_article_page_counts_its_links_to_each_other_article(
    client, ends, people, seed_articles
):
    gr, academic = ends
    other = make_annotation(
        author=people["author"],
        paragraph=passage(seed_articles["academic"], "Since September 2015"),
        exact="Since September 2015",
        visibility="public",
        team=people["team"],
    )
    link(people, gr, academic, "contradicts")
    link(people, gr, other, "contradicts")
    link(people, other, gr, "repeats")
    html = client.get(gr.article.get_absolute_url()).content.decode()
    assert "Linked articles" in html
    assert "2 × <em>contradicts</em>, 1 × <em>is repeated in</em>" in html
    html = client.get(academic.article.get_absolute_url()).content.decode()
    assert "2 × <em>is contradicted by</em>, 1 × <em>repeats</em>" in html


def test_linking_from_the_page_with_a_suggested_annotation(client, ends, people):
    gr, academic = ends
    client.force_login(people["editor"])
    page = client.get(reverse("annotations:link", args=[gr.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Suggested passages" in html
    assert f'value="a:{academic.pk}"' in html  # the academic passage on the intervention
    response = client.post(
        reverse("annotations:link", args=[gr.pk]),
        {"target": f"a:{academic.pk}", "relation": "supports", "visibility": "private"},
    )
    assert response.status_code == 302
    made = CrossReference.objects.get()
    assert (made.from_annotation, made.to_annotation, made.relation, made.author) == (
        gr,
        academic,
        "supports",
        people["editor"],
    )


def test_linking_to_a_passage_nobody_annotated_marks_it_and_links_it(
    client, ends, people, seed_articles
):
    gr, _ = ends
    paragraph = passage(seed_articles["southfront"], SF_QUOTE)
    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:link", args=[gr.pk]),
        {
            "target": f"p:{paragraph.pk}",
            "relation": "same_event",
            "team": str(people["team"].pk),
            "visibility": "team",
        },
    )
    assert response.status_code == 302
    made = CrossReference.objects.get()
    target = made.to_annotation
    assert target.paragraph == paragraph and target.exact == paragraph.text
    assert (target.stance, target.claim, target.visibility) == ("", "", "team")
    html = client.get(paragraph.article.get_absolute_url()).content.decode()
    assert "reports the same event as" in html and "Tagged passage" in html


def test_the_link_page_searches_other_articles(client, ends, people):
    gr, academic = ends
    client.force_login(people["author"])
    html = client.get(reverse("annotations:link", args=[gr.pk]), {"q": "Putin"}).content.decode()
    assert "Passages matching" in html
    assert "Since September 2015" in html  # the academic paper's passage
    assert f'value="a:{academic.pk}"' not in html or "Putin" in html
    # Its own article's passages are not offered.
    assert "Assad&#x27;s Tehran Visit" not in html.split("Passages matching", 1)[1]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"target": "a:999999", "relation": "supports"}, "There is no such passage"),
        ({"target": "x:1", "relation": "supports"}, "Choose the passage to link to from the list."),
        ({"target": "a:99999999999999999999999", "relation": "supports"}, "from the list"),
        ({"relation": "supports"}, "Choose the passage to link to."),
        ({"target": "SELF", "relation": "supports"}, "cannot be linked to itself"),
        ({"target": "OTHER", "relation": "loves"}, "Unknown relation"),
        ({"target": "OTHER", "relation": "supports", "visibility": "team"}, "belong to a team"),
        ({"target": "OTHER", "relation": "supports", "note": "n" * 6000}, "at most 5000"),
    ],
)
def test_a_link_that_cannot_be_made_is_refused_with_the_reason(client, ends, people, data, reason):
    gr, academic = ends
    data = dict(data)
    data["target"] = {"SELF": f"a:{gr.pk}", "OTHER": f"a:{academic.pk}"}.get(
        data.get("target"), data.get("target", "")
    )
    data.setdefault("visibility", "private")
    client.force_login(people["author"])
    response = client.post(reverse("annotations:link", args=[gr.pk]), data)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not CrossReference.objects.exists()
    assert Annotation.objects.count() == 2


def test_the_same_link_twice_is_refused(client, ends, people):
    gr, academic = ends
    link(people, gr, academic, "supports")
    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:link", args=[gr.pk]),
        {"target": f"a:{academic.pk}", "relation": "supports", "visibility": "private"},
    )
    assert response.status_code == 400
    assert "linked that way already" in response.content.decode()
    assert CrossReference.objects.count() == 1


def test_linking_to_a_passage_one_may_not_see_is_refused(client, ends, people, seed_articles):
    gr, _ = ends
    hidden = make_annotation(
        author=people["stranger"],
        paragraph=passage(seed_articles["southfront"], SF_QUOTE),
        exact=SF_QUOTE,
    )
    client.force_login(people["author"])
    response = client.post(
        reverse("annotations:link", args=[gr.pk]),
        {"target": f"a:{hidden.pk}", "relation": "supports", "visibility": "private"},
    )
    assert response.status_code == 400
    assert "There is no such passage among those you can see." in response.content.decode()
    assert not CrossReference.objects.exists()


# ---------------------------------------------------------------- who sees a link

# (link visibility, visibility of its far end) -> who sees the link on the near end
LINK_CASES = {
    ("public", "public"): set(VIEWERS),
    ("team", "public"): {"author", "viewer", "annotator", "editor", "owner"},
    ("private", "public"): {"author"},
    ("public", "team"): {"author", "viewer", "annotator", "editor", "owner"},
    ("public", "private"): {"author"},
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("link_visibility", "end_visibility"), list(LINK_CASES))
def test_a_link_is_seen_only_by_who_may_see_it_and_both_ends(
    client, people, seed_articles, viewer, link_visibility, end_visibility
):
    near = make_annotation(
        author=people["author"],
        paragraph=passage(seed_articles["global_research"], GR_QUOTE),
        exact=GR_QUOTE,
        visibility="public",
        team=people["team"],
    )
    far = make_annotation(
        author=people["author"],
        paragraph=passage(seed_articles["academic"], ACADEMIC_QUOTE),
        exact=ACADEMIC_QUOTE,
        claim="FAR-END-CLAIM",
        visibility=end_visibility,
        team=people["team"] if end_visibility != "private" else None,
    )
    made = link(people, near, far, "contradicts", visibility=link_visibility, note="LINK-NOTE-9")
    client = client_for(client, people, viewer)
    html = client.get(near.article.get_absolute_url()).content.decode()
    sees = viewer in LINK_CASES[(link_visibility, end_visibility)]
    assert ("LINK-NOTE-9" in html) == sees
    assert (f"#hl-{far.pk}" in html) == sees
    assert ("Linked articles" in html) == sees
    assert (made in CrossReference.objects.visible_to(people.get(viewer))) == sees


def test_a_link_disappears_when_one_end_goes_to_the_bin_and_comes_back_with_it(
    client, ends, people
):
    gr, academic = ends
    link(people, gr, academic, "contradicts", note="LINK-NOTE-7")
    services.annotation_delete(annotation=academic, user=people["author"], expected_version=1)
    assert "LINK-NOTE-7" not in client.get(gr.article.get_absolute_url()).content.decode()
    services.annotation_restore(annotation=academic, user=people["author"])
    assert "LINK-NOTE-7" in client.get(gr.article.get_absolute_url()).content.decode()


def test_a_link_to_a_team_article_is_hidden_from_outsiders(client, ends, people, seed_articles):
    gr, academic = ends
    article = academic.article
    article.team, article.visibility = people["team"], "team"
    article.save()
    link(people, gr, academic, "contradicts", note="LINK-NOTE-5")
    client.force_login(people["stranger"])
    assert "LINK-NOTE-5" not in client.get(gr.article.get_absolute_url()).content.decode()
    client.force_login(people["viewer"])
    assert "LINK-NOTE-5" in client.get(gr.article.get_absolute_url()).content.decode()


# ------------------------------------------------------------ remove, bring back


def test_an_editor_removes_a_team_link_and_brings_it_back(client, ends, people):
    gr, academic = ends
    made = link(people, gr, academic, "contradicts", note="LINK-NOTE-3")
    client.force_login(people["editor"])
    confirm = client.get(reverse("annotations:unlink", args=[made.pk]))
    assert confirm.status_code == 200 and "Remove this link?" in confirm.content.decode()
    removed = client.post(reverse("annotations:unlink", args=[made.pk]))
    assert removed.status_code == 200 and "Bring it back" in removed.content.decode()
    assert "LINK-NOTE-3" not in client.get(gr.article.get_absolute_url()).content.decode()
    assert CrossReference.objects.filter(pk=made.pk, deleted_at__isnull=False).exists()
    back = client.post(reverse("annotations:relink", args=[made.pk]))
    assert back.status_code == 302
    assert "LINK-NOTE-3" in client.get(gr.article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("viewer", "status"), [("viewer", 403), ("annotator", 403), ("stranger", 404)]
)
def test_who_may_not_change_a_link_cannot_remove_it(client, ends, people, viewer, status):
    gr, academic = ends
    made = link(people, gr, academic, "contradicts", visibility="team")
    client.force_login(people[viewer])
    assert client.post(reverse("annotations:unlink", args=[made.pk])).status_code == status
    assert CrossReference.objects.visible_to(people["author"]).filter(pk=made.pk).exists()


def test_a_hidden_link_is_a_missing_one(client, ends, people):
    gr, academic = ends
    made = link(people, gr, academic, "contradicts", visibility="private")
    client.force_login(people["stranger"])
    url = reverse("annotations:unlink", args=[made.pk])
    response = client.get(url)
    CrossReference.objects.filter(pk=made.pk).delete()
    missing = client.get(url)
    assert response.status_code == missing.status_code == 404
    assert masked(response) == masked(missing)


def test_the_link_page_of_a_hidden_annotation_is_a_missing_page(client, people, seed_articles):
    hidden = make_annotation(
        author=people["author"],
        paragraph=passage(seed_articles["global_research"], GR_QUOTE),
        exact=GR_QUOTE,
    )
    client.force_login(people["stranger"])
    assert client.get(reverse("annotations:link", args=[hidden.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("annotations:link", args=[hidden.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_in_the_admin_only_the_links_the_rule_shows_them(client, ends, people):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    gr, academic = ends
    shared = link(people, gr, academic, "supports", note="SHARED-LINK")
    hidden = link(people, academic, gr, "contradicts", visibility="private", note="HIDDEN-LINK")
    staff = get_user_model().objects.create_user("linkstaff", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="crossreference"))
    client.force_login(staff)
    changelist = client.get(reverse("admin:annotations_crossreference_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert f"#{gr.pk} supports #{academic.pk}" in html
    assert f"#{academic.pk} contradicts #{gr.pk}" not in html
    url = reverse("admin:annotations_crossreference_change", args=[hidden.pk])
    assert client.get(url).status_code == 302  # the admin's answer for a missing object
    assert (
        shared.note
        in client.get(
            reverse("admin:annotations_crossreference_change", args=[shared.pk])
        ).content.decode()
    )


def test_marking_words_in_another_article_leads_back_to_link_them(
    client, ends, people, seed_articles
):
    gr, _ = ends
    article = seed_articles["southfront"]
    paragraph = passage(article, SF_QUOTE)
    client.force_login(people["author"])
    annotate = reverse("annotations:create", args=[article.slug])
    page = client.get(annotate, {"paragraph": paragraph.pk, "link_from": gr.pk})
    assert f"?link_from={gr.pk}" in page.content.decode()
    response = client.post(
        f"{annotate}?link_from={gr.pk}",
        {
            "paragraph": paragraph.pk,
            "exact": SF_QUOTE,
            "stance": "",
            "visibility": "private",
        },
    )
    marked = Annotation.objects.get(exact=SF_QUOTE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('annotations:link', args=[gr.pk])}?to={marked.pk}"
    html = client.get(response["Location"]).content.decode()
    first = html.index('class="candidate"')
    assert html.index(f'value="a:{marked.pk}"') > first
    assert html.index(f'value="a:{marked.pk}"') < html.index('class="candidate"', first + 1)


def test_a_link_source_one_may_not_see_is_ignored_and_the_annotation_still_made(
    client, people, seed_articles
):
    hidden = make_annotation(
        author=people["stranger"],
        paragraph=passage(seed_articles["global_research"], GR_QUOTE),
        exact=GR_QUOTE,
    )
    article = seed_articles["southfront"]
    paragraph = passage(article, SF_QUOTE)
    client.force_login(people["author"])
    response = client.post(
        f"{reverse('annotations:create', args=[article.slug])}?link_from={hidden.pk}",
        {"paragraph": paragraph.pk, "exact": SF_QUOTE, "stance": "", "visibility": "private"},
    )
    marked = Annotation.objects.get(exact=SF_QUOTE)
    assert response["Location"] == f"{article.get_absolute_url()}#hl-{marked.pk}"
