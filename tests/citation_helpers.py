"""Shared by the citation tests: the academic seed's paragraphs and reference list as
the importer stores them, and a source matcher over the known sources (no database)."""

from annotations.citations import (
    KNOWN_SOURCES,
    Citation,
    Reference,
    SourceMatcher,
    parse_citations,
    parse_reference,
)
from tests.conftest import ACADEMIC

NEJAT_2014 = (
    "Nejat, Ali (2014), \"The Islamic Republic of Iran's Foreign Policy Approach towards New "
    'Middle Eastern Developments," Politics Quarterly, Volume 1, Issue 4, pp. 61-76.'
)
NEJAT_2014_TITLE = (
    "The Islamic Republic of Iran's Foreign Policy Approach towards New Middle Eastern Developments"
)


def academic_lines() -> list[str]:
    return ACADEMIC.read_text(encoding="utf-8").split("\n")


def reference_entries() -> list[str]:
    """The paper's reference list as the importer stores it: one string per entry,
    without the "- ", a wrapped entry joined across its blank line."""
    lines = academic_lines()
    entries: list[str] = []
    for line in lines[lines.index("References") + 1 :]:
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            entries.append(line[2:])
        elif entries[-1].endswith("-") and line[:1].islower():
            entries[-1] += line
        else:
            entries[-1] += " " + line
    return [" ".join(entry.split()) for entry in entries]


def academic_paragraphs() -> list[str]:
    lines = academic_lines()
    body = "\n".join(lines[: lines.index("References")])
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def paragraph_with(fragment: str) -> str:
    found = [paragraph for paragraph in academic_paragraphs() if fragment in paragraph]
    assert len(found) == 1, f"{fragment!r} is in {len(found)} paragraphs"
    return found[0]


def known_source_matcher() -> SourceMatcher:
    """A matcher over ``KNOWN_SOURCES``, each source's id being its index in the list."""
    return SourceMatcher(
        (index, source["name"], source["aliases"]) for index, source in enumerate(KNOWN_SOURCES)
    )


def source_id(name: str) -> int:
    return next(index for index, source in enumerate(KNOWN_SOURCES) if source["name"] == name)


def only_citation(text: str) -> Citation:
    citations = parse_citations(text)
    assert len(citations) == 1, citations
    return citations[0]


def reference_starting(references: list[Reference], start: str) -> Reference:
    return next(reference for reference in references if reference.raw.startswith(start))


def parsed_reference_entries() -> list[Reference]:
    return [parse_reference(entry) for entry in reference_entries()]
