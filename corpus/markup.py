"""The one place where markup becomes HTML: markdown rendering and sanitizing.

Corpus paragraphs (inline markdown from imported files) and annotation notes
(markdown typed by users) are both rendered here, and nothing reaches a template
as safe HTML without passing ``sanitize_html``.

Two sanitizer engines sit behind the ``CROSSREAD_SANITIZER`` setting: bleach (the
design card's choice, unmaintained since 2026-06-05) and nh3 (the Rust ammonia
library, its maintained successor). Both enforce the same allowlist and pass the
same tests. Raw HTML inside markdown is never interpreted: it is shown as text.

Python-Markdown runs behind ``corpus.markdown_bounds``, which keeps its time linear
in the length of any markup (a note of nested brackets used to take minutes).
"""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser

import bleach
import markdown
import nh3
from bleach.html5lib_shim import Filter

from .markdown_bounds import BoundsExtension

ENGINES = ("bleach", "nh3")

INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "br", "cite", "code", "del", "em", "i", "q", "s", "strong", "sub", "sup"}
)
BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li", "blockquote", "pre", "hr", "h4", "h5", "h6"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# Markdown block syntax at the start of a paragraph that is already known to be a
# plain paragraph ("1979. The revolution ..." is not an ordered list).
_LEADING_BLOCK_SYNTAX = re.compile(r"^(\s*(?:\d+(?=[.)]\s))?)([#>]|[-+*.)](?=\s))")
_WHITESPACE_RUN = re.compile(r"\s+")
# Characters that may start markdown inline syntax. A paragraph without any of them
# renders as itself, escaped, without running the markdown engine.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<&]")

_local = threading.local()


def _markdown() -> markdown.Markdown:
    renderer = getattr(_local, "markdown", None)
    if renderer is None:
        renderer = markdown.Markdown(
            extensions=["sane_lists", BoundsExtension()], output_format="html"
        )
        # Raw HTML in a source is text to show, not markup to trust.
        renderer.preprocessors.deregister("html_block")
        renderer.inlinePatterns.deregister("html")
        _local.markdown = renderer
    return renderer.reset()


class _RelFilter(Filter):
    """Give every link the same rel attribute nh3 gives it."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] == "a":
                attributes = dict(token["data"])
                attributes[(None, "rel")] = LINK_REL
                token["data"] = attributes
            yield token


def _bleach_cleaner(tags: frozenset[str]) -> bleach.Cleaner:
    cache = getattr(_local, "cleaners", None)
    if cache is None:
        cache = _local.cleaners = {}
    if tags not in cache:
        cache[tags] = bleach.Cleaner(
            tags=tags,
            attributes={tag: sorted(names) for tag, names in ATTRIBUTES.items()},
            protocols=URL_SCHEMES,
            strip=True,
            strip_comments=True,
            filters=[_RelFilter],
        )
    return cache[tags]


def configured_engine() -> str:
    try:
        from django.conf import settings

        engine = (
            getattr(settings, "CROSSREAD_SANITIZER", "bleach") if settings.configured else "bleach"
        )
    except ImportError:  # pragma: no cover - Django is always installed with Crossread
        engine = "bleach"
    if engine not in ENGINES:
        raise ValueError(f"CROSSREAD_SANITIZER must be one of {ENGINES}, not {engine!r}")
    return engine


_VOID_TAGS = frozenset({"br", "hr"})
_BARE_TAG = re.compile(r"</?([a-z][a-z0-9]*)\s*/?>")
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")


def _only_bare_tags(html_text: str, tags: frozenset[str]) -> bool:
    """True when every "<" opens an allowed tag with no attribute and every "&" an
    entity: such HTML (what markdown makes of emphasis and lists) cannot carry
    script, and both sanitizers would return it unchanged. Anything else, a link
    included, goes through the sanitizer."""
    if "<" in html_text:
        open_tags: list[str] = []
        for match in _BARE_TAG.finditer(html_text):
            name = match[1]
            if name not in tags:
                return False
            if name in _VOID_TAGS:
                continue
            if match[0].startswith("</"):
                if not open_tags or open_tags.pop() != name:
                    return False  # unbalanced: let the sanitizer repair it
            else:
                open_tags.append(name)
        if open_tags or "<" in _BARE_TAG.sub("", html_text):
            return False
    return "&" not in _ENTITY.sub("", html_text)


def sanitize_html(dirty: str, *, inline: bool = False, engine: str | None = None) -> str:
    """Keep the allowlisted tags, attributes and URL schemes; drop everything else."""
    tags = INLINE_TAGS if inline else BLOCK_TAGS
    engine = engine or configured_engine()
    if _only_bare_tags(dirty, tags):
        return dirty  # nothing but allowed tags without attributes: nothing to remove
    if engine == "nh3":
        return nh3.clean(
            dirty,
            tags=set(tags),
            clean_content_tags={"script", "style"},
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel=LINK_REL,
            strip_comments=True,
        )
    if engine == "bleach":
        return _bleach_cleaner(tags).clean(dirty)
    raise ValueError(f"unknown sanitizer engine {engine!r}")


def render_markdown(source: str, *, inline: bool = False, engine: str | None = None) -> str:
    """Markdown to sanitized HTML. ``inline`` renders one paragraph without its <p>."""
    if inline:
        if not _INLINE_SYNTAX.search(source):
            return render_plain(source)
        source = _LEADING_BLOCK_SYNTAX.sub(r"\1\\\2", source, count=1)
    rendered = _markdown().convert(source)
    if inline:
        rendered = rendered.strip()
        if rendered.startswith("<p>") and rendered.endswith("</p>"):
            rendered = rendered[3:-4]
    return sanitize_html(rendered, inline=inline, engine=engine)


def render_plain(text: str) -> str:
    """Plain text as HTML: every character shown as written."""
    return html.escape(text, quote=False)


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "li", "blockquote", "pre", "hr", "h4", "h5", "h6", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append(" ")


def html_to_text(fragment: str) -> str:
    """The text a reader sees in a fragment of HTML, spaces collapsed."""
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    return _WHITESPACE_RUN.sub(" ", "".join(extractor.parts)).strip()


def markdown_to_text(source: str) -> str:
    return html_to_text(render_markdown(source, inline=True))
