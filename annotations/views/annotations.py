"""Annotation pages: create, edit, re-attach, delete and restore, the list and the bin.
Thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import services
from annotations.forms import AnnotationCreateForm, AnnotationEditForm, ReattachForm, is_id
from annotations.models import Annotation, Role, Team, may_edit
from annotations.rendering import render_cards
from annotations.selectors import (
    annotation_in_bin_or_404,
    annotation_list_page,
    bin_cards,
    user_memberships,
    visible_annotation_or_404,
)
from annotations.suggestions import suggest_for_passage
from annotations.views.reader import render_reader
from corpus.models import TEXT_KINDS, Article


def form_errors_to(form, error: ValidationError) -> None:
    """A service's ValidationError, shown on the form's fields."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _text_paragraphs(article: Article) -> list:
    return list(
        article.paragraphs.filter(kind__in=TEXT_KINDS).only(
            "id", "article_id", "position", "kind", "text"
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def annotation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Create an annotation from the article page's form. Whatever goes wrong, the
    user stays on the article, with the form open and the reason next to the field."""
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    teams = services.writable_teams(request.user)
    link_from = _link_source(request)
    if request.method == "GET":
        # A link with a passage (?paragraph=&exact=): the article with the form open.
        form = AnnotationCreateForm(
            initial={key: request.GET.get(key, "")[:20000] for key in ("paragraph", "exact")},
            paragraphs=_text_paragraphs(article),
            teams=teams,
        )
        return render_reader(request, slug=slug, form=form, open_form=True, link_from=link_from)

    form = AnnotationCreateForm(request.POST, paragraphs=_text_paragraphs(article), teams=teams)
    if not form.is_valid():
        return render_reader(request, slug=slug, form=form, status=400, link_from=link_from)
    data = form.cleaned_data
    if request.POST.get("action") == "suggest":
        suggestions = suggest_for_passage(
            data["paragraph"],
            user=request.user,
            exact=data["exact"],
            start=data["start"],
            end=data["end"],
        )
        return render_reader(
            request, slug=slug, form=form, suggestions=suggestions, link_from=link_from
        )
    try:
        annotation = services.annotation_create(
            author=request.user, **form.target(), **form.body(), draft=data["draft"]
        )
    except ValidationError as error:
        form_errors_to(form, error)
        return render_reader(request, slug=slug, form=form, status=400, link_from=link_from)
    messages.success(request, "Annotation saved.")
    if link_from:
        return redirect(f"{reverse('annotations:link', args=[link_from])}?to={annotation.pk}")
    return redirect(f"{article.get_absolute_url()}#hl-{annotation.pk}")


def _link_source(request) -> int | None:
    """The passage a new annotation is made to be linked from (``?link_from=<id>``),
    when the user may see it; anything else is ignored (the annotation is still made)."""
    value = request.GET.get("link_from", "")
    if not is_id(value):
        return None
    return (
        Annotation.objects.visible_to(request.user)
        .filter(pk=int(value))
        .values_list("pk", flat=True)
        .first()
    )


def _editable_or_403(request, pk: int) -> Annotation:
    """The access helper for changing an annotation: 404 when the user may not see it
    (a hidden annotation leaves no trace), 403 when they may see but not change it."""
    annotation = visible_annotation_or_404(request.user, pk)
    roles = services.team_roles(request.user)
    if not may_edit(
        request.user,
        author_id=annotation.author_id,
        team_id=annotation.team_id,
        visibility=annotation.visibility,
        roles=roles,
    ):
        raise PermissionDenied(
            "Only its author, and the editors and owners of its team, can change this annotation."
        )
    return annotation


def _edit_initial(annotation: Annotation) -> dict:
    return {
        "claim": annotation.claim,
        "stance": annotation.stance,
        "stance_target": annotation.stance_target,
        "source_name": annotation.source.name if annotation.source else "",
        "source_kind": annotation.source.kind if annotation.source else "other",
        "regions": list(annotation.regions.all()),
        "note": annotation.note,
        "tags": list(annotation.tags.all()),
        "team": str(annotation.team_id) if annotation.team_id else "",
        "visibility": annotation.visibility,
        "version": annotation.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _editable_or_403(request, pk)
    teams = services.writable_teams(request.user)
    if annotation.team and annotation.team not in teams:
        teams.append(annotation.team)  # an editor keeps the annotation in its team
    context = {"annotation": annotation, "article": annotation.article}
    if request.method == "GET":
        form = AnnotationEditForm(initial=_edit_initial(annotation), teams=teams)
        return render(request, "annotations/edit.html", {**context, "form": form})

    form = AnnotationEditForm(request.POST, teams=teams)
    if not form.is_valid():
        return render(request, "annotations/edit.html", {**context, "form": form}, status=400)
    try:
        updated = services.annotation_update(
            annotation=annotation,
            editor=request.user,
            expected_version=form.cleaned_data["version"],
            **form.body(),
        )
    except services.AnnotationConflictError as conflict:
        current = visible_annotation_or_404(request.user, conflict.current.pk)
        # Keep what the user typed, but let a second save knowingly replace the new version.
        data = request.POST.copy()
        data["version"] = current.version
        form = AnnotationEditForm(data, teams=teams)
        form.is_valid()
        return render(
            request,
            "annotations/edit.html",
            {
                **context,
                "form": form,
                "conflict": current,
                "conflict_regions": current.regions.all(),
            },
            status=409,
        )
    except ValidationError as error:
        form_errors_to(form, error)
        return render(request, "annotations/edit.html", {**context, "form": form}, status=400)
    messages.success(request, "Annotation updated.")
    return redirect(f"{updated.article.get_absolute_url()}#hl-{updated.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_reattach(request: HttpRequest, pk: int) -> HttpResponse:
    """Place an annotation that could not be placed (or was placed fuzzily) on the
    passage a person selects: the article page, with the panel in re-attach mode."""
    annotation = _editable_or_403(request, pk)
    article = annotation.article
    paragraphs = _text_paragraphs(article)
    if request.method == "GET":
        form = ReattachForm(initial={"version": annotation.version}, paragraphs=paragraphs)
        return render_reader(request, slug=article.slug, reattach=annotation, reattach_form=form)
    form = ReattachForm(request.POST, paragraphs=paragraphs)
    if not form.is_valid():
        return render_reader(
            request, slug=article.slug, reattach=annotation, reattach_form=form, status=400
        )
    try:
        services.annotation_reattach(
            annotation=annotation,
            editor=request.user,
            expected_version=form.cleaned_data["version"],
            **form.target(),
        )
    except services.AnnotationConflictError:
        form.add_error(
            None,
            "Someone changed this annotation since you opened this page: "
            "look at it again, then select the passage.",
        )
        return render_reader(
            request, slug=article.slug, reattach=annotation, reattach_form=form, status=409
        )
    except ValidationError as error:
        form_errors_to(form, error)
        return render_reader(
            request, slug=article.slug, reattach=annotation, reattach_form=form, status=400
        )
    messages.success(request, "Annotation re-attached.")
    return redirect(f"{article.get_absolute_url()}#hl-{annotation.pk}")


def posted_version(request) -> int | None:
    """The version a form was filled at, or None when it is not one."""
    value = request.POST.get("version", "")
    return int(value) if is_id(value) else None


@login_required
@require_http_methods(["GET", "POST"])
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _editable_or_403(request, pk)
    if request.method == "GET":
        return render(request, "annotations/delete.html", {"annotation": annotation})
    try:
        services.annotation_delete(
            annotation=annotation, user=request.user, expected_version=posted_version(request)
        )
    except services.AnnotationConflictError as conflict:
        return render(
            request,
            "annotations/delete.html",
            {"annotation": conflict.current, "conflict": True},
            status=409,
        )
    except ValidationError as error:
        return render(
            request,
            "annotations/delete.html",
            {"annotation": annotation, "error": " ".join(error.messages)},
            status=400,
        )
    messages.success(request, "Annotation moved to the bin: you can restore it from there.")
    return redirect(annotation.article.get_absolute_url())


@login_required
@require_GET
def annotation_bin(request: HttpRequest) -> HttpResponse:
    """Deleted annotations the user may restore; the bins they may empty."""
    memberships = user_memberships(request.user)
    cards = bin_cards(request.user, memberships)
    owned = {pk for pk, team in memberships.items() if team.role == Role.OWNER}
    emptiable = sorted(
        {
            (card.team_slug, card.team_name)
            for card in cards
            if card.team_id in owned and card.visibility != "private"
        }
    )
    own_private = any(
        card.visibility == "private" and card.author_id == request.user.pk for card in cards
    )
    return render(
        request,
        "annotations/bin.html",
        {"cards": cards, "emptiable": emptiable, "own_private": own_private},
    )


@login_required
@require_POST
def annotation_bin_empty(request: HttpRequest) -> HttpResponse:
    """Empty a team's bin (its owners) or one's own private bin."""
    slug = request.POST.get("team", "")
    team = None
    if slug:
        team = Team.objects.filter(slug=slug, memberships__user=request.user).first()
        if team is None:
            raise Http404("No such team.")
    count = services.annotation_bin_empty(actor=request.user, team=team)
    messages.success(request, f"{count} annotation{'s' if count != 1 else ''} deleted for good.")
    return redirect(reverse("annotations:bin"))


@login_required
@require_POST
def annotation_restore(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = annotation_in_bin_or_404(request.user, pk)
    services.annotation_restore(annotation=annotation, user=request.user)
    messages.success(request, "Annotation restored.")
    return redirect(f"{annotation.article.get_absolute_url()}#hl-{annotation.pk}")


@require_GET
def annotation_list(request: HttpRequest) -> HttpResponse:
    """Every annotation the viewer may see, across the corpus, filtered and paginated."""
    listing = annotation_list_page(request.user, request.GET, user_memberships(request.user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "annotations/list.html",
        {
            "listing": listing,
            "cards_html": render_cards(listing.cards, filters=listing.filters, show_article=True),
            "filter_query": query.urlencode(),
            "list_url": reverse("annotations:list"),
        },
    )
