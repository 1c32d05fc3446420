"""What the annotation app's admins share: the history of each object (django-reversion's
version-aware admin, kept from writing behind the services' backs), and the
intermediate pages of the actions that ask something before they act."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from annotations.forms import is_id
from annotations.models import Annotation, TaggedAnnotation
from annotations.services.annotations import team_roles
from annotations.services.merges import SNAPSHOT_PREFIX, merge_record

# How many of the selected rows an intermediate page lists by name.
SHOWN_ROWS = 100


class RecordedAdmin(VersionAdmin):
    """An admin whose objects' history pages list their recorded versions.

    - It registers nothing with reversion: ``annotations.history`` does, with the
      relations each model's versions follow.
    - No revision is opened around a changelist: each action's service records its own
      change (one revision around the whole list would fold them into one, with their
      teams), and ``records_itself`` admins (the services write every change) open none
      around their forms either.
    - Reversion's revert and recover views write old rows back without the services.
      They answer ``revert_refusal`` when the model sets one; for the others they refuse
      a change that touched annotations (a merge, undone from the survivor's history
      instead), an object the user does not see, and recovering a deleted row for
      anyone but a superuser (a deleted row's visibility cannot be checked any more).
    """

    object_history_template = "admin/annotations/recorded_history.html"
    change_list_template = "admin/annotations/recorded_change_list.html"
    records_itself = False
    revert_refusal = ""

    def reversion_register(self, model, **kwargs):
        pass  # annotations.history.register_models registers, with the follows

    def changelist_view(self, request, extra_context=None):
        context = {
            "can_recover": request.user.is_superuser
            and not self.revert_refusal
            and self.has_add_permission(request)
            and self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super(VersionAdmin, self).changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.records_itself:
            return super(VersionAdmin, self).change_view(
                request, object_id, form_url, extra_context
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if self.records_itself:
            return super(VersionAdmin, self).add_view(request, form_url, extra_context)
        return super().add_view(request, form_url, extra_context)

    # The history page ------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        # The states kept before merges, to undo them, are bookkeeping, not changes.
        versions = list(
            Version.objects.get_for_object(obj)
            .exclude(revision__comment__startswith=SNAPSHOT_PREFIX)
            .select_related("revision", "revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        undoable = self.undoable_merges(obj, [version.revision_id for version in versions])
        info = self.opts.app_label, self.opts.model_name
        action_list = [
            {
                "revision": version.revision,
                # A merge is undone with its own page, never reverted row by row.
                "url": None
                if self.revert_refusal or version.revision_id in undoable
                else reverse(
                    f"admin:{info[0]}_{info[1]}_revision", args=(quote(obj.pk), version.pk)
                ),
                "undo_url": undoable.get(version.revision_id),
            }
            for version in versions
        ]
        context = {
            "action_list": action_list,
            "revert_refusal": self.revert_refusal,
            "restore_url": self.restore_url(obj),
            **(extra_context or {}),
        }
        return super(VersionAdmin, self).history_view(request, object_id, context)

    def restore_url(self, obj) -> str | None:
        """Where an earlier version of ``obj`` is restored, when not here."""
        return None

    def undoable_merges(self, obj, revision_ids: Iterable[int]) -> dict[int, str]:
        """The undo pages of the merges into ``obj`` among these revisions, by
        revision (vocabularies only)."""
        return {}

    # Reverting and recovering ---------------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        version = get_object_or_404(
            Version,
            pk=version_id if is_id(version_id) else 0,
            object_id=str(obj.pk),
            content_type=ContentType.objects.get_for_model(self.model),
        )
        refusal = self.revert_refusal or _touches_annotations(version)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.restore_url(obj) or self._history_url(obj))
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(
            Version,
            pk=version_id if is_id(version_id) else 0,
            content_type=ContentType.objects.get_for_model(self.model),
        )
        refusal = self.revert_refusal or _touches_annotations(version)
        if not refusal and not request.user.is_superuser:
            refusal = "Only an administrator recovers a deleted entry."
        if refusal:
            messages.error(request, refusal)
            obj = self.get_queryset(request).filter(pk=version.object_id).first()
            return redirect((obj and self.restore_url(obj)) or self._changelist_url())
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if self.revert_refusal or not request.user.is_superuser:
            messages.error(
                request, self.revert_refusal or "Only an administrator recovers deleted entries."
            )
            return redirect(self._changelist_url())
        return super().recoverlist_view(request, extra_context)

    def _history_url(self, obj) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_history", args=[quote(obj.pk)])

    def _changelist_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")


def _touches_annotations(version: Version) -> str:
    """Why reverting ``version``'s revision would write annotations behind the
    services' backs ("" when it would not)."""
    revision = version.revision
    if revision.comment.startswith(SNAPSHOT_PREFIX) or merge_record(revision.pk):
        return "That change was a merge: undo it from the history of the entry kept."
    annotation_types = ContentType.objects.get_for_models(Annotation, TaggedAnnotation).values()
    if revision.version_set.filter(content_type__in=list(annotation_types)).exists():
        return (
            "That change touched annotations, which are changed through their own pages: "
            "it cannot be reverted here."
        )
    return ""


def team_roles_of(request) -> dict[int, str]:
    """The signed-in user's role in each of their teams, read once a request."""
    if not hasattr(request, "_crossread_team_roles"):
        request._crossread_team_roles = team_roles(request.user)
    return request._crossread_team_roles


# Intermediate pages --------------------------------------------------------------------------


def parse_versions(text: str) -> dict[int, int]:
    """The versions an intermediate page pinned ("12:3,15:1"): what cannot be read is
    left out, and its annotation refused as changed meanwhile."""
    versions = {}
    for pair in (text or "").split(","):
        pk, _, version = pair.partition(":")
        if is_id(pk.strip()) and is_id(version.strip()):
            versions[int(pk)] = int(version)
    return versions


def pinned_versions(rows) -> str:
    return ",".join(f"{pk}:{version}" for pk, version in sorted((r.pk, r.version) for r in rows))


def is_confirmed(request) -> bool:
    """Whether this POST is the intermediate page's answer (not the changelist's)."""
    return request.method == "POST" and "apply" in request.POST


def intermediate_page(
    request,
    modeladmin: admin.ModelAdmin,
    queryset,
    *,
    action: str,
    title: str,
    intro: str = "",
    form: forms.Form | None = None,
    submit: str,
    template: str = "admin/annotations/action_confirmation.html",
    **context,
) -> TemplateResponse:
    """The page an action shows before it acts: what was selected, the form asking
    what to do, and the selection carried to the answer (the changelist's own form
    fields, so that the admin hands the action the same rows)."""
    opts = modeladmin.model._meta
    rows = context.pop("rows", None)
    if rows is None:
        rows = list(queryset[: SHOWN_ROWS + 1])
    total = context.pop("total", None)
    if total is None:
        total = len(rows) if len(rows) <= SHOWN_ROWS else queryset.count()
    media = modeladmin.media + (form.media if form is not None else forms.Media())
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "opts": opts,
            "title": title,
            "intro": intro,
            "form": form,
            "submit": submit,
            "action": action,
            "rows": rows[:SHOWN_ROWS],
            "total": total,
            "more": max(total - SHOWN_ROWS, 0),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": media,
            **context,
        },
    )
