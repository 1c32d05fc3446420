"""The corpus: teams, and the articles and paragraphs they (or the public) own."""

from corpus.models.articles import (
    TEXT_KINDS,
    Article,
    ArticleKind,
    ArticleQuerySet,
    Paragraph,
    ParagraphKind,
    TaggedArticle,
    paragraph_hash,
)
from corpus.models.imports import ImportItem, ImportJob, ImportStatus, ItemStatus
from corpus.models.teams import CURATING_ROLES, WRITING_ROLES, Membership, Role, Team
from corpus.models.visibility import ArticleVisibility, article_condition

__all__ = [
    "CURATING_ROLES",
    "TEXT_KINDS",
    "WRITING_ROLES",
    "Article",
    "ArticleKind",
    "ArticleQuerySet",
    "ArticleVisibility",
    "ImportItem",
    "ImportJob",
    "ImportStatus",
    "ItemStatus",
    "Membership",
    "Paragraph",
    "ParagraphKind",
    "Role",
    "TaggedArticle",
    "Team",
    "article_condition",
    "paragraph_hash",
]
