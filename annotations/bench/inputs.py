"""Files for the format, upload and generality benchmarks: the seeds, the real pages
and PDFs of ``../shared/wild-articles`` (read where they are, never copied into the
project; absent on other machines, e.g. in CI), and a two-column PDF made at run time
with fpdf2."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class InputFile:
    name: str
    data: bytes
    source_format: str  # text, html or pdf


def wild_folder() -> Path | None:
    """The folder of real articles (``CROSSREAD_WILD_ARTICLES``, else
    ``../shared/wild-articles`` beside the project), or None when it is not there."""
    folder = Path(
        os.environ.get("CROSSREAD_WILD_ARTICLES")
        or Path(settings.BASE_DIR).parent / "shared" / "wild-articles"
    )
    return folder if folder.is_dir() else None


def seed_files() -> list[InputFile]:
    return [
        InputFile(path.name, path.read_bytes(), "text")
        for path in sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
    ]


def wild_files(kind: str) -> list[InputFile]:
    """The real pages (``kind`` "html") or PDFs ("pdf"); none without the folder."""
    folder = wild_folder()
    if folder is None:
        return []
    return [
        InputFile(path.name, path.read_bytes(), kind)
        for path in sorted((folder / kind).glob(f"*.{kind}"))
    ]


def variant(file: InputFile, number: int) -> InputFile:
    """A copy of the file with other bytes (so that it makes a new article, not an
    "unchanged" one) and the same text: a text file gets a new title, a page an HTML
    comment at its end, a PDF a PDF comment after its end."""
    if file.source_format == "text":
        text = file.data.decode("utf-8")
        title = next(line for line in text.splitlines() if line.strip())
        data = text.replace(title, f"{title.rstrip()} (copy {number})", 1).encode("utf-8")
    elif file.source_format == "html":
        data = file.data + f"\n<!-- crossread bench copy {number} -->\n".encode()
    else:
        data = file.data + f"\n% crossread bench copy {number}\n".encode()
    stem, dot, suffix = file.name.rpartition(".")
    return InputFile(f"{stem}-copy{number}{dot}{suffix}", data, file.source_format)


# -- A two-column PDF, made at run time ----------------------------------------------

GENERATED_TITLE = "Iran and Russia in the Syrian Crisis: a Two-Column Reading"


def _ascii(text: str) -> str:
    """The text in the PDF core fonts' characters (quotes and dashes made plain)."""
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-"}))
    text = text.replace("—", " - ")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


def generated_paragraphs(count: int = 24) -> list[str]:
    """Body paragraphs for the generated PDF: the academic seed's longer body
    paragraphs as the text importer reads them (its broken paragraphs mended), without
    citation marks, in plain characters."""
    from corpus.parsing import parse_document

    seed = Path(settings.BASE_DIR) / "seeds" / "003_38ccf8f4c3724d70.txt"
    parsed = parse_document(seed.read_text(encoding="utf-8"), fallback_title=seed.stem)
    paragraphs = []
    for paragraph in parsed.paragraphs:
        text = _ascii(re.sub(r"\^\{[^}]*\}|\[[0-9, ]+\]", "", paragraph.markup))
        if paragraph.kind == "body" and len(text) > 300:
            paragraphs.append(text)
    return paragraphs[:count]


def generated_pdf(paragraphs: list[str] | None = None) -> bytes | None:
    """A PDF of a few pages: a title across the page, then the paragraphs in two
    columns, with a running header and page numbers. None without fpdf2 (a dev
    dependency)."""
    try:
        from fpdf import FPDF
    except ImportError:
        return None
    paragraphs = paragraphs if paragraphs is not None else generated_paragraphs()

    class Report(FPDF):
        def header(self):
            if self.page_no() > 1:
                self.set_font("Helvetica", "I", 8)
                self.cell(0, 8, "Crossread benchmark report", align="C")
                self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Report(format="A4")
    pdf.set_creator("Crossread bench")
    pdf.set_title(GENERATED_TITLE)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, GENERATED_TITLE, align="C")
    pdf.ln(4)
    pdf.set_font("Times", "", 10)
    with pdf.text_columns(ncols=2, gutter=8, text_align="J", line_height=1.2) as columns:
        for paragraph in paragraphs:
            with columns.paragraph(bottom_margin=3) as block:
                block.write(paragraph)
    return bytes(pdf.output())


def generated_pdf_file(name: str = "bench-two-columns.pdf") -> InputFile | None:
    data = generated_pdf()
    return InputFile(name, data, "pdf") if data is not None else None
