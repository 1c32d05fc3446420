"""Team pages: your teams, their members and roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import services
from annotations.forms import MembershipAddForm, MembershipRoleForm, TeamCreateForm
from annotations.models import Membership, Role, Team
from annotations.views.annotations import form_errors_to


def team_url(team: Team) -> str:
    return reverse("annotations:team-detail", kwargs={"slug": team.slug})


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
            try:
                team = services.team_create(name=form.cleaned_data["name"], owner=request.user)
            except ValidationError as error:
                form_errors_to(form, error)
            else:
                messages.success(request, f"Team “{team.name}” created; you are its owner.")
                return redirect(team_url(team))
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
    return redirect(team_url(team))


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
