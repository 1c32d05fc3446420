from django.contrib import admin
from django.db import models
from django.db.models import Count

from corpus.models import Article, Paragraph


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ("position", "kind", "level", "text")
    readonly_fields = ("position",)
    extra = 0
    ordering = ("position",)
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published", "kind", "paragraph_count", "updated_at")
    list_filter = ("kind", "outlet", "published", "keywords")
    search_fields = ("title", "slug", "outlet", "abstract", "source_file")
    date_hierarchy = "imported_at"
    readonly_fields = (
        "content_hash",
        "source_encoding",
        "parser_version",
        "imported_at",
        "updated_at",
    )
    prepopulated_fields = {"slug": ("title",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ParagraphInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "authors", "outlet", "published", "kind", "keywords")}),
        ("Academic front matter", {"fields": ("abstract", "affiliations", "received", "accepted")}),
        ("Outlet", {"fields": ("outlet_labels", "source_url")}),
        (
            "Import",
            {
                "classes": ("collapse",),
                "fields": (
                    "source_file",
                    "markup_format",
                    "source_encoding",
                    "content_hash",
                    "parser_version",
                    "imported_at",
                    "updated_at",
                    "raw_text",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_count=Count("paragraphs"))

    @admin.display(description="Paragraphs", ordering="paragraph_count")
    def paragraph_count(self, article: Article) -> int:
        return article.paragraph_count

    def save_formset(self, request, form, formset, change):
        if formset.model is Paragraph:
            paragraphs = formset.save(commit=False)
            for paragraph in paragraphs:
                paragraph.set_text(paragraph.text)
                paragraph.save()
            for paragraph in formset.deleted_objects:
                paragraph.delete()
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ("__str__", "article", "position", "kind", "short_text")
    list_filter = ("kind",)
    list_select_related = ("article",)
    search_fields = ("text", "article__title")
    raw_id_fields = ("article", "heading")
    readonly_fields = ("html", "content_hash")
    fields = ("article", "position", "kind", "level", "heading", "text", "html", "content_hash")

    @admin.display(description="Text")
    def short_text(self, paragraph: Paragraph) -> str:
        return paragraph.text[:120]

    def save_model(self, request, obj, form, change):
        obj.set_text(obj.text)
        super().save_model(request, obj, form, change)
