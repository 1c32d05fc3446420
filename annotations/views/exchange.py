"""Annotations in and out: the export download (W3C JSON-LD or CSV) of what the list's
filters select, the import page for W3C or Hypothesis files, and the settings page's
API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import services
from annotations.exports import ExportSelection, jsonld_download
from annotations.filters import AnnotationFilters
from annotations.forms import AnnotationImportForm, TokenCreateForm
from annotations.models import ApiToken
from annotations.services.annotation_import import (
    ImportRefusedError,
    ImportReport,
    annotations_import,
)
from annotations.services.tokens import token_create, token_revoke
from annotations.spreadsheet import export_response
from annotations.views.annotations import form_errors_to
from annotations.webannotation.export import container_iri
from annotations.webannotation.reading import MalformedError, read_file

FORMATS = ("jsonld", "csv")
REPORT_KEY = "annotation_import_report"
REPORT_LINES = 200


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
        return export_response(selection.annotations, name=name)
    base = request.build_absolute_uri("/").rstrip("/")
    collection = container_iri(base, filters.active)
    who = request.user.get_username() if request.user.is_authenticated else "everyone"
    return jsonld_download(
        selection,
        base=base,
        collection_id=collection,
        label=f"Crossread annotations visible to {who}",
        name=name,
    )


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
    limit = settings.CROSSREAD_ANNOTATION_IMPORT_MAX_BYTES
    if upload.size > limit:
        form.add_error(
            "file",
            f"A file of annotations is at most {limit // 2**20} MB here: import a larger "
            "one with python manage.py import_annotations.",
        )
        return _import_page(request, form, status=400)
    try:
        incoming = read_file(upload)
        report = annotations_import(
            incoming,
            user=request.user,
            team=form.cleaned_data["team"],
            visibility=form.cleaned_data["visibility"],
        )
    except (MalformedError, ImportRefusedError) as error:  # read_file says "not JSON" itself
        form.add_error("file", f"Nothing was imported. {error}")
        return _import_page(request, form, status=400)
    # Shown after a redirect (a reload must not import the file again), from the
    # session: the counts, and the first lines of what was skipped or noted.
    request.session[REPORT_KEY] = {
        "exact": report.exact,
        "fuzzy": report.fuzzy,
        "orphaned": report.orphaned,
        "links": report.links,
        "skipped": report.skipped[:REPORT_LINES],
        "skipped_count": len(report.skipped),
        "notes": report.notes[:REPORT_LINES],
    }
    return redirect(reverse("annotations:import-annotations"))


def _import_page(request, form, *, status: int = 200) -> HttpResponse:
    saved = request.session.pop(REPORT_KEY, None) if request.method == "GET" else None
    report = None
    if saved:
        skipped_count = saved.pop("skipped_count")
        report = ImportReport(**saved)
        report.skipped_count = skipped_count
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
