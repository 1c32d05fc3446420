"""Curating the corpus. Every change of an article's text goes through
``corpus.services`` (``article_text_replace``, the one write path), so what is anchored
to the text follows it: paragraphs are edited as the markup they came from (emphasis
and links kept), split, merged and removed through the services, an article is added
by importing a file or pasted text, and imported again from the raw text it keeps.

History (django-reversion): admin saves, imports, splits, merges and re-imports are
recorded, with who and what. Restoring an earlier version is not offered here: it
would write old rows back past the text's write path, and annotations would not
follow. The history pages list the versions; text is restored through the paragraph
editor (or a re-import).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from contextlib import contextmanager

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from taggit.models import Tag

from corpus.admin_inputs import BoundedInputsAdmin, LinesField
from corpus.admin_visibility import VisibleToStaffMixin
from corpus.models import (
    WRITING_ROLES,
    Article,
    Paragraph,
    ParagraphKind,
    TaggedArticle,
    Team,
    article_condition,
)
from corpus.services import (
    TextChange,
    article_reimport,
    article_text_replace,
    merge_preview,
    paragraph_delete,
    paragraph_edit,
    paragraph_split,
    paragraphs_merge,
    prepare_article_bytes,
    render_paragraph,
    split_preview,
)
from corpus.services.import_jobs import Upload, may_import_into, screen_upload
from corpus.services.importing import PreparedFile, article_import_prepared
from corpus.services.paragraphs import paragraph_of

AUTHOR_MAX_LENGTH = 200
AFFILIATION_MAX_LENGTH = 500
AUTHORS_MAX = 200  # a physics paper lists hundreds; more is a broken file
POSITIONS_PER_LINE = 60  # characters of a paragraph a line of the split page shows
HISTORY_MESSAGE = (
    "Earlier versions are kept for reference and are not restored from the admin: "
    "restore text through the paragraph editor, so that annotations follow it."
)
ACCEPT = ".txt,.md,.markdown,.html,.htm,.pdf"


@contextmanager
def recorded(request, comment: str):
    """One revision of the history for the block, by the staff user: the rows the
    services put in it (the article, the paragraphs they wrote). Rows saved on the way
    and rolled back (an unchanged re-import) are not recorded."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(request.user)
        reversion.set_comment(comment[:300])
        yield


class HistoryWithoutRestoreAdmin(VersionAdmin):
    """django-reversion's history, without its revert and recover views (see the
    module's docstring): they answer with the reason and send back to the history."""

    object_history_template = "admin/corpus/object_history.html"
    change_list_template = None  # Django's own: no "Recover deleted" link

    def reversion_register(self, model, **kwargs):
        # CorpusConfig.ready registers the corpus's models, with their options (an
        # article's raw_text left out); the admin is set up before it runs.
        return None

    def history_view(self, request, object_id, extra_context=None):
        context = {"history_message": HISTORY_MESSAGE, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        messages.warning(request, HISTORY_MESSAGE)
        return HttpResponseRedirect(self._admin_url("history", quote(unquote(object_id))))

    def recover_view(self, request, version_id, extra_context=None):
        messages.warning(request, HISTORY_MESSAGE)
        return HttpResponseRedirect(self._admin_url("changelist"))

    def recoverlist_view(self, request, extra_context=None):
        messages.warning(request, HISTORY_MESSAGE)
        return HttpResponseRedirect(self._admin_url("changelist"))

    def _admin_url(self, view: str, *args) -> str:
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args
        )


# ----------------------------------------------------------------------- paragraphs


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
        if self.cleaned_data.get("DELETE"):
            return data
        if not markup.strip():
            self.add_error("markup", "A paragraph needs text: delete it instead.")
        elif "markup" in self.changed_data and self.instance.article_id is not None:
            # Markup that renders to nothing ("**") is no text either. (Only when changed:
            # an article's page holds all of its paragraphs.)
            rendered = render_paragraph(
                kind=data.get("kind") or ParagraphKind.BODY,
                level=None,
                markup=markup,
                markup_format=self.instance.article.markup_format,
            )
            if not rendered.text:
                self.add_error("markup", "This markup shows no text: delete the paragraph instead.")
        return data


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    form = ParagraphForm
    fields = ("position", "kind", "level", "markup", "text", "tools")
    readonly_fields = ("position", "text", "tools")
    extra = 0
    ordering = ("position",)
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # paragraphs come from importing; split one to add another

    @admin.display(description="Split, merge")
    def tools(self, paragraph: Paragraph) -> str:
        if paragraph.pk is None:
            return ""
        return format_html(
            '<a href="{}">Split…</a><br><a href="{}">Merge with next</a>',
            reverse("admin:corpus_paragraph_split", args=[paragraph.pk]),
            reverse("admin:corpus_paragraph_merge_next", args=[paragraph.pk]),
        )


class SplitForm(forms.Form):
    at = forms.IntegerField(
        label="Split before character",
        help_text="Counted from 0 in the paragraph's text: the new paragraph starts with "
        "this character.",
    )
    expected_hash = forms.CharField(required=False, widget=forms.HiddenInput)


# ------------------------------------------------------------------------- articles


class ArticleAdminForm(forms.ModelForm):
    authors = LinesField(
        item="name",
        max_length=AUTHOR_MAX_LENGTH,
        max_lines=AUTHORS_MAX,
        help_text="One name a line, in the order given.",
    )
    affiliations = LinesField(
        item="affiliation",
        max_length=AFFILIATION_MAX_LENGTH,
        max_lines=AUTHORS_MAX,
        help_text="One affiliation a line, as the paper lists them.",
    )

    class Meta:
        model = Article
        fields = ("authors", "affiliations")  # the admin adds those of its fieldsets


class ArticleImportForm(forms.Form):
    """A new article: a file, or pasted text, read and parsed by the importer. Any
    reason the importer gives for refusing it is an error of the form."""

    collection = forms.ChoiceField(label="Into", choices=())
    file = forms.FileField(
        required=False,
        allow_empty_file=True,  # the importer says why it is refused
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="Text (.txt, .md), a saved web page (.html) or a PDF.",
    )
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        label="Or paste text",
        help_text="An article's text, as in a .txt or .md file: its first line is the title.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.teams = {
            str(team.pk): team
            for team in Team.objects.filter(
                memberships__user=user, memberships__role__in=WRITING_ROLES
            ).order_by("name")
        }
        choices = [(pk, f"{team.name} (seen by the team alone)") for pk, team in self.teams.items()]
        if may_import_into(user, None):
            choices.append(("public", "The public corpus (seen by everyone)"))
        self.fields["collection"].choices = choices
        self.fields["collection"].error_messages["invalid_choice"] = (
            "You may import into a team you write for; into the public corpus, staff only."
        )
        self.prepared: PreparedFile | None = None

    def clean_collection(self) -> Team | None:
        team = self.teams.get(self.cleaned_data["collection"])
        if not may_import_into(self.user, team):
            raise ValidationError(self.fields["collection"].error_messages["invalid_choice"])
        return team

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload and text.strip():
            raise ValidationError("Choose a file or paste text, not both.")
        if not upload and not text.strip():
            raise ValidationError("Choose a file to import, or paste text.")
        field = "file" if upload else "text"
        screened = screen_upload(_upload_of(upload) if upload else _pasted(text))
        if screened.error:
            self.add_error(field, screened.error)
            return data
        prepared = prepare_article_bytes(
            screened.data, name=screened.name, fallback_title=_title_of(screened.name)
        )
        if prepared.error:
            self.add_error(field, prepared.error)
            return data
        self.prepared = prepared
        return data


def _upload_of(file) -> Upload:
    """An uploaded file, read unless it is larger than the limit (then refused by its
    announced size without reading it)."""
    if file.size > settings.CROSSREAD_IMPORT_MAX_BYTES:
        return Upload(name=file.name, data=b"", size=file.size)
    return Upload(name=file.name, data=file.read())


def _pasted(text: str) -> Upload:
    """Pasted text as the import page names it: by its content, so that pasting the
    same text again finds its article."""
    data = text.strip().encode("utf-8")
    return Upload(name=f"pasted-text-{hashlib.sha256(data).hexdigest()[:12]}.txt", data=data)


def _title_of(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    return stem.replace("_", " ").replace("-", " ").strip() or "Untitled"


class ArticleKeywordFilter(admin.SimpleListFilter):
    """The keywords of the articles the user may see (article keywords, not annotation
    tags, and not the keywords of articles hidden from them)."""

    title = "keyword"
    parameter_name = "keyword"

    def lookups(self, request, model_admin):
        articles = model_admin.visible_to_request(request, Article.objects.all())
        used = TaggedArticle.objects.filter(content_object__in=articles.values("pk"))
        return list(
            Tag.objects.filter(pk__in=used.values("tag_id"))
            .order_by("name")
            .values_list("slug", "name")
        )

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        tagged = TaggedArticle.objects.filter(tag__slug=self.value())
        return queryset.filter(pk__in=tagged.values("content_object_id"))


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # A list does not need every article's file (raw_text can be megabytes).
        return super().get_queryset(request, exclude_parameters).defer("raw_text")


def paragraph_count_subquery():
    """Paragraphs of the article, counted by a correlated subquery on the paragraphs'
    (article, position) index rather than a GROUP BY over every column of the article."""
    return Coalesce(
        Subquery(
            Paragraph.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


@admin.register(Article)
class ArticleAdmin(VisibleToStaffMixin, BoundedInputsAdmin, HistoryWithoutRestoreAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "outlet",
        "published",
        "kind",
        "source_format",
        "team",
        "visibility",
        "paragraph_count",
        "updated_at",
    )
    list_filter = (
        "kind",
        "visibility",
        ("team", admin.RelatedOnlyFieldListFilter),
        "source_format",
        "outlet",
        "published",
        ArticleKeywordFilter,
    )
    list_select_related = ("team",)
    search_fields = ("title", "slug", "outlet", "abstract", "source_file")
    date_hierarchy = "imported_at"
    actions = ["reimport_from_raw_text"]
    # Who sees an article changes on its sharing page, by its rules (corpus.services.sharing);
    # the team is therefore shown, not chosen here (no autocomplete needed). The markup
    # format is what the paragraphs were rendered with: it changes with a re-import.
    readonly_fields = (
        "team",
        "visibility",
        "source_format",
        "markup_format",
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
        return super().get_queryset(request).annotate(paragraph_count=paragraph_count_subquery())

    def visible_queryset(self, queryset, user):
        return queryset.visible_to(user)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description="Paragraphs", ordering="paragraph_count")
    def paragraph_count(self, article: Article) -> int:
        return article.paragraph_count

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/reimport/",
                wrap(self.reimport_view),
                name="corpus_article_reimport",
            ),
            *super().get_urls(),
        ]

    # Adding an article is importing one.

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        form = ArticleImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            team = form.cleaned_data["collection"]
            with recorded(request, f"imported {form.prepared.name} in the admin"):
                outcome = article_import_prepared(form.prepared, team=team)
                if outcome.article is not None and outcome.status != "unchanged":
                    reversion.add_to_revision(Article.objects.get(pk=outcome.article.pk))
            if outcome.status == "failed":
                form.add_error(None, outcome.error)
            else:
                return self._imported(request, outcome)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add article: import a file or pasted text",
            "form": form,
            "max_megabytes": settings.CROSSREAD_IMPORT_MAX_BYTES // 1_048_576,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/corpus/article/import.html", context, status=400 if form.errors else 200
        )

    def _imported(self, request, outcome):
        article = outcome.article
        paragraphs = sum(outcome.paragraph_kinds.values())
        if outcome.status == "created":
            self.log_addition(request, article, f"Imported from {outcome.path}.")
            messages.success(
                request, f"Imported “{article.title}” from {outcome.path}: {paragraphs} paragraphs."
            )
        elif outcome.status == "updated":
            messages.success(
                request,
                f"{outcome.path} was imported into this collection before: its article "
                f"“{article.title}” is updated ({_counts(outcome.paragraphs)} paragraphs).",
            )
            _report_effects(request, outcome.effects)
        else:
            messages.info(
                request,
                f"{outcome.path} is imported already, unchanged: “{article.title}”.",
            )
        return HttpResponseRedirect(self._admin_url("change", quote(article.pk)))

    # Importing again from the raw text.

    def reimport_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_to_change(request, object_id)
        self._reimport(request, [article])
        return HttpResponseRedirect(self._admin_url("change", quote(article.pk)))

    @admin.action(permissions=["change"], description="Re-import from the stored raw text")
    def reimport_from_raw_text(self, request, queryset):
        articles = list(queryset.select_related(None).only("pk", "title", "source_file", "slug"))
        self._reimport(
            request,
            [article for article in articles if self.has_change_permission(request, article)],
        )

    def _reimport(self, request, articles: list[Article]) -> None:
        """Re-import the articles, one transaction each, as one revision; say how many
        were updated, unchanged or refused, and what became of their annotations."""
        if not articles:
            messages.warning(request, "No article you may change was selected.")
            return
        statuses: Counter = Counter()
        annotations: Counter = Counter()
        comment = (
            f"re-imported article {articles[0].pk} from its raw text"
            if len(articles) == 1
            else f"re-imported {len(articles)} articles from their raw text"
        )
        with recorded(request, comment):
            for article in articles:
                outcome = article_reimport(article=article)
                statuses[outcome.status] += 1
                if outcome.status == "updated":
                    reversion.add_to_revision(Article.objects.get(pk=article.pk))
                    annotations.update(outcome.effects.get("annotations", Counter()))
                elif outcome.status == "failed":
                    messages.error(request, f"“{article}” was not re-imported: {outcome.error}.")
        summary = ", ".join(
            f"{statuses[status]} {status}"
            for status in ("created", "updated", "unchanged", "failed")
        )
        level = messages.WARNING if statuses["failed"] else messages.SUCCESS
        messages.add_message(request, level, f"Re-imported from the raw text: {summary}.")
        _report_effects(request, {"annotations": annotations})

    def _article_to_change(self, request, object_id) -> Article:
        """The article, if the user may see it (404 otherwise) and change it (403)."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    # Paragraphs edited inline: one change of the text.

    def save_formset(self, request, form, formset, change):
        if formset.model is not Paragraph:
            return super().save_formset(request, form, formset, change)
        # Every edited and deleted paragraph of the form, in one change of the text (one
        # placing of the annotations), through the write path paragraph_edit and
        # paragraph_delete take.
        article = form.instance
        edited = {
            inline.instance.pk: inline
            for inline in formset.forms
            if inline.has_changed() and inline.instance.pk and not _deleting(inline)
        }
        deleted = {
            inline.instance.pk: inline.instance for inline in formset.forms if _deleting(inline)
        }
        formset.new_objects = []
        formset.changed_objects = [
            (inline.instance, inline.changed_data) for inline in edited.values()
        ]
        formset.deleted_objects = list(deleted.values())
        if not edited and not deleted:
            return
        new = []
        for row in Paragraph.objects.filter(article=article).order_by("position"):
            if row.pk in deleted:
                continue
            if row.pk in edited:
                data = edited[row.pk].cleaned_data
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
        _report(request, article_text_replace(article=article, paragraphs=new))


def _deleting(inline) -> bool:
    return bool(getattr(inline, "cleaned_data", {}).get("DELETE"))


def _counts(summary: Counter) -> str:
    return ", ".join(f"{count} {name}" for name, count in summary.items() if count) or "none"


def _report(request, change: TextChange) -> None:
    _report_effects(request, change.effects)


def _report_effects(request, effects: dict) -> None:
    annotations = effects.get("annotations")
    if annotations:
        described = ", ".join(f"{count} {outcome}" for outcome, count in annotations.items())
        messages.info(request, f"Annotations on the changed text: {described}.")
        if annotations.get("orphaned"):
            messages.warning(
                request,
                f"{annotations['orphaned']} annotation(s) could not be placed on the new text: "
                "they are listed on the article's page, to be re-attached.",
            )


def _moved(change: TextChange) -> str:
    moved = change.effects.get("annotations", Counter()).get("moved", 0)
    return f"{moved} annotation{'' if moved == 1 else 's'} moved"


@admin.register(Paragraph)
class ParagraphAdmin(VisibleToStaffMixin, BoundedInputsAdmin, HistoryWithoutRestoreAdmin):
    form = ParagraphForm
    list_display = ("__str__", "article", "position", "kind", "short_text")
    list_filter = ("kind", "article__kind")
    list_select_related = ("article",)
    search_fields = ("text", "article__title")
    readonly_fields = ("article", "position", "text", "html", "content_hash")
    fields = ("article", "position", "kind", "level", "markup", "text", "html", "content_hash")

    @admin.display(description="Text")
    def short_text(self, paragraph: Paragraph) -> str:
        return paragraph.text[:120]

    def get_queryset(self, request):
        # The article's file is not needed to show a paragraph, or a page of them.
        return super().get_queryset(request).select_related("article").defer("article__raw_text")

    def visible_queryset(self, queryset, user):
        return queryset.filter(article_condition(user, "article__"))

    def has_add_permission(self, request):
        return False  # paragraphs come from importing

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/split/", wrap(self.split_view), name="corpus_paragraph_split"),
            path(
                "<path:object_id>/merge-next/",
                wrap(self.merge_next_view),
                name="corpus_paragraph_merge_next",
            ),
            *super().get_urls(),
        ]

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

    # Split and merge: a page that shows the result, then a POST that does it.

    def split_view(self, request, object_id):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        paragraph = self._paragraph_to_change(request, object_id)
        article = paragraph.article
        asked = request.POST if request.method == "POST" else request.GET
        form = SplitForm(asked if "at" in asked else None)
        preview = None
        if form.is_valid():
            at = form.cleaned_data["at"]
            try:
                if request.method == "POST":
                    with recorded(request, f"split paragraph {paragraph.position} at {at}"):
                        change = paragraph_split(
                            paragraph=paragraph,
                            at=at,
                            expected_hash=form.cleaned_data["expected_hash"],
                        )
                    messages.success(
                        request,
                        f"Split paragraph {paragraph.position} at character {at}: its second "
                        f"part is now paragraph {paragraph.position + 1}. {_moved(change)}.",
                    )
                    _report(request, change)
                    return HttpResponseRedirect(self._article_url(article))
                preview = split_preview(
                    paragraph=paragraph, at=at, markup_format=article.markup_format
                )
            except ValidationError as error:
                _errors_to(form, error)
        context = {
            **self._page_context(request, paragraph, f"Split paragraph {paragraph.position}"),
            "form": form,
            "preview": preview,
            "positions": text_with_positions(paragraph.text),
            "markdown": article.markup_format == "markdown",
        }
        return TemplateResponse(
            request,
            "admin/corpus/paragraph/split.html",
            context,
            status=400 if form.errors else 200,
        )

    def merge_next_view(self, request, object_id):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        paragraph = self._paragraph_to_change(request, object_id)
        article = paragraph.article
        following = Paragraph.objects.filter(
            article_id=paragraph.article_id, position=paragraph.position + 1
        ).first()
        back = self._admin_url("change", quote(paragraph.pk))
        if following is None:
            messages.error(
                request,
                f"Paragraph {paragraph.position} is the article's last: nothing follows it "
                "to merge with.",
            )
            return HttpResponseRedirect(back)
        try:
            preview = merge_preview(
                first=paragraph, second=following, markup_format=article.markup_format
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        if request.method == "POST":
            expected = (request.POST.get("first_hash", ""), request.POST.get("second_hash", ""))
            comment = f"merged paragraphs {paragraph.position} and {following.position}"
            try:
                with recorded(request, comment):
                    change = paragraphs_merge(
                        first=paragraph,
                        second=following,
                        expected_hashes=expected if any(expected) else None,
                    )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(request.path)
            messages.success(
                request,
                f"Merged paragraph {following.position} into paragraph {paragraph.position}. "
                f"{_moved(change)}.",
            )
            _report(request, change)
            return HttpResponseRedirect(self._article_url(article))
        context = {
            **self._page_context(
                request,
                paragraph,
                f"Merge paragraph {paragraph.position} with paragraph {following.position}",
            ),
            "following": following,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/corpus/paragraph/merge.html", context)

    def _paragraph_to_change(self, request, object_id) -> Paragraph:
        """The paragraph, if the user may see its article (404 otherwise) and change
        both (403)."""
        paragraph = self.get_object(request, unquote(object_id))
        if paragraph is None:
            raise Http404("No such paragraph.")
        article_admin = self.admin_site.get_model_admin(Article)
        if not (
            self.has_change_permission(request, paragraph)
            and article_admin.has_change_permission(request, paragraph.article)
        ):
            raise PermissionDenied
        return paragraph

    def _page_context(self, request, paragraph: Paragraph, title: str) -> dict:
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "paragraph": paragraph,
            "article": paragraph.article,
            "article_url": self._article_url(paragraph.article),
            "paragraph_url": self._admin_url("change", quote(paragraph.pk)),
        }

    def _article_url(self, article: Article) -> str:
        return reverse(f"{self.admin_site.name}:corpus_article_change", args=[quote(article.pk)])


def _errors_to(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def text_with_positions(text: str, width: int = POSITIONS_PER_LINE) -> str:
    """The text in lines of ``width`` characters, each headed by the position of its
    first character, under a ruler of the columns (for choosing where to split)."""
    gutter = len(str(len(text))) + 2
    marks = "".join(f"{'+' + str(column):<10}" for column in range(0, width, 10))
    lines = [" " * gutter + marks.rstrip()]
    for start in range(0, len(text), width):
        lines.append(f"{start:>{gutter - 2}}  {text[start : start + width]}")
    return "\n".join(lines)
