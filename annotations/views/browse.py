"""Reading across articles: the regions, the sources, and the corpus overview. Thin
views over ``annotations.browse``; the charts' geometry is ``annotations.charts``.

Anyone may read these pages; each counts only what its viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from annotations.browse import ArticleCount, CardGroup
from annotations.browse.overview import corpus_overview
from annotations.browse.regions import region_or_404, region_page, region_tree
from annotations.browse.sources import source_list_page, source_page, visible_source_or_404
from annotations.charts import bar_chart, circle_graph
from annotations.filters import AnnotationFilters
from annotations.rendering import render_cards
from annotations.selectors import user_memberships


@dataclass(frozen=True, slots=True)
class ShownGroup:
    """An article's cards on a region's or source's page, rendered."""

    article: ArticleCount
    continued: bool
    cards_html: SafeString


def _shown(groups: list[CardGroup]) -> list[ShownGroup]:
    no_filters = AnnotationFilters()
    return [
        ShownGroup(
            article=group.article,
            continued=group.continued,
            cards_html=render_cards(group.cards, filters=no_filters, show_article=True),
        )
        for group in groups
    ]


def _to_the_list(request: HttpRequest, **scope) -> HttpResponse | None:
    """A card's filter links (a tag, a source, a region) narrow the page they are on:
    here, that is the annotation list, narrowed to this page's region or source and
    to the filter chosen. Filters that cannot be are a 400, as everywhere."""
    filters = AnnotationFilters.from_query(request.GET)
    if not filters:
        return None
    query = {**{key: str(value) for key, value in scope.items()}, **filters.active}
    ordered = [(key, query[key]) for key in AnnotationFilters.KEYS if key in query]
    return redirect(f"{reverse('annotations:list')}?{urlencode(ordered)}")


@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    """The regions the visible claims are about, nested, with rolled-up counts."""
    return render(request, "annotations/region_list.html", {"tree": region_tree(request.user)})


@require_GET
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A region's claims across articles (places within it included)."""
    region = region_or_404(request.user, pk)
    narrowed = _to_the_list(request, region=pk)
    if narrowed is not None:
        return narrowed
    page = region_page(request.user, region, request.GET, user_memberships(request.user))
    return render(
        request,
        "annotations/region_detail.html",
        {"region": page, "groups": _shown(page.groups)},
    )


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    """Every cited source the viewer may see, the most cited first."""
    return render(
        request,
        "annotations/source_list.html",
        {"listing": source_list_page(request.user, request.GET)},
    )


@require_GET
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A source's passages across articles; 404 for a source the viewer may not see."""
    source = visible_source_or_404(request.user, pk)
    narrowed = _to_the_list(request, source=pk)
    if narrowed is not None:
        return narrowed
    page = source_page(request.user, source, request.GET, user_memberships(request.user))
    return render(
        request,
        "annotations/source_detail.html",
        {"source": page, "groups": _shown(page.groups)},
    )


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The corpus in pictures: stance by country, annotations per article, the most
    cited sources, and the cross-references between articles."""
    numbers = corpus_overview(request.user, request.GET)
    return render(
        request,
        "annotations/overview.html",
        {
            "overview": numbers,
            "by_country": bar_chart(numbers.by_country),
            "by_article": bar_chart(numbers.by_article),
            "by_source": bar_chart(numbers.by_source),
            "graph": circle_graph(numbers.graph.nodes, numbers.graph.edges)
            if numbers.graph.edges
            else None,
        },
    )
