from django.contrib import admin
from django.db import models
from django.db.models import F

from annotations.models import Annotation, Membership, Region, Source, Team
from annotations.services import render_note


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role", "joined")
    list_filter = ("role", "team")
    list_select_related = ("user", "team")
    search_fields = ("user__username", "team__name")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "year", "created")
    list_filter = ("kind",)
    search_fields = ("name", "normalized_name", "notes")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "code")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "code", "aliases", "demonyms")
    raw_id_fields = ("parent",)


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    """Curation. Staff see here what the visibility rule lets them see; superusers,
    who run the installation, see everything."""

    list_display = ("__str__", "article", "author", "team", "visibility", "stance", "updated")
    list_filter = ("stance", "visibility", "team")
    list_select_related = ("article", "author", "team")
    search_fields = ("exact", "claim", "note", "stance_target", "author__username")
    raw_id_fields = ("paragraph", "source", "author", "team", "regions")
    readonly_fields = ("article", "version", "created", "updated", "note_html")

    def save_model(self, request, obj, form, change):
        obj.note_html = render_note(obj.note)
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])

    def get_queryset(self, request):
        annotations = super().get_queryset(request)
        if request.user.is_superuser:
            return annotations
        return annotations.visible_to(request.user)
