"""Annotations in and out: the export download (W3C JSON-LD or CSV) of what the list's
filters select, the import page for W3C or Hypothesis files, and the settings page's
API tokens."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import services
from annotations.exports import ExportSelection, jsonld_chunks
from annotations.filters import AnnotationFilters
from annotations.forms import AnnotationImportForm, TokenCreateForm
from annotations.models import ApiToken
from annotations.services.annotation_import import ImportRefusedError, annotations_import
from annotations.services.tokens import token_create, token_revoke
from annotations.spreadsheet import export_lines
from annotations.views.annotations import form_errors_to
from annotations.webannotation.reading import MalformedError, read_document

FORMATS = ("jsonld", "csv")
IMPORT_MAX_BYTES = 200 * 1024 * 1024


@require_GET
def annotation_export(request: HttpRequest) -> StreamingHttpResponse:
    """What the user may see and the filters keep (an article, a team, a tag...), as a
    file, streamed: W3C Web Annotations (``format=jsonld``) or CSV (``format=csv``)."""
    kind = request.GET.get("format", "jsonld")
    if kind not in FORMATS:
        raise BadRequest("The format is jsonld (W3C Web Annotations) or csv.")
    filters = AnnotationFilters.from_query(request.GET)
    selection = ExportSelection.for_user(request.user, filters)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    scope = "-".join(filters.active.values()) or "all"
    name = f"crossread-{scope[:60]}-{stamp}"
    if kind == "csv":
        response = StreamingHttpResponse(
            export_lines(selection.annotations), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    base = request.build_absolute_uri("/").rstrip("/")
    query = urlencode(filters.active)
    collection = f"{base}/api/annotations/" + (f"?{query}" if query else "")
    who = request.user.get_username() if request.user.is_authenticated else "everyone"
    response = StreamingHttpResponse(
        jsonld_chunks(
            selection,
            base=base,
            collection_id=collection,
            label=f"Crossread annotations visible to {who}",
        ),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.jsonld"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def annotation_import(request: HttpRequest) -> HttpResponse:
    teams = services.writable_teams(request.user)
    form = AnnotationImportForm(request.POST or None, request.FILES or None, teams=teams)
    if request.method == "GET":
        return _import_page(request, form)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > IMPORT_MAX_BYTES:
        form.add_error("file", f"A file of annotations is at most {IMPORT_MAX_BYTES // 2**20} MB.")
        return _import_page(request, form, status=400)
    try:
        incoming = read_document(json.load(upload))
        report = annotations_import(
            incoming,
            user=request.user,
            team=form.cleaned_data["team"],
            visibility=form.cleaned_data["visibility"],
        )
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        reason = (
            str(error)
            if isinstance(error, MalformedError | ImportRefusedError)
            else (f"The file is not JSON: {error}")
        )
        form.add_error("file", f"Nothing was imported. {reason}")
        return _import_page(request, form, status=400)
    return _import_page(request, AnnotationImportForm(teams=teams), report=report)


def _import_page(request, form, *, status: int = 200, report=None) -> HttpResponse:
    return render(
        request,
        "annotations/import_annotations.html",
        {"form": form, "report": report},
        status=status,
    )


@login_required
@require_GET
def user_settings(request: HttpRequest) -> HttpResponse:
    return _settings_page(request, TokenCreateForm())


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=400)
    try:
        new = token_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        form_errors_to(form, error)
        return _settings_page(request, form, status=400)
    # Shown in this response only: the secret is not kept anywhere to show again.
    return _settings_page(request, TokenCreateForm(), new=new, status=201)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = token_revoke(user=request.user, token_id=pk)
    except PermissionDenied:
        return _settings_page(request, TokenCreateForm(), status=404)
    return _settings_page(request, TokenCreateForm(), revoked=token)


def _settings_page(request, form, *, status: int = 200, new=None, revoked=None) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created")
    response = render(
        request,
        "annotations/settings.html",
        {"form": form, "tokens": tokens, "new": new, "revoked": revoked},
        status=status,
    )
    if new is not None:
        response["Cache-Control"] = "no-store"
    return response
