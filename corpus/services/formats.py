"""From a file's bytes to a parsed article, by the file's format.

Plain text and markdown go to the text parser; a saved web page to the HTML
extractor (``corpus.parsing.html``); a PDF's text layer, read in a child process with
memory and time limits (``corpus.parsing.pdf``), to the same text parser as the seeds
(its repairs of page marks, running headers and broken paragraphs apply). No
database work here: the import service writes what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from corpus.parsing import ParsedArticle, UnreadableFileError, decode_document, parse_document

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
IMPORTABLE_SUFFIXES = tuple(FORMATS)


class ImportFailedError(Exception):
    """A file could not be imported; the message says why in one line."""


@dataclass
class Document:
    """A file read: what is kept of it (``raw_text``: the text, the web page, or the
    PDF's text layer), how it was read, and the article parsed from it."""

    raw_text: str
    encoding: str
    source_format: str
    parsed: ParsedArticle


def file_format(name: str) -> str:
    """The format a file name announces, or ImportFailedError for one Crossread does
    not import."""
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot > 0 else ""
    found = FORMATS.get(suffix)
    if found is None:
        shown = suffix or "(none)"
        raise ImportFailedError(
            f"unsupported file type {shown!r}; Crossread imports .txt, .md, .html and .pdf files"
        )
    return found


def _size(size: int, *, exact: bool) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.0f} MB" if exact else f"{size / 1_048_576:.1f} MB"
    return f"{size / 1024:.0f} KB" if exact else f"{size / 1024:.1f} KB"


def check_size(size: int) -> None:
    limit = settings.CROSSREAD_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFailedError(
            f"larger than {_size(limit, exact=True)} ({_size(size, exact=False)})"
        )


# zip, zstd, bzip2, xz: archives and compressed streams (gzip is 1f 8b).
_COMPRESSED_SIGNATURES = frozenset({b"PK\x03\x04", b"\x28\xb5\x2f\xfd", b"BZh9", b"\xfd7zX"})


def _refuse_compressed(data: bytes) -> None:
    """A page saved compressed (gzip, zstd, brotli, deflate) is refused rather than
    inflated: the parser would otherwise decompress it, and a few megabytes can inflate
    to gigabytes. trafilatura's own probe, bounded to the size limit, tells."""
    from trafilatura.utils import handle_compressed_file

    signed = data[:4] in _COMPRESSED_SIGNATURES or data[:2] == b"\x1f\x8b"
    if (
        signed
        or handle_compressed_file(data, max_size=settings.CROSSREAD_IMPORT_MAX_BYTES) is not data
    ):
        raise UnreadableFileError(
            "a compressed file (gzip, brotli or the like), not an HTML page: save the page "
            "uncompressed"
        )


def read_document(data: bytes, *, source_format: str, fallback_title: str) -> Document:
    """The article in a file's bytes, or ImportFailedError with the reason."""
    check_size(len(data))
    max_chars = settings.CROSSREAD_IMPORT_MAX_CHARS
    try:
        if source_format == "html":
            from corpus.parsing.html import parse_html

            if data.lstrip()[:5] == b"%PDF-":
                raise UnreadableFileError("not an HTML page (it is a PDF)")
            _refuse_compressed(data)
            parsed, text = parse_html(data, fallback_title=fallback_title)
            document = Document(text, "utf-8", "html", parsed)
        elif source_format == "pdf":
            from corpus.parsing.pdf import extract_pdf_text_safely

            text = extract_pdf_text_safely(
                data,
                max_chars=max_chars,
                max_pages=settings.CROSSREAD_IMPORT_PDF_MAX_PAGES,
                memory_bytes=settings.CROSSREAD_IMPORT_PDF_MEMORY_MB * 2**20,
                seconds=settings.CROSSREAD_IMPORT_PDF_SECONDS,
            )
            document = Document(
                text, "pdf", "pdf", parse_document(text, fallback_title=fallback_title)
            )
        else:
            text, encoding = decode_document(data)
            if "\x00" in text:
                # Beyond the first bytes the binary check reads; PostgreSQL stores no NUL.
                raise UnreadableFileError(
                    f"a NUL character at offset {text.index(chr(0)):,}: binary data, not text"
                )
            if len(text) > max_chars:
                raise UnreadableFileError(f"longer than {max_chars:,} characters of text")
            parsed = parse_document(text, fallback_title=fallback_title)
            document = Document(
                text,
                encoding,
                (parsed.markup_format == "markdown" and "markdown") or "text",
                parsed,
            )
    except UnreadableFileError as error:
        raise ImportFailedError(str(error)) from None
    if "\x00" in document.raw_text:
        raise ImportFailedError("a NUL character in the text: binary data, not text")
    return document
