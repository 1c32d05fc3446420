"""Cross-references between passages: the "Link to…" page (suggested passages and a
search over other articles), removing a link and bringing it back. Works without
JavaScript: every choice is a form control."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from annotations import services
from annotations.filters import AnnotationFilters
from annotations.forms import LinkForm, is_id
from annotations.linking import load_candidates, suggested_links
from annotations.models import Annotation, CrossReference, may_edit, relation_phrase
from annotations.rendering import render_cards
from annotations.selectors import load_cards, user_memberships, visible_annotation_or_404
from annotations.views.annotations import form_errors_to
from corpus.models import TEXT_KINDS, Paragraph, article_condition


def _search_candidates(request, annotation: Annotation):
    """Passages of other articles matching the page's search (the site's search)."""
    from annotations.search import search_passages

    page = search_passages(
        request.user, request.GET, exclude_article_id=annotation.article_id, page_size=20
    )
    candidates = load_candidates(request.user, [result.paragraph_id for result in page.results])
    snippets = {result.paragraph_id: result.snippet_html for result in page.results}
    return page, [(candidate, snippets.get(candidate.paragraph_id)) for candidate in candidates]


def _render_link_page(request, annotation: Annotation, form: LinkForm, status: int = 200):
    memberships = user_memberships(request.user)
    query = request.GET.get("q", "").strip()
    search = results = None
    if query:
        search, results = _search_candidates(request, annotation)
    suggestions = [] if query else suggested_links(request.user, annotation)
    # Back from marking a passage of another article to link it: offer it first.
    marked = _marked_passage(request, annotation)
    if marked is not None:
        suggestions = [marked, *(c for c in suggestions if c.paragraph_id != marked.paragraph_id)]
    card = render_cards(
        load_cards([annotation.pk], request.user, memberships),
        filters=AnnotationFilters(),
        show_article=True,
    )
    return render(
        request,
        "annotations/link.html",
        {
            "annotation": annotation,
            "card_html": card,
            "form": form,
            "query": query,
            "search": search,
            "results": results,
            "suggestions": suggestions,
        },
        status=status,
    )


def _marked_passage(request, annotation: Annotation):
    value = request.GET.get("to", "")
    if not is_id(value):
        return None
    paragraph_id = (
        Annotation.objects.visible_to(request.user)
        .filter(pk=int(value), paragraph__isnull=False)
        .exclude(article_id=annotation.article_id)
        .values_list("paragraph_id", flat=True)
        .first()
    )
    found = load_candidates(request.user, [paragraph_id]) if paragraph_id else []
    return found[0] if found else None


def _link_form(request, annotation: Annotation, data=None) -> LinkForm:
    teams = services.writable_teams(request.user)
    initial = {
        "team": str(annotation.team_id or "")
        if any(team.pk == annotation.team_id for team in teams)
        else "",
        "visibility": annotation.visibility
        if annotation.team_id and any(team.pk == annotation.team_id for team in teams)
        else "private",
    }
    return LinkForm(data, teams=teams, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def annotation_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a passage to another: pick a suggested or searched passage, choose the
    relation, save. Both ends then show the link."""
    annotation = visible_annotation_or_404(request.user, pk)
    if annotation.is_orphaned:
        raise Http404("This annotation could not be placed: re-attach it before linking it.")
    if request.method == "GET":
        return _render_link_page(request, annotation, _link_form(request, annotation))
    form = _link_form(request, annotation, request.POST)
    if not form.is_valid():
        return _render_link_page(request, annotation, form, status=400)
    data = form.cleaned_data
    common = {
        "author": request.user,
        "from_annotation": annotation,
        "relation": data["relation"],
        "note": data["note"],
        "team": data["team"],
        "visibility": data["visibility"],
    }
    try:
        if form.target_kind == "annotation":
            target = Annotation.objects.visible_to(request.user).filter(pk=form.target_id).first()
            if target is None:
                raise ValidationError(
                    {"target": "There is no such passage among those you can see."}
                )
            link = services.crossreference_create(to_annotation=target, **common)
        else:
            paragraph = (
                Paragraph.objects.filter(article_condition(request.user, "article__"))
                .filter(pk=form.target_id, kind__in=TEXT_KINDS)
                .first()
            )
            if paragraph is None:
                raise ValidationError(
                    {"target": "There is no such passage among those you can see."}
                )
            link = services.crossreference_create_to_passage(
                paragraph=paragraph, exact=paragraph.text, **common
            )
    except ValidationError as error:
        form_errors_to(form, error)
        return _render_link_page(request, annotation, form, status=400)
    messages.success(
        request, f"Linked: this passage {relation_phrase(link.relation, outgoing=True)} the other."
    )
    return redirect(f"{annotation.article.get_absolute_url()}#a-{annotation.pk}")


def _link_or_404(request, pk: int, *, deleted: bool) -> CrossReference:
    """A link the user may see (both ends included) and change; 404 when they may not
    see it, 403 when they may see but not change it."""
    links = CrossReference.objects.select_related(
        "from_annotation__article", "to_annotation__article"
    )
    if deleted:
        link = links.filter(pk=pk, deleted_at__isnull=False).first()
        ends = [link.from_annotation_id, link.to_annotation_id] if link else []
        if link is not None and Annotation.objects.visible_to(request.user).filter(
            pk__in=ends
        ).count() != len(set(ends)):
            link = None
    else:
        link = links.visible_to(request.user).filter(pk=pk).first()
    if link is None:
        raise Http404("No such link.")
    if not may_edit(
        request.user,
        author_id=link.author_id,
        team_id=link.team_id,
        visibility=link.visibility,
        roles=services.team_roles(request.user),
    ):
        if deleted:
            raise Http404("No such link.")
        raise PermissionDenied(
            "Only its author, and the editors and owners of its team, can remove this link."
        )
    return link


@login_required
@require_http_methods(["GET", "POST"])
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then remove a link (it can be brought back)."""
    link = _link_or_404(request, pk, deleted=False)
    if request.method == "POST":
        services.crossreference_delete(link=link, user=request.user)
        return render(request, "annotations/link_removed.html", {"link": link})
    return render(request, "annotations/link_remove.html", {"link": link})


@login_required
@require_POST
def link_restore(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link_or_404(request, pk, deleted=True)
    try:
        services.crossreference_restore(link=link, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The link is back.")
    return redirect(
        f"{link.from_annotation.article.get_absolute_url()}#a-{link.from_annotation_id}"
    )
