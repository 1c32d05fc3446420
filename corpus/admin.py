"""Curating the corpus. Every change of an article's text goes through
``corpus.services.paragraphs`` (the one write path), so what is anchored to the text
follows it: paragraphs are edited as the markup they came from (emphasis and links
kept), and removed through the same service."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count

from corpus.admin_inputs import BoundedInputsAdmin
from corpus.admin_visibility import VisibleToStaffMixin
from corpus.models import Article, Paragraph, ParagraphKind, article_condition
from corpus.services.paragraphs import (
    article_text_replace,
    paragraph_delete,
    paragraph_edit,
    paragraph_of,
    render_paragraph,
)


class ParagraphForm(forms.ModelForm):
    """Kind, level and markup; the text and HTML follow from the markup."""

    class Meta:
        model = Paragraph
        fields = ("kind", "level", "markup")
        widgets = {"markup": forms.Textarea(attrs={"rows": 3, "cols": 90})}
        help_texts = {
            "markup": "As written: inline markdown (emphasis, links) in a markdown article, "
            "plain text otherwise. Annotations on it are placed again when it changes."
        }

    def clean(self):
        data = super().clean()
        kind, level = data.get("kind"), data.get("level")
        if level is not None and kind != ParagraphKind.HEADING:
            self.add_error("level", "Only headings have a level.")
        markup = data.get("markup") or ""
        if not markup.strip() and not self.cleaned_data.get("DELETE"):
            self.add_error("markup", "A paragraph needs text: delete it instead.")
        return data


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    form = ParagraphForm
    fields = ("position", "kind", "level", "markup", "text")
    readonly_fields = ("position", "text")
    extra = 0
    ordering = ("position",)
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # paragraphs come from importing; split one to add another


@admin.register(Article)
class ArticleAdmin(VisibleToStaffMixin, BoundedInputsAdmin, admin.ModelAdmin):
    list_display = (
        "title",
        "outlet",
        "published",
        "kind",
        "team",
        "visibility",
        "paragraph_count",
        "updated_at",
    )
    list_filter = ("kind", "visibility", "team", "source_format", "outlet", "published", "keywords")
    list_select_related = ("team",)
    search_fields = ("title", "slug", "outlet", "abstract", "source_file")
    date_hierarchy = "imported_at"
    # Who sees an article changes on its sharing page, by its rules (corpus.services.sharing).
    readonly_fields = (
        "team",
        "visibility",
        "source_format",
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
        ("Who sees it", {"fields": ("team", "visibility")}),
        ("Academic front matter", {"fields": ("abstract", "affiliations", "received", "accepted")}),
        ("Outlet", {"fields": ("outlet_labels", "source_url")}),
        (
            "Import",
            {
                "classes": ("collapse",),
                "fields": (
                    "source_file",
                    "source_format",
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

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    @admin.display(description="Paragraphs", ordering="paragraph_count")
    def paragraph_count(self, article: Article) -> int:
        return article.paragraph_count

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        # Every edited and deleted paragraph of the form, in one change of the text.
        article = form.instance
        edited = {
            inline.instance.pk: inline.cleaned_data
            for inline in formset.forms
            if inline.has_changed() and inline.instance.pk and not _deleting(inline)
        }
        deleted = {inline.instance.pk for inline in formset.forms if _deleting(inline)}
        if not edited and not deleted:
            return
        new = []
        for row in Paragraph.objects.filter(article=article).order_by("position"):
            if row.pk in deleted:
                continue
            if row.pk in edited:
                data = edited[row.pk]
                new.append(
                    render_paragraph(
                        kind=data["kind"],
                        level=data["level"],
                        markup=data["markup"],
                        markup_format=article.markup_format,
                        continues=row.pk,
                    )
                )
            else:
                new.append(paragraph_of(row))
        change = article_text_replace(article=article, paragraphs=new)
        _report(request, change)


def _deleting(inline) -> bool:
    return bool(getattr(inline, "cleaned_data", {}).get("DELETE"))


def _report(request, change) -> None:
    effects = change.effects.get("annotations")
    if effects:
        described = ", ".join(f"{count} {outcome}" for outcome, count in effects.items())
        messages.info(request, f"Annotations on the changed text: {described}.")
        if effects.get("orphaned"):
            messages.warning(
                request,
                f"{effects['orphaned']} annotation(s) could not be placed on the new text: "
                "they are listed on the article's page, to be re-attached.",
            )


@admin.register(Paragraph)
class ParagraphAdmin(VisibleToStaffMixin, BoundedInputsAdmin, admin.ModelAdmin):
    form = ParagraphForm
    list_display = ("__str__", "article", "position", "kind", "short_text")
    list_filter = ("kind",)
    list_select_related = ("article",)
    search_fields = ("text", "article__title")
    readonly_fields = ("article", "position", "text", "html", "content_hash")
    fields = ("article", "position", "kind", "level", "markup", "text", "html", "content_hash")

    @admin.display(description="Text")
    def short_text(self, paragraph: Paragraph) -> str:
        return paragraph.text[:120]

    def visible_queryset(self, queryset, user):
        return queryset.filter(article_condition(user, "article__"))

    def has_add_permission(self, request):
        return False  # paragraphs come from importing

    def save_model(self, request, obj, form, change):
        try:
            text_change = paragraph_edit(
                paragraph=obj,
                markup=form.cleaned_data["markup"],
                kind=form.cleaned_data["kind"],
                level=form.cleaned_data["level"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return
        obj.refresh_from_db()
        _report(request, text_change)

    def delete_model(self, request, obj):
        _report(request, paragraph_delete(paragraph=obj))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for paragraph in queryset.select_related("article"):
            _report(request, paragraph_delete(paragraph=paragraph))
