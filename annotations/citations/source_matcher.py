"""Finding the known sources (rows of the Source table) that a passage names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotations.citations.names import normalize_name


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
