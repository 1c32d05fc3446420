"""The search page: full-text search over the passages and annotations the viewer may
see (the selector is ``annotations.search``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.search import SearchPage, search_passages


@dataclass(frozen=True, slots=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    href: str  # the search with this option chosen, or without it when it is


@dataclass(frozen=True, slots=True)
class FacetLinks:
    key: str
    label: str
    links: list[FacetLink]
    clear_href: str  # the search without this filter; "" when it has none


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over the passages (and their annotations) the viewer may see."""
    found = search_passages(request.user, request.GET)
    kept = _kept(found)
    paginator = Paginator(range(found.total), found.page_size)
    return render(
        request,
        "annotations/search.html",
        {
            "search": found,
            "facets": _facet_links(found, kept),
            "paginator": paginator,
            "page_obj": paginator.page(found.page),
            "filter_query": kept.urlencode(),
        },
    )


def _kept(found: SearchPage) -> QueryDict:
    """The search and its filters, as a query string to build links on."""
    kept = QueryDict(mutable=True)
    kept["q"] = found.query
    kept.update(found.filters)
    return kept


def _facet_links(found: SearchPage, kept: QueryDict) -> list[FacetLinks]:
    facets = []
    for facet in found.facets:
        keys = ("from", "to") if facet.key == "year" else (facet.key,)
        cleared = kept.copy()
        for key in keys:
            cleared.pop(key, None)
        links = []
        for option in facet.options:
            chosen = cleared.copy()
            if not option.selected:
                if facet.key == "year":
                    chosen["from"], chosen["to"] = f"{option.value}-01-01", f"{option.value}-12-31"
                else:
                    chosen[facet.key] = option.value
            links.append(
                FacetLink(
                    label=option.label,
                    count=option.count,
                    selected=option.selected,
                    href="?" + chosen.urlencode(),
                )
            )
        active = any(key in found.filters for key in keys)
        facets.append(
            FacetLinks(
                key=facet.key,
                label=facet.label,
                links=links,
                clear_href="?" + cleared.urlencode() if active else "",
            )
        )
    return facets
