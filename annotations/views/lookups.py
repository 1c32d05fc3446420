"""What the annotation form asks as the user types: regions and sources by name, and
suggestions for a selected passage. JSON, for signed-in users, through the same
visibility rules as the pages: nothing hidden is offered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from annotations.citations import normalize_name
from annotations.filters import MAX_ID
from annotations.models import Region, Source
from annotations.suggestions import suggest_for_passage
from corpus.models import Article, Paragraph

QUERY_MAX_LENGTH = 200
RESULTS = 15


def _query(request: HttpRequest) -> str | JsonResponse:
    query = request.GET.get("q", "").strip()
    if len(query) > QUERY_MAX_LENGTH or "\x00" in query:
        return JsonResponse(
            {"error": f"q takes at most {QUERY_MAX_LENGTH} characters of text"}, status=400
        )
    return query


@login_required
@require_GET
def region_search(request: HttpRequest) -> JsonResponse:
    query = _query(request)
    if isinstance(query, JsonResponse):
        return query
    query = query.casefold()
    if len(query) < 2:
        return JsonResponse({"results": []})
    ranked = []
    for region_id, name, kind, aliases, parent in Region.objects.visible_to(
        request.user
    ).values_list("id", "name", "kind", "aliases", "parent__name"):
        labels = [name, *aliases]
        if any(label.casefold().startswith(query) for label in labels):
            rank = 0 if name.casefold().startswith(query) else 1
        elif any(query in label.casefold() for label in labels):
            rank = 2
        else:
            continue
        ranked.append(
            (
                rank,
                name.casefold(),
                {"id": region_id, "name": name, "kind": kind, "parent": parent or ""},
            )
        )
    ranked.sort(key=lambda item: item[:2])
    return JsonResponse({"results": [item[2] for item in ranked[:RESULTS]]})


@login_required
@require_GET
def source_search(request: HttpRequest) -> JsonResponse:
    query = _query(request)
    if isinstance(query, JsonResponse):
        return query
    if len(query) < 2:
        return JsonResponse({"results": []})
    results, seen = [], set()
    for source in (
        Source.objects.visible_to(request.user)
        .filter(name__icontains=query)
        .order_by("name", "-curated", "pk")[: RESULTS * 3]
    ):
        key = normalize_name(source.name)
        if key in seen:
            continue  # one entry per name, whoever's it is
        seen.add(key)
        results.append(
            {"id": source.pk, "name": source.name, "kind": source.kind, "year": source.year}
        )
    return JsonResponse({"results": results[:RESULTS]})


def _offset(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if value.isascii() and value.isdigit() and len(value) <= 18 and int(value) <= MAX_ID:
        return int(value)
    return None


@login_required
@require_GET
def passage_suggestions(request: HttpRequest) -> JsonResponse:
    """Regions and sources named in a selected passage, for the annotation form."""
    paragraph_id = request.GET.get("paragraph", "")
    if not (paragraph_id.isascii() and paragraph_id.isdigit() and len(paragraph_id) <= 18):
        return JsonResponse({"error": "paragraph must be a paragraph id"}, status=400)
    exact = request.GET.get("exact", "")
    if len(exact) > 20000 or "\x00" in exact:
        return JsonResponse({"error": "exact takes at most 20,000 characters of text"}, status=400)
    paragraph = Paragraph.objects.filter(
        pk=int(paragraph_id), article__in=Article.objects.visible_to(request.user)
    ).first()
    if paragraph is None:
        return JsonResponse({"error": "no such paragraph"}, status=404)
    suggestions = suggest_for_passage(
        paragraph,
        user=request.user,
        exact=exact,
        start=_offset(request, "start"),
        end=_offset(request, "end"),
    )
    return JsonResponse(suggestions.as_json())
