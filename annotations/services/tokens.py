"""Making and revoking personal API tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations.models import ApiToken, token_hash

TOKEN_PREFIX = "cr_"  # noqa: S105 - recognisable in a leaked file; not a secret
NAME_MAX_LENGTH = 100
TOKENS_PER_USER = 20


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once: only its hash is kept


def token_create(*, user, name: str) -> NewToken:
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to make a token.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the token a name: what is it for?"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"A name has at most {NAME_MAX_LENGTH} characters."})
    with transaction.atomic():
        if ApiToken.objects.live().filter(user=user).count() >= TOKENS_PER_USER:
            raise ValidationError(
                {"name": f"You have {TOKENS_PER_USER} tokens: revoke one you no longer use."}
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=token_hash(secret), prefix=secret[:10]
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens: from now on it opens nothing."""
    updated = (
        ApiToken.objects.live().filter(user=user, pk=token_id).update(revoked_at=timezone.now())
    )
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise PermissionDenied("No such token of yours.")
    if not updated and token.revoked_at is None:  # pragma: no cover - a race with itself
        raise ValidationError("The token could not be revoked.")
    return token


def user_for_token(secret: str):
    """The user a live token stands for, or None. Marks it used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.live().select_related("user").filter(key_hash=token_hash(secret)).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
