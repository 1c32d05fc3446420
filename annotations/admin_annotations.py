"""Annotations in the admin: a changelist to curate them (filters by every body of an
annotation, review, bulk changes, a CSV export) and the change form.

Every write goes through the services, with the same checks and the same version
rule as the pages: an edit through ``annotation_update`` (a form opened before
someone else's edit is refused, not saved over it), a deletion to the bin through
``annotation_delete``, approving and rejecting through the review services, setting
a source or a region on many at once through ``annotations.services.merges``. What a
user may not do to a row is refused for that row, with a message, and the rest goes
on. Reversion's own revert and recover views, which would write an old row back
behind the services, are closed: a version is restored from the annotation's page."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from annotations import services
from annotations.admin_base import (
    RecordedAdmin,
    intermediate_page,
    is_confirmed,
    parse_versions,
    pinned_versions,
    team_roles_of,
)
from annotations.exports import ExportSelection, jsonld_download
from annotations.forms import TagNamesField, is_id
from annotations.history import annotation_history
from annotations.models import (
    Annotation,
    AnnotationTag,
    Region,
    ReviewStatus,
    Source,
    TaggedAnnotation,
    Team,
    may_edit,
)
from annotations.services.merges import (
    BULK_LIMIT,
    RegionChange,
    annotations_regions_change,
    annotations_source_set,
)
from annotations.services.review import REASON_MAX_LENGTH, clean_reason
from annotations.spreadsheet import export_response
from corpus.admin_inputs import BoundedInputsAdmin
from corpus.admin_visibility import VisibleToStaffMixin

REVERT_REFUSAL = "Versions are not reverted here: restore a version from the annotation's page."


class AnnotationAdminForm(forms.ModelForm):
    tags = TagNamesField(required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Annotation
        fields = (
            "claim",
            "stance",
            "stance_target",
            "source",
            "regions",
            "note",
            "team",
            "visibility",
        )

    editor = None  # the signed-in user, set by AnnotationAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # What cannot be an id is a choice that does not exist ("0"): the field says
            # so, and the autocomplete widget, which looks the submitted values up to
            # show them again, never meets "²" or a number past 64 bits.
            data = self.data.copy()
            for name in ("source", "team"):
                if data.get(name) and not is_id(data[name]):
                    data[name] = "0"
            data.setlist("regions", [v if is_id(v) else "0" for v in data.getlist("regions")])
            self.data = data
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["tags"].initial = [tag.name for tag in self.instance.tags.all()]

    def clean(self):
        data = super().clean()
        if self.errors or not self.instance.pk:
            return data
        source = data.get("source")
        try:
            services.check_annotation_update(
                annotation=Annotation.objects.get(pk=self.instance.pk),
                editor=self.editor,
                expected_version=data.get("expected_version"),
                claim=data.get("claim", ""),
                stance=data.get("stance", ""),
                stance_target=data.get("stance_target", ""),
                source_name=source.name if source else "",
                note=data.get("note", ""),
                tags=data.get("tags") or [],
                team=data.get("team"),
                visibility=data.get("visibility", ""),
            )
        except services.AnnotationConflictError as conflict:
            raise ValidationError(
                "Someone changed this annotation after you opened it (it is now at version "
                f"{conflict.current.version}): reload the page to see their changes. "
                "Nothing was saved."
            ) from None
        except PermissionDenied as error:
            raise ValidationError(str(error)) from None
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


# Filters: each lists only what the annotations the user sees carry --------------------------


class SeenOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """The choices of a related filter: those the annotations in the list carry (a
    staff user's list is what the visibility rule shows them, so are the choices)."""


class AnnotationTagFilter(admin.SimpleListFilter):
    """Annotation tags (article keywords are another vocabulary), by slug: the rows of
    one slug act as one tag, as in the pages' filter."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        shown = model_admin.get_queryset(request).order_by().values("pk")
        tagged = TaggedAnnotation.objects.filter(content_object__in=shown).values("tag_id")
        names: dict[str, str] = {}
        for slug, name in (
            AnnotationTag.objects.filter(pk__in=tagged)
            .order_by("slug", "pk")
            .values_list("slug", "name")
        ):
            names.setdefault(slug, name)
        return sorted(names.items(), key=lambda item: item[1].casefold())

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        tagged = TaggedAnnotation.objects.filter(tag__slug=self.value())
        return queryset.filter(pk__in=tagged.values("content_object_id"))


# The bulk actions' forms ---------------------------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.CharField(
        required=False,  # the service's own check says why a reason is needed
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Each author sees it on their annotation.",
    )
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_reason(self):
        try:
            return clean_reason(self.cleaned_data["reason"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["reason"]) from None


class SourceChoiceForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        required=False,
        help_text="Leave it empty to remove the source.",
    )
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sources, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        field.widget = AutocompleteSelect(Annotation._meta.get_field("source"), admin_site)
        field.queryset = sources  # after the widget: the queryset hands it its choices

    def clean_source(self):
        value = self.data.get("source", "")
        if value and not is_id(value):
            raise ValidationError("Choose a source from the list.")
        return self.cleaned_data["source"]


class RegionChoiceForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.all())
    how = forms.ChoiceField(
        choices=RegionChange.choices, initial=RegionChange.ADD, widget=forms.RadioSelect
    )
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.widget = AutocompleteSelect(Annotation._meta.get_field("regions"), admin_site)
        field.queryset = Region.objects.all()  # after the widget: it hands it its choices
        if self.is_bound and not is_id(self.data.get("region", "")):
            self.data = self.data.copy()
            self.data["region"] = "0"


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


@admin.register(Annotation)
class AnnotationAdmin(BoundedInputsAdmin, VisibleToStaffMixin, RecordedAdmin):
    form = AnnotationAdminForm
    records_itself = True  # the services record every change, with the team's activity
    revert_refusal = REVERT_REFUSAL

    def history_view(self, request, object_id, extra_context=None):
        """The recorded versions, and what each changed, as the annotation's page shows
        them (a readable diff)."""
        annotation = self.get_object(request, unquote(object_id))
        history = annotation_history(annotation) if annotation is not None else []
        return super().history_view(
            request, object_id, {"history": history, **(extra_context or {})}
        )

    list_display = (
        "quote",
        "claim_shown",
        "article",
        "stance",
        "review_status",
        "source",
        "region_names",
        "tag_names",
        "author",
        "team",
        "visibility",
        "updated",
    )
    list_filter = (
        "stance",
        "review_status",
        ("team", SeenOnlyFilter),
        ("regions", SeenOnlyFilter),
        ("source", SeenOnlyFilter),
        AnnotationTagFilter,
        ("article", SeenOnlyFilter),
        ("author", SeenOnlyFilter),
        ("created", admin.DateFieldListFilter),
        "visibility",
        "anchor_status",
    )
    list_select_related = ("article", "author", "team", "source")
    search_fields = ("exact", "claim", "note", "stance_target", "author__username")
    ordering = ("-created", "-id")
    autocomplete_fields = ("source", "regions", "team")
    actions = [
        "approve_selected",
        "reject_selected",
        "set_source",
        "change_regions",
        "export_csv",
        "export_jsonld",
        "delete_selected",
    ]
    readonly_fields = (
        "article",
        "paragraph",
        "exact",
        "anchor_status",
        "previous_exact",
        "review_status",
        "review_reason",
        "author",
        "version",
        "created",
        "updated",
    )
    fieldsets = (
        (
            "Passage",
            {"fields": ("article", "paragraph", "exact", "anchor_status", "previous_exact")},
        ),
        (
            None,
            {
                "fields": (
                    "claim",
                    "stance",
                    "stance_target",
                    "source",
                    "regions",
                    "note",
                    "tags",
                    "team",
                    "visibility",
                    "expected_version",
                )
            },
        ),
        ("Review", {"fields": ("review_status", "review_reason")}),
        ("Record", {"fields": ("author", "version", "created", "updated")}),
    )

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def restore_url(self, obj) -> str:
        return reverse("annotations:detail", args=[obj.pk])

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(deleted_at__isnull=True)
            .prefetch_related(
                Prefetch("regions", queryset=Region.objects.only("id", "name")),
                "tags",
            )
        )

    # The list's columns ------------------------------------------------------------------

    @admin.display(description="Quote", ordering="exact")
    def quote(self, annotation: Annotation) -> str:
        return _short(annotation.exact, 60)

    @admin.display(description="Claim", ordering="claim")
    def claim_shown(self, annotation: Annotation) -> str:
        return _short(annotation.claim)

    @admin.display(description="Regions")
    def region_names(self, annotation: Annotation) -> str:
        return ", ".join(region.name for region in annotation.regions.all())

    @admin.display(description="Tags")
    def tag_names(self, annotation: Annotation) -> str:
        return ", ".join(tag.name for tag in annotation.tags.all())

    # Rights ------------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # annotations are made on the article page, where a passage is selected

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._may_edit(request, obj)

    def _may_edit(self, request, annotation: Annotation) -> bool:
        return may_edit(
            request.user,
            author_id=annotation.author_id,
            team_id=annotation.team_id,
            visibility=annotation.visibility,
            roles=team_roles_of(request),
        )

    # The change form ---------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source" and not request.user.is_superuser:
            kwargs["queryset"] = Source.objects.visible_to(request.user)
        if db_field.name == "team" and not request.user.is_superuser:
            kwargs["queryset"] = Team.objects.filter(memberships__user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form checked everything; what changed between its check and the write
        # (a race of milliseconds) is refused the same way, as a message.
        if request.method != "POST" or object_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.AnnotationConflictError, ValidationError, PermissionDenied) as error:
            reason = (
                "Someone changed this annotation meanwhile"
                if isinstance(error, services.AnnotationConflictError)
                else " ".join(getattr(error, "messages", [str(error)]))
            )
            messages.error(request, f"Nothing was saved: {reason}.")
            return redirect(request.path)

    def save_form(self, request, form, change):
        return form.instance  # the service writes, in save_model

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        source = data.get("source")
        updated = services.annotation_update(
            annotation=obj,
            editor=request.user,
            expected_version=data["expected_version"],
            claim=data.get("claim", ""),
            stance=data["stance"],
            stance_target=data.get("stance_target", ""),
            source_name=source.name if source else "",
            regions=list(data.get("regions") or []),
            note=data.get("note", ""),
            tags=data.get("tags") or [],
            team=data.get("team"),
            visibility=data["visibility"],
        )
        form.instance = updated

    def save_related(self, request, form, formsets, change):
        pass  # regions and tags are written by the service

    # Deleting: to the bin --------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted with an annotation: it goes to the bin, its links stay.
        objs = list(objs)
        return (
            [f"{annotation} (to the bin)" for annotation in objs],
            {self.opts.verbose_name_plural: len(objs)},
            set(),
            [],
        )

    def delete_model(self, request, obj):
        services.annotation_delete(annotation=obj, user=request.user, expected_version=obj.version)

    def delete_queryset(self, request, queryset):
        self._each(request, queryset, "moved to the bin", self._bin_one)

    def _bin_one(self, request, annotation):
        services.annotation_delete(
            annotation=annotation, user=request.user, expected_version=annotation.version
        )

    @admin.action(description="Move the selected annotations to the bin", permissions=["delete"])
    def delete_selected(self, request, queryset):
        if too_many := self._over_limit(request, queryset):
            return too_many
        if is_confirmed(request):
            self.delete_queryset(request, queryset)
            return None
        return intermediate_page(
            request,
            self,
            queryset,
            action="delete_selected",
            title="Move annotations to the bin",
            intro="They can be restored from the bin, by those who may edit them; their "
            "links are kept.",
            submit="Move them to the bin",
        )

    # Review ----------------------------------------------------------------------------------

    @admin.action(description="Approve the selected annotations", permissions=["change"])
    def approve_selected(self, request, queryset):
        if too_many := self._over_limit(request, queryset):
            return too_many
        pending = [row for row in queryset if row.review_status != ReviewStatus.APPROVED]
        already = queryset.filter(review_status=ReviewStatus.APPROVED).count()
        if already:
            messages.info(request, f"{already} were approved already.")

        def approve(request, annotation):
            services.annotation_approve(
                annotation=annotation, user=request.user, expected_version=annotation.version
            )

        self._each(request, pending, "approved", approve)

    @admin.action(
        description="Reject the selected annotations, with a reason…", permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        if too_many := self._over_limit(request, queryset):
            return too_many
        form = RejectForm(request.POST if is_confirmed(request) else None)
        if form.is_bound and form.is_valid():
            versions = parse_versions(form.cleaned_data["versions"])
            reason = form.cleaned_data["reason"]

            def reject(request, annotation):
                services.annotation_reject(
                    annotation=annotation,
                    user=request.user,
                    expected_version=versions.get(annotation.pk),
                    reason=reason,
                )

            self._each(request, queryset, "rejected", reject)
            return None
        if not form.is_bound:
            form.initial["versions"] = pinned_versions(queryset)
        return intermediate_page(
            request,
            self,
            queryset,
            action="reject_selected",
            title="Reject annotations",
            intro="Only the team's editors and owners reject its annotations: the others "
            "selected are left as they are.",
            form=form,
            submit="Reject them",
        )

    # Bulk changes -------------------------------------------------------------------------------

    @admin.action(description="Set the source of the selected annotations…", permissions=["change"])
    def set_source(self, request, queryset):
        if too_many := self._over_limit(request, queryset):
            return too_many
        sources = self.admin_site.get_model_admin(Source).get_queryset(request)
        form = SourceChoiceForm(
            request.POST if is_confirmed(request) else None,
            sources=sources,
            admin_site=self.admin_site,
        )
        if form.is_bound and form.is_valid():
            return self._bulk_change(
                request,
                annotations_source_set,
                annotations=queryset,
                source=form.cleaned_data["source"],
                expected_versions=parse_versions(form.cleaned_data["versions"]),
            )
        if not form.is_bound:
            form.initial["versions"] = pinned_versions(queryset)
        return intermediate_page(
            request,
            self,
            queryset,
            action="set_source",
            title="Set the source of annotations",
            form=form,
            submit="Set the source",
        )

    @admin.action(
        description="Change the regions of the selected annotations…", permissions=["change"]
    )
    def change_regions(self, request, queryset):
        if too_many := self._over_limit(request, queryset):
            return too_many
        form = RegionChoiceForm(
            request.POST if is_confirmed(request) else None, admin_site=self.admin_site
        )
        if form.is_bound and form.is_valid():
            return self._bulk_change(
                request,
                annotations_regions_change,
                annotations=queryset,
                region=form.cleaned_data["region"],
                how=form.cleaned_data["how"],
                expected_versions=parse_versions(form.cleaned_data["versions"]),
            )
        if not form.is_bound:
            form.initial["versions"] = pinned_versions(queryset)
        return intermediate_page(
            request,
            self,
            queryset,
            action="change_regions",
            title="Change the regions of annotations",
            form=form,
            submit="Change the regions",
        )

    def _bulk_change(self, request, service, **arguments):
        try:
            result = service(user=request.user, **arguments)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return None
        if result.changed:
            messages.success(request, f"Changed {len(result.changed)} annotation(s).")
        if result.unchanged:
            messages.info(request, f"{len(result.unchanged)} had it already.")
        if result.refused:
            messages.warning(
                request,
                f"{len(result.refused)} not changed: you may not change them "
                f"({_ids(result.refused)}).",
            )
        if result.stale:
            messages.warning(
                request,
                f"{len(result.stale)} not changed: someone changed them meanwhile; "
                f"select them again ({_ids(result.stale)}).",
            )
        return None

    # Export ----------------------------------------------------------------------------------

    @admin.action(description="Export the selected annotations as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return export_response(queryset)

    @admin.action(
        description="Export the selected annotations as W3C Web Annotations",
        permissions=["view"],
    )
    def export_jsonld(self, request, queryset):
        base = request.build_absolute_uri("/").rstrip("/")
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        return jsonld_download(
            ExportSelection.of(request.user, queryset),
            base=base,
            collection_id=request.build_absolute_uri(),
            label=f"Crossread annotations selected by {request.user.get_username()}",
            name=f"crossread-selection-{stamp}",
        )

    # Per row ---------------------------------------------------------------------------------

    def _over_limit(self, request, queryset):
        if queryset.count() > BULK_LIMIT:
            messages.warning(request, f"Select at most {BULK_LIMIT} annotations for this action.")
            return redirect(request.get_full_path())
        return None

    def _each(self, request, annotations, done: str, act) -> None:
        """``act`` on each annotation, each in its own transaction; what is refused is
        reported by reason, the rest done."""
        succeeded = 0
        refused: dict[str, list[int]] = defaultdict(list)
        for annotation in annotations:
            try:
                act(request, annotation)
            except services.AnnotationConflictError:
                refused["someone changed it meanwhile"].append(annotation.pk)
            except (PermissionDenied, ValidationError) as error:
                reason = " ".join(getattr(error, "messages", [str(error)])).rstrip(".")
                refused[reason or "refused"].append(annotation.pk)
            else:
                succeeded += 1
        if succeeded:
            messages.success(request, f"{succeeded} annotation(s) {done}.")
        for reason, ids in refused.items():
            messages.warning(request, f"{len(ids)} not {done}: {reason} ({_ids(ids)}).")


def _ids(ids, shown: int = 10) -> str:
    listed = ", ".join(f"#{pk}" for pk in ids[:shown])
    return listed + (f" and {len(ids) - shown} more" if len(ids) > shown else "")
