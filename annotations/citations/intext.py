"""Author-year citations in running text: "(Nejat, 2014, p. 74)", "Grajewski (2021)"."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from annotations.citations.names import COLLEAGUE_WORDS, NAME


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


_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?(?![\d\-–])"
_PAGES = r"(?:pp?\.?\s*)?\d+(?:\s*[-–—]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*"
_ET_AL = r"(?i:,?\s+et\.?\s+al\b\.?|\s+(?:and|&)\s+(?:colleagues|others|associates|co-?workers))"

# Between two cited names: ",", "&", "and", ", &" or ", and". Every run of spaces has
# exactly one place in the pattern: written as "\s*(?:,\s*(?:&|and)?|&|and)\s*", the
# space after each comma could go to either "\s*", so a list of names without a year
# ("(Syria, Iran, Russia, ...)") was retried both ways at every comma, doubling the
# time with each name.
_NAME_SEPARATOR = r"\s*(?:,\s*(?:(?:&|\band\b)\s*)?|(?:&|\band\b)\s*)"
# One citation inside parentheses (the parentheses may hold several, split at ";").
# Before the year, "\s*(?:,\s*)?" likewise gives a run of spaces one place.
_PARENTHETICAL = re.compile(
    rf"""\s*(?:(?i:see(?:\s+also)?|cf\.|e\.g\.,?|i\.e\.,?|quoted\s+in)\s+)?
    (?P<names>{NAME}(?:{_NAME_SEPARATOR}{NAME})*)
    (?P<etal>{_ET_AL})?
    \s*(?:,\s*)?{_YEAR}
    (?:\s*[,:]\s*(?P<pages>{_PAGES}))?
    \s*""",
    re.VERBOSE,
)
_PARENTHESES = re.compile(r"\(([^()]{3,400})\)")
# "Grajewski (2021)", "Darayandeh and Ahmadi (2018)", "Mohseni et al. (2015, p. 13)".
_NARRATIVE = re.compile(
    rf"""(?<![\w'’-])
    (?P<names>{NAME}(?:[^\S\n]+(?:and|&)[^\S\n]+{NAME})?)
    (?P<etal>{_ET_AL})?
    [^\S\n]*\(\s*{_YEAR}(?:\s*[,:]\s*(?P<pages>{_PAGES}))?\s*\)""",
    re.VERBOSE,
)
# Split without the spaces around: "\s*(?:,|&|and)\s*" would scan a run of spaces
# again from each of its characters (quadratic); the names' words are split anyway.
_SEPARATORS = re.compile(r",|&|\band\b")

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
    # Parentheses that hold a citation, as sorted, disjoint (start, end) pairs.
    taken_starts: list[int] = []
    taken_ends: list[int] = []
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
            if not taken_starts or taken_starts[-1] != parentheses.start():
                taken_starts.append(parentheses.start())
                taken_ends.append(parentheses.end())
    for match in _NARRATIVE.finditer(text):
        # A bisection, not a scan of every parenthesis per match (quadratic).
        index = bisect_right(taken_starts, match.start()) - 1
        if index >= 0 and match.start() < taken_ends[index]:
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
    # Past "pp.", a locator has spaces only around its dashes and commas: drop them all
    # rather than match "\s*-\s*", which scans a run of spaces again from each of its
    # characters.
    pages = re.sub(r"[-–—]", "-", "".join(pages.split()))
    return pages.replace(",", ", ") or None


def _surnames(names: str, et_al_text: str | None, *, narrative: bool) -> tuple[list[str], bool]:
    """The cited names, or [] when what looked like names is not ("May", "Syria")."""
    et_al = bool(et_al_text)
    surnames = []
    for raw_name in _SEPARATORS.split(names):
        words = raw_name.split()
        if not words:
            continue
        if words[-1].casefold() in COLLEAGUE_WORDS:  # "Darayandeh and Colleagues"
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
