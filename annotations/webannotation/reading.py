"""Reading annotations from other tools (and other Crossreads): W3C Web Annotations
and Hypothesis's JSON export, into plain values in Crossread's terms.

Only the shape is checked here; whether an article, a region, a team exists is the
import service's business. A document of the wrong shape (not JSON, an annotation
that is not an object, a selector's start that is not a number...) raises
``MalformedError`` naming the item and what is wrong: an import takes all or nothing.

What a W3C annotation from another tool holds that Crossread has no field for is
kept where a reader will find it: a body without a purpose (or ``bodyValue``) is
the note; a ``describing`` body is the claim.
"""

from __future__ import annotations

import codecs
import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from annotations.webannotation import vocabulary as vocab

# The most items a file may hold (an export of 100,000 annotations is ~150 MB).
MAX_ITEMS = 500_000


class MalformedError(ValueError):
    """The document is not annotations Crossread can read; nothing is imported."""


@dataclass(frozen=True, slots=True)
class IncomingPassage:
    """A passage as the file names it. ``start``/``end`` count in the article's plain
    text and are used only when ``trust_position`` (an export from Crossread)."""

    source: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    target_id: str = ""
    trust_position: bool = True


@dataclass(slots=True)
class IncomingAnnotation:
    key: str  # its id in the file, or its place ("item 3")
    passage: IncomingPassage
    claim: str = ""
    stance: str = ""
    stance_target: str = ""
    source_name: str = ""
    source_url: str = ""
    region_codes: list[str] = field(default_factory=list)
    unknown_regions: list[str] = field(default_factory=list)
    note: str = ""
    tags: list[str] = field(default_factory=list)
    review_status: str = ""
    review_reason: str = ""
    creator: str = ""  # the creator's nickname (a user name in Crossread)
    visibility: str = ""  # "", or the visibility its audience says
    team_iri: str = ""


@dataclass(slots=True)
class IncomingLink:
    key: str
    relation: str
    ends: tuple[str, str]  # the target ids of its two passages
    note: str = ""
    creator: str = ""
    visibility: str = ""
    team_iri: str = ""


@dataclass(slots=True)
class Incoming:
    """What a file holds. ``annotations`` is a list, or, for a file read a value at a
    time (``read_file``), an iterator that reads the file as it is consumed: ``links``
    and ``skipped`` are whole once it is exhausted, and a malformed value raises
    ``MalformedError`` when it is reached."""

    annotations: Iterable[IncomingAnnotation] = field(default_factory=list)
    links: list[IncomingLink] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what was left out, and why


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict) -> list:
    return _as_list(node.get("type", node.get("@type")))


def _text(value, what: str, key: str) -> str:
    if not isinstance(value, str):
        raise MalformedError(f"{key}: {what} must be text, not {type(value).__name__}.")
    return value


def _position(value, what: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedError(f"{key}: a selector's {what} must be a whole number from 0.")
    return value


def _iri(node, key: str) -> str:
    """The IRI a node is or names (a string, or an object's id)."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return _text(node.get("id", node.get("@id", "")), "an id", key)
    raise MalformedError(f"{key}: expected an IRI or an object with an id.")


# ---------------------------------------------------------------------------- W3C


def read_w3c_passage(target, key: str) -> IncomingPassage:
    if isinstance(target, str):
        raise MalformedError(f"{key}: the target names no passage (it has no selector).")
    if not isinstance(target, dict):
        raise MalformedError(f"{key}: a target must be an object.")
    source = _iri(target.get("source", ""), key)
    if not source:
        raise MalformedError(f"{key}: the target has no source (the article's address).")
    quote, position = None, None
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            raise MalformedError(f"{key}: a selector must be an object.")
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds:
            quote = selector
        elif "TextPositionSelector" in kinds:
            position = selector
    if quote is None:
        raise MalformedError(f"{key}: the target has no TextQuoteSelector (its quote).")
    exact = _text(quote.get("exact"), "the quote (exact)", key)
    if not exact.strip():
        raise MalformedError(f"{key}: the quote (exact) is empty.")
    start = end = None
    if position is not None:
        start = _position(position.get("start"), "start", key)
        end = _position(position.get("end"), "end", key)
        if end <= start:
            raise MalformedError(f"{key}: a selector's end must come after its start.")
    return IncomingPassage(
        source=source,
        exact=exact,
        prefix=_text(quote.get("prefix", ""), "the prefix", key),
        suffix=_text(quote.get("suffix", ""), "the suffix", key),
        start=start,
        end=end,
        target_id=_text(target.get("id", ""), "a target id", key),
    )


def _audience(document: dict, key: str) -> tuple[str, str]:
    """(visibility, team IRI) from the audience; ("", "") when it names neither."""
    visibility, team = "", ""
    for audience in _as_list(document.get("audience")):
        iri = _iri(audience, key)
        if iri == vocab.PUBLIC_AUDIENCE:
            visibility = "public"
        elif iri == vocab.PRIVATE_AUDIENCE:
            visibility = "private"
        elif iri:
            team = iri
    if team and not visibility:
        visibility = "team"
    return visibility, team


def _creator(document: dict, key: str) -> str:
    creators = _as_list(document.get("creator"))
    if not creators or not isinstance(creators[0], dict):
        return ""
    nickname = creators[0].get("nickname", "")
    return nickname if isinstance(nickname, str) else ""


def _apply_body(item: IncomingAnnotation, body, key: str) -> None:
    if isinstance(body, str):  # an IRI: a resource Crossread has no field for
        return
    if not isinstance(body, dict):
        raise MalformedError(f"{key}: a body must be an object or an IRI.")
    purpose = body.get("purpose", "")
    purposes = [p for p in _as_list(purpose) if isinstance(p, str)]
    purpose = purposes[0] if purposes else ""
    kinds = _types(body)
    if "TextualBody" in kinds or ("value" in body and "source" not in body):
        value = _text(body.get("value", ""), "a body's value", key)
        if purpose == "describing":
            item.claim = f"{item.claim}\n\n{value}" if item.claim else value
        elif purpose == "tagging":
            item.tags.append(value)
        elif purpose == "classifying":
            item.stance_target = value
        elif purpose == "identifying":
            item.source_name = value
        elif purpose == "moderating":
            item.review_reason = value
        else:  # commenting, or a comment from a tool that names no purpose
            item.note = f"{item.note}\n\n{value}" if item.note else value
        return
    source = _iri(body.get("source", body.get("id", "")), key)
    if not source:
        return
    if (stance := vocab.value_of(source, vocab.STANCE)) is not None:
        item.stance = stance
    elif (status := vocab.value_of(source, vocab.REVIEW)) is not None:
        item.review_status = status
    elif purpose == "identifying":
        item.source_url = source
    elif purpose == "classifying":
        code = vocab.region_code(source)
        if code is None:
            item.unknown_regions.append(source)
        else:
            item.region_codes.append(code)


def read_w3c_annotation(document: dict, key: str) -> IncomingAnnotation | IncomingLink:
    if "Annotation" not in _types(document):
        raise MalformedError(f"{key}: not an Annotation (its type is {_types(document)!r}).")
    key = _text(document.get("id", key), "the id", key) or key
    motivations = _as_list(document.get("motivation"))
    visibility, team = _audience(document, key)
    targets = _as_list(document.get("target"))
    if not targets:
        raise MalformedError(f"{key}: an annotation needs a target.")
    if "linking" in motivations:
        return _read_w3c_link(document, key, targets, visibility, team)
    passage = read_w3c_passage(targets[0], key)
    item = IncomingAnnotation(
        key=key,
        passage=passage,
        creator=_creator(document, key),
        visibility=visibility,
        team_iri=team,
    )
    if "bodyValue" in document:
        item.note = _text(document["bodyValue"], "bodyValue", key)
    for body in _as_list(document.get("body")):
        _apply_body(item, body, key)
    return item


def _read_w3c_link(document, key, targets, visibility, team) -> IncomingLink:
    if len(targets) != 2:
        raise MalformedError(f"{key}: a link (motivation linking) has two targets.")
    relation, note = "", ""
    for body in _as_list(document.get("body")):
        if not isinstance(body, dict):
            continue
        if "TextualBody" in _types(body):
            note = _text(body.get("value", ""), "a body's value", key)
        elif (
            value := vocab.value_of(_iri(body.get("source", ""), key), vocab.RELATION)
        ) is not None:
            relation = value
    ends = tuple(_iri(target, key) for target in targets)
    if not all(ends):
        raise MalformedError(f"{key}: a link's targets must name passages by their id.")
    return IncomingLink(
        key=key,
        relation=relation,
        ends=ends,  # type: ignore[arg-type]
        note=note,
        creator=_creator(document, key),
        visibility=visibility,
        team_iri=team,
    )


# Collections hold pages, pages hold annotations, a list holds any of them: no shape
# Crossread reads nests deeper (a deeper one is refused before it is walked).
MAX_NESTING = 6


def _w3c_annotations(node, place: str, depth: int = 0) -> Iterator[tuple[str, dict]]:
    """Every Annotation in a document: one, a list, a page, a collection with pages
    embedded, or Crossread's export (a list of the collection and its pages)."""
    if depth > MAX_NESTING:
        raise MalformedError(f"{place}: collections, pages and lists nest too deeply.")
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _w3c_annotations(item, f"{place}[{index}]", depth + 1)
        return
    if not isinstance(node, dict):
        raise MalformedError(f"{place}: expected an object, found {type(node).__name__}.")
    kinds = _types(node)
    if "AnnotationCollection" in kinds:
        if isinstance(node.get("first"), dict):
            yield from _w3c_annotations(node["first"], f"{place}.first", depth + 1)
        return
    if "AnnotationPage" in kinds:
        items = node.get("items", [])
        if not isinstance(items, list):
            raise MalformedError(f"{place}: a page's items must be a list.")
        for index, item in enumerate(items):
            if isinstance(item, str):
                raise MalformedError(f"{place}.items[{index}]: an IRI, not an annotation.")
            yield from _w3c_annotations(item, f"{place}.items[{index}]", depth + 1)
        if isinstance(node.get("next"), dict):
            yield from _w3c_annotations(node["next"], f"{place}.next", depth + 1)
        return
    yield place, node


# ---------------------------------------------------------------------- Hypothesis


def _is_hypothesis_row(node) -> bool:
    """One of Hypothesis's annotations (a W3C one has no ``uri`` and ``user``)."""
    return isinstance(node, dict) and "uri" in node and "user" in node


def _is_hypothesis(node) -> bool:
    if isinstance(node, dict) and isinstance(node.get("annotations"), list):
        return True  # the client's export: {"export_date", "export_userid", "annotations"}
    if isinstance(node, dict) and isinstance(node.get("rows"), list):
        return True  # the API's search answer
    return isinstance(node, list) and bool(node) and _is_hypothesis_row(node[0])


def _hypothesis_annotations(node) -> list:
    if isinstance(node, dict):
        return node.get("annotations", node.get("rows"))
    return node


def read_hypothesis_annotation(row, key: str) -> IncomingAnnotation | None:
    """One Hypothesis annotation; None for a page note or a reply (no passage)."""
    if not isinstance(row, dict):
        raise MalformedError(f"{key}: expected an object.")
    key = f"hypothesis:{row['id']}" if isinstance(row.get("id"), str) else key
    targets = _as_list(row.get("target"))
    target = targets[0] if targets else None
    if not isinstance(target, dict) or not target.get("selector"):
        return None
    quote = next(
        (
            selector
            for selector in _as_list(target.get("selector"))
            if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector"
        ),
        None,
    )
    if quote is None:
        return None
    source = target.get("source") or row.get("uri") or ""
    user = row.get("user", "")
    nickname = user.removeprefix("acct:").split("@")[0] if isinstance(user, str) else ""
    tags = [tag for tag in _as_list(row.get("tags")) if isinstance(tag, str)]
    passage = IncomingPassage(
        source=_text(source, "the uri", key),
        exact=_text(quote.get("exact", ""), "the quote (exact)", key),
        prefix=_text(quote.get("prefix", ""), "the prefix", key),
        suffix=_text(quote.get("suffix", ""), "the suffix", key),
        # Hypothesis counts positions in the web page's text, not in Crossread's.
        trust_position=False,
    )
    if not passage.exact.strip():
        return None
    return IncomingAnnotation(
        key=key,
        passage=passage,
        note=_text(row.get("text", "") or "", "the text", key),
        tags=tags,
        creator=nickname,
    )


# ------------------------------------------------------------------------- either


class _Reading:
    """The annotations of a document, read as they are asked for; its links and what
    it leaves out are collected on the way (into ``incoming``)."""

    def __init__(self, incoming: Incoming) -> None:
        self.incoming = incoming
        self.items = 0  # annotations and links read so far

    def _counted(self) -> None:
        if self.items >= MAX_ITEMS:
            raise MalformedError(f"A file holds at most {MAX_ITEMS:,} annotations.")
        self.items += 1

    def hypothesis(self, rows) -> Iterator[IncomingAnnotation]:
        for row in rows:
            self._counted()
            place = f"item {self.items}"
            item = read_hypothesis_annotation(row, place)
            if item is None:
                self.incoming.skipped.append(f"{place}: a page note or a reply, no passage")
            else:
                yield item

    def w3c(self, document, place: str) -> Iterator[IncomingAnnotation]:
        for place_here, node in _w3c_annotations(document, place):
            self._counted()
            item = read_w3c_annotation(node, place_here)
            if isinstance(item, IncomingLink):
                self.incoming.links.append(item)
            else:
                yield item

    def finished(self) -> None:
        if not self.items:
            raise MalformedError("The file holds no annotations.")


def read_document(document) -> Incoming:
    """Everything a parsed JSON document holds, in Crossread's terms."""
    incoming = Incoming()
    reading = _Reading(incoming)
    if _is_hypothesis(document):
        incoming.annotations = list(reading.hypothesis(_hypothesis_annotations(document)))
        return incoming
    incoming.annotations = list(reading.w3c(document, "$"))
    reading.finished()
    return incoming


CHUNK = 1024 * 1024  # bytes read at a time from a file


def _list_items(stream: BinaryIO) -> Iterator:
    """The values of a top-level JSON list, one at a time: each parsed by the json
    module's own decoder (its depth checked) as soon as it is whole, then let go.
    Reads grow with what a value needs, so a value of any size costs linear time."""
    decode = codecs.getincrementaldecoder("utf-8-sig")().decode
    decoder = json.JSONDecoder()
    buffer, eof = "", False

    def more(size: int) -> None:
        nonlocal buffer, eof
        chunk = stream.read(size)
        if not chunk:
            eof = True
        buffer += decode(chunk, final=not chunk)

    def next_char(position: int) -> tuple[int, str]:
        """The first character at or after ``position`` that is not white space
        ("" at the end of the file)."""
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer) or eof:
                return position, buffer[position : position + 1]
            more(CHUNK)

    position, char = next_char(0)
    if char != "[":
        raise MalformedError("The file is not a JSON list.")
    position, char = next_char(position + 1)
    if char == "]":
        return
    while True:
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as error:
                if eof:
                    raise MalformedError(f"The file is not JSON: {error}") from None
                more(max(CHUNK, len(buffer)))
        yield value
        buffer, position = buffer[end:], 0
        position, char = next_char(position)
        if char == "]":
            return
        if char != ",":
            raise MalformedError(
                "The file is not JSON: a list's values must be separated by commas."
            )
        position, char = next_char(position + 1)


def read_file(stream: BinaryIO) -> Incoming:
    """What a file holds. A file that is a list (Crossread's export: the collection,
    then each page) is read a value at a time as its annotations are consumed, so
    that neither the file nor its annotations are ever in memory whole: the stream is
    to stay open until then, and what is malformed raises when it is reached. A file
    that is one object is read whole, at once.
    Not JSON, or nested past reason: MalformedError."""
    with _as_malformed():
        head = stream.read(64)
        stream.seek(0)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"[":
            return read_document(json.load(stream))
    incoming = Incoming()
    incoming.annotations = _file_annotations(stream, _Reading(incoming))
    return incoming


def _file_annotations(stream: BinaryIO, reading: _Reading) -> Iterator[IncomingAnnotation]:
    with _as_malformed():
        hypothesis = None
        for index, node in enumerate(_list_items(stream)):
            if hypothesis is None:
                hypothesis = _is_hypothesis_row(node)
            if hypothesis:
                yield from reading.hypothesis([node])
            else:
                yield from reading.w3c(node, f"$[{index}]")
        reading.finished()


@contextlib.contextmanager
def _as_malformed():
    """The json module's errors, and a file that is not UTF-8, as MalformedError."""
    try:
        yield
    except MalformedError:
        raise
    except ValueError as error:
        raise MalformedError(f"The file is not JSON: {error}") from None
    except RecursionError:
        raise MalformedError("The file is not JSON Crossread reads: it nests too deeply.") from None
