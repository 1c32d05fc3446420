"""HTML of an article's paragraphs for the reader.

Built here rather than by including a template per paragraph: the academic seed has
117 paragraphs, and the includes cost more than the rest of the page together
(measured by ``python manage.py bench``). The markup is that of the former
``corpus/_paragraph.html``: each paragraph carries its anchor (``#p-<position>``)
and its id, and its text sits in ``.ptext`` so that offsets into it are offsets
into ``Paragraph.text``. ``inner`` is the paragraph's sanitized HTML, highlighted or
not; every other value is a number or a fixed word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString, mark_safe

from corpus.models import Paragraph, ParagraphKind

_LINK_LABELS = {
    ParagraphKind.HEADING: "Link to this heading",
    ParagraphKind.QUOTE: "Link to this quote",
    ParagraphKind.CAPTION: "Link to this caption",
    ParagraphKind.LIST_ITEM: "Link to this item",
    ParagraphKind.REFERENCE: "Link to this item",
}


def paragraph_html(paragraph: Paragraph, inner: str) -> str:
    position = paragraph.position
    attributes = f'id="p-{position}" data-paragraph-id="{paragraph.pk}" data-position="{position}"'
    text = f'<span class="ptext">{inner}</span>'
    label = _LINK_LABELS.get(paragraph.kind, "Link to this paragraph")
    mark = "§" if paragraph.kind == ParagraphKind.HEADING else "¶"
    anchor = f'<a class="para-anchor" href="#p-{position}" aria-label="{label}">{mark}</a>'
    kind = paragraph.kind
    if kind == ParagraphKind.HEADING:
        level = paragraph.heading_tag_level
        return f'<h{level} class="para para--heading" {attributes}>{text}{anchor}</h{level}>'
    if kind == ParagraphKind.QUOTE:
        return (
            f'<blockquote class="para para--quote" {attributes}><p>{text}</p>{anchor}</blockquote>'
        )
    if kind == ParagraphKind.CAPTION:
        return f'<figure class="para para--caption" {attributes}><figcaption>{text}</figcaption>{anchor}</figure>'
    if kind in (ParagraphKind.LIST_ITEM, ParagraphKind.REFERENCE):
        return f'<li class="para para--{kind}" {attributes}>{text}{anchor}</li>'
    return f'<p class="para para--{kind}" {attributes}>{text}{anchor}</p>'


_BLOCK_WRAPPERS = {
    "list": ('<ul class="para-list">', "</ul>"),
    "references": ('<ol class="references">', "</ol>"),
}


def paragraphs_html(blocks: Iterable, inner: Callable[[Paragraph], str]) -> SafeString:
    """The blocks of a reading layout (``corpus.selectors.Block``), each paragraph's
    inner HTML given by ``inner``."""
    parts = []
    for block in blocks:
        opening, closing = _BLOCK_WRAPPERS.get(block.kind, ("", ""))
        parts.append(opening)
        parts.extend(paragraph_html(paragraph, inner(paragraph)) for paragraph in block.paragraphs)
        parts.append(closing)
    return mark_safe("".join(parts))  # noqa: S308 - inner HTML is sanitized at import; the rest is ours
