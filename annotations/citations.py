"""Suggest the source a passage cites.

Four kinds of evidence, best first:

1. a known source (a row of the Source table) named in the passage: "The Washington
   Post", "RAND", "the Kremlin";
2. an author-year citation ("(Nejat, 2014, p. 74)", "Darayandeh and colleagues (2019)")
   that points to an entry of the article's reference list;
3. an author-year citation that points to no entry;
4. an attribution to unnamed officials ("U.S. officials said") or to a titled,
   named official ("Foreign Minister Sergei Lavrov said").

Plain Python, no Django: the annotation form calls ``suggest_source`` on every
selection, and the tests run without a database.

Naming policies for proposed new sources (``SourceSuggestion.new_source["name"]``):

- a citation matched to a reference: ``"<authors> (<year>), <title>"``, e.g.
  "Nejat (2014), The Islamic Republic of Iran's Foreign Policy Approach towards New
  Middle Eastern Developments", the title shortened at a word so the name stays within
  300 characters; kind "academic"; notes hold the whole reference entry;
- a citation without a reference: ``"<authors> <year>"``, e.g. "Nejat 2014";
- ``<authors>`` is "Nejat" (one author), "Nejat & Jafari Valadani" (two), "Mohseni et
  al." (three or more, or an "et al."/"and colleagues" list);
- unnamed officials: ``"<Qualifier> <domain> <role> (unnamed)"`` in the plural whatever
  the text says ("a senior U.S. official said" and "U.S. officials said" both give
  "U.S. officials (unnamed)"), so one Source collects every such attribution; without a
  qualifier: "Officials (unnamed)", "Sources (unnamed)"; kind "anonymous";
- a titled official: the person's name as written, without the title ("Sergei
  Lavrov"); the title goes to the notes; kind "official".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

__all__ = [
    "KNOWN_SOURCES",
    "MATCH_THRESHOLD",
    "SOURCE_KINDS",
    "Citation",
    "Reference",
    "SourceMatch",
    "SourceMatcher",
    "SourceSuggestion",
    "match_citation",
    "normalize_name",
    "parse_citations",
    "parse_reference",
    "suggest_source",
]

SOURCE_KINDS = ("outlet", "think_tank", "government", "academic", "official", "anonymous", "other")

# rapidfuzz ratio (0-100) between two folded surnames. 85 accepts transliteration
# variants of one name ("Abdollahi Khani"/"Abdollah Khani" 96, "Vafaifard"/"Vafaei
# Fard" 95, "Ghodousi"/"Ghodsi" 86) and refuses different ones ("Nouri"/"Houri" 80,
# "Karami"/"Karimi" 83); a shared first letter is required on top ("Hosseini" is not
# "Mir Hosseini").
MATCH_THRESHOLD = 85

NAME_MAX_LENGTH = 300  # Source.name


# --------------------------------------------------------------------------- names


def normalize_name(name: str) -> str:
    """The key under which two spellings of a source name are one.

    The same rule as ``annotations.models.normalize_name`` (which gives
    ``Source.normalized_name``); repeated here because this module cannot import
    Django. A test keeps the two equal.
    """
    folded = unicodedata.normalize("NFKD", name).casefold()
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = re.sub(r"[^\w\s]", " ", folded)
    words = folded.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def _fold(name: str) -> str:
    """A personal name reduced to lowercase ASCII-ish letters and digits, so that
    "Mir-Hosseini", "Mir Hosseini" and "MIR HOSSEINI" are one key."""
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    return "".join(char for char in decomposed if char.isalnum())


def _similar(first: str, second: str) -> float:
    """Similarity of two folded names: 0 unless they share their first letter."""
    if not first or not second or first[0] != second[0]:
        return 0.0
    return fuzz.ratio(first, second)


# ----------------------------------------------------------------------- citations


@dataclass(frozen=True, slots=True)
class Citation:
    """An author-year citation in a passage. ``start``/``end`` are offsets into the
    passage; ``text`` is ``passage[start:end]``.

    ``surnames`` are the names as cited. A narrative citation keeps its name as
    written ("Ammar Jelo", "Rafiei Basiri"): the text may give a first name or a
    two-word surname, and matching tries both readings. ``pages`` is the locator
    without "p."/"pp." ("74", "61-76"). ``et_al`` marks "et al.", "and colleagues",
    "and others".
    """

    surnames: list[str]
    year: int
    pages: str | None
    start: int
    end: int
    text: str
    et_al: bool = False


_CAPITAL = "A-ZÀ-ÖØ-Þ\u0100-\u024f"
_WORD = rf"[{_CAPITAL}][\w'’]*(?:-[\w'’]+)*"
_PARTICLE = r"(?:al|el|ul|bin|ibn|bint|van|von|der|den|de|da|di|du|la|le|dos|das|del|della|ter)"
# A name of one to four words on one line: "Nejat", "Jafari Valadani", "al-Assad".
_NAME = rf"(?:{_PARTICLE}[-\s])?{_WORD}(?:[^\S\n]+(?:{_PARTICLE}[-\s])?{_WORD}){{0,3}}"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?(?![\d\-–])"
_PAGES = r"(?:pp?\.?\s*)?\d+(?:\s*[-–—]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*"
_ET_AL = r"(?i:,?\s+et\.?\s+al\b\.?|\s+(?:and|&)\s+(?:colleagues|others|associates|co-?workers))"

# One citation inside parentheses (the parentheses may hold several, split at ";").
_PARENTHETICAL = re.compile(
    rf"""\s*(?:(?i:see(?:\s+also)?|cf\.|e\.g\.,?|i\.e\.,?|quoted\s+in)\s+)?
    (?P<names>{_NAME}(?:\s*(?:,\s*(?:&|\band\b)?|&|\band\b)\s*{_NAME})*)
    (?P<etal>{_ET_AL})?
    \s*,?\s*{_YEAR}
    (?:\s*[,:]\s*(?P<pages>{_PAGES}))?
    \s*""",
    re.VERBOSE,
)
_PARENTHESES = re.compile(r"\(([^()]{3,400})\)")
# "Grajewski (2021)", "Darayandeh and Ahmadi (2018)", "Mohseni et al. (2015, p. 13)".
_NARRATIVE = re.compile(
    rf"""(?<![\w'’-])
    (?P<names>{_NAME}(?:[^\S\n]+(?:and|&)[^\S\n]+{_NAME})?)
    (?P<etal>{_ET_AL})?
    [^\S\n]*\(\s*{_YEAR}(?:\s*[,:]\s*(?P<pages>{_PAGES}))?\s*\)""",
    re.VERBOSE,
)
_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b)\s*")
_COLLEAGUES = frozenset({"colleagues", "others", "associates", "coworkers", "co-workers"})

# Capitalised words that start a sentence or a phrase before a narrative citation and
# are not part of the name ("As Grajewski (2021) shows").
_LEADING_WORDS = frozenset(
    """a an and as at also although after according before both but by during
    following for from further furthermore however in like likewise meanwhile
    moreover of on per similarly since so the then thereby therefore these this
    those though thus unlike whereas while with yet see professor prof dr mr mrs ms
    scholar author authors researcher researchers""".split()
)
# Capitalised words that are never (part of) an author's name in a citation.
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday spring summer
    autumn fall winter early late mid end world war revolution crisis treaty
    agreement accord accords resolution summit conference protocol act law uprising
    uprisings election elections century era period i ii iii iv v vi""".split()
)


def _country_names() -> frozenset[str]:
    try:
        import pycountry
    except ImportError:  # only a guard against false citations such as "Syria (2015)"
        return frozenset()
    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(value.casefold())
    return frozenset(names)


# Places that pass for a name before "(2015)": countries (with the short names
# pycountry lacks), and the regions and capitals this corpus writes about.
_PLACES = _country_names() | {
    *("russia", "turkey", "america", "britain", "england", "us", "usa", "uk"),
    *("europe", "asia", "africa", "levant", "kurdistan", "middle east", "west asia"),
    *("north africa", "persian gulf", "soviet union"),
    *("moscow", "tehran", "damascus", "washington", "ankara", "beirut", "baghdad"),
    *("riyadh", "jerusalem", "tel aviv", "aleppo", "idlib"),
}


def parse_citations(text: str) -> list[Citation]:
    """The author-year citations in a passage, in text order.

    Parenthetical citations: "(Nejat, 2014, p. 74)", "(Mohseni et al., 2015, p. 13)",
    several in one pair of parentheses separated by ";". A lone citation's span covers
    its parentheses; with several, the first span starts at "(" and the last ends at
    ")". Narrative citations: "Grajewski (2021)", "Darayandeh and colleagues (2019)".
    Years alone ("in 2011", "(2010-2017)", "World War I (1914-1918)", "(May 2017)")
    are not citations.
    """
    citations: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for parentheses in _PARENTHESES.finditer(text):
        parts = list(re.finditer(r"[^;]+", parentheses[1]))
        offset = parentheses.start(1)
        for index, part in enumerate(parts):
            match = _PARENTHETICAL.fullmatch(part[0])
            if match is None:
                continue
            surnames, et_al = _surnames(match["names"], match["etal"], narrative=False)
            if not surnames:
                continue
            start = offset + part.start() + (len(part[0]) - len(part[0].lstrip()))
            end = offset + part.end() - (len(part[0]) - len(part[0].rstrip()))
            if index == 0:
                start = parentheses.start()
            if index == len(parts) - 1:
                end = parentheses.end()
            citations.append(
                _citation(text, surnames, et_al, match["year"], match["pages"], start, end)
            )
            taken.append((parentheses.start(), parentheses.end()))
    for match in _NARRATIVE.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        surnames, et_al = _surnames(match["names"], match["etal"], narrative=True)
        if not surnames:
            continue
        # The name may have lost leading words ("As Grajewski"): start at what is left.
        start = text.index(surnames[0].split()[0], match.start("names"))
        citations.append(
            _citation(text, surnames, et_al, match["year"], match["pages"], start, match.end())
        )
    citations.sort(key=lambda citation: citation.start)
    return citations


def _citation(
    text: str, surnames: list[str], et_al: bool, year: str, pages: str | None, start: int, end: int
) -> Citation:
    return Citation(
        surnames=surnames,
        year=int(year),
        pages=_clean_pages(pages),
        start=start,
        end=end,
        text=text[start:end],
        et_al=et_al,
    )


def _clean_pages(pages: str | None) -> str | None:
    if not pages:
        return None
    pages = re.sub(r"^pp?\.?\s*", "", pages.strip())
    pages = re.sub(r"\s*[-–—]\s*", "-", pages)
    return re.sub(r"\s*,\s*", ", ", pages) or None


def _surnames(names: str, et_al_text: str | None, *, narrative: bool) -> tuple[list[str], bool]:
    """The cited names, or [] when what looked like names is not ("May", "Syria")."""
    et_al = bool(et_al_text)
    surnames = []
    for raw_name in _SEPARATORS.split(names):
        words = raw_name.split()
        if not words:
            continue
        if words[-1].casefold() in _COLLEAGUES:  # "Darayandeh and Colleagues"
            et_al = True
            continue
        if not surnames:  # only the first name can carry the sentence's first words
            while words and words[0].casefold() in _LEADING_WORDS:
                words = words[1:]
        folded = [word.casefold() for word in words]
        if not words:
            return [], False
        if (narrative or len(words) == 1) and any(word in _NOT_NAMES for word in folded):
            return [], False
        if all(word in _NOT_NAMES for word in folded):
            return [], False
        name = " ".join(words)
        if name.casefold() in _PLACES:
            return [], False
        surnames.append(name)
    return surnames, et_al


# ---------------------------------------------------------------------- references


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
_TRAILING_ET_AL = re.compile(
    r"[,\s]*(?:\bet\.?\s*al\b\.?|(?:&|\band\b)\s*(?:colleagues|others|associates))[\s,.]*$",
    re.IGNORECASE,
)
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
        if chunk.casefold() in _COLLEAGUES:
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
    url = match[0]
    rest = text[match.end() :]
    # PDF extraction breaks long URLs at a line end: "public_htm l/sites/...",
    # "1113102.ht ml.", "View/114 /114.".
    while rest.startswith(" "):
        token = rest[1:].split(" ", 1)[0]
        if not token:
            break
        extension = re.search(r"\.([a-z]{1,5})$", url)
        completes_extension = (
            extension is not None and extension[1] + token.rstrip(".,;") in _FILE_EXTENSIONS
        )
        if not (completes_extension or _URL_CONTINUATION.fullmatch(token)):
            break
        url += token
        rest = rest[1 + len(token) :]
    url = url.rstrip(".,;:)]")
    if url.casefold().startswith("www."):
        host, _, path = url.partition("/")
        url = "http://" + host.casefold() + (f"/{path}" if path else "")
    return url


# ------------------------------------------------------------------------ matching


def match_citation(citation: Citation, references: list[Reference]) -> Reference | None:
    """The reference a citation points to, or None when none does for certain.

    Same year, and first author's name alike (``MATCH_THRESHOLD``, ignoring case,
    diacritics, spaces and hyphens; compared with the reference's surname and with
    its full name, so "Ammar Jelo" finds "Jalo, Ammar"). Among several, co-authors who
    match and an author count that agrees decide; a tie gives None.
    """
    cited = _fold(citation.surnames[0])
    cited_coauthors = [_fold(name) for name in citation.surnames[1:]]
    cited_many = len(citation.surnames) > 1 or citation.et_al
    scored: list[tuple[float, Reference]] = []
    seen: set[str] = set()
    for reference in references:
        if reference.year != citation.year or not reference.surnames or reference.raw in seen:
            continue
        seen.add(reference.raw)
        forms = {_fold(reference.surnames[0])}
        if reference.names:
            forms.add(_fold(reference.names[0]))
        first = max(_similar(cited, form) for form in forms)
        if first < MATCH_THRESHOLD:
            continue
        score = first
        coauthor_forms = [_fold(name) for name in reference.surnames[1:] + reference.names[1:]]
        for coauthor in cited_coauthors:
            if any(
                _similar(coauthor, form) >= MATCH_THRESHOLD
                or (coauthor and form.endswith(coauthor))
                for form in coauthor_forms
            ):
                score += 20
        reference_many = len(reference.surnames) > 1 or reference.et_al
        if cited_many != reference_many:
            score -= 10
        scored.append((score, reference))
    if not scored:
        return None
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


# ------------------------------------------------------------------- known sources


@dataclass(frozen=True, slots=True)
class SourceMatch:
    """A known source named in a passage, at ``passage[start:end] == text``."""

    source_id: Any
    start: int
    end: int
    text: str


# Runs of spaces and hyphens are one separator ("Al Jazeera" = "Al-Jazeera"), and the
# two apostrophes are one.
_SEPARATOR_RUN = re.compile(r"[\s\-‐‑]+")
_SEPARATOR_PATTERN = r"[\s\-‐‑]+"
_APOSTROPHE_PATTERN = r"['’]"
_SHORT_FORM_LETTERS = 4


class SourceMatcher:
    """Finds known sources named in a passage.

    Built from ``(source_id, name, aliases)`` tuples, e.g.
    ``SourceMatcher(Source.objects.values_list("id", "name", "aliases"))``.

    Names and aliases match as whole words, case-insensitively, except forms of four
    letters or fewer ("RAND", "AP", "BBC", "U.N."), which match only as written, so
    "a rand of land" and "Rand Paul" are not RAND. A name beginning with "The" also
    matches without it when two or more words remain ("Washington Post"; "Kremlin"
    alone needs an alias). Possessives match ("RAND's", "the Post’s": the span stops
    before the apostrophe). Longest name first, in text order. All names go into one
    compiled regular expression, shaped as a trie so that its cost grows with the
    passage, not with the number of sources. Forms longer than 120 characters (long
    academic source names) are left out: nobody writes them out in a passage. When
    two sources share a form, the first one given keeps it.
    """

    MAX_FORM_LENGTH = 120

    def __init__(self, sources: Iterable[tuple[Any, str, Iterable[str] | None]]) -> None:
        self._names: dict[Any, str] = {}
        self._by_key: dict[str, Any] = {}
        self._folded_forms: dict[str, Any] = {}
        self._exact_forms: dict[str, Any] = {}
        alias_keys: dict[str, Any] = {}
        for source_id, name, aliases in sources:
            if isinstance(aliases, str):  # a lone alias stored as a string, not a list
                aliases = [aliases]
            self._names.setdefault(source_id, name)
            self._by_key.setdefault(normalize_name(name), source_id)
            for form in [name, *(aliases or [])]:
                if not form or not form.strip():
                    continue
                alias_keys.setdefault(normalize_name(form), source_id)
                for surface in self._surfaces(form):
                    if len(surface) > self.MAX_FORM_LENGTH:
                        continue
                    if self._is_short(surface):
                        self._exact_forms.setdefault(surface, source_id)
                    else:
                        self._folded_forms.setdefault(surface.lower(), source_id)
        for key, source_id in alias_keys.items():
            self._by_key.setdefault(key, source_id)
        branches = []
        if self._folded_forms:
            branches.append(f"(?i:{_trie_pattern(self._folded_forms)})")
        if self._exact_forms:
            branches.append(_trie_pattern(self._exact_forms))
        self._pattern = re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)") if branches else None

    @staticmethod
    def _surfaces(form: str) -> list[str]:
        surface = _SEPARATOR_RUN.sub(" ", form.strip()).replace("’", "'")
        surfaces = [surface]
        words = surface.split(" ")
        if len(words) >= 3 and words[0].casefold() == "the":
            surfaces.append(" ".join(words[1:]))
        return surfaces

    @staticmethod
    def _is_short(surface: str) -> bool:
        return sum(char.isalpha() for char in surface) <= _SHORT_FORM_LETTERS

    @staticmethod
    def _surface_key(text: str) -> str:
        return _SEPARATOR_RUN.sub(" ", text).replace("’", "'")

    def find(self, text: str) -> list[SourceMatch]:
        """Every mention of a known source in ``text``, in text order."""
        if self._pattern is None:
            return []
        matches = []
        for match in self._pattern.finditer(text):
            surface = self._surface_key(match[0])
            source_id = self._exact_forms.get(surface)
            if source_id is None:
                source_id = self._folded_forms.get(surface.lower())
            if source_id is not None:
                matches.append(SourceMatch(source_id, match.start(), match.end(), match[0]))
        return matches

    def name_of(self, source_id: Any) -> str:
        return self._names.get(source_id, "")

    def id_for_name(self, name: str) -> Any | None:
        """The source whose name (or, failing that, alias) has the key of ``name``
        under ``normalize_name``: the row ``Source.normalized_name`` would find."""
        return self._by_key.get(normalize_name(name))


def _trie_pattern(forms: Iterable[str]) -> str:
    """One regex matching any of ``forms``, longest first, as a trie of characters."""
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:
    branches = []
    for char in sorted(key for key in node if key):
        if char == " ":
            token = _SEPARATOR_PATTERN
        elif char == "'":
            token = _APOSTROPHE_PATTERN
        else:
            token = re.escape(char)
        branches.append(token + _node_pattern(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" in node:  # a form may end here; the greedy "?" tries the longer ones first
        body = f"(?:{body})?"
    return body


def _known(name: str, kind: str, aliases: list[str], url: str) -> dict[str, Any]:
    return {"name": name, "kind": kind, "aliases": aliases, "url": url}


# Sources a corpus on Syria, Iran and Russia commonly cites, to seed the Source table.
KNOWN_SOURCES: list[dict[str, Any]] = [
    # News outlets and agencies
    _known("The Washington Post", "outlet", [], "https://www.washingtonpost.com"),
    _known("The New York Times", "outlet", ["NYT"], "https://www.nytimes.com"),
    _known("Reuters", "outlet", ["Reuters"], "https://www.reuters.com"),
    _known("Associated Press", "outlet", ["AP"], "https://apnews.com"),
    _known("BBC", "outlet", ["British Broadcasting Corporation"], "https://www.bbc.com"),
    _known("Al Jazeera", "outlet", ["Aljazeera"], "https://www.aljazeera.com"),
    _known("Al Arabiya", "outlet", [], "https://www.alarabiya.net"),
    _known("Al-Monitor", "outlet", [], "https://www.al-monitor.com"),
    _known("TASS", "outlet", ["ITAR-TASS"], "https://tass.com"),
    _known("RIA Novosti", "outlet", [], "https://ria.ru"),
    _known("Sputnik", "outlet", [], "https://sputnikglobe.com"),
    _known("RT", "outlet", ["Russia Today"], "https://www.rt.com"),
    _known("Syrian Arab News Agency", "outlet", ["SANA"], "https://sana.sy"),
    _known("Islamic Republic News Agency", "outlet", ["IRNA"], "https://www.irna.ir"),
    _known("Tasnim News Agency", "outlet", ["Tasnim"], "https://www.tasnimnews.com"),
    _known("Fars News Agency", "outlet", ["Fars News"], "https://www.farsnews.ir"),
    _known("Press TV", "outlet", [], "https://www.presstv.ir"),
    _known("Anadolu Agency", "outlet", ["Anadolu"], "https://www.aa.com.tr"),
    _known("New Eastern Outlook", "outlet", ["NEO"], "https://journal-neo.su"),
    # Think tanks
    _known("RAND Corporation", "think_tank", ["RAND"], "https://www.rand.org"),
    _known("Brookings Institution", "think_tank", ["Brookings"], "https://www.brookings.edu"),
    _known(
        "Carnegie Endowment for International Peace",
        "think_tank",
        ["Carnegie"],
        "https://carnegieendowment.org",
    ),
    _known("Atlantic Council", "think_tank", [], "https://www.atlanticcouncil.org"),
    _known(
        "Chatham House",
        "think_tank",
        ["Royal Institute of International Affairs"],
        "https://www.chathamhouse.org",
    ),
    _known(
        "The Washington Institute for Near East Policy",
        "think_tank",
        ["The Washington Institute", "WINEP"],
        "https://www.washingtoninstitute.org",
    ),
    _known(
        "Belfer Center for Science and International Affairs",
        "think_tank",
        ["Belfer Center"],
        "https://www.belfercenter.org",
    ),
    _known(
        "Institut Montaigne",
        "think_tank",
        ["Institute Montaigne"],
        "https://www.institutmontaigne.org",
    ),
    _known("European Council on Foreign Relations", "think_tank", ["ECFR"], "https://ecfr.eu"),
    _known(
        "Center for Strategic and International Studies",
        "think_tank",
        ["CSIS"],
        "https://www.csis.org",
    ),
    _known(
        "International Crisis Group", "think_tank", ["Crisis Group"], "https://www.crisisgroup.org"
    ),
    # Governments and official bodies
    _known(
        "U.S. Department of State",
        "government",
        ["State Department", "US Department of State"],
        "https://www.state.gov",
    ),
    _known(
        "Pentagon",
        "government",
        ["U.S. Department of Defense", "US Department of Defense"],
        "https://www.defense.gov",
    ),
    _known("The Kremlin", "government", ["Kremlin"], "http://www.kremlin.ru"),
    _known(
        "Russian Ministry of Defence",
        "government",
        ["Russian Ministry of Defense", "Russian Defence Ministry", "Russian Defense Ministry"],
        "https://eng.mil.ru",
    ),
    _known(
        "Iranian Foreign Ministry",
        "government",
        ["Iranian Ministry of Foreign Affairs", "Iran's Foreign Ministry"],
        "https://en.mfa.ir",
    ),
    _known(
        "Islamic Revolutionary Guard Corps",
        "government",
        ["IRGC", "Islamic Revolutionary Guards Corps", "Revolutionary Guards"],
        "",
    ),
    _known("United Nations", "government", ["UN", "U.N."], "https://www.un.org"),
    _known(
        "Organisation for the Prohibition of Chemical Weapons",
        "government",
        ["OPCW", "Organization for the Prohibition of Chemical Weapons"],
        "https://www.opcw.org",
    ),
    _known("Syrian Observatory for Human Rights", "other", ["SOHR"], "https://www.syriahr.com/en"),
]


# -------------------------------------------------------------------- attributions


@dataclass(frozen=True, slots=True)
class _Attribution:
    name: str
    kind: str
    start: int
    end: int
    notes: str


_ROLE = re.compile(
    r"(?<![\w-])(?P<role>(?i:officials?|sources?|diplomats?|insiders?|aides?))(?![\w-])"
)
_REPORTING_VERB = (
    r"(?:said|say|says|told|tell|tells|noted|added|claimed|confirmed|warned|stated|"
    r"believe[sd]?|expressed|acknowledged|admitted|insisted|suggested|argued|explained|"
    r"revealed|reported|indicated|announced|denied|estimated)\b"
)
# After the role: an optional ", speaking on condition of anonymity," and up to three
# words ("have repeatedly", "in Damascus") before the reporting verb; not a passive
# ("the source and copyright are acknowledged").
_REPORTS_AFTER = re.compile(
    rf"(?:\s*,[^,.;:]{{1,80}},)?"
    rf"(?:\s+(?!(?:and|or|is|are|was|were|be|been|being)\b)[\w'’.-]+){{0,3}}?"
    rf"\s+{_REPORTING_VERB}",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(r"\baccording\s+to\b(?:\s+[\w'’.-]+){0,5}\s*$", re.IGNORECASE)
_DOMAIN_WORDS = frozenset(
    {"military", "intelligence", "security", "government", "administration", "diplomatic"}
)
_RANK_WORDS = frozenset(
    """senior top high-ranking high-level unnamed anonymous informed knowledgeable
    former current local other some several many two three four few most a an
    the""".split()
)
_NOT_QUALIFIERS = frozenset(
    """Some Several Many Other Two Three Both The A An But And Yet Yesterday Today
    Meanwhile However Still Earlier Later Last Now Also Senior Top""".split()
)
_ROLE_PLURALS = {
    "official": "officials",
    "source": "sources",
    "diplomat": "diplomats",
    "insider": "insiders",
    "aide": "aides",
}
_OFFICIAL_TITLE = (
    r"(?:(?:Foreign|Defen[cs]e|Prime|Deputy|Interior|Deputy\s+Foreign)\s+Minister|"
    r"President|Vice\s+President|Ayatollah|General|Gen\.|Brigadier\s+General|Ambassador|"
    r"Secretary\s+of\s+State|Defen[cs]e\s+Secretary|[Ss]pokes(?:man|woman|person)|Envoy|"
    r"Commander|Chief\s+of\s+Staff|Senator)"
)
_NAMED_OFFICIAL = re.compile(
    rf"(?P<title>{_OFFICIAL_TITLE})\s+(?P<person>{_WORD}(?:\s+(?:{_PARTICLE}[-\s])?{_WORD}){{0,3}})"
    rf"(?:\s*,[^,.;:]{{1,80}},)?\s+(?:(?:has|had|also|then|later)\s+)?{_REPORTING_VERB}"
)


def _attributions(text: str) -> list[_Attribution]:
    found = []
    for role in _ROLE.finditer(text):
        reported = _REPORTS_AFTER.match(text, role.end())
        according = _ACCORDING_TO.search(text, max(0, role.start() - 120), role.start())
        if reported is None and according is None:
            continue
        words = text[max(0, role.start() - 80) : role.start()].split()
        qualifier: list[str] = []
        domain: list[str] = []
        start = role.start()
        for word in reversed(words[-4:]):
            bare = word.strip(',;:()"“”')
            if bare != word or not bare:
                break
            if bare.casefold() in _DOMAIN_WORDS and not qualifier:
                domain.insert(0, bare.casefold())
            elif bare[0].isupper() and bare not in _NOT_QUALIFIERS and len(qualifier) < 2:
                qualifier.insert(0, bare)
            elif bare.casefold() not in _RANK_WORDS:
                break
            start = text.rindex(word, 0, start)
        role_word = role["role"].casefold()
        plural = _ROLE_PLURALS.get(role_word, role_word)
        label = " ".join([*qualifier, *domain, plural])
        name = f"{label[0].upper()}{label[1:]} (unnamed)"
        end = reported.end() if reported is not None else role.end()
        found.append(
            _Attribution(
                name=name,
                kind="anonymous",
                start=start,
                end=end,
                notes=f"Unnamed {label}: statements attributed to them without a name.",
            )
        )
    for match in _NAMED_OFFICIAL.finditer(text):
        title = " ".join(match["title"].split())
        person = match["person"]
        found.append(
            _Attribution(
                name=person,
                kind="official",
                start=match.start(),
                end=match.end(),
                notes=f"{title} {person}",
            )
        )
    found.sort(key=lambda attribution: attribution.start)
    return found


# --------------------------------------------------------------------- suggestions


@dataclass(frozen=True, slots=True)
class SourceSuggestion:
    """One proposal for the source of a passage.

    ``reason``: "named" (a known source named in the passage), "reference" (a citation
    matched to the reference list), "citation" (a citation without a reference) or
    "attribution" (unnamed or titled officials). ``source_id`` is set when the source
    exists already (always for "named"); ``new_source`` holds the fields of a Source to
    create otherwise (name, kind, year, notes, url). ``start``/``end``/``text`` say
    where the evidence is in the passage.
    """

    reason: str
    name: str
    kind: str | None
    start: int
    end: int
    text: str
    source_id: Any = None
    new_source: dict[str, Any] | None = None
    citation: Citation | None = None
    reference: Reference | None = None

    @property
    def why(self) -> str:
        if self.reason == "named":
            return f"“{self.text}” is named in the passage"
        if self.reason == "reference" and self.citation is None:
            return "the selection is an entry of the article's references"
        if self.reason == "reference":
            return f"cited as “{self.text}”, in the article's references"
        if self.reason == "citation":
            return f"cited as “{self.text}”, not in the article's references"
        return f"attributed in “{self.text}”"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the annotation form."""
        proposal = self.new_source or {}
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "year": proposal.get("year"),
            "url": proposal.get("url", ""),
            "notes": proposal.get("notes", ""),
            "reason": self.reason,
            "why": self.why,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "new": self.source_id is None,
        }


def suggest_source(
    passage: str, *, matcher: SourceMatcher | None, references: list[str]
) -> list[SourceSuggestion]:
    """What the annotation form proposes as the source of ``passage``, best first.

    Known sources named in the passage, then citations matched to the article's
    reference list (``references``: its entries as stored, one string each), then
    citations without a reference, then attributions to officials. Each source comes
    once. A proposal whose name is already a known source (under ``normalize_name``)
    carries that source's id instead of a new source.
    """
    suggestions: list[SourceSuggestion] = []
    seen_ids: set[Any] = set()
    seen_names: set[str] = set()

    if matcher is not None:
        for match in matcher.find(passage):
            if match.source_id in seen_ids:
                continue
            seen_ids.add(match.source_id)
            suggestions.append(
                SourceSuggestion(
                    reason="named",
                    name=matcher.name_of(match.source_id),
                    kind=None,
                    start=match.start,
                    end=match.end,
                    text=match.text,
                    source_id=match.source_id,
                )
            )

    def propose(reason: str, proposal: dict[str, Any], start: int, end: int, **evidence) -> None:
        key = normalize_name(proposal["name"])
        if key in seen_names:
            return
        seen_names.add(key)
        existing = matcher.id_for_name(proposal["name"]) if matcher is not None else None
        if existing is not None:
            if existing in seen_ids:
                return
            seen_ids.add(existing)
        suggestions.append(
            SourceSuggestion(
                reason=reason,
                name=matcher.name_of(existing) if existing is not None else proposal["name"],
                kind=proposal["kind"],
                start=start,
                end=end,
                text=passage[start:end],
                source_id=existing,
                new_source=None if existing is not None else proposal,
                **evidence,
            )
        )

    parsed = list(_parsed_references(tuple(references)))
    entry = _entry_containing(passage, parsed)
    if entry is not None:
        # The selection is (part of) a reference entry: that entry is the source, and
        # its "Ali (2004)" is not a citation.
        propose("reference", _reference_proposal(entry), 0, len(passage), reference=entry)
        return suggestions
    citations = parse_citations(passage)
    unmatched: list[Citation] = []
    for citation in citations:
        reference = match_citation(citation, parsed) if parsed else None
        if reference is None:
            unmatched.append(citation)
            continue
        propose(
            "reference",
            _reference_proposal(reference),
            citation.start,
            citation.end,
            citation=citation,
            reference=reference,
        )
    for citation in unmatched:
        label = _author_label(citation.surnames, citation.et_al)
        proposal = {
            "name": f"{label} {citation.year}"[:NAME_MAX_LENGTH],
            "kind": "academic",
            "year": citation.year,
            "notes": f"Cited as “{citation.text}”; not in the article's reference list.",
            "url": "",
        }
        propose("citation", proposal, citation.start, citation.end, citation=citation)
    for attribution in _attributions(passage):
        proposal = {
            "name": attribution.name,
            "kind": attribution.kind,
            "year": None,
            "notes": attribution.notes,
            "url": "",
        }
        propose("attribution", proposal, attribution.start, attribution.end)
    return suggestions


@lru_cache(maxsize=32)
def _parsed_references(entries: tuple[str, ...]) -> tuple[Reference, ...]:
    """An article's reference list, parsed once for all the selections made in it
    (parsing is three quarters of the time of a suggestion otherwise)."""
    return tuple(reference for entry in entries if (reference := parse_reference(entry)))


def _entry_containing(passage: str, references: list[Reference]) -> Reference | None:
    """The reference entry the passage is part of, when the passage holds the entry's
    first author and year (a body sentence that shares words with a title is not)."""
    selected = " ".join(passage.split())
    for reference in references:
        if (
            reference.surnames[0] in selected
            and str(reference.year) in selected
            and selected in " ".join(reference.raw.split())
        ):
            return reference
    return None


def _reference_proposal(reference: Reference) -> dict[str, Any]:
    return {
        "name": _reference_source_name(reference),
        "kind": "academic",
        "year": reference.year,
        "notes": reference.raw,
        "url": reference.url,
    }


def _author_label(surnames: list[str], et_al: bool) -> str:
    if len(surnames) >= 3 or (et_al and surnames):
        return f"{surnames[0]} et al."
    return " & ".join(surnames)


def _reference_source_name(reference: Reference) -> str:
    head = f"{_author_label(reference.surnames, reference.et_al)} ({reference.year})"
    if not reference.title:
        return head[:NAME_MAX_LENGTH]
    name = f"{head}, {reference.title}"
    if len(name) <= NAME_MAX_LENGTH:
        return name
    cut = name[: NAME_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def load_known_sources(source_model) -> int:
    """Add the known sources that are missing to the given Source model (a data
    migration passes its historical model); returns how many were added."""
    existing = set(source_model.objects.values_list("normalized_name", flat=True))
    missing = [
        source_model(
            name=known["name"],
            normalized_name=normalize_name(known["name"]),
            kind=known["kind"],
            aliases=known.get("aliases", []),
            url=known.get("url", ""),
        )
        for known in KNOWN_SOURCES
        if normalize_name(known["name"]) not in existing
    ]
    source_model.objects.bulk_create(missing)
    return len(missing)
