"""Curating annotations, teams and the vocabularies in the admin.

Staff who are not superusers see here what the visibility rule lets them see, in
every list, filter, autocomplete and popup; superusers, who run the installation,
see everything. Every write goes through the same services as the pages: an
annotation is edited with the same checks and the same version rule (a form opened
before someone else's edit is refused, not saved over it), its author and its
passage are not editable here, and a deleted annotation goes to the bin.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect

from annotations import services
from annotations.forms import TagNamesField, is_id
from annotations.models import (
    Annotation,
    AnnotationTag,
    CrossReference,
    Membership,
    Region,
    Source,
    Team,
)
from corpus.admin_inputs import BoundedInputsAdmin
from corpus.admin_visibility import VisibleToStaffMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Team)
class TeamAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "created")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]

    def visible_queryset(self, queryset, user):
        return queryset.filter(memberships__user=user)


@admin.register(Membership)
class MembershipAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    list_display = ("user", "team", "role", "joined")
    list_filter = ("role",)
    list_select_related = ("user", "team")
    search_fields = ("user__username", "team__name")
    autocomplete_fields = ("user", "team")

    def visible_queryset(self, queryset, user):
        return queryset.filter(team__memberships__user=user)


@admin.register(Source)
class SourceAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "year", "curated", "created")
    list_filter = ("kind", "curated")
    search_fields = ("name", "normalized_name", "notes")
    readonly_fields = ("created_by",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)


@admin.register(Region)
class RegionAdmin(BoundedInputsAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "code")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "code", "aliases", "demonyms")
    autocomplete_fields = ("parent",)


@admin.register(AnnotationTag)
class AnnotationTagAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    readonly_fields = ("slug",)

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)


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


@admin.register(Annotation)
class AnnotationAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    form = AnnotationAdminForm
    list_display = (
        "__str__",
        "article",
        "author",
        "team",
        "visibility",
        "stance",
        "anchor_status",
        "updated",
    )
    list_filter = ("stance", "visibility", "anchor_status", "team")
    list_select_related = ("article", "author", "team")
    search_fields = ("exact", "claim", "note", "stance_target", "author__username")
    autocomplete_fields = ("source", "regions", "team")
    readonly_fields = (
        "article",
        "paragraph",
        "exact",
        "anchor_status",
        "previous_exact",
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
        ("Record", {"fields": ("author", "version", "created", "updated")}),
    )

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    def has_add_permission(self, request):
        return False  # annotations are made on the article page, where a passage is selected

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

    def delete_model(self, request, obj):
        services.annotation_delete(annotation=obj, user=request.user, expected_version=obj.version)

    def delete_queryset(self, request, queryset):
        for annotation in queryset:
            services.annotation_delete(
                annotation=annotation, user=request.user, expected_version=annotation.version
            )


@admin.register(CrossReference)
class CrossReferenceAdmin(BoundedInputsAdmin, VisibleToStaffMixin, admin.ModelAdmin):
    """Links between passages, read-only here but for their note: they are made and
    removed on the pages, where both passages are in view (a removed link can be
    brought back there)."""

    list_display = ("__str__", "relation", "author", "team", "visibility", "created")
    list_filter = ("relation", "visibility", "team")
    list_select_related = ("author", "team")
    search_fields = ("note", "from_annotation__exact", "to_annotation__exact")
    fields = (
        "from_annotation",
        "relation",
        "to_annotation",
        "note",
        "author",
        "team",
        "visibility",
        "created",
        "updated",
    )
    readonly_fields = (
        "from_annotation",
        "relation",
        "to_annotation",
        "author",
        "team",
        "visibility",
        "created",
        "updated",
    )

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # removing is on the pages, where it can be undone
