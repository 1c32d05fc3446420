"""A team's review page (what awaits review, agreement on stance, passages read
differently side by side, adopting one reading), its activity, and its review setting.
Members only: anyone else gets a 404, as for the team's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotations import services
from annotations.forms import is_id
from annotations.models import CURATING_ROLES, Annotation
from annotations.review import team_activity, team_review
from annotations.selectors import user_memberships
from annotations.services.teams import team_review_setting
from annotations.views.teams import _team_for_member_or_404, team_url


def _review_url(slug: str) -> str:
    return reverse("annotations:team-review", kwargs={"slug": slug})


@login_required
@require_GET
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    team, membership = _team_for_member_or_404(request.user, slug)
    page = team_review(
        request.user,
        team,
        user_memberships(request.user),
        article_slug=request.GET.get("article", ""),
    )
    return render(
        request,
        "annotations/team_review.html",
        {"page": page, "membership": membership, "curator": membership.role in CURATING_ROLES},
    )


def _versions(request) -> dict[int, int]:
    versions = {}
    for key, value in request.POST.items():
        if key.startswith("version-") and is_id(key[8:]) and is_id(value):
            versions[int(key[8:])] = int(value)
    return versions


@login_required
@require_POST
def reading_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """Adopt one reading of a passage: the others are rejected, naming it."""
    team, _ = _team_for_member_or_404(request.user, slug)
    ids = [int(value) for value in request.POST.getlist("reading") if is_id(value)]
    chosen = request.POST.get("adopt", "")
    visible = {
        annotation.pk: annotation
        for annotation in Annotation.objects.visible_to(request.user).filter(pk__in=ids, team=team)
    }
    if not is_id(chosen) or int(chosen) not in visible or len(visible) < 2:
        messages.error(request, "Choose one of two or more readings of a passage of this team.")
        return redirect(_review_url(slug))
    adopted = visible.pop(int(chosen))
    try:
        services.reading_adopt(
            adopted=adopted,
            others=list(visible.values()),
            user=request.user,
            expected_versions=_versions(request),
        )
    except services.AnnotationConflictError:
        messages.error(request, "One of these readings changed meanwhile: look at them again.")
        return redirect(_review_url(slug))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_review_url(slug))
    messages.success(
        request, f"{adopted.author.get_username()}'s reading adopted; the others are kept."
    )
    return redirect(_review_url(slug))


@login_required
@require_GET
def activity_page(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = _team_for_member_or_404(request.user, slug)
    page, entries = team_activity(request.user, team, request.GET.get("page", 1))
    return render(
        request, "annotations/team_activity.html", {"team": team, "page": page, "entries": entries}
    )


@login_required
@require_POST
def review_setting(request: HttpRequest, slug: str) -> HttpResponse:
    team, _ = _team_for_member_or_404(request.user, slug)
    review_required = request.POST.get("review_required") == "on"
    team_review_setting(team=team, actor=request.user, review_required=review_required)
    messages.success(
        request,
        "Review is on: new annotations await an editor's approval."
        if review_required
        else "Review is off: new annotations start approved.",
    )
    return redirect(team_url(team))
