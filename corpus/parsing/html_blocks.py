"""trafilatura's XML of an article, as blocks of inline markdown.

trafilatura describes the text it keeps with a small vocabulary: ``head`` (with
``rend="h2"``), ``p``, ``quote``, ``list``/``item``, ``hi`` (``rend="#b"`` bold,
``"#i"`` italic, ``"#t"`` code), ``ref`` (a link, ``target``), ``code``, ``lb`` (a
line break) and ``graphic`` (an image). Each block becomes one ``Block``: its kind,
its markup (inline markdown that ``corpus.markup.render_markdown`` shows exactly as
the page wrote it) and what a reader sees of it, with the measures the furniture
rules look at (how much of it is link text, whether one emphasis wraps all of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from lxml import etree

from corpus.markup import markdown_to_text

# Tags that start a block of their own; anything else inside a block is inline.
_BLOCK_TAGS = frozenset(
    {"p", "head", "quote", "list", "item", "div", "table", "row", "cell", "code", "graphic"}
)
_CONTAINERS = frozenset({"div", "table", "row", "cell", "main", "body", "comments", "figure"})
_EMPHASIS = {"#b": "**", "#i": "*"}
_CODE_REND = "#t"
# Deeper than this, a block's inline elements are read as plain text: a page of
# thousands of nested <b> costs its length, not a recursion per level.
_MAX_INLINE_DEPTH = 40
_MAX_BLOCK_DEPTH = 60
_MAX_URL_LENGTH = 2000

# Characters that would start markdown syntax, written so that they show as themselves.
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "&": "&amp;",
        "<": "&lt;",
    }
)
# Control and invisible characters a page may carry that no reader sees; whitespace
# (tabs, line ends, no-break spaces) is collapsed to single spaces separately.
_INVISIBLE = dict.fromkeys(
    [*range(0, 9), 11, 12, *range(14, 32), 127, 8203, 8204, 8205, 8288, 65279, 173]
)
# Characters a URL may not carry as such inside a markdown link destination.
_URL_SAFE = ":/?#@!$&+,;=%~-._*"


@dataclass
class Block:
    kind: str  # heading, body, quote, list_item, caption, reader_comment
    markup: str
    text: str  # what a reader sees, spaces collapsed
    level: int | None = None
    zone: str = "main"  # main or comments
    group: int = 0  # the items of one list share it
    chars: int = 0  # letters and digits of the text
    link_chars: int = 0  # ... of them inside links
    url_link: bool = False  # a link shows its own address ("harpers.org/blog/...")
    emphasized: bool = False  # one bold or italic run holds all of the text

    @property
    def words(self) -> int:
        return len(self.text.split())


def clean_text(text: str) -> str:
    """Text without invisible characters, its whitespace runs as single spaces."""
    return " ".join(text.translate(_INVISIBLE).split())


def _spaced(text: str | None) -> str:
    """Text with its whitespace runs as single spaces, keeping a leading or trailing one."""
    if not text:
        return ""
    text = text.translate(_INVISIBLE)
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def escape_markdown(text: str) -> str:
    return text.translate(_ESCAPES)


def link_target(target: str | None, base_url: str) -> str:
    """The http(s) address a link goes to (resolved against the page's), or ""."""
    if not target:
        return ""
    target = target.strip()
    if len(target) > _MAX_URL_LENGTH:
        return ""
    try:
        url = urljoin(base_url, target) if base_url else target
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return quote(url, safe=_URL_SAFE)


def _count_chars(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def _code_span(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    if "`" in (text[0], text[-1]):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def _wrap(mark: str, inner: str) -> str:
    """``inner`` between emphasis marks, its outer spaces outside them (``* x*`` is no
    emphasis in markdown)."""
    core = inner.strip(" ")
    if not core:
        return inner
    lead = " " if inner.startswith(" ") else ""
    trail = " " if inner.endswith(" ") else ""
    return f"{lead}{mark}{core}{mark}{trail}"


class _Inline:
    """Inline content (text and inline elements) as markdown, and what a reader sees."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.plain: list[str] = []
        self.link_chars = 0
        self.url_link = False
        self.formatted = False
        self.graphics: list[etree._Element] = []

    def text(self, text: str | None) -> str:
        spaced = _spaced(text)
        if spaced:
            self.plain.append(spaced)
        return escape_markdown(spaced)

    def element(self, element: etree._Element, *, depth: int, marks: frozenset[str], link: bool):
        """The markup of an inline element, without its tail."""
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            return ""
        if tag == "graphic":
            self.graphics.append(element)
            return ""
        if tag == "lb":
            self.plain.append(" ")
            return " "
        if depth > _MAX_INLINE_DEPTH:
            return self.text("".join(element.itertext()))
        rend = element.get("rend", "")
        if tag == "code" or (tag == "hi" and rend == _CODE_REND):
            shown = " ".join("".join(element.itertext()).translate(_INVISIBLE).split())
            if not shown:
                return ""
            self.plain.append(shown)
            self.formatted = True
            return _code_span(shown)
        if tag == "hi" and (mark := _EMPHASIS.get(rend)) and mark not in marks:
            inner = self.content(element, depth=depth + 1, marks=marks | {mark}, link=link)
            if inner.strip(" "):
                self.formatted = True
            return _wrap(mark, inner)
        if tag == "ref" and not link:
            start = len(self.plain)
            inner = self.content(element, depth=depth + 1, marks=marks, link=True)
            shown = "".join(self.plain[start:])
            self.link_chars += _count_chars(shown)
            shown = shown.strip()
            if shown and " " not in shown and ("/" in shown or shown.startswith("www.")):
                self.url_link = True
            url = link_target(element.get("target"), self.base_url)
            if not url or not inner.strip(" "):
                return inner
            self.formatted = True
            core = inner.strip(" ")
            lead = " " if inner.startswith(" ") else ""
            trail = " " if inner.endswith(" ") else ""
            return f"{lead}[{core}]({url}){trail}"
        return self.content(element, depth=depth + 1, marks=marks, link=link)

    def content(self, element, *, depth: int, marks: frozenset[str], link: bool) -> str:
        pieces = [self.text(element.text)]
        for child in element:
            pieces.append(self.element(child, depth=depth, marks=marks, link=link))
            pieces.append(self.text(child.tail))
        return "".join(pieces)

    def sequence(self, items: list) -> str:
        pieces = []
        for item in items:
            if isinstance(item, str):
                pieces.append(self.text(item))
            else:
                pieces.append(self.element(item, depth=0, marks=frozenset(), link=False))
        return "".join(pieces)


def _is_emphasis_run(items: list) -> bool:
    """One bold or italic element holds all the text of a block."""
    elements = [item for item in items if not isinstance(item, str)]
    texts = "".join(item for item in items if isinstance(item, str))
    return (
        len(elements) == 1
        and not texts.strip()
        and elements[0].tag == "hi"
        and elements[0].get("rend") in _EMPHASIS
    )


class BlockReader:
    """Turn trafilatura's ``main`` and ``comments`` elements into blocks.

    ``captions`` maps the address of an image that stands for a figure to the text
    of its caption (see ``html.mark_figures``).
    """

    def __init__(self, *, base_url: str, captions: dict[str, str]) -> None:
        self.base_url = base_url
        self.captions = captions
        self.blocks: list[Block] = []
        self._groups = 0

    def read(self, element: etree._Element | None, *, zone: str) -> None:
        if element is not None:
            default = "reader_comment" if zone == "comments" else "body"
            self._container(element, kind=default, zone=zone, group=0, depth=0, breaks=True)

    # -- blocks
    def _container(self, element, *, kind: str, zone: str, group: int, depth: int, breaks: bool):
        """The blocks of an element whose children may be text, inline or blocks.
        ``breaks``: a line break (lb) ends a paragraph here (in a div, not in a p)."""
        pending: list = []
        if element.text:
            pending.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS or (breaks and tag == "lb"):
                self._flush(pending, kind=kind, zone=zone, group=group)
                pending = []
                if tag != "lb":
                    self._block(child, kind=kind, zone=zone, group=group, depth=depth + 1)
            elif tag:
                pending.append(child)
            if child.tail:
                pending.append(child.tail)
        self._flush(pending, kind=kind, zone=zone, group=group)

    def _block(self, element, *, kind: str, zone: str, group: int, depth: int) -> None:
        tag = element.tag
        if depth > _MAX_BLOCK_DEPTH:
            self._flush(["".join(element.itertext())], kind=kind, zone=zone, group=group)
        elif tag == "head":
            self._flush(
                [element.text or "", *self._inline_children(element)],
                kind="heading",
                zone=zone,
                group=group,
                level=_heading_level(element.get("rend")),
            )
        elif tag == "p":
            self._container(element, kind=kind, zone=zone, group=group, depth=depth, breaks=False)
        elif tag == "quote":
            inner = "reader_comment" if zone == "comments" else "quote"
            self._container(element, kind=inner, zone=zone, group=group, depth=depth, breaks=True)
        elif tag == "list":
            self._groups += 1
            for child in element:
                if isinstance(child.tag, str):
                    self._block(child, kind=kind, zone=zone, group=self._groups, depth=depth + 1)
        elif tag == "item":
            inner = "reader_comment" if zone == "comments" else "list_item"
            self._container(element, kind=inner, zone=zone, group=group, depth=depth, breaks=False)
        elif tag == "code":
            self._flush([element], kind=kind, zone=zone, group=group)
        elif tag == "graphic":
            self._caption(element, zone=zone)
        else:  # div, table, row, cell and anything new
            self._container(element, kind=kind, zone=zone, group=group, depth=depth, breaks=True)

    def _inline_children(self, element) -> list:
        """A heading's children and their tails, its block children read as inline."""
        items: list = []
        for child in element:
            if isinstance(child.tag, str):
                items.append(child)
            if child.tail:
                items.append(child.tail)
        return items

    def _caption(self, graphic, *, zone: str) -> None:
        caption = self.captions.get(graphic.get("src", ""))
        if caption:
            self.blocks.append(
                Block(
                    kind="caption",
                    markup=escape_markdown(caption),
                    text=caption,
                    zone=zone,
                    chars=_count_chars(caption),
                )
            )

    def _flush(self, items: list, *, kind: str, zone: str, group: int, level=None) -> None:
        if not items:
            return
        inline = _Inline(self.base_url)
        markup = " ".join(inline.sequence(items).split())
        text = clean_text("".join(inline.plain))
        if text:
            if inline.formatted and markdown_to_text(markup) != text:
                # Markup that would not show the text as written (emphasis the markdown
                # engine reads otherwise): the text, escaped, without its formatting.
                markup = escape_markdown(text)
            self.blocks.append(
                Block(
                    kind=kind,
                    markup=markup,
                    text=text,
                    level=level if kind == "heading" else None,
                    zone=zone,
                    group=group,
                    chars=_count_chars(text),
                    link_chars=inline.link_chars,
                    url_link=inline.url_link,
                    emphasized=_is_emphasis_run(items),
                )
            )
        for graphic in inline.graphics:
            self._caption(graphic, zone=zone)


def _heading_level(rend: str | None) -> int:
    if rend and len(rend) == 2 and rend[0] == "h" and rend[1] in "123456":
        return int(rend[1])
    return 2
