"""Writes to the corpus: importing files (``importing``), changing an article's text
(``paragraphs``, the one write path for paragraphs; ``paragraph_split`` splits and
merges paragraphs through it) and importing an article again from its raw text
(``reimport``)."""

from corpus.services.formats import IMPORTABLE_SUFFIXES, ImportFailedError
from corpus.services.importing import (
    PARSER_VERSION,
    ImportOutcome,
    article_import_file,
    import_article_files,
    prepare_article_bytes,
    prepare_article_file,
)
from corpus.services.paragraph_split import (
    merge_preview,
    paragraph_split,
    paragraphs_merge,
    split_preview,
)
from corpus.services.paragraphs import (
    NewParagraph,
    TextChange,
    article_text_replace,
    paragraph_delete,
    paragraph_edit,
    render_paragraph,
)
from corpus.services.reimport import article_reimport

__all__ = [
    "IMPORTABLE_SUFFIXES",
    "PARSER_VERSION",
    "ImportFailedError",
    "ImportOutcome",
    "NewParagraph",
    "TextChange",
    "article_import_file",
    "article_reimport",
    "article_text_replace",
    "import_article_files",
    "merge_preview",
    "paragraph_delete",
    "paragraph_edit",
    "paragraph_split",
    "paragraphs_merge",
    "prepare_article_bytes",
    "prepare_article_file",
    "render_paragraph",
    "split_preview",
]
