"""HTML of annotation cards.

A page may hold a thousand cards; rendering them through the template engine
costs more than everything else on the page together, so they are built here, with
every value escaped (``note_html`` is sanitized when it is written). The markup is
the same on the article page and the annotation list.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from annotations.models import Stance, Visibility
from annotations.selectors import Card

STANCE_LABELS = dict(Stance.choices)
VISIBILITY_LABELS = {
    Visibility.PRIVATE: "Private",
    Visibility.TEAM: "Team",
    Visibility.PUBLIC: "Public",
}
QUOTE_LIMIT = 280


def _e(value) -> str:
    return escape(str(value), quote=True)


def _filter_link(base_query: dict[str, str], key: str, value: str, label: str, css: str) -> str:
    query = {k: v for k, v in base_query.items() if v}
    query[key] = value
    return f'<a class="{css}" href="?{_e(urlencode(query))}#annotations">{_e(label)}</a>'


def render_card(card: Card, *, filters: dict[str, str], show_article: bool = False) -> str:
    quote = card.exact if len(card.exact) <= QUOTE_LIMIT else card.exact[: QUOTE_LIMIT - 1] + "…"
    parts = [
        f'<article class="card card--{card.stance}" id="a-{card.id}" data-annotation-id="{card.id}" '
        f'data-position="{card.position}" tabindex="0" aria-labelledby="a-{card.id}-quote">',
        '<header class="card-head">',
        f'<span class="stance stance--{card.stance}">{_e(STANCE_LABELS[card.stance])}</span>',
        f'<span class="visibility visibility--{card.visibility}">{VISIBILITY_LABELS[card.visibility]}</span>',
    ]
    if show_article:
        parts.append(
            f'<a class="card-jump" href="{_e(reverse("corpus:article-detail", args=[card.article_slug]))}'
            f'#hl-{card.id}">{_e(card.article_title)}, ¶ {card.position}</a>'
        )
    else:
        parts.append(
            f'<a class="card-jump" href="#hl-{card.id}" data-jump="{card.id}" '
            f'aria-label="Show the passage in paragraph {card.position}">¶ {card.position}</a>'
        )
    parts.append("</header>")
    parts.append(f'<blockquote class="card-quote" id="a-{card.id}-quote">{_e(quote)}</blockquote>')
    if card.claim:
        parts.append(f'<p class="card-claim">{_e(card.claim)}</p>')
    details = []
    if card.stance_target:
        details.append(
            f'<div><dt>Toward</dt><dd class="card-target">{_e(card.stance_target)}</dd></div>'
        )
    if card.source_id:
        link = _filter_link(filters, "source", str(card.source_id), card.source_name, "card-source")
        details.append(f"<div><dt>Source</dt><dd>{link}</dd></div>")
    if card.regions:
        links = ", ".join(
            _filter_link(filters, "region", str(region_id), name, "card-region")
            for region_id, name in card.regions
        )
        details.append(f"<div><dt>Regions</dt><dd>{links}</dd></div>")
    if details:
        parts.append('<dl class="card-meta">' + "".join(details) + "</dl>")
    if card.note_html:
        parts.append(f'<div class="card-note">{card.note_html}</div>')
    if card.tags:
        parts.append(
            '<ul class="tag-list">'
            + "".join(
                f"<li>{_filter_link(filters, 'tag', slug, name, 'tag')}</li>"
                for slug, name in card.tags
            )
            + "</ul>"
        )
    created = localtime(card.created)
    foot = [
        f'<span class="card-author">{_e(card.author)}</span>',
        f'<span class="card-team">{_e(card.team_name)}</span>' if card.team_name else "",
        f'<time datetime="{created.isoformat()}">{format_date(created, "j M Y")}</time>',
    ]
    parts.append('<footer class="card-foot">' + " · ".join(item for item in foot if item))
    if card.editable:
        parts.append(
            f' <a class="card-action" href="{reverse("annotations:edit", args=[card.id])}">Edit</a>'
            f' <a class="card-action card-action--danger" href="{reverse("annotations:delete", args=[card.id])}">Delete</a>'
        )
    parts.append("</footer></article>")
    return "".join(parts)


def render_cards(
    cards: list[Card], *, filters: dict[str, str], show_article: bool = False
) -> SafeString:
    return mark_safe(  # noqa: S308 - every value above is escaped; note_html is sanitized at write
        "".join(render_card(card, filters=filters, show_article=show_article) for card in cards)
    )
