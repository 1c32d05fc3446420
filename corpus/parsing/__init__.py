"""Turning messy article files into clean, structured documents.

Nothing in this package needs Django: it takes bytes or text and returns plain
dataclasses (``ParsedArticle``), which ``corpus.services`` writes to the database.
"""

from .decode import UnreadableFileError, decode_document
from .document import ParsedArticle, ParsedParagraph, parse_document

__all__ = [
    "ParsedArticle",
    "ParsedParagraph",
    "UnreadableFileError",
    "decode_document",
    "parse_document",
]
