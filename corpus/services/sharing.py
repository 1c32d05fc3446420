"""Who sees an article: its team's owners and editors share it with everyone or take
it back to the team (sharing is a deliberate step, confirmed); moving it to another
team is for someone who owns both. An article of the public corpus (no team) is
staff's to curate."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from corpus.models import CURATING_ROLES, Article, ArticleVisibility, Membership, Role, Team

logger = logging.getLogger(__name__)


def _roles(user) -> dict[int, str]:
    return dict(Membership.objects.filter(user=user).values_list("team_id", "role"))


def may_change_sharing(user, article: Article, roles: Mapping[int, str] | None = None) -> bool:
    """Whether ``user`` may change who sees the article. ``roles`` (team id to role),
    when the caller has them, saves a query."""
    if not user.is_authenticated:
        return False
    if article.team_id is None:
        return user.is_staff
    roles = _roles(user) if roles is None else roles
    return roles.get(article.team_id) in CURATING_ROLES


@transaction.atomic
def article_share(
    *, article: Article, actor, visibility: str, team: Team | None, confirmed: bool = False
) -> Article:
    """Give the article this visibility and team, or refuse with the reason."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not may_change_sharing(actor, locked):
        raise PermissionDenied("Only the team's owners and editors change who sees its articles.")
    if visibility not in ArticleVisibility.values:
        raise ValidationError({"visibility": f"Unknown visibility {visibility!r}."})
    roles = _roles(actor)
    if (team.pk if team else None) != locked.team_id:
        if team is None:
            raise ValidationError(
                {"team": "An article of a team stays with a team: share it instead."}
            )
        may_give = (
            actor.is_staff if locked.team_id is None else roles.get(locked.team_id) == Role.OWNER
        )
        if not (may_give and roles.get(team.pk) == Role.OWNER):
            raise ValidationError(
                {"team": "Moving an article to another team is for someone who owns both teams."}
            )
    if visibility == ArticleVisibility.TEAM and team is None:
        raise ValidationError({"team": "A team article needs a team."})
    if (
        visibility == ArticleVisibility.PUBLIC
        and locked.visibility != ArticleVisibility.PUBLIC
        and not confirmed
    ):
        raise ValidationError(
            {
                "confirm": "Sharing makes the article, and its public annotations, visible to "
                "everyone, signed in or not: confirm to go on."
            }
        )
    locked.team = team
    locked.visibility = visibility
    locked.save(update_fields=["team", "visibility", "updated_at"])
    logger.info("article %s: %s, team %s, by %s", locked.pk, visibility, team, actor)
    return locked
