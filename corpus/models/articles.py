import hashlib

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from corpus.models.visibility import ArticleVisibility, article_condition


class ArticleKind(models.TextChoices):
    NEWS = "news", "News"
    OPINION = "opinion", "Opinion"
    ACADEMIC = "academic", "Academic"
    OTHER = "other", "Other"


class ParagraphKind(models.TextChoices):
    HEADING = "heading", "Heading"
    BODY = "body", "Body"
    QUOTE = "quote", "Quote"
    CAPTION = "caption", "Caption"
    LIST_ITEM = "list_item", "List item"
    REFERENCE = "reference", "Reference"
    BOILERPLATE = "boilerplate", "Boilerplate"
    READER_COMMENT = "reader_comment", "Reader comment"


# Paragraphs that are the article's own text, as opposed to the outlet's
# furniture (boilerplate) and what readers wrote under it.
TEXT_KINDS = frozenset(
    {
        ParagraphKind.HEADING,
        ParagraphKind.BODY,
        ParagraphKind.QUOTE,
        ParagraphKind.CAPTION,
        ParagraphKind.LIST_ITEM,
        ParagraphKind.REFERENCE,
    }
)


class TaggedArticle(TaggedItemBase):
    """Keywords of an article (a direct foreign key, so no generic relation to join)."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "article keyword"
        verbose_name_plural = "article keywords"


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The articles a user may see (see ``corpus.models.visibility``)."""
        return self.filter(article_condition(user))

    def for_list(self):
        """What the article list shows (its team too): one query for the page, one for
        the keywords.

        The paragraph count is a correlated subquery (served by the paragraphs'
        (article, position) index) rather than a GROUP BY over every column.
        """
        paragraph_count = (
            Paragraph.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            self.defer("raw_text")
            .select_related("team")
            .annotate(paragraph_count=Coalesce(Subquery(paragraph_count), 0))
            .prefetch_related("keywords")
        )

    def filtered(self, *, outlet: str = "", kind: str = "", tag: str = ""):
        articles = self
        if outlet:
            articles = articles.filter(outlet=outlet)
        if kind:
            articles = articles.filter(kind=kind)
        if tag:
            articles = articles.filter(keywords__slug=tag)
        return articles


class Article(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=500)
    authors = models.JSONField(default=list, blank=True, help_text="Names, in the order given.")
    outlet = models.CharField(max_length=200, blank=True, help_text="Publication or journal.")
    published = models.DateField(
        null=True, blank=True, help_text="Empty when the document gives no date."
    )
    kind = models.CharField(max_length=16, choices=ArticleKind, default=ArticleKind.OTHER)
    abstract = models.TextField(blank=True)
    keywords = TaggableManager(through=TaggedArticle, blank=True, verbose_name="keywords")
    affiliations = models.JSONField(default=list, blank=True)
    received = models.DateField(null=True, blank=True)
    accepted = models.DateField(null=True, blank=True)
    outlet_labels = models.JSONField(
        default=dict, blank=True, help_text='The outlet\'s own labels, e.g. {"Region": [...]}.'
    )
    team = models.ForeignKey(
        "corpus.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The team whose article it is; empty for the public corpus.",
    )
    visibility = models.CharField(
        max_length=10,
        choices=ArticleVisibility,
        default=ArticleVisibility.PUBLIC,
        help_text="A team article is seen by the team's members alone, annotations included.",
    )
    source_format = models.CharField(
        max_length=10,
        choices=[("text", "Text"), ("markdown", "Markdown"), ("html", "Web page"), ("pdf", "PDF")],
        default="text",
        help_text="What the file was: raw_text holds the page itself for a web page, "
        "and the PDF's text layer for a PDF.",
    )
    source_file = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    source_encoding = models.CharField(max_length=20, default="utf-8")
    markup_format = models.CharField(
        max_length=10, choices=[("markdown", "Markdown"), ("plain", "Plain text")], default="plain"
    )
    raw_text = models.TextField(help_text="The file as read: the import can always be redone.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    parser_version = models.PositiveSmallIntegerField(default=1)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published").desc(nulls_last=True), "title"]
        indexes = [
            # The article list's filters and its default order.
            models.Index(fields=["outlet"], name="article_outlet_idx"),
            models.Index(fields=["kind"], name="article_kind_idx"),
            models.Index(fields=["-published", "title"], name="article_list_order_idx"),
            # The importer finds an article by its file, then by its content.
            models.Index(fields=["source_file"], name="article_source_file_idx"),
            models.Index(fields=["content_hash"], name="article_content_hash_idx"),
            # The visibility rule's team branch, and a team's articles.
            models.Index(fields=["team", "visibility"], name="article_team_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility=ArticleVisibility.TEAM) | Q(team__isnull=False),
                name="article_team_visibility_has_team",
                violation_error_message="A team article needs a team.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("corpus:article-detail", kwargs={"slug": self.slug})


def paragraph_hash(*, kind: str, level: int | None, html: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{level or 0}\x1f{html}".encode()).hexdigest()


class Paragraph(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ParagraphKind, default=ParagraphKind.BODY)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Headings only.")
    markup = models.TextField(
        blank=True,
        help_text="The paragraph as written: inline markdown in a markdown article, else its text.",
    )
    text = models.TextField(help_text="Clean plain text: what annotations anchor to.")
    html = models.TextField(help_text="Sanitized rendering of the paragraph's inline markup.")
    content_hash = models.CharField(max_length=64)
    heading = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The heading this paragraph falls under.",
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            # Also the index of the article page's query (paragraphs of one article in order).
            models.UniqueConstraint(
                fields=["article", "position"], name="paragraph_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(kind=ParagraphKind.HEADING),
                name="paragraph_level_only_on_headings",
                violation_error_message="Only headings have a level.",
            ),
        ]
        indexes = [
            # Counting and listing one kind of paragraph across the corpus.
            models.Index(fields=["kind"], name="paragraph_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}#p-{self.position} ({self.kind})"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#p-{self.position}"

    @property
    def anchor(self) -> str:
        return f"p-{self.position}"

    @property
    def heading_tag_level(self) -> int:
        """The HTML heading rank: h1 is the article's title, so sections start at h2."""
        return min(max(self.level or 2, 2), 6)
