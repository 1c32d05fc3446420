"""Writes to the corpus: importing files (``importing``) and changing an article's
text (``paragraphs``, the one write path for paragraphs)."""

from corpus.services.formats import IMPORTABLE_SUFFIXES, ImportFailedError
from corpus.services.importing import (
    PARSER_VERSION,
    ImportOutcome,
    article_import_file,
    import_article_files,
    prepare_article_bytes,
    prepare_article_file,
)
from corpus.services.paragraphs import (
    NewParagraph,
    TextChange,
    article_text_replace,
    paragraph_delete,
    paragraph_edit,
    render_paragraph,
)

__all__ = [
    "IMPORTABLE_SUFFIXES",
    "PARSER_VERSION",
    "ImportFailedError",
    "ImportOutcome",
    "NewParagraph",
    "TextChange",
    "article_import_file",
    "article_text_replace",
    "import_article_files",
    "paragraph_delete",
    "paragraph_edit",
    "prepare_article_bytes",
    "prepare_article_file",
    "render_paragraph",
]
