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
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone

from annotations.filters import AnnotationFilters
from annotations.models import ReviewStatus, Visibility, stance_label
from annotations.selectors import Card

VISIBILITY_LABELS = {
    Visibility.PRIVATE: "Private",
    Visibility.TEAM: "Team",
    Visibility.PUBLIC: "Public",
}
QUOTE_LIMIT = 280
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _e(value) -> str:
    return escape(str(value), quote=True)


def _shorten(quote: str) -> str:
    return quote if len(quote) <= QUOTE_LIMIT else quote[: QUOTE_LIMIT - 1] + "…"


class _CardRenderer:
    """Renders many cards, computing each repeated piece (a filter link, a date, an
    action URL) once: on a page of a thousand cards, that is most of the work."""

    def __init__(self, filters: AnnotationFilters, show_article: bool, list_url: str) -> None:
        self.filters = filters.active
        self.show_article = show_article
        # Filter links narrow the page they are on, or lead to the annotation list.
        self.filter_target = (list_url + "?{}") if list_url else "?{}#annotations"
        self.links: dict[tuple[str, str], str] = {}
        self.dates: dict[object, str] = {}
        self.edit_url = reverse("annotations:edit", args=[0]).replace("/0/", "/{}/")
        self.delete_url = reverse("annotations:delete", args=[0]).replace("/0/", "/{}/")
        self.reattach_url = reverse("annotations:reattach", args=[0]).replace("/0/", "/{}/")
        self.link_url = reverse("annotations:link", args=[0]).replace("/0/", "/{}/")
        self.unlink_url = reverse("annotations:unlink", args=[0]).replace("/0/", "/{}/")
        self.detail_url = reverse("annotations:detail", args=[0]).replace("/0/", "/{}/")
        self.articles: dict[str, str] = {}
        self.timezone = get_current_timezone()

    def link(self, key: str, value: str, label: str, css: str) -> str:
        cached = self.links.get((key, value))
        if cached is None:
            query = {**self.filters, key: value}
            cached = self.links[(key, value)] = (
                f'<a class="{css}" href="{_e(self.filter_target.format(urlencode(query)))}">'
                f"{_e(label)}</a>"
            )
        return cached

    def date(self, moment) -> str:
        day = moment.astimezone(self.timezone).date()
        cached = self.dates.get(day)
        if cached is None:
            cached = self.dates[day] = (
                f'<time datetime="{day.isoformat()}">{day.day} {MONTHS[day.month - 1]} {day.year}</time>'
            )
        return cached

    def article_url(self, slug: str) -> str:
        url = self.articles.get(slug)
        if url is None:
            url = self.articles[slug] = reverse("corpus:article-detail", args=[slug])
        return url

    def links_html(self, card: Card) -> str:
        """The card's cross-references, each read from this passage's side, each
        leading to the passage at its other end."""
        items = []
        for link in card.links:
            where = f"{link.other_article_title}, ¶ {link.other_position}"
            item = (
                f'<li class="card-link" id="link-{link.id}-{card.id}">'
                f'<span class="link-relation">{_e(link.phrase)}</span> '
                f'<a href="{_e(self.article_url(link.other_article_slug))}#hl-{link.other_id}">'
                f"{_e(where)}</a>"
                f'<span class="link-quote">“{_e(_shorten(link.other_exact)[:140])}”</span>'
            )
            if link.note:
                item += f'<span class="link-note">{_e(link.note)}</span>'
            if link.editable:
                item += (
                    f' <a class="card-action card-action--danger" '
                    f'href="{self.unlink_url.format(link.id)}">Remove link</a>'
                )
            items.append(item + "</li>")
        return (
            f'<section class="card-links" aria-label="Linked passages">'
            f"<ul>{''.join(items)}</ul></section>"
        )

    def card(self, card: Card) -> str:
        quote = _shorten(card.exact)
        parts = [
            f'<article class="card card--{card.stance or "plain"} card--{card.anchor_status}" id="a-{card.id}" '
            f'data-annotation-id="{card.id}" data-position="{card.position or ""}" tabindex="0" '
            f'aria-labelledby="a-{card.id}-quote">',
            '<header class="card-head">',
            f'<span class="stance stance--{card.stance or "plain"}">'
            f"{_e(stance_label(card.stance, claim=card.claim))}</span>",
            f'<span class="visibility visibility--{card.visibility}">{VISIBILITY_LABELS[card.visibility]}</span>',
        ]
        if card.review_status != ReviewStatus.APPROVED:
            parts.append(
                f'<span class="review review--{card.review_status}">'
                f"{ReviewStatus(card.review_status).label}</span>"
            )
        if card.orphaned:
            parts.append(
                '<span class="anchor-status anchor-status--orphaned">Could not be placed</span>'
            )
            if self.show_article:
                parts.append(
                    f'<a class="card-jump" href="{_e(self.article_url(card.article_slug))}'
                    f'#could-not-be-placed">{_e(card.article_title)}</a>'
                )
        elif self.show_article:
            parts.append(
                f'<a class="card-jump" href="{_e(self.article_url(card.article_slug))}'
                f'#hl-{card.id}">{_e(card.article_title)}, ¶ {card.position}</a>'
            )
        else:
            parts.append(
                f'<a class="card-jump" href="#hl-{card.id}" data-jump="{card.id}" '
                f'aria-label="Show the passage in paragraph {card.position}">¶ {card.position}</a>'
            )
        parts.append("</header>")
        parts.append(
            f'<blockquote class="card-quote" id="a-{card.id}-quote">{_e(quote)}</blockquote>'
        )
        if card.fuzzy and card.previous_exact:
            parts.append(
                '<p class="card-previous"><span class="anchor-status anchor-status--fuzzy">'
                "Placed on reworded text</span> It quoted: “"
                f"{_e(_shorten(card.previous_exact))}”</p>"
            )
        if card.review_status == ReviewStatus.REJECTED and card.review_reason:
            parts.append(
                f'<p class="card-review-reason"><strong>Rejected:</strong> {_e(card.review_reason)}</p>'
            )
        if card.claim:
            parts.append(f'<p class="card-claim">{_e(card.claim)}</p>')
        details = []
        if card.stance_target:
            details.append(
                f'<div><dt>Toward</dt><dd class="card-target">{_e(card.stance_target)}</dd></div>'
            )
        if card.source_id:
            link = self.link("source", str(card.source_id), card.source_name, "card-source")
            details.append(f"<div><dt>Source</dt><dd>{link}</dd></div>")
        if card.regions:
            links = ", ".join(
                self.link("region", str(region_id), name, "card-region")
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
                    f"<li>{self.link('tag', slug, name, 'tag')}</li>" for slug, name in card.tags
                )
                + "</ul>"
            )
        if card.links:
            parts.append(self.links_html(card))
        foot = f'<footer class="card-foot"><span class="card-author">{_e(card.author)}</span>'
        if card.team_name:
            foot += f' · <span class="card-team">{_e(card.team_name)}</span>'
        parts.append(
            foot
            + " · "
            + f'<a class="card-permalink" href="{self.detail_url.format(card.id)}" '
            + f'aria-label="The annotation\'s page: its history and review">{self.date(card.created)}</a>'
        )
        if card.linkable and not card.orphaned:
            parts.append(
                f' <a class="card-action" href="{self.link_url.format(card.id)}">Link to…</a>'
            )
        if card.editable:
            if card.orphaned or card.fuzzy:
                parts.append(
                    f' <a class="card-action card-action--primary" href="{self.reattach_url.format(card.id)}">Re-attach</a>'
                )
            parts.append(
                f' <a class="card-action" href="{self.edit_url.format(card.id)}">Edit</a>'
                f' <a class="card-action card-action--danger" href="{self.delete_url.format(card.id)}">Delete</a>'
            )
        parts.append("</footer></article>")
        return "".join(parts)


def render_cards(
    cards: list[Card],
    *,
    filters: AnnotationFilters,
    show_article: bool = False,
    list_url: str = "",
) -> SafeString:
    """The cards' HTML. Their filter links (source, region, tag) narrow the current
    page, or, given ``list_url``, open that list with ``filters`` and the one chosen."""
    renderer = _CardRenderer(filters, show_article, list_url)
    return mark_safe(  # noqa: S308 - every value above is escaped; note_html is sanitized at write
        "".join(renderer.card(card) for card in cards)
    )
