"""Saved web pages to parsed articles.

trafilatura finds the article in the page (its title, byline, date, outlet, body and
reader comments) and drops what its page structure marks as furniture: navigation,
scripts, share bars, cookie banners. ``html_blocks`` turns the XML it returns into
blocks of inline markdown, and the rules here map them onto the paragraph kinds the
text importer makes: headings, body, quotes, list items, captions, boilerplate and
reader comments. What trafilatura lets through that reads like furniture (a "Read
more" teaser, an image credit, a newsletter prompt) is recognised by its wording
(``html_furniture``, with its phrase tables in ``html_rules``) and dropped.

``sanitized_page`` is what the importer stores as the article's ``raw_text``: the page
as saved, without its scripts, event handlers, frames and ``javascript:`` links, so
that nothing executable is ever kept and the import can be redone from it (the page
parses to the same article with or without them).
"""

from __future__ import annotations

import re
from datetime import date

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from . import rules
from .decode import UnreadableFileError
from .document import ParsedArticle, ParsedParagraph, normalize_text, parse_date, split_names
from .html_blocks import Block, BlockReader, clean_text, escape_markdown
from .html_furniture import is_comment_furniture, is_furniture, is_link_list, looks_like_caption

# Elements that run or embed code; none of them is kept.
_ACTIVE_ELEMENTS = (
    "script",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
)
_JSON_LD = "application/ld+json"
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href")
_OPINION_WORDS = re.compile(r"\b(?:opinion|comment|op-?ed|column|editorial|analysis)\b", re.I)
# Paragraphs that make an article; a page with none of them has no article text.
_TEXT_KINDS = frozenset({"body", "quote", "list_item"})
# An article has at least one sentence of this many words, or a run of words this long
# without a full stop (a list, a quotation); a menu has neither.
PROSE_MIN_WORDS = 4
PROSE_MIN_RUN = 40
_SENTENCE_ENDS = frozenset(".!?…:;")
_CLOSING_MARKS = "\"'”’»)]*_ "
# A page larger than this many elements is refused rather than walked (trafilatura's
# own guard against pages built to exhaust a parser).
MAX_ELEMENTS = 200_000


def _parse_page(data: bytes) -> etree._Element:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError("not an HTML page (binary data)")
    try:
        tree = trafilatura.load_html(data)
    except (ValueError, etree.ParserError):
        tree = None
    if tree is None or (tree.find(".//body") is None and len(tree) == 0):
        raise UnreadableFileError("not an HTML page (no document in it)")
    if tree.tag != "html":
        # A fragment ("<svg><a>text"): lxml makes its first element the root, which
        # trafilatura's cleaning may try to remove (and fails to). Put it in a page.
        page = lxml_html.Element("html")
        etree.SubElement(page, "body").append(tree)
        tree = page
    count = sum(1 for _ in tree.iter())
    if count > MAX_ELEMENTS:
        raise UnreadableFileError(
            f"the page has {count:,} elements, more than the {MAX_ELEMENTS:,} an article page needs"
        )
    return tree


def _strip_active_content(tree: etree._Element) -> None:
    """Remove scripts (all but JSON-LD metadata, which is data), frames, embedded
    objects, ``on…`` event handlers and ``javascript:`` addresses, in place."""
    for element in list(tree.iter(*_ACTIVE_ELEMENTS)):
        if element.tag == "script" and (element.get("type") or "").strip().lower() == _JSON_LD:
            for name in list(element.attrib):
                if name.lower() != "type":
                    del element.attrib[name]
            continue
        _remove_keeping_tail(element)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            lowered = name.lower()
            if (
                lowered.startswith("on")
                or lowered == "srcdoc"
                or (lowered in _URL_ATTRIBUTES and _is_script_url(value))
                or _has_script_url(value)
            ):
                del element.attrib[name]


def _is_script_url(value: str) -> bool:
    squeezed = "".join(value.split()).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def _has_script_url(value: str) -> bool:
    """A script address anywhere in a value: ``style="background: url(javascript:…)"``,
    ``<meta http-equiv="refresh" content="0; url=javascript:…">``."""
    squeezed = "".join(value.split()).lower()
    return "javascript:" in squeezed or "vbscript:" in squeezed


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def sanitized_page(tree: etree._Element) -> str:
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _figure_captions(tree: etree._Element) -> dict[str, str]:
    """The caption of each figure, by the address of its image."""
    captions: dict[str, str] = {}
    for figure in tree.iter("figure"):
        caption = figure.find(".//figcaption")
        image = figure.find(".//img")
        if caption is None or image is None:
            continue
        text = clean_text(" ".join(caption.itertext()))
        for name in ("src", "data-src"):
            if image.get(name) and text:
                captions[image.get(name)] = text
    return captions


def parse_html(data: bytes, *, fallback_title: str) -> tuple[ParsedArticle, str]:
    """The article in a saved web page, and the page as it is stored (its scripts
    removed). Raises ``UnreadableFileError`` with the reason when there is none."""
    tree = _parse_page(data)
    _strip_active_content(tree)
    stored = sanitized_page(tree)
    captions = _figure_captions(tree)
    extracted = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=True,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        favor_precision=False,
    )
    if extracted is None or extracted.body is None:
        raise UnreadableFileError("no article text found")
    base_url = extracted.url or ""
    reader = BlockReader(base_url=base_url, captions=captions)
    reader.read(extracted.body, zone="main")
    reader.read(extracted.commentsbody, zone="comments")

    article = ParsedArticle(markup_format="markdown")
    article.title = normalize_text(clean_text(extracted.title or "")) or fallback_title
    article.authors = _authors(extracted.author or "")
    article.outlet = clean_text(extracted.sitename or extracted.hostname or "")
    article.published = _date(extracted.date)
    article.source_url = base_url if base_url.startswith(("http://", "https://")) else ""
    article.abstract = ""
    article.keywords = _keywords(extracted.tags)
    article.paragraphs = _paragraphs(reader.blocks, title=article.title)
    if not any(p.kind in _TEXT_KINDS and _is_prose(p.markup) for p in article.paragraphs):
        # A caption or a heading alone is not an article, nor a menu's words that
        # trafilatura's fallback took for text: the page keeps its text elsewhere (in
        # its scripts, behind a sign-in) and trafilatura did not find it.
        raise UnreadableFileError("no article text found")
    article.kind = _kind(article, extracted)
    return article, stored


def _is_prose(markup: str) -> bool:
    """Whether a paragraph reads as text rather than a label or a menu ("Home World"):
    a sentence of a few words, or a long run of words."""
    words = markup.split()
    if len(words) >= PROSE_MIN_RUN:
        return True
    return len(words) >= PROSE_MIN_WORDS and markup.rstrip(_CLOSING_MARKS)[-1:] in _SENTENCE_ENDS


def _authors(byline: str) -> list[str]:
    names = []
    for part in byline.split(";"):
        part = clean_text(part)
        part = re.sub(r"^(?:by|written by)\s+", "", part, flags=re.I)
        names.extend(split_names(part) if part else [])
    return [name for name in dict.fromkeys(names) if 1 < len(name) <= 120][:12]


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return parse_date(value)


def _keywords(tags: str | list | None) -> list[str]:
    if not tags:
        return []
    items = tags if isinstance(tags, list) else str(tags).split(",")
    return [word for word in dict.fromkeys(clean_text(str(item)) for item in items) if word][:30]


def _kind(article: ParsedArticle, extracted) -> str:
    known = rules.OUTLET_KINDS.get(article.outlet.casefold())
    if known:
        return known
    categories = " ".join(str(item) for item in (extracted.categories or []))
    if _OPINION_WORDS.search(f"{article.source_url} {categories}"):
        return "opinion"
    return "news" if article.published else "other"


def _paragraphs(blocks: list[Block], *, title: str) -> list[ParsedParagraph]:
    """Blocks to paragraphs: furniture and repeated lines dropped, list items kept
    together unless the whole list is links, outlet notices as boilerplate."""
    blocks = _without_link_lists(blocks)
    paragraphs: list[ParsedParagraph] = []
    seen: set[str] = set()
    lowered_title = title.casefold()
    for index, block in enumerate(blocks):
        lowered = block.text.casefold()
        if block.zone == "comments":
            if not is_comment_furniture(block):
                paragraphs.append(ParsedParagraph("reader_comment", block.markup))
            continue
        if not paragraphs and block.kind == "heading" and lowered == lowered_title:
            continue  # the title, repeated above the text
        if is_furniture(block):
            continue
        if block.kind in {"body", "caption"} and lowered in seen:
            continue  # a caption repeated as a paragraph, a pull quote repeated
        seen.add(lowered)
        if lowered.startswith(rules.BOILERPLATE_PHRASES):
            paragraphs.append(ParsedParagraph("boilerplate", block.markup))
            continue
        kind = block.kind
        if kind == "body" and looks_like_caption(block.text) and _next_to_image(blocks, index):
            kind = "caption"
        paragraphs.append(
            ParsedParagraph(kind, block.markup, block.level if kind == "heading" else None)
        )
    while paragraphs and paragraphs[-1].kind == "heading":
        paragraphs.pop()  # a heading with nothing under it ("Related", "Comments")
    return paragraphs


def _next_to_image(blocks: list[Block], index: int) -> bool:
    neighbours = blocks[max(0, index - 1) : index] + blocks[index + 1 : index + 2]
    return any(block.kind == "caption" for block in neighbours) or len(blocks[index].text) < 300


def _without_link_lists(blocks: list[Block]) -> list[Block]:
    by_group: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind == "list_item" and block.group:
            by_group.setdefault(block.group, []).append(block)
    dropped = {group for group, items in by_group.items() if is_link_list(items)}
    return [block for block in blocks if not (block.kind == "list_item" and block.group in dropped)]


__all__ = ["MAX_ELEMENTS", "escape_markdown", "parse_html", "sanitized_page"]
