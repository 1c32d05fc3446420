"""Suggested links: the passages of other articles that read most like a passage,
found by TF-IDF over the corpus, kept fresh as the corpus changes, and limited to
what the viewer may see."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from annotations.bench.link_gold import GOLD_TOPICS
from annotations.linking import SUGGESTED_LINKS, suggested_links
from corpus.models import Article
from corpus.services.paragraphs import paragraph_edit
from corpus.similarity import SIMILARITY_KINDS, forget_index, passage_index, passage_terms
from tests.conftest import make_annotation

GR_QUOTE = "the eventual Russian military intervention in 2015"
ACADEMIC_QUOTE = "Military intervention in Syria was one of Russia's strategies"
SF_QUOTE = "had the Russians not come to the defense of President Assad"


@pytest.fixture(autouse=True)
def fresh_index():
    forget_index()
    yield
    forget_index()


def annotate(people, article, quote, **fields):
    return make_annotation(
        author=people["author"],
        paragraph=article.paragraphs.get(text__contains=quote),
        exact=quote,
        visibility="public",
        team=people["team"],
        **fields,
    )


def suggested_paragraphs(user, annotation):
    return [candidate.paragraph_id for candidate in suggested_links(user, annotation)]


def test_words_are_compared_by_their_stems_and_pairs():
    terms = passage_terms("Russia's interventions in Syria, 2015; the Russia intervened.")
    assert terms.count("russia") == 2  # "Russia's" and "Russia"
    assert "intervent" in terms and "2015" in terms and "the" not in terms
    assert "russia intervent" in terms  # a pair of neighbouring words


@pytest.mark.parametrize(
    ("start", "others"),
    [
        ("global_research", {"academic": ACADEMIC_QUOTE, "southfront": SF_QUOTE}),
        ("academic", {"global_research": GR_QUOTE, "southfront": SF_QUOTE}),
    ],
)
def test_a_passage_on_the_2015_intervention_finds_it_in_the_other_two_articles(
    seed_articles, people, start, others
):
    quote = {"global_research": GR_QUOTE, "academic": ACADEMIC_QUOTE}[start]
    annotation = annotate(people, seed_articles[start], quote)
    found = suggested_paragraphs(people["outsider"], annotation)
    assert len(found) <= SUGGESTED_LINKS
    for key, other_quote in others.items():
        assert seed_articles[key].paragraphs.get(text__contains=other_quote).pk in found, key
    # Never a passage of the annotation's own article.
    own = set(seed_articles[start].paragraphs.values_list("pk", flat=True))
    assert not own & set(found)


def test_suggestions_follow_a_change_of_text(seed_articles, people):
    annotation = annotate(people, seed_articles["global_research"], GR_QUOTE)
    before = passage_index()
    comment = seed_articles["southfront"].paragraphs.filter(kind="body").last()
    assert comment.pk not in suggested_paragraphs(people["author"], annotation)
    paragraph_edit(
        paragraph=comment,
        markup="Washington never anticipated the eventual Russian military intervention "
        "in 2015, nor its resilience.",
        kind="body",
    )
    assert passage_index() is not before  # the stamp moved: rebuilt
    assert suggested_paragraphs(people["author"], annotation)[0] == comment.pk


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_after_a_later_one_is_suggested_all_the_same(seed_articles, people):
    """Two editors at once: one's change is dated first but commits last, so the
    articles' latest change date (which the index read when the other committed) does
    not move when it commits. The corpus text's generation does, in every process."""
    annotation = annotate(people, seed_articles["global_research"], GR_QUOTE)
    southfront = seed_articles["southfront"]
    comment = southfront.paragraphs.filter(kind="body").last()
    dated = Article.objects.values_list("updated_at", flat=True).get(pk=southfront.pk)
    before = passage_index()
    paragraph_edit(
        paragraph=comment,
        markup="Washington never anticipated the eventual Russian military intervention "
        "in 2015, nor its resilience.",
        kind="body",
    )
    # Dated before the latest change the index has seen, as the slower transaction's is.
    Article.objects.filter(pk=southfront.pk).update(updated_at=dated)
    assert passage_index() is not before
    assert suggested_paragraphs(people["author"], annotation)[0] == comment.pk


def test_a_team_article_is_suggested_to_its_members_alone(seed_articles, people):
    academic = seed_articles["academic"]
    academic.team, academic.visibility = people["other_team"], "team"
    academic.save()
    annotation = annotate(people, seed_articles["global_research"], GR_QUOTE)
    target = academic.paragraphs.get(text__contains=ACADEMIC_QUOTE).pk
    assert target not in suggested_paragraphs(people["author"], annotation)
    assert target in suggested_paragraphs(people["stranger"], annotation)  # an owner there


def test_suggestions_show_the_annotations_the_viewer_may_see_on_each_passage(seed_articles, people):
    annotation = annotate(people, seed_articles["global_research"], GR_QUOTE)
    shared = annotate(people, seed_articles["academic"], ACADEMIC_QUOTE, claim="SHARED")
    private = make_annotation(
        author=people["author"],
        paragraph=shared.paragraph,
        exact="Russia's strategies",
        claim="PRIVATE",
    )
    candidates = {c.paragraph_id: c for c in suggested_links(people["outsider"], annotation)}
    assert [a.id for a in candidates[shared.paragraph_id].annotations] == [shared.pk]
    candidates = {c.paragraph_id: c for c in suggested_links(people["author"], annotation)}
    assert {a.id for a in candidates[shared.paragraph_id].annotations} == {shared.pk, private.pk}


def test_the_semantic_method_without_its_extra_stops_the_server_with_the_install_line(
    settings, monkeypatch
):
    settings.CROSSREAD_SIMILARITY = "semantic"
    monkeypatch.setattr("corpus.embeddings.available", lambda: False)
    with pytest.raises(SystemCheckError, match=r"pip install -e '\.\[semantic\]'"):
        call_command("check")
    settings.CROSSREAD_SIMILARITY = "tfidf"
    call_command("check")  # the default needs nothing more


def test_the_hand_judged_topics_name_passages_of_the_running_text_in_other_articles(
    seed_articles,
):
    """The gold set the benchmark compares the methods with (annotations.bench.link_gold)
    points at passages the index compares, never at the query's own article."""
    paragraphs = {
        (article.slug, paragraph.position): paragraph
        for article in seed_articles.values()
        for paragraph in article.paragraphs.all()
    }
    for topic in GOLD_TOPICS:
        query = paragraphs[(topic.query.article, topic.query.position)]
        assert query.kind in SIMILARITY_KINDS, topic.name
        assert topic.relevant, topic.name
        for ref in topic.relevant:
            assert ref.article != topic.query.article, topic.name
            assert paragraphs[(ref.article, ref.position)].kind in SIMILARITY_KINDS, topic.name
