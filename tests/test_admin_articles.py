"""The Article and Paragraph admin: adding an article imports it, paragraphs are
edited inline, split and merged through the text's one write path (annotations follow
their words), articles are imported again from their raw text, the lists stay cheap,
and the history is kept without a restore that would bypass the services."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from annotations.models import Annotation, Membership
from corpus.models import Article, ImportJob, Paragraph, ParagraphKind
from corpus.services import article_import_file, article_reimport, paragraphs_merge
from corpus.services import paragraph_split as split_service
from tests import documents
from tests.conftest import make_annotation

RUSSIA_QUOTE = "Russia seeks to maintain the Syrian regime"
CONDITIONS_QUOTE = "These conditions are also true for Russia"


# ------------------------------------------------------------------------ fixtures


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_superuser(
        "curator", "curator@example.org", "pw-curator-1"
    )


@pytest.fixture
def admin_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def staff(db, people):
    """An editor of the Levant Desk with every permission on the corpus in the admin."""
    user = get_user_model().objects.create_user(
        "deskstaff", password="pw-staff-2026", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="corpus"))
    Membership.objects.create(user=user, team=people["team"], role="editor")
    return user


@pytest.fixture
def gulf_article(db, people, tmp_path):
    """An article of the Gulf Desk, hidden from the Levant Desk's staff."""
    path = tmp_path / "gulf-memo.txt"
    path.write_text(
        "Gulf memo on shipping\n\nTankers wait off the coast of Fujairah.\n\n"
        "Insurers raised their rates again this week.\n",
        encoding="utf-8",
    )
    outcome = article_import_file(path=path, team=people["other_team"])
    assert outcome.status == "created", outcome.error
    return outcome.article


# ------------------------------------------------------------------------- helpers


class _FormFields(HTMLParser):
    """What a browser would send for one form of a page: inputs, textareas, selects."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._textarea = self._select = None
        self._option_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file", "button"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.data.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(response, form_id: str = "article_form") -> dict:
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    data: dict = {}
    for name, value in parser.data:
        data.setdefault(name, value)
    return data


def inline_prefix(data: dict, paragraph: Paragraph) -> str:
    """The inline form's prefix ("paragraphs-3") of a paragraph on the change page."""
    for name, value in data.items():
        if name.endswith("-id") and value == str(paragraph.pk):
            return name.removesuffix("-id")
    raise AssertionError(f"paragraph {paragraph.pk} is not on the page")


def assert_on_their_words(article: Article) -> list[Annotation]:
    """Every annotation of the article that is placed stands on its quote."""
    annotations = list(
        Annotation.objects.filter(article=article).select_related("paragraph").order_by("pk")
    )
    for annotation in annotations:
        assert annotation.paragraph is not None, f"annotation {annotation.pk} orphaned"
        assert annotation.paragraph.article_id == article.pk
        text = annotation.paragraph.text
        assert text[annotation.start : annotation.end] == annotation.exact, annotation.pk
    return annotations


def snapshot(article: Article) -> tuple:
    """The article's paragraphs and where its annotations stand."""
    return (
        list(
            Paragraph.objects.filter(article=article)
            .order_by("position")
            .values_list("pk", "position", "kind", "markup", "text")
        ),
        list(
            Annotation.objects.filter(article=article)
            .order_by("pk")
            .values_list("pk", "paragraph_id", "start", "end", "exact", "version")
        ),
    )


def change_url(article: Article) -> str:
    return reverse("admin:corpus_article_change", args=[article.pk])


def split_url(paragraph: Paragraph) -> str:
    return reverse("admin:corpus_paragraph_split", args=[paragraph.pk])


def merge_url(paragraph: Paragraph) -> str:
    return reverse("admin:corpus_paragraph_merge_next", args=[paragraph.pk])


def reimport_url(article: Article) -> str:
    return reverse("admin:corpus_article_reimport", args=[article.pk])


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def annotate(people, paragraph: Paragraph, start: int, end: int) -> Annotation:
    """An annotation on ``paragraph.text[start:end]`` (that occurrence, by its offsets)."""
    return make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=paragraph.text[start:end],
        start=start,
        end=end,
    )


def long_body_paragraph(article: Article) -> Paragraph:
    return max(article.paragraphs.filter(kind=ParagraphKind.BODY), key=lambda p: len(p.text))


# -------------------------------------------------------------- adding an article


def test_adding_an_article_imports_an_uploaded_file(admin_client):
    upload = SimpleUploadedFile(
        "field_notes.md",
        b"# Field notes from Aleppo\n\nThe market reopened on *Tuesday* morning.\n\n"
        b"Traders said the road from Idlib was open again.\n",
    )
    response = admin_client.post(
        reverse("admin:corpus_article_add"), {"collection": "public", "file": upload}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    assert article.title == "Field notes from Aleppo"
    assert article.source_file == "field_notes.md"
    assert article.visibility == "public" and article.team is None
    assert list(article.paragraphs.order_by("position").values_list("text", flat=True)) == [
        "The market reopened on Tuesday morning.",
        "Traders said the road from Idlib was open again.",
    ]
    assert "<em>Tuesday</em>" in article.paragraphs.get(position=1).html
    followed = admin_client.get(response["Location"])
    assert "Imported “Field notes from Aleppo” from field_notes.md: 2 paragraphs." in (
        shown_messages(followed)
    )


def test_adding_an_article_imports_pasted_text(admin_client):
    text = (
        "Notes on the Hmeimim base\n\nBy Mariam Haddad\n\n"
        "The runway was lengthened in 2016.\n\nA second one followed in 2021.\n"
    )
    response = admin_client.post(
        reverse("admin:corpus_article_add"), {"collection": "public", "text": text}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "Notes on the Hmeimim base"
    assert article.authors == ["Mariam Haddad"]
    assert article.source_file.startswith("pasted-text-")
    assert article.paragraphs.count() == 2
    assert article.raw_text.startswith("Notes on the Hmeimim base")


def test_a_saved_web_page_is_imported_with_its_metadata(admin_client):
    upload = SimpleUploadedFile("ledger.html", documents.news_page_html())
    response = admin_client.post(
        reverse("admin:corpus_article_add"), {"collection": "public", "file": upload}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == documents.NEWS_TITLE
    assert article.source_format == "html"
    assert article.paragraphs.filter(text=documents.NEWS_BODY[0]).exists()


def test_staff_import_into_a_team_they_write_for_and_no_other(client, staff, people):
    client.force_login(staff)
    page = client.get(reverse("admin:corpus_article_add"))
    offered = dict(page.context["form"].fields["collection"].choices)
    assert str(people["team"].pk) in offered and str(people["other_team"].pk) not in offered
    response = client.post(
        reverse("admin:corpus_article_add"),
        {"collection": people["other_team"].pk, "text": "A title\n\nSome text of it.\n"},
    )
    assert response.status_code == 400
    assert "You may import into a team you write for" in response.content.decode()
    assert not Article.objects.exists()
    response = client.post(
        reverse("admin:corpus_article_add"),
        {"collection": people["team"].pk, "text": "A title\n\nSome text of it.\n"},
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.team == people["team"] and article.visibility == "team"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.pdf", b"Just some text, not a PDF.", "not a PDF"),
        ("scan.pdf", documents.scanned_pdf(), "no text layer"),
        ("report.docx", b"PK\x03\x04 a word file", "unsupported file type '.docx'"),
        ("empty.txt", b"   \n", "empty"),
    ],
)
def test_a_file_the_importer_refuses_is_a_form_error_and_nothing_is_stored(
    admin_client, name, data, reason
):
    response = admin_client.post(
        reverse("admin:corpus_article_add"),
        {"collection": "public", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 400
    assert reason in " ".join(response.context["form"].errors["file"])
    assert "Nothing was imported" in response.content.decode()
    assert not Article.objects.exists() and not Paragraph.objects.exists()
    assert not ImportJob.objects.exists()
    assert not Version.objects.exists()


def test_a_file_larger_than_the_limit_is_refused_unread(admin_client, settings):
    settings.CROSSREAD_IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("long.txt", b"A title\n\n" + b"word " * 400)
    response = admin_client.post(
        reverse("admin:corpus_article_add"), {"collection": "public", "file": upload}
    )
    assert response.status_code == 400
    assert "larger than 1 KB" in " ".join(response.context["form"].errors["file"])
    assert not Article.objects.exists()


def test_a_file_and_pasted_text_together_are_refused(admin_client):
    response = admin_client.post(
        reverse("admin:corpus_article_add"),
        {
            "collection": "public",
            "text": "A title\n\nText.\n",
            "file": SimpleUploadedFile("a.txt", b"Another\n\nText.\n"),
        },
    )
    assert response.status_code == 400
    assert "Choose a file or paste text, not both." in response.content.decode()
    assert not Article.objects.exists()


def test_importing_the_same_text_again_leads_to_its_article_unchanged(admin_client):
    text = "A title\n\nSome text of it.\n"
    admin_client.post(reverse("admin:corpus_article_add"), {"collection": "public", "text": text})
    response = admin_client.post(
        reverse("admin:corpus_article_add"), {"collection": "public", "text": text}, follow=True
    )
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == change_url(article)
    assert any("is imported already, unchanged" in m for m in shown_messages(response))


def test_an_import_in_the_admin_is_recorded_in_the_history(admin_client, curator):
    admin_client.post(
        reverse("admin:corpus_article_add"),
        {"collection": "public", "text": "A title\n\nFirst words.\n\nSecond words.\n"},
    )
    article = Article.objects.get()
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    revision = versions.get().revision
    assert revision.user == curator
    assert revision.comment.startswith("imported pasted-text-")
    assert revision.version_set.count() == 3  # the article and its two paragraphs
    assert "raw_text" not in versions.get().field_dict


# ------------------------------------------------------------- paragraphs inline


def test_editing_a_paragraph_inline_keeps_its_annotation_on_the_same_words(
    admin_client, seed_articles, people
):
    article = seed_articles["academic"]
    paragraph = article.paragraphs.get(text__contains=RUSSIA_QUOTE)
    quote_at = paragraph.text.index(RUSSIA_QUOTE)
    annotation = annotate(people, paragraph, quote_at, quote_at + len(RUSSIA_QUOTE))
    data = form_data(admin_client.get(change_url(article)))
    prefix = inline_prefix(data, paragraph)
    data[f"{prefix}-markup"] = "As noted before, " + data[f"{prefix}-markup"]
    data["_continue"] = "Save and continue editing"
    response = admin_client.post(change_url(article), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, response.content.decode()[:3000]
    annotation.refresh_from_db()
    assert annotation.paragraph_id == paragraph.pk
    assert annotation.start == quote_at + len("As noted before, ")
    assert annotation.exact == RUSSIA_QUOTE
    assert_on_their_words(article)
    paragraph.refresh_from_db()
    assert paragraph.text.startswith("As noted before, ")
    assert any("Annotations on the changed text" in m for m in shown_messages(response))
    # The change is in the history, with the paragraph as written.
    version = Version.objects.get_for_object(paragraph).first()
    assert version.field_dict["text"] == paragraph.text


def test_deleting_a_paragraph_inline_removes_it_and_renumbers_the_rest(admin_client, seed_articles):
    article = seed_articles["southfront"]
    doomed = article.paragraphs.get(position=3)
    count = article.paragraphs.count()
    data = form_data(admin_client.get(change_url(article)))
    data[f"{inline_prefix(data, doomed)}-DELETE"] = "on"
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Paragraph.objects.filter(pk=doomed.pk).exists()
    assert list(article.paragraphs.order_by("position").values_list("position", flat=True)) == (
        list(range(1, count))
    )


def test_inline_markup_that_shows_no_text_is_refused(admin_client, seed_articles):
    article = seed_articles["global_research"]  # markdown
    paragraph = article.paragraphs.get(position=2)
    before = snapshot(article)
    data = form_data(admin_client.get(change_url(article)))
    data[f"{inline_prefix(data, paragraph)}-markup"] = "[]()"
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "This markup shows no text: delete the paragraph instead." in (response.content.decode())
    assert snapshot(article) == before


def test_the_article_change_page_offers_split_and_merge_for_each_paragraph(
    admin_client, seed_articles
):
    article = seed_articles["southfront"]
    html = admin_client.get(change_url(article)).content.decode()
    first = article.paragraphs.get(position=1)
    assert split_url(first) in html and merge_url(first) in html
    assert reimport_url(article) in html


# ----------------------------------------------------------------------- splitting


def test_splitting_keeps_every_annotation_on_its_words_and_moves_later_ones_to_the_new_paragraph(
    admin_client, seed_articles, people
):
    article = seed_articles["academic"]
    paragraph = article.paragraphs.get(text__contains=RUSSIA_QUOTE)
    text = paragraph.text
    at = text.index(". ", len(text) // 2) + 2  # after a sentence past the middle
    sentence_end = text.index(".", at)
    # A word of the second part that also stands, once, in the first.
    repeated = next(
        word
        for word in text[at:].split()
        if word.isalpha() and len(word) > 4 and text[:at].count(word) == 1
    )
    repeated_at = text.index(repeated, at)
    early = annotate(people, paragraph, 0, text.index(" ", 20))
    late = annotate(people, paragraph, at, sentence_end)
    late_word = annotate(people, paragraph, repeated_at, repeated_at + len(repeated))
    other = article.paragraphs.get(text__contains=CONDITIONS_QUOTE)
    elsewhere = annotate(people, other, 0, len(CONDITIONS_QUOTE))
    assert_on_their_words(article)
    count = article.paragraphs.count()

    preview = admin_client.get(split_url(paragraph), {"at": at})
    assert preview.status_code == 200
    assert preview.context["preview"].second.text == text[at:].strip()
    response = admin_client.post(
        split_url(paragraph), {"at": at, "expected_hash": paragraph.content_hash}, follow=True
    )
    assert response.redirect_chain[-1][0] == change_url(article)
    assert (
        f"Split paragraph {paragraph.position} at character {at}: its second part is now "
        f"paragraph {paragraph.position + 1}. 3 annotations moved."
    ) in shown_messages(response)

    assert article.paragraphs.count() == count + 1
    first = article.paragraphs.get(position=paragraph.position)
    second = article.paragraphs.get(position=paragraph.position + 1)
    assert (first.text, second.text) == (text[:at].strip(), text[at:].strip())
    assert first.kind == second.kind == paragraph.kind
    assert_on_their_words(article)
    for annotation in (early, late, late_word, elsewhere):
        annotation.refresh_from_db()
    assert (early.paragraph, early.start) == (first, 0)
    assert (late.paragraph, late.start, late.end) == (second, 0, sentence_end - at)
    assert (late_word.paragraph, late_word.start) == (second, repeated_at - at)
    assert elsewhere.version == 1  # its paragraph did not change: not touched


def test_splitting_inside_emphasis_keeps_the_emphasis_on_both_parts(seed_articles):
    article = seed_articles["global_research"]  # a markdown article
    lede = article.paragraphs.get(position=1)
    assert lede.markup.startswith("*") and lede.html.startswith("<em>")
    at = lede.text.index("Syrian President") + len("Syrian ")
    split_service(paragraph=lede, at=at)
    first = article.paragraphs.get(position=1)
    second = article.paragraphs.get(position=2)
    assert first.text == lede.text[:at].strip() and second.text == lede.text[at:]
    assert first.html.startswith("<em>") and first.html.endswith("</em>")
    assert second.html.startswith("<em><strong>President Bashar Al Assad</strong>")


@pytest.mark.parametrize("where", ["start", "end", "past the end"])
def test_a_split_outside_the_text_is_refused_and_nothing_changes(
    admin_client, seed_articles, people, where
):
    article = seed_articles["southfront"]
    paragraph = long_body_paragraph(article)
    annotate(people, paragraph, 0, paragraph.text.index(" ", 10))
    at = {"start": 0, "end": len(paragraph.text), "past the end": len(paragraph.text) + 40}[where]
    before = snapshot(article)
    response = admin_client.post(split_url(paragraph), {"at": at})
    assert response.status_code == 400
    assert (
        f"Split inside the text: at a position from 1 to {len(paragraph.text) - 1}"
        in response.content.decode()
    )
    assert snapshot(article) == before


def test_a_split_that_leaves_only_spaces_on_one_side_is_refused(seed_articles):
    article = seed_articles["southfront"]
    paragraph = long_body_paragraph(article)
    Paragraph.objects.filter(pk=paragraph.pk).update(text="Lone words   ")
    before = snapshot(article)
    with pytest.raises(ValidationError, match="leaves only spaces after it"):
        split_service(paragraph=paragraph, at=len("Lone words "))
    assert snapshot(article) == before


def test_a_split_from_a_page_opened_before_the_paragraph_changed_is_refused(
    admin_client, seed_articles
):
    article = seed_articles["southfront"]
    paragraph = long_body_paragraph(article)
    stale_hash = paragraph.content_hash
    Paragraph.objects.filter(pk=paragraph.pk).update(content_hash="0" * 64)
    before = snapshot(article)
    response = admin_client.post(split_url(paragraph), {"at": 10, "expected_hash": stale_hash})
    assert response.status_code == 400
    assert "The paragraph changed since this page was opened" in response.content.decode()
    assert snapshot(article) == before


@pytest.mark.parametrize("at", ["abc", "", "1e3", "-5", "9" * 30])
def test_an_odd_split_position_is_answered_with_the_form_again(admin_client, seed_articles, at):
    article = seed_articles["southfront"]
    paragraph = long_body_paragraph(article)
    before = snapshot(article)
    assert admin_client.get(split_url(paragraph), {"at": at}).status_code == 400
    assert admin_client.post(split_url(paragraph), {"at": at}).status_code == 400
    assert snapshot(article) == before


def test_the_split_page_shows_the_text_with_positions(admin_client, seed_articles):
    paragraph = long_body_paragraph(seed_articles["southfront"])
    response = admin_client.get(split_url(paragraph))
    assert response.status_code == 200
    positions = response.context["positions"].splitlines()
    assert positions[1].split(None, 1) == ["0", paragraph.text[:60].strip()]
    assert positions[2].lstrip().startswith("60 ")


# ------------------------------------------------------------------------- merging


def test_merging_keeps_every_annotation_on_its_words(admin_client, seed_articles, people):
    article = seed_articles["academic"]
    first = article.paragraphs.get(text__contains=CONDITIONS_QUOTE)
    second = article.paragraphs.get(position=first.position + 1)
    assert second.kind == first.kind and RUSSIA_QUOTE in second.text
    on_first = annotate(people, first, 0, len(CONDITIONS_QUOTE))
    second_start = second.text.index(" ", 10) + 1
    on_second = annotate(people, second, second_start, second.text.index(" ", 40))
    count = article.paragraphs.count()

    page = admin_client.get(merge_url(first))
    assert page.status_code == 200
    assert page.context["preview"].merged.text == f"{first.text} {second.text}"
    response = admin_client.post(
        merge_url(first),
        {"first_hash": first.content_hash, "second_hash": second.content_hash},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change_url(article)
    assert (
        f"Merged paragraph {second.position} into paragraph {first.position}. 1 annotation moved."
    ) in shown_messages(response)
    assert article.paragraphs.count() == count - 1
    merged = Paragraph.objects.get(pk=first.pk)
    assert merged.text == f"{first.text} {second.text}"
    assert not Paragraph.objects.filter(pk=second.pk).exists()
    assert_on_their_words(article)
    on_first.refresh_from_db()
    on_second.refresh_from_db()
    assert on_first.paragraph == merged and on_first.version == 1
    assert on_second.paragraph == merged
    assert on_second.start == len(first.text) + 1 + second_start


def test_a_merged_paragraph_keeps_the_first_ones_kind(seed_articles):
    article = seed_articles["southfront"]
    caption = article.paragraphs.get(kind=ParagraphKind.CAPTION)
    following = article.paragraphs.get(position=caption.position + 1)
    assert following.kind != ParagraphKind.CAPTION
    paragraphs_merge(first=caption, second=following)
    assert Paragraph.objects.get(pk=caption.pk).kind == ParagraphKind.CAPTION


def test_merging_paragraphs_that_are_not_neighbours_is_refused_and_nothing_changes(
    seed_articles, people
):
    article = seed_articles["southfront"]
    first, third = article.paragraphs.get(position=1), article.paragraphs.get(position=3)
    annotate(people, third, 0, third.text.index(" ", 5))
    before = snapshot(article)
    with pytest.raises(ValidationError, match="Only neighbours can be merged"):
        paragraphs_merge(first=first, second=third)
    second = article.paragraphs.get(position=2)
    with pytest.raises(ValidationError, match="Only neighbours can be merged"):
        paragraphs_merge(first=second, second=first)  # the wrong way round
    other = seed_articles["academic"].paragraphs.first()
    with pytest.raises(ValidationError, match="same article"):
        paragraphs_merge(first=first, second=other)
    assert snapshot(article) == before


def test_merging_the_last_paragraph_is_refused_with_a_message(admin_client, seed_articles):
    article = seed_articles["southfront"]
    last = article.paragraphs.order_by("position").last()
    before = snapshot(article)
    response = admin_client.post(merge_url(last), follow=True)
    assert any("is the article's last" in m for m in shown_messages(response))
    assert snapshot(article) == before


def test_the_split_and_merge_pages_change_nothing_on_get(admin_client, seed_articles):
    article = seed_articles["southfront"]
    paragraph = article.paragraphs.get(position=1)
    before = snapshot(article)
    assert admin_client.get(split_url(paragraph), {"at": 5}).status_code == 200
    assert admin_client.get(merge_url(paragraph)).status_code == 200
    assert snapshot(article) == before


# ---------------------------------------------------------------------- re-import


def test_reimporting_restores_the_text_from_the_raw_text_and_annotations_follow(
    admin_client, seed_articles, people
):
    article = seed_articles["academic"]
    paragraph = article.paragraphs.get(text__contains=RUSSIA_QUOTE)
    original = paragraph.text
    quote_at = original.index(RUSSIA_QUOTE)
    annotation = annotate(people, paragraph, quote_at, quote_at + len(RUSSIA_QUOTE))
    split_service(paragraph=paragraph, at=quote_at + len(RUSSIA_QUOTE) + 1)  # a curation
    assert not article.paragraphs.filter(text=original).exists()

    response = admin_client.post(reimport_url(article), follow=True)
    assert response.redirect_chain[-1][0] == change_url(article)
    assert (
        "Re-imported from the raw text: 0 created, 1 updated, 0 unchanged, 0 failed."
        in shown_messages(response)
    )
    assert article.paragraphs.filter(text=original).count() == 1
    annotation.refresh_from_db()
    assert_on_their_words(article)

    again = admin_client.post(reimport_url(article), follow=True)
    assert (
        "Re-imported from the raw text: 0 created, 0 updated, 1 unchanged, 0 failed."
        in shown_messages(again)
    )


def test_reimport_is_an_action_on_the_selected_articles(admin_client, seed_articles):
    southfront, academic = seed_articles["southfront"], seed_articles["academic"]
    paragraph = southfront.paragraphs.get(position=2)
    Paragraph.objects.filter(pk=paragraph.pk).update(text="Tampered.", content_hash="0" * 64)
    response = admin_client.post(
        reverse("admin:corpus_article_changelist"),
        {"action": "reimport_from_raw_text", "_selected_action": [southfront.pk, academic.pk]},
        follow=True,
    )
    assert (
        "Re-imported from the raw text: 0 created, 1 updated, 1 unchanged, 0 failed."
        in shown_messages(response)
    )
    assert not Paragraph.objects.filter(text="Tampered.").exists()
    revision = Version.objects.get_for_object(southfront).first().revision
    assert revision.comment == "re-imported 2 articles from their raw text"


def test_a_web_page_and_a_pdf_are_imported_again_unchanged_from_their_raw_text(db, tmp_path):
    for name, data in (
        ("ledger.html", documents.news_page_html()),
        ("paper.pdf", documents.two_column_pdf()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        outcome = article_import_file(path=path)
        assert outcome.status == "created", outcome.error
        before = snapshot(outcome.article)
        again = article_reimport(article=outcome.article)
        assert again.status == "unchanged", (name, again.error)
        assert snapshot(outcome.article) == before


def test_reimport_answers_only_a_post(admin_client, seed_articles):
    response = admin_client.get(reimport_url(seed_articles["southfront"]))
    assert response.status_code == 405


def test_an_unreadable_raw_text_is_reported_and_changes_nothing(admin_client, seed_articles):
    article = seed_articles["southfront"]
    Article.objects.filter(pk=article.pk).update(raw_text="   ")
    before = snapshot(article)
    response = admin_client.post(reimport_url(article), follow=True)
    assert any("was not re-imported" in m for m in shown_messages(response))
    assert "0 updated, 0 unchanged, 1 failed" in " ".join(shown_messages(response))
    assert snapshot(article) == before


# -------------------------------------------------------------- authors, keywords


def test_authors_and_affiliations_are_edited_one_a_line(admin_client, seed_articles):
    article = seed_articles["academic"]
    page = admin_client.get(change_url(article))
    data = form_data(page)
    assert data["authors"] == "\n".join(article.authors)
    data["authors"] = "  Jane   Doe \n\nJohn Roe\n"
    data["affiliations"] = "University of Nowhere\n"
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.affiliations == ["University of Nowhere"]


@pytest.mark.parametrize(
    ("authors", "error"),
    [
        ('["Jane Doe", "John Roe"]', "This looks like JSON: write one name a line instead"),
        ("x" * 201, "has 201 characters: a name has at most 200."),
        ("\n".join(f"Name {n}" for n in range(201)), "At most 200 lines, one name a line"),
    ],
)
def test_authors_that_are_not_one_name_a_line_are_refused_with_a_reason(
    admin_client, seed_articles, authors, error
):
    article = seed_articles["academic"]
    data = form_data(admin_client.get(change_url(article)))
    data["authors"] = authors
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Article.objects.get(pk=article.pk).authors == article.authors


def _keyword_choices(response) -> list[str]:
    for spec in response.context["cl"].filter_specs:
        if spec.title == "keyword":
            return [name for _, name in spec.lookup_choices]
    raise AssertionError("no keyword filter")


def test_the_keyword_filter_lists_article_keywords_not_annotation_tags(
    admin_client, seed_articles, people
):
    academic = seed_articles["academic"]
    paragraph = academic.paragraphs.get(text__contains=RUSSIA_QUOTE)
    quote_at = paragraph.text.index(RUSSIA_QUOTE)
    make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact=RUSSIA_QUOTE,
        start=quote_at,
        end=quote_at + len(RUSSIA_QUOTE),
        tags=["intervention-tag"],
    )
    Tag.objects.create(name="left over tag")  # a tag no article uses
    url = reverse("admin:corpus_article_changelist")
    choices = _keyword_choices(admin_client.get(url))
    assert choices == sorted(academic.keywords.names())
    assert "intervention-tag" not in choices and "left over tag" not in choices
    slug = academic.keywords.get(name="civil war").slug
    response = admin_client.get(url, {"keyword": slug})
    assert [article.pk for article in response.context["cl"].result_list] == [academic.pk]


def test_staff_see_no_keyword_of_an_article_hidden_from_them(
    client, staff, seed_articles, gulf_article
):
    gulf_article.keywords.add("gulf secret keyword")
    client.force_login(staff)
    response = client.get(reverse("admin:corpus_article_changelist"))
    choices = _keyword_choices(response)
    assert "gulf secret keyword" not in choices and "civil war" in choices
    teams = [spec for spec in response.context["cl"].filter_specs if spec.title.lower() == "team"]
    assert all("Gulf Desk" not in str(choice) for spec in teams for choice in spec.lookup_choices)


# ----------------------------------------------------------- who reaches what


def test_staff_cannot_reach_split_merge_or_reimport_of_an_article_hidden_from_them(
    client, staff, gulf_article
):
    client.force_login(staff)
    paragraph = gulf_article.paragraphs.get(position=1)
    before = snapshot(gulf_article)
    assert client.get(split_url(paragraph), {"at": 5}).status_code == 404
    assert client.post(split_url(paragraph), {"at": 5}).status_code == 404
    assert client.post(merge_url(paragraph)).status_code == 404
    assert client.post(reimport_url(gulf_article)).status_code == 404
    assert client.get(change_url(gulf_article)).status_code == 302  # not theirs: away
    response = client.post(
        reverse("admin:corpus_article_changelist"),
        {"action": "reimport_from_raw_text", "_selected_action": [gulf_article.pk]},
    )
    assert response.status_code in (200, 302)
    assert snapshot(gulf_article) == before
    assert not Version.objects.get_for_object(gulf_article).exists()


def test_staff_split_paragraphs_of_their_teams_articles(client, staff, people, tmp_path):
    path = tmp_path / "levant.txt"
    path.write_text("Levant notes\n\nOne sentence here. Another one there.\n", encoding="utf-8")
    article = article_import_file(path=path, team=people["team"]).article
    paragraph = article.paragraphs.get()
    client.force_login(staff)
    response = client.post(split_url(paragraph), {"at": len("One sentence here. ")})
    assert response.status_code == 302
    assert list(article.paragraphs.order_by("position").values_list("text", flat=True)) == [
        "One sentence here.",
        "Another one there.",
    ]


def test_staff_who_may_only_view_cannot_split_merge_or_reimport(client, people, seed_articles):
    viewer = get_user_model().objects.create_user("viewer-staff", password="pw", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(content_type__app_label="corpus", codename__startswith="view_")
    )
    client.force_login(viewer)
    article = seed_articles["southfront"]
    paragraph = article.paragraphs.get(position=1)
    before = snapshot(article)
    assert client.get(split_url(paragraph)).status_code == 403
    assert client.post(merge_url(paragraph)).status_code == 403
    assert client.post(reimport_url(article)).status_code == 403
    assert snapshot(article) == before


# ------------------------------------------------------------------------ history


def test_a_split_is_recorded_with_who_and_what_and_restoring_is_not_offered(
    admin_client, curator, seed_articles
):
    article = seed_articles["southfront"]
    paragraph = long_body_paragraph(article)
    admin_client.post(split_url(paragraph), {"at": 12})
    first = article.paragraphs.get(position=paragraph.position)
    version = Version.objects.get_for_object(first).get()
    assert version.revision.user == curator
    assert version.revision.comment == f"split paragraph {paragraph.position} at 12"
    assert version.revision.version_set.count() == 2  # both parts

    history = admin_client.get(reverse("admin:corpus_paragraph_history", args=[first.pk]))
    html = history.content.decode()
    assert f"split paragraph {paragraph.position} at 12" in html
    revert_url = reverse("admin:corpus_paragraph_revision", args=[first.pk, version.pk])
    assert revert_url not in html
    assert "restore text through the paragraph editor" in html

    Paragraph.objects.filter(pk=first.pk).update(text="Changed since.")
    for url in (
        revert_url,
        reverse("admin:corpus_paragraph_recover", args=[version.pk]),
        reverse("admin:corpus_paragraph_recoverlist"),
        reverse("admin:corpus_article_recoverlist"),
    ):
        for method in (admin_client.get, admin_client.post):
            response = method(url, follow=True)
            assert response.status_code == 200
            assert any(
                "restore text through the paragraph editor" in m for m in (shown_messages(response))
            )
    assert Paragraph.objects.get(pk=first.pk).text == "Changed since."


def test_an_admin_save_of_an_article_is_recorded(admin_client, curator, seed_articles):
    article = seed_articles["southfront"]
    data = form_data(admin_client.get(change_url(article)))
    data["outlet"] = "SouthFront (curated)"
    assert admin_client.post(change_url(article), data).status_code == 302
    version = Version.objects.get_for_object(article).get()
    assert version.revision.user == curator
    assert version.field_dict["outlet"] == "SouthFront (curated)"
    history = admin_client.get(reverse("admin:corpus_article_history", args=[article.pk]))
    assert "Changed Outlet." in history.content.decode()


# ------------------------------------------------------------------- query counts


def _import_articles(tmp_path, count: int, paragraphs: int, start: int = 0) -> None:
    for number in range(start, start + count):
        body = "\n\n".join(
            f"Paragraph {n} of article {number} says something about Aleppo."
            for n in range(paragraphs)
        )
        path = tmp_path / f"article-{number}.txt"
        path.write_text(
            f"Article number {number}\n\nKeywords: topic {number % 4}, aleppo\n\n{body}\n",
            encoding="utf-8",
        )
        assert article_import_file(path=path).status == "created"


def _queries(client, url: str, params=None) -> int:
    """The queries of a page, once the process's caches (content types) are warm."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_article_list_takes_as_many_queries_for_30_articles_as_for_5(
    client, curator, staff, tmp_path
):
    url = reverse("admin:corpus_article_changelist")
    _import_articles(tmp_path, 5, paragraphs=7)
    few = {}
    for user in (curator, staff):
        client.force_login(user)
        few[user.username] = _queries(client, url)
    _import_articles(tmp_path, 25, paragraphs=7, start=5)
    assert Paragraph.objects.count() >= 200
    for user in (curator, staff):
        client.force_login(user)
        assert _queries(client, url) == few[user.username], user
    client.force_login(curator)
    filtered = _queries(client, url, {"keyword": "aleppo", "q": "number", "kind__exact": "other"})
    assert filtered <= few["curator"] + 1  # the count of all articles, beside the filtered


def test_the_paragraph_list_takes_as_many_queries_for_210_paragraphs_as_for_35(
    admin_client, tmp_path
):
    _import_articles(tmp_path, 5, paragraphs=7)
    url = reverse("admin:corpus_paragraph_changelist")
    few = _queries(admin_client, url)
    _import_articles(tmp_path, 25, paragraphs=7, start=5)
    assert _queries(admin_client, url) == few
    assert _queries(admin_client, url, {"kind__exact": "body"}) == few


def test_the_article_page_takes_as_many_queries_for_60_paragraphs_as_for_6(admin_client, tmp_path):
    _import_articles(tmp_path, 1, paragraphs=6)
    _import_articles(tmp_path, 1, paragraphs=60, start=1)
    short, long = Article.objects.order_by("pk")
    assert _queries(admin_client, change_url(long)) == _queries(admin_client, change_url(short))
