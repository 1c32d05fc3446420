"""Who sees an article: the page where a team's owners and editors share it with
everyone (after confirming), take it back to the team, or move it to another team."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from annotations.views.annotations import form_errors_to
from corpus.models import Article, ArticleVisibility, Role, Team
from corpus.services.sharing import article_share, may_change_sharing


class SharingForm(forms.Form):
    visibility = forms.ChoiceField(choices=ArticleVisibility.choices, widget=forms.RadioSelect)
    team = forms.ChoiceField(choices=(), label="Team")
    confirm = forms.BooleanField(
        required=False,
        label="I mean it: everyone, signed in or not, will read this article and its public "
        "annotations.",
    )

    def __init__(self, *args, teams: list[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.fields["team"].choices = [(str(team.pk), team.name) for team in teams]

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]


@login_required
@require_http_methods(["GET", "POST"])
def article_sharing(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("team"), slug=slug
    )
    if not may_change_sharing(request.user, article):
        raise PermissionDenied("Only the team's owners and editors change who sees its articles.")
    # The teams it may go to: its own, and those the user owns (for a move).
    teams = list(Team.objects.filter(memberships__user=request.user, memberships__role=Role.OWNER))
    if article.team and article.team not in teams:
        teams.insert(0, article.team)
    initial = {"visibility": article.visibility, "team": str(article.team_id or "")}
    if request.method == "GET":
        form = SharingForm(initial=initial, teams=teams)
        return render(request, "corpus/sharing.html", {"article": article, "form": form})
    form = SharingForm(request.POST, teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        try:
            article_share(
                article=article,
                actor=request.user,
                visibility=data["visibility"],
                team=data["team"],
                confirmed=data["confirm"],
            )
        except ValidationError as error:
            form_errors_to(form, error)
        else:
            messages.success(request, "Who sees the article is changed.")
            return redirect(article.get_absolute_url())
    return render(request, "corpus/sharing.html", {"article": article, "form": form}, status=400)
