"""The shared vocabularies in the admin: sources, regions and annotation tags, with
how many annotations use each, and merging duplicates (an action showing what points
at each entry and asking which one stays; undone from the history of the one kept).

Staff who are not superusers see the entries the visibility rule shows them, and
counts of the annotations they may see; a merge is theirs only when every annotation
it moves is one they may change (``annotations.services.merges``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from annotations.admin_base import RecordedAdmin, intermediate_page, is_confirmed
from annotations.models import AnnotationTag, Region, Source
from annotations.services.merges import (
    MERGE_LIMIT,
    merge_record,
    merge_refusal,
    merge_undo,
    merges_kept_in,
    regions_merge,
    sources_merge,
    tags_merge,
    undo_refusal,
    vocabulary_of,
    with_usage,
)
from corpus.admin_inputs import BoundedInputsAdmin
from corpus.admin_visibility import VisibleToStaffMixin

MERGES = {"sources": sources_merge, "regions": regions_merge, "tags": tags_merge}


class SurvivorForm(forms.Form):
    survivor = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose the one to keep.",
            "invalid_choice": "Choose the one to keep.",
        },
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(entry.pk, str(entry)) for entry in entries]


def _default_survivor(kind: str, entries):
    """The entry most likely meant to stay: a curated source, the most used entry."""

    def weight(entry):
        curated = bool(getattr(entry, "curated", False)) if kind == "sources" else False
        used = entry.annotation_count + getattr(entry, "child_count", 0)
        return (not curated, -used, entry.pk)

    return min(entries, key=weight)


class MergeableAdmin:
    """The merge action of a vocabulary's admin, and the page undoing a merge. The
    admin's ``get_queryset`` gives the entries with their usage (``with_usage``)."""

    @admin.action(
        description="Merge the selected %(verbose_name_plural)s into one",
        permissions=["change", "delete"],
    )
    def merge_selected(self, request, queryset):
        vocabulary = vocabulary_of(self.model)
        entries = list(queryset.order_by("pk")[: MERGE_LIMIT + 1])
        if len(entries) < 2:
            messages.warning(request, f"Select at least two {vocabulary.plural} to merge.")
            return None
        if len(entries) > MERGE_LIMIT:
            messages.warning(request, f"Merge at most {MERGE_LIMIT} {vocabulary.plural} at a time.")
            return None
        by_pk = {entry.pk: entry for entry in entries}
        form = SurvivorForm(request.POST if is_confirmed(request) else None, entries=entries)
        if form.is_bound and form.is_valid():
            survivor = by_pk[form.cleaned_data["survivor"]]
            merged = [entry for entry in entries if entry.pk != survivor.pk]
            try:
                result = MERGES[vocabulary.kind](
                    user=request.user, survivor=survivor, merged=merged
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error("survivor", " ".join(getattr(error, "messages", [str(error)])))
            else:
                undo = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_merge_undo",
                    args=[result.revision_id],
                )
                moved = f"{result.annotations} annotation(s)"
                if result.children:
                    moved += f" and {result.children} sub-region(s)"
                messages.success(
                    request,
                    format_html(
                        'Merged {} into {}: {} moved. <a href="{}">Undo this merge</a>',
                        ", ".join(result.merged),
                        result.survivor,
                        moved,
                        undo,
                    ),
                )
                return None
        survivor, refusal = self._page_survivor(request, vocabulary.kind, entries)
        if form.is_bound and form.is_valid():
            survivor = by_pk[form.cleaned_data["survivor"]]
        return intermediate_page(
            request,
            self,
            queryset,
            action="merge_selected",
            title=f"Merge {vocabulary.plural}",
            form=form,
            submit=f"Merge into the {vocabulary.noun} kept",
            template="admin/annotations/merge_confirmation.html",
            rows=entries,
            total=len(entries),
            entries=sorted(entries, key=lambda entry: str(entry).casefold()),
            vocabulary=vocabulary,
            survivor_id=survivor.pk,
            refusal=refusal,
        )

    def _page_survivor(self, request, kind, entries):
        """The survivor to offer first, and why no merge of these is possible ("" when
        one is): the refusals depend on which one stays."""
        default = _default_survivor(kind, entries)
        first = ""
        for candidate in (default, *(entry for entry in entries if entry is not default)):
            others = [entry for entry in entries if entry is not candidate]
            refusal = merge_refusal(user=request.user, kind=kind, survivor=candidate, merged=others)
            if not refusal:
                return candidate, ""
            first = first or refusal
        return default, first

    # Undoing ------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "merges/<int:revision_id>/undo/",
                self.admin_site.admin_view(self.merge_undo_view),
                name="{}_{}_merge_undo".format(*info),
            ),
            *super().get_urls(),
        ]

    def merge_undo_view(self, request, revision_id: int):
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        record = merge_record(revision_id)
        if record is None or record.vocabulary.model is not self.model:
            raise Http404("No merge of that number.")
        if not request.user.is_superuser and record.merge.user_id != request.user.pk:
            raise Http404("No merge of that number.")  # another curator's, maybe of hidden entries
        refusal = undo_refusal(user=request.user, record=record)
        if request.method == "POST" and not refusal:
            try:
                result = merge_undo(user=request.user, revision_id=revision_id)
            except (PermissionDenied, ValidationError) as error:
                refusal = " ".join(getattr(error, "messages", [str(error)]))
            else:
                messages.success(
                    request,
                    f"Undone: {', '.join(result.merged) or 'nothing'} back, "
                    f"{result.annotations} annotation(s) moved back.",
                )
                return redirect(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                    result.survivor.pk,
                )
        return TemplateResponse(
            request,
            "admin/annotations/merge_undo.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Undo the merge of {record.vocabulary.plural}",
                "record": record,
                "refusal": refusal,
            },
        )

    def undoable_merges(self, obj, revision_ids):
        info = self.opts.app_label, self.opts.model_name
        return {
            pk: reverse("admin:{}_{}_merge_undo".format(*info), args=[pk])
            for pk in merges_kept_in(obj, revision_ids)
        }


@admin.register(Source)
class SourceAdmin(BoundedInputsAdmin, VisibleToStaffMixin, MergeableAdmin, RecordedAdmin):
    list_display = ("name", "kind", "curated", "year", "annotation_count", "created_by", "created")
    list_filter = ("kind", "curated")
    list_select_related = ("created_by",)
    search_fields = ("name", "normalized_name", "notes")
    readonly_fields = ("created_by",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["merge_selected"]

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_queryset(self, request):
        return with_usage(super().get_queryset(request), user=request.user)

    @admin.display(description="Annotations", ordering="annotation_count")
    def annotation_count(self, source: Source) -> int:
        return source.annotation_count


@admin.register(Region)
class RegionAdmin(BoundedInputsAdmin, MergeableAdmin, RecordedAdmin):
    list_display = ("name", "kind", "parent", "code", "annotation_count", "child_count")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "code", "aliases", "demonyms")
    autocomplete_fields = ("parent",)
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return with_usage(super().get_queryset(request), user=request.user)

    @admin.display(description="Annotations", ordering="annotation_count")
    def annotation_count(self, region: Region) -> int:
        return region.annotation_count

    @admin.display(description="Sub-regions", ordering="child_count")
    def child_count(self, region: Region) -> int:
        return region.child_count


@admin.register(AnnotationTag)
class AnnotationTagAdmin(BoundedInputsAdmin, VisibleToStaffMixin, MergeableAdmin, RecordedAdmin):
    list_display = ("name", "slug", "annotation_count")
    search_fields = ("name", "slug")
    readonly_fields = ("slug",)
    actions = ["merge_selected"]

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_queryset(self, request):
        return with_usage(super().get_queryset(request), user=request.user)

    @admin.display(description="Annotations", ordering="annotation_count")
    def annotation_count(self, tag: AnnotationTag) -> int:
        return tag.annotation_count
