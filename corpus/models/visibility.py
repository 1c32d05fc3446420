"""Who sees an article: the public corpus is everyone's; a team's article is its
members' alone (staff included: the admin shows superusers everything, the pages do
not). Its paragraphs and every annotation on it follow: the annotation rule
(``annotations.models.visibility``) starts from this one."""

from django.db import models
from django.db.models import Q

from corpus.models.teams import Membership


class ArticleVisibility(models.TextChoices):
    PUBLIC = "public", "Public: everyone"
    TEAM = "team", "Team: the team's members"


def article_condition(user, prefix: str = "") -> Q:
    """The articles ``user`` may see, as a condition (``prefix`` reaches articles from
    a related model, e.g. "article__")."""
    public = Q(**{f"{prefix}visibility": ArticleVisibility.PUBLIC})
    if user is None or not user.is_authenticated:
        return public
    my_teams = Membership.objects.filter(user=user).values("team_id")
    return public | Q(**{f"{prefix}team_id__in": my_teams})
