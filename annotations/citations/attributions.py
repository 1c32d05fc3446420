"""Statements attributed to officials: "U.S. officials said", "according to informed
sources", "Foreign Minister Sergei Lavrov said".

Naming policies for the proposed sources:

- unnamed officials: ``"<Qualifier> <domain> <role> (unnamed)"`` in the plural whatever
  the text says ("a senior U.S. official said" and "U.S. officials said" both give
  "U.S. officials (unnamed)"), so one Source collects every such attribution; without a
  qualifier: "Officials (unnamed)", "Sources (unnamed)"; kind "anonymous";
- a titled official: the person's name as written, without the title ("Sergei
  Lavrov"); the title goes to the notes; kind "official".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotations.citations.names import PARTICLE, WORD


@dataclass(frozen=True, slots=True)
class Attribution:
    """A statement attributed to unnamed officials or to a titled, named official:
    the source to propose (``name``, ``kind``, ``notes``) and where the attribution is
    in the passage (``start``/``end``)."""

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
_WORD_RUN = re.compile(r"\S+")
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
    rf"(?P<title>{_OFFICIAL_TITLE})\s+(?P<person>{WORD}(?:\s+(?:{PARTICLE}[-\s])?{WORD}){{0,3}})"
    rf"(?:\s*,[^,.;:]{{1,80}},)?\s+(?:(?:has|had|also|then|later)\s+)?{_REPORTING_VERB}"
)


def find_attributions(text: str) -> list[Attribution]:
    """The attributions in a passage, in text order."""
    found = []
    for role in _ROLE.finditer(text):
        reported = _REPORTS_AFTER.match(text, role.end())
        according = _ACCORDING_TO.search(text, max(0, role.start() - 120), role.start())
        if reported is None and according is None:
            continue
        # The words just before the role, with their offsets (no search back for each).
        window = max(0, role.start() - 80)
        words = list(_WORD_RUN.finditer(text, window, role.start()))
        qualifier: list[str] = []
        domain: list[str] = []
        start = role.start()
        for word_match in reversed(words[-4:]):
            word = word_match[0]
            bare = word.strip(',;:()"“”')
            if bare != word or not bare:
                break
            if bare.casefold() in _DOMAIN_WORDS and not qualifier:
                domain.insert(0, bare.casefold())
            elif bare[0].isupper() and bare not in _NOT_QUALIFIERS and len(qualifier) < 2:
                qualifier.insert(0, bare)
            elif bare.casefold() not in _RANK_WORDS:
                break
            start = word_match.start()
        role_word = role["role"].casefold()
        plural = _ROLE_PLURALS.get(role_word, role_word)
        label = " ".join([*qualifier, *domain, plural])
        name = f"{label[0].upper()}{label[1:]} (unnamed)"
        end = reported.end() if reported is not None else role.end()
        found.append(
            Attribution(
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
            Attribution(
                name=person,
                kind="official",
                start=match.start(),
                end=match.end(),
                notes=f"{title} {person}",
            )
        )
    found.sort(key=lambda attribution: attribution.start)
    return found
