"""Annotation and team pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import services
from annotations.forms import (
    AnnotationCreateForm,
    AnnotationEditForm,
    MembershipAddForm,
    MembershipRoleForm,
    TeamCreateForm,
)
from annotations.models import (
    Annotation,
    Membership,
    Region,
    Role,
    Source,
    Stance,
    Team,
)
from annotations.rendering import render_cards
from annotations.selectors import (
    FILTER_KEYS,
    Facet,
    FacetOption,
    load_cards,
    parse_filters,
    user_memberships,
    visible_annotation_or_404,
)
from annotations.suggestions import suggest_for_passage
from corpus.models import Article, Paragraph


def _form_errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _annotate_page(request, article, form, *, status=200, suggestions=None) -> HttpResponse:
    return render(
        request,
        "annotations/annotate.html",
        {
            "article": article,
            "form": form,
            "suggestions": suggestions,
            "region_options": form.region_options(suggestions.regions if suggestions else []),
        },
        status=status,
    )


# ----------------------------------------------------------------------- annotations


@login_required
@require_http_methods(["GET", "POST"])
def annotation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Create an annotation. The article page's form posts here; GET (and a failed POST)
    shows the form on a page of its own, which also works without JavaScript."""
    article = get_object_or_404(Article, slug=slug)
    paragraphs = list(article.paragraphs.only("id", "article_id", "position", "kind", "text"))
    teams = services.writable_teams(request.user)
    if request.method == "GET":
        initial = {
            "paragraph": request.GET.get("paragraph", ""),
            "exact": request.GET.get("exact", ""),
        }
        form = AnnotationCreateForm(initial=initial, paragraphs=paragraphs, teams=teams)
        return _annotate_page(request, article, form)

    form = AnnotationCreateForm(request.POST, paragraphs=paragraphs, teams=teams)
    if not form.is_valid():
        return _annotate_page(request, article, form, status=400)
    data = form.cleaned_data
    if request.POST.get("action") == "suggest":
        suggestions = suggest_for_passage(
            data["paragraph"], exact=data["exact"], start=data["start"], end=data["end"]
        )
        return _annotate_page(request, article, form, suggestions=suggestions)
    try:
        annotation = services.annotation_create(
            author=request.user,
            paragraph=data["paragraph"],
            exact=data["exact"],
            start=data["start"],
            end=data["end"],
            prefix=data["prefix"],
            suffix=data["suffix"],
            **form.body(),
        )
    except ValidationError as error:
        _form_errors_to(form, error)
        return _annotate_page(request, article, form, status=400)
    messages.success(request, "Annotation saved.")
    return redirect(f"{article.get_absolute_url()}#hl-{annotation.pk}")


def _editable_or_403(request, pk: int) -> Annotation:
    annotation = visible_annotation_or_404(request.user, pk)
    if not Annotation.objects.editable_by(request.user).filter(pk=pk).exists():
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
    data = form.cleaned_data
    try:
        updated = services.annotation_update(
            annotation=annotation,
            editor=request.user,
            expected_version=data["version"],
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
        _form_errors_to(form, error)
        return render(request, "annotations/edit.html", {**context, "form": form}, status=400)
    messages.success(request, "Annotation updated.")
    return redirect(f"{updated.article.get_absolute_url()}#hl-{updated.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _editable_or_403(request, pk)
    if request.method == "GET":
        return render(request, "annotations/delete.html", {"annotation": annotation})
    version = request.POST.get("version", "")
    try:
        services.annotation_delete(
            annotation=annotation,
            user=request.user,
            expected_version=int(version) if version.isdigit() else None,
        )
    except services.AnnotationConflictError as conflict:
        return render(
            request,
            "annotations/delete.html",
            {"annotation": conflict.current, "conflict": True},
            status=409,
        )
    messages.success(request, "Annotation deleted.")
    return redirect(annotation.article.get_absolute_url())


_FACET_FIELDS = {
    "stance": ("stance", None),
    "team": ("team__slug", "team__name"),
    "region": ("regions__id", "regions__name"),
    "source": ("source_id", "source__name"),
    "tag": ("tags__slug", "tags__name"),
    "author": ("author__username", None),
}


def _db_filters(filters: dict[str, str]) -> dict[str, str]:
    lookups = {}
    for key, value in filters.items():
        if value:
            lookups[_FACET_FIELDS[key][0]] = value
    return lookups


@require_GET
def annotation_list(request: HttpRequest) -> HttpResponse:
    """Every annotation the viewer may see, across the corpus, filtered and paginated."""
    filters = parse_filters(request.GET)
    visible = Annotation.objects.visible_to(request.user)
    facets = []
    for key in FILTER_KEYS:
        value_field, label_field = _FACET_FIELDS[key]
        others = {k: v for k, v in filters.items() if k != key}
        fields = [value_field] + ([label_field] if label_field else [])
        rows = (
            visible.filter(**_db_filters(others))
            .exclude(**{f"{value_field}__isnull": True})
            .values(*fields)
            .annotate(count=Count("id", distinct=True))
            .order_by(label_field or value_field)
        )
        options = [
            FacetOption(
                value=str(row[value_field]),
                label=Stance(row[value_field]).label
                if key == "stance"
                else str(row[label_field or value_field]),
                count=row["count"],
                selected=str(row[value_field]) == filters[key],
            )
            for row in rows
        ]
        facets.append(Facet(key=key, label=key.capitalize(), options=options))
    shown = visible.filter(**_db_filters(filters)).order_by("-created", "-id")
    paginator = Paginator(shown.values_list("id", flat=True), 50)
    page = paginator.get_page(request.GET.get("page"))
    memberships = user_memberships(request.user)
    cards = load_cards(
        Annotation.objects.filter(id__in=list(page.object_list)).order_by("-created", "-id"),
        request.user,
        memberships,
        with_article=True,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "annotations/list.html",
        {
            "facets": facets,
            "filters": filters,
            "page_obj": page,
            "paginator": paginator,
            "cards_html": render_cards(cards, filters=filters, show_article=True),
            "card_count": len(cards),
            "filter_query": query.urlencode(),
        },
    )


# ----------------------------------------------------------------------- type-ahead


@login_required
@require_GET
def region_search(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip().casefold()
    if len(query) < 2:
        return JsonResponse({"results": []})
    results = []
    for region_id, name, kind, aliases, parent in Region.objects.values_list(
        "id", "name", "kind", "aliases", "parent__name"
    ):
        labels = [name, *aliases]
        if any(label.casefold().startswith(query) for label in labels):
            rank = 0 if name.casefold().startswith(query) else 1
        elif any(query in label.casefold() for label in labels):
            rank = 2
        else:
            continue
        results.append(
            (
                rank,
                name.casefold(),
                {"id": region_id, "name": name, "kind": kind, "parent": parent or ""},
            )
        )
    results.sort(key=lambda item: item[:2])
    return JsonResponse({"results": [item[2] for item in results[:15]]})


@login_required
@require_GET
def source_search(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()
    if len(query) < 2:
        return JsonResponse({"results": []})
    sources = Source.objects.filter(name__icontains=query).order_by("name")[:15]
    return JsonResponse(
        {"results": [{"id": s.pk, "name": s.name, "kind": s.kind, "year": s.year} for s in sources]}
    )


@login_required
@require_GET
def passage_suggestions(request: HttpRequest) -> JsonResponse:
    """Regions and sources named in a selected passage, for the annotation form."""
    paragraph_id = request.GET.get("paragraph", "")
    if not paragraph_id.isdigit():
        return JsonResponse({"error": "paragraph must be a paragraph id"}, status=400)
    paragraph = Paragraph.objects.filter(pk=paragraph_id).first()
    if paragraph is None:
        return JsonResponse({"error": "no such paragraph"}, status=404)

    def offset(name):
        value = request.GET.get(name, "")
        return int(value) if value.lstrip("-").isdigit() else None

    suggestions = suggest_for_passage(
        paragraph, exact=request.GET.get("exact", ""), start=offset("start"), end=offset("end")
    )
    return JsonResponse(suggestions.as_json())


# ----------------------------------------------------------------------- teams


def _team_for_member_or_404(user, slug: str) -> tuple[Team, Membership]:
    """The access helper for teams: members see their team; others get a 404."""
    membership = (
        Membership.objects.select_related("team").filter(team__slug=slug, user=user).first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404("No such team.")
    return membership.team, membership


@login_required
@require_http_methods(["GET", "POST"])
def team_list(request: HttpRequest) -> HttpResponse:
    form = TeamCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            team = services.team_create(name=form.cleaned_data["name"], owner=request.user)
            messages.success(request, f"Team “{team.name}” created; you are its owner.")
            return redirect(team.get_absolute_url())
        status = 400
    else:
        status = 200
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("team")
        .annotate(member_count=Count("team__memberships"))
        .order_by("team__name")
    )
    return render(
        request,
        "annotations/team_list.html",
        {"memberships": memberships, "form": form},
        status=status,
    )


def _team_page(request, team: Team, membership: Membership, *, status: int = 200) -> HttpResponse:
    members = list(team.memberships.select_related("user").order_by("user__username"))
    return render(
        request,
        "annotations/team_detail.html",
        {
            "team": team,
            "membership": membership,
            "members": members,
            "is_owner": membership.role == Role.OWNER,
            "roles": Role.choices,
        },
        status=status,
    )


@login_required
@require_GET
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = _team_for_member_or_404(request.user, slug)
    return _team_page(request, team, membership)


def _team_action(request, slug: str, action) -> HttpResponse:
    team, membership = _team_for_member_or_404(request.user, slug)
    try:
        message = action(team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _team_page(request, team, membership, status=400)
    messages.success(request, message)
    return redirect(team.get_absolute_url())


@login_required
@require_POST
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    form = MembershipAddForm(request.POST)

    def add(team):
        if not form.is_valid():
            raise ValidationError(
                [f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()]
            )
        membership = services.membership_add(
            team=team,
            actor=request.user,
            username=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )
        return (
            f"{membership.user.get_username()} joined as {membership.get_role_display().lower()}."
        )

    return _team_action(request, slug, add)


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    form = MembershipRoleForm(request.POST)

    def change(team):
        membership = get_object_or_404(Membership, pk=pk, team=team)
        if not form.is_valid():
            raise ValidationError("Unknown role.")
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
        return f"{membership.user.get_username()} is now {membership.get_role_display().lower()}."

    return _team_action(request, slug, change)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def remove(team):
        membership = get_object_or_404(Membership, pk=pk, team=team)
        name = membership.user.get_username()
        services.membership_remove(membership=membership, actor=request.user)
        return f"{name} left the team."

    response = _team_action(request, slug, remove)
    # Removing oneself leaves nothing to see on the team page.
    if (
        response.status_code == 302
        and not Membership.objects.filter(team__slug=slug, user=request.user).exists()
    ):
        return redirect(reverse("annotations:team-list"))
    return response
