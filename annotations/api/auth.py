"""Who calls the API: a personal token (``Authorization: Bearer cr_...``), a signed-in
browser session (with Django's CSRF check on writes), or, for reads only, anyone.

A token that is wrong or revoked is refused (401) even on a read: a script whose
token was revoked must learn it, not quietly read as an anonymous visitor."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.security.base import AuthBase

from annotations.services.tokens import user_for_token


class TokenAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "A personal API token, made on the settings page (Bearer cr_...)."

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is None:
            return None  # the next way in: a session, or none
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise HttpError(401, "Send the token as “Authorization: Bearer <token>”.")
        user = user_for_token(secret.strip())
        if user is None:
            raise HttpError(401, "This token opens nothing: it was revoked, or never existed.")
        return user


def anonymous_reader(request: HttpRequest):
    """Anyone may read what is public."""
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
READ = [token_auth, session_auth, anonymous_reader]
WRITE = [token_auth, session_auth]
