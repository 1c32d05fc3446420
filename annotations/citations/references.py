"""Entries of an article's reference list: authors, year, title and URL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annotations.citations.names import COLLEAGUE_WORDS


@dataclass(frozen=True, slots=True)
class Reference:
    """An entry of a reference list.

    ``surnames`` are the authors' family names, first author first; ``names`` the
    same authors in natural order with their given names ("Ali Nejat", "Asghar Jafari
    Valadani"); ``authors`` the author part as written; ``et_al`` marks "et al.",
    "& Colleagues", "and Others". ``raw`` is the entry as given. Read-only:
    ``suggest_source`` shares parsed references between calls.
    """

    surnames: list[str]
    authors: str
    year: int | None
    title: str
    url: str
    raw: str
    names: list[str] = field(default_factory=list)
    et_al: bool = False


_REFERENCE_YEAR = re.compile(r"\(([^()]{0,40}?)(?<!\d)((?:1[5-9]|20)\d\d)[a-z]?(?!\d)[^()]{0,20}\)")
# "Nejat, A. 2014. Title." and "Nejat, Ali, 2014, Title": the year without parentheses.
_BARE_YEAR = re.compile(
    r"^(?P<authors>[^()]{2,200}?)[.,]\s*(?P<year>(?:1[5-9]|20)\d\d)[a-z]?[.,:;]\s"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_URL_CONTINUATION = re.compile(r"/\S*|[\w.~%=&?#-]*/\S*")
_FILE_EXTENSIONS = ("html", "shtml", "htm", "aspx", "asp", "php", "pdf", "jsp")
_QUOTES = {'"': '"', "“": "”", "‘": "’", "«": "»", "'": "'"}
# The lookbehind starts a match only where a run of commas and spaces begins: the
# leftmost match starts there anyway, and "[,\s]*" retried from every character of a
# run would take quadratic time.
_TRAILING_ET_AL = re.compile(
    r"(?<![,\s])[,\s]*(?:\bet\.?\s*al\b\.?|(?:&|\band\b)\s*(?:colleagues|others|associates))"
    r"[\s,.]*$",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"\.([a-z]{1,5})$")
# Words that make an author without a comma an organisation, not "Given Surname".
_ORGANISATION_WORDS = frozenset(
    """agency association bank center centre college committee company corporation
    council department foundation group institute institution ministry network news
    newspaper office organisation organization press project service times
    university""".split()
)


def parse_reference(entry: str) -> Reference | None:
    """A reference-list entry, or None when it has no recognisable author and year.

    Handles the shapes of the seed paper's list: "Nejat, Ali (2014), "Title," Journal";
    unquoted titles ("Abdollah Khani, Ali (2004), Security Theories: ..."); several
    authors in either name order ("Nejat, Seyed Ali & Asghar Jafari Valadani",
    "Anastasovski, I. Stojanovska, T. & Qazimi, A."); "et al." and "& Colleagues";
    years as "(2019)", "(2019).", "(November19,2011)"; and, failing parentheses,
    "Nejat, A. 2014. Title." The title is the first quoted text after the year, else
    the text up to the first comma. URLs cut by a line break are joined again.
    """
    text = " ".join(entry.split())
    if text.startswith(("- ", "• ")):
        text = text[2:]
    year_match = _REFERENCE_YEAR.search(text)
    if year_match is not None and 2 <= year_match.start() <= 200:
        authors_text, year, rest = (
            text[: year_match.start()],
            year_match[2],
            text[year_match.end() :],
        )
    elif bare := _BARE_YEAR.match(text):
        authors_text, year, rest = bare["authors"], bare["year"], text[bare.end() :]
    else:
        return None
    authors_text = _clean_authors(authors_text)
    if not re.search(r"[^\W\d_]", authors_text):
        return None
    surnames, names, et_al = _parse_authors(authors_text)
    if not surnames:
        return None
    url = _find_url(text)
    return Reference(
        surnames=surnames,
        authors=authors_text,
        year=int(year),
        title=_title(rest),
        url=url,
        raw=entry,
        names=names,
        et_al=et_al,
    )


def _clean_authors(authors: str) -> str:
    authors = authors.strip().rstrip(",;: ")
    # A final period ends the author part ("Duclos, Michel.") unless it ends an
    # initial ("Qazimi, A.") or "et al.".
    if authors.endswith(".") and not re.search(r"(?:\b[A-Z]|\bal)\.$", authors):
        authors = authors[:-1].rstrip()
    return authors


def _parse_authors(authors: str) -> tuple[list[str], list[str], bool]:
    et_al = False
    if match := _TRAILING_ET_AL.search(authors):
        et_al = True
        authors = authors[: match.start()]
    if authors.count(",") >= 2:
        # "Anastasovski, I. Stojanovska, T." lists "Surname, Initials" pairs without
        # a separator: put one after each run of initials followed by a name.
        authors = re.sub(r"(\b[A-Z]\.)\s+(?=[A-Z][a-z])", r"\1; ", authors)
    surnames: list[str] = []
    names: list[str] = []
    for chunk in re.split(r"\s*(?:;|&|\band\b)\s*", authors):
        chunk = chunk.strip(" ,")
        if not chunk:
            continue
        if chunk.casefold() in COLLEAGUE_WORDS:
            et_al = True
            continue
        if "," in chunk:
            surname, given = (part.strip(" ,") for part in chunk.split(",", 1))
            given = given.rstrip(".") if not re.search(r"\b[A-Z]\.$", given) else given
            natural = f"{given} {surname}".strip()
        else:
            words = chunk.split()
            organisation = any(word.casefold() in _ORGANISATION_WORDS for word in words)
            if organisation or len(words) == 1:
                surname = chunk
            elif len(words) >= 3:  # "Asghar Jafari Valadani": Persian two-word surnames
                surname = " ".join(words[1:])
            else:
                surname = words[-1]
            natural = chunk
        if surname:
            surnames.append(surname)
            names.append(natural)
    return surnames, names, et_al


def _title(rest: str) -> str:
    rest = rest.lstrip(" .,:;")
    if rest[:1] in _QUOTES:
        closing = rest.find(_QUOTES[rest[0]], 1)
        if closing > 1:
            return rest[1:closing].strip().rstrip(",.;: ").strip()
    rest = _URL.sub(" ", rest)
    rest = re.split(r"\b(?:URL|available at|retrieved from)\b", rest, maxsplit=1, flags=re.I)[0]
    title = rest.split(",", 1)[0]
    return title.strip().rstrip(".;: ").strip(" *_").lstrip("\"“‘«'").rstrip('"”»')


def _find_url(text: str) -> str:
    match = _URL.search(text)
    if match is None:
        return ""
    pieces = [match[0]]
    tail = match[0][-7:]  # what _EXTENSION can match: ".aspx" and the like, or a final "\n"
    rest = text[match.end() :]
    # PDF extraction breaks long URLs at a line end: "public_htm l/sites/...",
    # "1113102.ht ml.", "View/114 /114.". The words after the URL are split once, and
    # only the URL's last characters are searched for an extension: copying the rest
    # and searching the whole URL again for every joined piece took quadratic time.
    tokens = rest.split(" ")[1:] if rest.startswith(" ") else []
    for token in tokens:
        if not token:
            break
        extension = _EXTENSION.search(tail)
        completes_extension = (
            extension is not None and extension[1] + token.rstrip(".,;") in _FILE_EXTENSIONS
        )
        if not (completes_extension or _URL_CONTINUATION.fullmatch(token)):
            break
        pieces.append(token)
        tail = (tail + token)[-7:]
    url = "".join(pieces).rstrip(".,;:)]")
    if url.casefold().startswith("www."):
        host, _, path = url.partition("/")
        url = "http://" + host.casefold() + (f"/{path}" if path else "")
    return url
