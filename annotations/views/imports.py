"""The import page: files (text, markdown, web pages, PDFs) or pasted text, into a
team's collection or, for staff, the public corpus; and each submission's results."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from annotations.views.annotations import form_errors_to
from corpus.models import WRITING_ROLES, ImportJob, ImportStatus, ItemStatus, Team
from corpus.services.import_jobs import (
    Upload,
    UploadRefusedError,
    import_job_create,
    import_job_discard_if_nothing_imported,
    import_job_submit,
)

ACCEPT = ".txt,.md,.markdown,.html,.htm,.pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("allow_empty_file", True)  # the importer says why it is refused
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ImportForm(forms.Form):
    team = forms.ChoiceField(required=False, choices=(), label="Into")
    files = MultipleFileField(
        required=False,
        help_text="Text (.txt, .md), saved web pages (.html) and PDFs; one or many.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Or paste text",
        help_text="An article's text, as in a .txt or .md file.",
    )

    def __init__(self, *args, teams: list[Team], public: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.public = public
        choices = [(str(team.pk), f"{team.name} (seen by the team alone)") for team in teams]
        if public:
            choices.append(("", "The public corpus (seen by everyone)"))
        self.fields["team"].choices = choices
        self.fields["team"].error_messages["invalid_choice"] = (
            "You may import into a team you write for, or, if you are staff, the public corpus."
        )

    def clean_team(self):
        value = self.cleaned_data["team"]
        if not value and not self.public:
            raise ValidationError(self.fields["team"].error_messages["invalid_choice"])
        return self.teams.get(value) if value else None


def _writable_teams(user) -> list[Team]:
    return list(
        Team.objects.filter(memberships__user=user, memberships__role__in=WRITING_ROLES).order_by(
            "name"
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    teams = _writable_teams(request.user)
    public = request.user.is_staff
    if not teams and not public:
        raise PermissionDenied(
            "Importing is for the writers of a team (owners, editors, annotators): "
            "create a team, or ask a team's owner to add you."
        )
    if request.method == "GET":
        return _import_page(request, ImportForm(teams=teams, public=public))
    form = ImportForm(request.POST, request.FILES, teams=teams, public=public)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    try:
        job = import_job_create(
            user=request.user,
            team=form.cleaned_data["team"],
            uploads=[_upload(file) for file in form.cleaned_data["files"]],
            text=form.cleaned_data["text"],
        )
    except ValidationError as error:
        form_errors_to(form, error)
        return _import_page(request, form, status=400)
    except UploadRefusedError as refusal:
        return _import_page(request, form, status=400, refused=refusal.files)
    if import_job_submit(job):
        refused = import_job_discard_if_nothing_imported(job)
        if refused is not None:
            return _import_page(request, form, status=400, refused=refused)
    return redirect(reverse("annotations:import-job", args=[job.pk]))


def _upload(file) -> Upload:
    """An uploaded file, read unless it is larger than the limit (then refused by its
    announced size without reading it)."""
    if file.size > settings.CROSSREAD_IMPORT_MAX_BYTES:
        return Upload(name=file.name, data=b"", size=file.size)
    return Upload(name=file.name, data=file.read())


def _import_page(request, form, *, status: int = 200, refused=None) -> HttpResponse:
    context = {
        "form": form,
        "refused": refused or [],
        "max_files": settings.CROSSREAD_IMPORT_MAX_FILES,
        "max_megabytes": settings.CROSSREAD_IMPORT_MAX_BYTES // 1_048_576,
    }
    return render(request, "corpus/import.html", context, status=status)


def _own_job_or_404(request, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user=request.user).select_related("team").first()
    if job is None:
        raise Http404("No such import.")
    return job


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job_or_404(request, pk)
    items = list(job.items.select_related("article").order_by("position"))
    return render(
        request,
        "corpus/import_job.html",
        {"job": job, "items": items, "done": job.status == ImportStatus.DONE},
    )


@login_required
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """How far the import is, for the page's script."""
    job = _own_job_or_404(request, pk)
    items = [
        {"position": position, "status": status, "label": ItemStatus(status).label}
        for position, status in job.items.order_by("position").values_list("position", "status")
    ]
    return JsonResponse(
        {
            "done": job.status == ImportStatus.DONE,
            "files": len(items),
            "finished": sum(item["status"] != ItemStatus.QUEUED for item in items),
            "items": items,
        }
    )
