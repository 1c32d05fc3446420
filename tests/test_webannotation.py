"""Annotations as W3C Web Annotations, out and back in: the export passes the W3C
working group's MUST assertions, says what each annotation says, and reads back into
the same annotations; the import places what it can and keeps what it cannot."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import AnchorStatus, Annotation, CrossReference, Region
from annotations.services import crossreference_create
from annotations.services.annotation_import import BATCH
from annotations.webannotation.vocabulary import CONTEXT, context_document
from corpus.plain_text import article_plain_text
from corpus.services.paragraphs import paragraph_edit
from tests.conftest import make_annotation
from tests.w3c import w3c_checker

QUOTE_TEAM = "The geopolitical proximity of the Middle East to Russia"
QUOTE_PUBLIC = "The potential for Western countries' interference"
QUOTE_PRIVATE = "Russia's naval military base on the western coast of Syria"


@pytest.fixture
def work(seed_articles, people):
    """Annotations of every kind on the academic seed: a public one with every body, a
    team one awaiting review, a private one, an orphan, and a link."""
    article = seed_articles["academic"]
    team = people["team"]
    team.review_required = True
    team.save()
    regions = {code: Region.objects.get(code=code) for code in ("SY", "RU", "geonames:170654")}

    def on(quote, **fields):
        return make_annotation(
            author=people["author"],
            paragraph=article.paragraphs.get(text__contains=quote),
            exact=quote,
            **fields,
        )

    public = on(
        QUOTE_PUBLIC,
        claim="The West meddles in Syria",
        stance="supports",
        stance_target="Western governments",
        source_name="The Washington Post",
        regions=[regions["SY"], regions["geonames:170654"]],
        note="See *also* the 2015 intervention.",
        tags=["interference", "west"],
        visibility="public",
        team=team,
    )
    shared = on(
        QUOTE_TEAM,
        claim="Proximity drives Russian policy",
        stance="mixed",
        regions=[regions["RU"]],
        visibility="team",
        team=team,
    )
    private = on(QUOTE_PRIVATE, stance="", tags=["tartus"], visibility="private")
    link = crossreference_create(
        author=people["author"],
        from_annotation=public,
        to_annotation=shared,
        relation="contradicts",
        note="Two readings",
        team=team,
        visibility="team",
    )
    return {"article": article, "public": public, "team": shared, "private": private, "link": link}


def export(tmp_path, *args) -> list:
    out = tmp_path / "export.jsonld"
    call_command("export_annotations", "--output", str(out), *args)
    return json.loads(out.read_text(encoding="utf-8"))


def items_of(document: list) -> list[dict]:
    return [item for page in document[1:] for item in page["items"]]


def by_quote(items: list[dict]) -> dict[str, dict]:
    found = {}
    for item in items:
        if item["motivation"] != "linking":
            found[item["target"]["selector"][0]["exact"]] = item
    return found


def test_the_export_passes_every_must_assertion_of_the_w3c_checker(work, tmp_path):
    checker = w3c_checker()
    export(tmp_path, "--user", "author")
    result = subprocess.run(
        [sys.executable, str(checker), str(tmp_path / "export.jsonld")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # The collection, its page, three annotations and the link.
    assert "6/6 objects passed all MUST assertions" in result.stdout


def test_a_file_is_a_collection_with_pages_that_name_each_other(work, tmp_path, settings):
    document = export(tmp_path, "--user", "author")
    collection, *pages = document
    assert collection["type"] == "AnnotationCollection"
    assert collection["@context"] == CONTEXT
    assert collection["total"] == 4 == len(items_of(document))
    assert collection["first"] == pages[0]["id"] and collection["last"] == pages[-1]["id"]
    assert all(page["partOf"] == collection["id"] for page in pages)


def test_pages_follow_each_other_in_a_large_export(seed_articles, people, tmp_path, monkeypatch):
    from annotations import exports

    monkeypatch.setattr(exports, "PAGE_SIZE", 2)
    article = seed_articles["academic"]
    for quote in (QUOTE_TEAM, QUOTE_PUBLIC, QUOTE_PRIVATE):
        make_annotation(
            author=people["author"],
            paragraph=article.paragraphs.get(text__contains=quote),
            exact=quote,
        )
    out = io.StringIO()
    call_command("export_annotations", "--user", "author", stdout=out)
    collection, first, second = json.loads(out.getvalue())
    assert (len(first["items"]), len(second["items"])) == (2, 1)
    assert first["next"] == second["id"] and second["prev"] == first["id"]
    assert "next" not in second and "prev" not in first
    assert (first["startIndex"], second["startIndex"]) == (0, 2)
    assert collection["last"] == second["id"]


def test_bodies_and_target_say_what_the_annotation_says(work, tmp_path, client):
    item = by_quote(items_of(export(tmp_path, "--user", "author")))[QUOTE_PUBLIC]
    bodies = {(body["purpose"], body.get("value") or body.get("source")) for body in item["body"]}
    assert ("describing", "The West meddles in Syria") in bodies
    assert ("classifying", "urn:crossread:stance:supports") in bodies
    assert ("classifying", "Western governments") in bodies
    assert ("identifying", "The Washington Post") in bodies
    assert ("identifying", "https://www.washingtonpost.com") in bodies
    assert ("classifying", "https://www.iso.org/obp/ui/#iso:code:3166:SY") in bodies
    assert ("classifying", "https://sws.geonames.org/170654/") in bodies  # Damascus
    assert ("commenting", "See *also* the 2015 intervention.") in bodies
    assert {("tagging", "interference"), ("tagging", "west")} <= bodies
    # The team reviews: the annotator's work awaits an editor.
    assert ("moderating", "urn:crossread:review:submitted") in bodies
    assert item["creator"]["nickname"] == "author"
    assert [audience["id"] for audience in item["audience"]] == [
        "urn:crossread:audience:public",
        "http://127.0.0.1:8000/teams/levant-desk/",
    ]
    target = item["target"]
    assert target["source"] == f"http://127.0.0.1:8000/articles/{work['article'].slug}/"
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == QUOTE_PUBLIC
    assert position["type"] == "TextPositionSelector"
    # Positions count in the article's plain text, which its page serves.
    text = client.get(f"/articles/{work['article'].slug}/text/").content.decode()
    assert text == article_plain_text(work["article"])
    assert text[position["start"] : position["end"]] == QUOTE_PUBLIC
    assert quote["suffix"] and text[position["end"] :].startswith(quote["suffix"])


def test_every_position_of_an_export_lands_on_its_quote(seed_articles, people, tmp_path, client):
    """Across the three seeds and their paragraphs of every kind (headings, references,
    readers' comments), not only the academic article's."""
    for article in seed_articles.values():
        for paragraph in article.paragraphs.order_by("-position")[:3]:
            words = paragraph.text.split()
            if len(words) >= 3:
                make_annotation(
                    author=people["author"], paragraph=paragraph, exact=" ".join(words[:3])
                )
    items = items_of(export(tmp_path, "--user", "author"))
    assert len(items) >= 6
    texts = {}
    for item in items:
        source = item["target"]["source"]
        if source not in texts:
            texts[source] = client.get(source.replace("http://127.0.0.1:8000", "") + "text/")
        quote, position = item["target"]["selector"]
        assert texts[source].content.decode()[position["start"] : position["end"]] == quote["exact"]


def test_an_orphan_exports_its_last_quote_and_no_position(work, tmp_path):
    paragraph = work["team"].paragraph
    paragraph_edit(
        paragraph=paragraph,
        markup="Something else entirely now stands in this paragraph.",
        kind=paragraph.kind,
    )
    work["team"].refresh_from_db()
    assert work["team"].anchor_status == AnchorStatus.ORPHANED
    item = by_quote(items_of(export(tmp_path, "--user", "author")))[QUOTE_TEAM]
    assert [selector["type"] for selector in item["target"]["selector"]] == ["TextQuoteSelector"]


def test_a_link_is_a_linking_annotation_on_both_passages(work, tmp_path):
    items = items_of(export(tmp_path, "--user", "author"))
    link = next(item for item in items if item["motivation"] == "linking")
    annotations = by_quote(items)
    assert [target["id"] for target in link["target"]] == [
        annotations[QUOTE_PUBLIC]["target"]["id"],
        annotations[QUOTE_TEAM]["target"]["id"],
    ]
    assert {"type": "SpecificResource", "purpose": "classifying",
            "source": "urn:crossread:relation:contradicts"} in link["body"]  # fmt: skip


def test_every_term_written_is_defined_in_the_shipped_context(work, tmp_path):
    defined = set(context_document()["@context"]) | {"@context"}
    used = set()

    def walk(node):
        if isinstance(node, dict):
            used.update(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(export(tmp_path, "--user", "author"))
    assert used <= defined, used - defined


def test_an_export_holds_only_what_its_user_may_see(work, tmp_path):
    everyone = by_quote(items_of(export(tmp_path)))
    assert set(everyone) == {QUOTE_PUBLIC}
    outsider = items_of(export(tmp_path, "--user", "outsider"))
    assert [item["target"]["selector"][0]["exact"] for item in outsider] == [QUOTE_PUBLIC]
    viewer = by_quote(items_of(export(tmp_path, "--user", "viewer")))
    assert set(viewer) == {QUOTE_PUBLIC, QUOTE_TEAM}


def normalised(document: list) -> list[str]:
    """Each item, its ids and times left out (an import makes new ones)."""
    out = []
    for item in items_of(document):
        text = json.dumps(item, sort_keys=True)
        text = re.sub(r"/api/(annotations|links)/\d+", r"/api/\1/N", text)
        out.append(re.sub(r'"(created|modified)": "[^"]*"', "", text))
    return sorted(out)


def test_export_wipe_import_export_gives_the_same_annotations(work, tmp_path):
    before = export(tmp_path, "--user", "author")
    (tmp_path / "before.jsonld").write_text(json.dumps(before), encoding="utf-8")
    CrossReference.objects.all().delete()
    Annotation.objects.all().delete()
    out = io.StringIO()
    call_command(
        "import_annotations",
        str(tmp_path / "before.jsonld"),
        "--user",
        "author",
        "--keep-authors",
        stdout=out,
    )
    assert "3 annotations imported (3 placed exactly, 0 fuzzily, 0 orphaned), 1 link." in (
        out.getvalue()
    )
    after = export(tmp_path, "--user", "author")
    assert normalised(after) == normalised(before)


def test_a_reworded_quote_is_placed_fuzzily_and_a_vanished_one_kept_as_an_orphan(work, tmp_path):
    document = export(tmp_path, "--user", "author")
    Annotation.objects.all().delete()
    team_paragraph = work["team"].paragraph
    paragraph_edit(
        paragraph=team_paragraph,
        markup=team_paragraph.text.replace(
            "of the Middle East to Russia", "of the Mideast to Russia"
        ),
        kind=team_paragraph.kind,
    )
    private_paragraph = work["private"].paragraph
    private_paragraph.refresh_from_db()
    paragraph_edit(
        paragraph=private_paragraph,
        markup="A paragraph that says nothing of bases at all.",
        kind=private_paragraph.kind,
    )
    path = tmp_path / "in.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_annotations",
        str(path),
        "--user",
        "author",
        "--keep-authors",
        stdout=out,
        stderr=err,
    )
    assert "(1 placed exactly, 1 fuzzily, 1 orphaned)" in out.getvalue()
    assert "imported as an orphan" in err.getvalue()
    fuzzy = Annotation.objects.get(claim="Proximity drives Russian policy")
    assert fuzzy.anchor_status == AnchorStatus.FUZZY
    assert fuzzy.exact.startswith("The geopolitical proximity of the Mideast to Russia")
    assert fuzzy.previous_exact == QUOTE_TEAM
    assert fuzzy.paragraph.text[fuzzy.start : fuzzy.end] == fuzzy.exact
    orphan = Annotation.objects.get(exact=QUOTE_PRIVATE)
    assert orphan.anchor_status == AnchorStatus.ORPHANED and orphan.paragraph is None


def test_one_invalid_annotation_refuses_the_whole_file(work, tmp_path):
    document = export(tmp_path, "--user", "author")
    document[1]["items"][1]["body"].append(
        {
            "type": "SpecificResource",
            "purpose": "classifying",
            "source": "urn:crossread:stance:maybe",
        }
    )
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    count = Annotation.objects.count()
    with pytest.raises(CommandError, match=r"^Nothing imported: .*Unknown stance 'maybe'"):
        call_command("import_annotations", str(path), "--user", "author")
    assert Annotation.objects.count() == count


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not JSON"),
        (b"[]", "holds no annotations"),
        (b'{"type": "Annotation", "target": 5}', "a target must be an object"),
        (
            b'{"type": "Annotation", "target": {"source": "x", "selector": '
            b'{"type": "TextQuoteSelector", "exact": 7}}}',
            "the quote (exact) must be text",
        ),
        (
            b'{"type": "Annotation", "target": {"source": "x", "selector": ['
            b'{"type": "TextQuoteSelector", "exact": "a"}, '
            b'{"type": "TextPositionSelector", "start": -1, "end": 2}]}}',
            "start must be a whole number",
        ),
        (b"[" * 100000 + b"]" * 100000, "is not JSON"),
    ],
)
def test_a_malformed_file_is_one_line_and_nothing_imported(work, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    count = Annotation.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("import_annotations", str(path), "--user", "author")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert Annotation.objects.count() == count


def test_a_file_malformed_past_its_first_batch_is_refused_whole(work, tmp_path):
    """The import reads a file as it writes it: a malformed value far into the file
    rolls back what was written before it was reached."""
    document = export(tmp_path, "--user", "author")
    first = by_quote(items_of(document))[QUOTE_PUBLIC]
    copies = [dict(first, id=f"{first['id']}-{n}") for n in range(BATCH + 1)]
    document.append({"type": "AnnotationPage", "items": copies})
    path = tmp_path / "long.jsonld"
    path.write_text(
        json.dumps(
            [*document, {"type": "AnnotationPage", "items": [{"type": "Annotation", "target": 5}]}]
        )
    )
    count = Annotation.objects.count()
    with pytest.raises(CommandError, match=r"^Nothing imported: .*a target must be an object"):
        call_command("import_annotations", str(path), "--user", "author")
    assert Annotation.objects.count() == count
    path.write_text(json.dumps(document))  # the same file, without its malformed page
    call_command("import_annotations", str(path), "--user", "author", stdout=io.StringIO())
    assert Annotation.objects.count() == count + 3 + len(copies)


def test_unknown_user_and_missing_file_are_one_line_errors(work, tmp_path):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("import_annotations", str(tmp_path / "x.json"), "--user", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_annotations", str(tmp_path / "missing.json"), "--user", "author")
    with pytest.raises(CommandError, match=r"Unknown stance"):
        call_command("export_annotations", "--stance", "maybe")


def hypothesis_row(uri: str, exact: str, *, prefix: str = "", suffix: str = "", **extra) -> dict:
    row = {
        "id": extra.pop("id", "hyp123"),
        "created": "2024-05-01T10:00:00.000000+00:00",
        "updated": "2024-05-01T10:00:00.000000+00:00",
        "user": "acct:reader@hypothes.is",
        "uri": uri,
        "text": "A **Hypothesis** note",
        "tags": ["from-hypothesis"],
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
        "target": [
            {
                "source": uri,
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startContainer": "/main[1]/p[4]",
                        "startOffset": 0,
                        "endContainer": "/main[1]/p[4]",
                        "endOffset": 40,
                    },
                    {"type": "TextPositionSelector", "start": 5120, "end": 5160},
                    {
                        "type": "TextQuoteSelector",
                        "exact": exact,
                        "prefix": prefix,
                        "suffix": suffix,
                    },
                ],
            }
        ],
        "document": {"title": ["An article"]},
        "links": {"html": "https://hypothes.is/a/hyp123"},
        "user_info": {"display_name": "A Reader"},
    }
    row.update(extra)
    return row


def test_a_hypothesis_export_imports_where_its_article_is_in_the_corpus(
    seed_articles, people, tmp_path
):
    academic, opinion = seed_articles["academic"], seed_articles["global_research"]
    opinion.source_url = "https://www.globalresearch.ca/assads-tehran-visit/5812345"
    opinion.save()
    opinion_quote = opinion.paragraphs.filter(kind="body").order_by("position")[2].text[:60]
    export = {
        "export_date": "2024-05-02T00:00:00Z",
        "export_userid": "acct:reader@hypothes.is",
        "client_version": "1.1500.0",
        "annotations": [
            # By its address (Hypothesis drops the scheme's "s" and adds a slash at times).
            hypothesis_row(
                "http://www.globalresearch.ca/assads-tehran-visit/5812345/", opinion_quote
            ),
            # By its quote: an address the corpus does not know.
            hypothesis_row("https://example.org/a-copy", QUOTE_PUBLIC, id="hyp456"),
            # In no article of the corpus.
            hypothesis_row(
                "https://example.org/other", "words in no article here at all", id="hyp789"
            ),
            # A reply: no passage.
            {
                "id": "hyp999",
                "user": "acct:reader@hypothes.is",
                "uri": "https://example.org/a-copy",
                "text": "I agree",
                "references": ["hyp456"],
                "target": [{"source": "https://example.org/a-copy"}],
            },
        ],
    }
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_annotations", str(path), "--user", "author", stdout=out, stderr=err)
    assert "2 annotations imported (2 placed exactly, 0 fuzzily, 0 orphaned)" in out.getvalue()
    assert "2 skipped" in out.getvalue()
    assert (
        "hypothesis:hyp789" in err.getvalue() and "item 4: a page note or a reply" in err.getvalue()
    )
    imported = {a.article_id: a for a in Annotation.objects.all()}
    assert imported[opinion.pk].exact == opinion_quote
    assert imported[academic.pk].exact == QUOTE_PUBLIC
    assert imported[academic.pk].note == "A **Hypothesis** note"
    assert list(imported[academic.pk].tags.names()) == ["from-hypothesis"]
    assert imported[academic.pk].author == people["author"]
    assert imported[academic.pk].visibility == "private"


def test_the_csv_export_opens_in_a_csv_reader_with_formulas_neutralised(work, tmp_path):
    work["public"].claim = '=HYPERLINK("http://evil","x")'
    Annotation.objects.filter(pk=work["public"].pk).update(claim=work["public"].claim)
    out = tmp_path / "export.csv"
    call_command("export_annotations", "--format", "csv", "--user", "author", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert list(rows[0]) == [
        "Article", "Outlet", "Date", "Paragraph position", "Quote", "Claim", "Stance",
        "Stance target", "Source", "Regions", "Tags", "Author", "Team", "Review status",
        "Created", "Updated",
    ]  # fmt: skip
    public = next(row for row in rows if row["Quote"] == QUOTE_PUBLIC)
    assert public["Claim"] == '\'=HYPERLINK("http://evil","x")'
    assert public["Regions"] == "Damascus; Syria"
    assert public["Tags"] == "interference; west"
    assert public["Team"] == "Levant Desk"


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_a_list_file_is_read_a_value_at_a_time_whatever_the_chunks(
    work, tmp_path, monkeypatch, chunk
):
    """The import reads an export's collection and pages one at a time, not the whole
    file; where the reads fall must not matter (a value cut between two reads)."""
    from annotations.webannotation import reading

    export(tmp_path, "--user", "author")
    path = tmp_path / "export.jsonld"
    whole = reading.read_document(json.loads(path.read_text(encoding="utf-8")))
    monkeypatch.setattr(reading, "CHUNK", chunk)
    with open(path, "rb") as stream:
        streamed = reading.read_file(stream)
        annotations = list(streamed.annotations)  # read as they are asked for
    assert annotations == whole.annotations and streamed.links == whole.links
    assert len(annotations) == 3 and len(streamed.links) == 1
    truncated = tmp_path / "truncated.jsonld"
    truncated.write_bytes(path.read_bytes()[:-40])
    with open(truncated, "rb") as stream, pytest.raises(reading.MalformedError, match="not JSON"):
        list(reading.read_file(stream).annotations)
