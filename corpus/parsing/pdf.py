"""PDF files to article text that ``parse_document`` reads.

``extract_pdf_text`` reads the text layer in this process; ``extract_pdf_text_safely``,
the one the importer calls, reads it in a child process limited in memory and time,
because a PDF of a few megabytes can inflate to gigabytes (a decompression bomb) and
pdfium aborts the whole process when an allocation fails. The layout analysis itself
lives in ``pdf_layout``, which the child runs as a script (see there).
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys

from . import pdf_layout
from .decode import UnreadableFileError

logger = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_CHARS = 5_000_000

MEMORY_MESSAGE = "the PDF needs more memory than allowed to read (a decompression bomb?)"
CRASH_MESSAGE = "the PDF could not be read (the PDF reader failed on it)"


def extract_pdf_text(
    data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES, max_chars: int = DEFAULT_MAX_CHARS
) -> str:
    """The text of a PDF as article text: paragraphs separated by a blank line, each on
    one line, headings on their own, running headers, footers, page and line numbers
    removed, columns read one after the other.

    Raises ``UnreadableFileError`` when the bytes are not a PDF, the PDF is encrypted,
    has more than ``max_pages`` pages, more than ``max_chars`` characters of text, or no
    text at all (a scan). Runs in this process: use ``extract_pdf_text_safely`` for
    files from users.
    """
    try:
        return pdf_layout.extract_text(data, max_pages=max_pages, max_chars=max_chars)
    except pdf_layout.PdfRefused as refusal:
        raise UnreadableFileError(str(refusal)) from None


def extract_pdf_text_safely(
    data: bytes,
    *,
    memory_bytes: int = 512 * 2**20,
    seconds: float = 60,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> str:
    """``extract_pdf_text`` in a child process that may use at most ``memory_bytes`` of
    address space and ``seconds`` of wall time; running out of either, or crashing,
    raises ``UnreadableFileError`` too.

    The child is ``python -P pdf_layout.py`` (the script alone, not the ``corpus``
    package, which would import Django and Markdown): about 0.1 s to start. It sets its
    own memory limit before it reads the PDF, rather than through ``preexec_fn``, which
    is unsafe in a process with threads (a threaded web server).
    """
    command = [
        sys.executable,
        "-P",  # do not put corpus/parsing/ on the child's import path
        pdf_layout.__file__,
        f"--max-pages={max_pages}",
        f"--max-chars={max_chars}",
        f"--memory-bytes={memory_bytes}",
    ]
    try:
        completed = subprocess.run(  # noqa: S603 (our own interpreter and script)
            command, input=data, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFileError(f"reading the PDF took longer than {seconds:g} s") from None
    code = completed.returncode
    if code == 0:
        return completed.stdout.decode("utf-8")
    if code == pdf_layout.EXIT_REFUSED:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableFileError(reason[-1] if reason else CRASH_MESSAGE)
    # pdfium aborts the process (SIGABRT) when an allocation fails; Python raises
    # MemoryError, which the child turns into its own exit code.
    if code in (pdf_layout.EXIT_MEMORY, -signal.SIGABRT):
        raise UnreadableFileError(MEMORY_MESSAGE)
    logger.warning(
        "PDF reader exited with %s: %s",
        code,
        completed.stderr.decode("utf-8", "replace")[-2000:],
    )
    raise UnreadableFileError(CRASH_MESSAGE)


if __name__ == "__main__":
    # python -m corpus.parsing.pdf FILE.pdf: print the text, to look at an extraction.
    from pathlib import Path

    print(extract_pdf_text(Path(sys.argv[1]).read_bytes()), end="")
