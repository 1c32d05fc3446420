"""Crossread's API: the W3C Web Annotation Protocol at /api/annotations/ (django-ninja:
routing, parameters, authentication, the OpenAPI schema at /api/openapi.json).

Every error is a JSON object ``{"error": "<reason>"}`` with a 4xx status."""

from __future__ import annotations

import json

from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from annotations.api.views import router
from annotations.services.annotation_import import ImportRefusedError
from annotations.services.annotations import AnnotationConflictError
from annotations.webannotation.reading import MalformedError
from annotations.webannotation.vocabulary import MEDIA_TYPE


class AnnotationParser(Parser):
    """JSON or JSON-LD bodies (their size bounded by ``config.middleware.LimitApiBodies``);
    a body that is not JSON, or holds a NUL character, is a 400 saying so."""

    def parse_body(self, request: HttpRequest):
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError) as error:
            raise HttpError(400, f"The body is not JSON: {error}") from None
        if _holds_nul(document):
            raise HttpError(400, "A NUL character is not allowed in an annotation.")
        return document


def _holds_nul(node) -> bool:
    """Whether a parsed JSON document has a NUL character in a key or a string
    (PostgreSQL cannot store one)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


class ProtocolAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Annotations go both ways as JSON-LD with the W3C profile; errors as JSON."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method in ("get", "head", "options") and operation.get("security"):
                    operation["security"].append({})  # anyone may read what is public
                body = operation.get("requestBody", {}).get("content", {})
                if "application/json" in body:
                    body[MEDIA_TYPE] = body["application/json"]
                    body["application/ld+json"] = body["application/json"]
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("2") and "application/json" in content:
                        response["content"] = {MEDIA_TYPE: content["application/json"]}
        return schema


api = ProtocolAPI(
    title="Crossread Web Annotation Protocol",
    version="1.0",
    description=(
        "The W3C Web Annotation Protocol over Crossread's annotations. Annotations are "
        "W3C Web Annotations (JSON-LD); see the README for how Crossread's fields map "
        "to bodies and targets."
    ),
    urls_namespace="api",
    parser=AnnotationParser(),
    docs_url=None,
)
api.add_router("", router)


def _error(request, status: int, reason: str):
    return api.create_response(request, {"error": reason}, status=status)


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    # django-ninja wraps what the parser raises in its own 400: the parser's says why.
    cause = error.__cause__
    if isinstance(cause, HttpError):
        error = cause
    return _error(request, error.status_code, str(error.message))


@api.exception_handler(ValidationError)
def _validation_error(request, error: ValidationError):
    reasons = []
    for item in error.errors[:5]:
        where = ".".join(
            str(part) for part in item.get("loc", ()) if part not in ("body", "payload")
        )
        reasons.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", ""))
    return _error(request, 400, "; ".join(reasons) or "The request is not valid.")


# What the filters, the services and the readers refuse, the same way for every operation.
@api.exception_handler(BadRequest)
def _bad_request(request, error: BadRequest):
    return _error(request, 400, str(error))


@api.exception_handler(DjangoValidationError)
def _refused(request, error: DjangoValidationError):
    return _error(request, 400, " ".join(error.messages))


@api.exception_handler(MalformedError)
@api.exception_handler(ImportRefusedError)
def _unplaceable(request, error: ValueError):
    return _error(request, 400, str(error))


@api.exception_handler(PermissionDenied)
def _forbidden(request, error: PermissionDenied):
    return _error(request, 403, str(error) or "Forbidden.")


@api.exception_handler(AnnotationConflictError)
def _conflict(request, error: AnnotationConflictError):
    return _error(request, 412, "The annotation changed meanwhile: read it again.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    return _error(request, 401, "Sign in, or send a personal API token (Authorization: Bearer …).")


@api.exception_handler(Http404)
def _not_found(request, error):
    return _error(request, 404, str(error) or "Not found.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request, error):
    return _error(request, 413, "The request is too large.")
