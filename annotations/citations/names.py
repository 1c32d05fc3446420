"""Personal and source names: how they are written in a text (the regex pieces the
citation and attribution patterns share) and how two spellings are compared."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Capital letters of the Latin scripts the corpus writes names in.
CAPITAL = "A-ZÀ-ÖØ-Þ\u0100-\u024f"
# One capitalised word of a name: "Nejat", "O'Brien", "Barnes-Dacey".
WORD = rf"[{CAPITAL}][\w'’]*(?:-[\w'’]+)*"
PARTICLE = r"(?:al|el|ul|bin|ibn|bint|van|von|der|den|de|da|di|du|la|le|dos|das|del|della|ter)"
# A name of one to four words on one line: "Nejat", "Jafari Valadani", "al-Assad".
NAME = rf"(?:{PARTICLE}[-\s])?{WORD}(?:[^\S\n]+(?:{PARTICLE}[-\s])?{WORD}){{0,3}}"

# Words that stand for unnamed co-authors: "and colleagues", "& Others".
COLLEAGUE_WORDS = frozenset({"colleagues", "others", "associates", "coworkers", "co-workers"})


def normalize_name(name: str) -> str:
    """The key under which two spellings of a source name are one.

    ``annotations.models`` imports it for ``Source.normalized_name``, so the form, the
    matcher and the model share this one rule.
    """
    folded = unicodedata.normalize("NFKD", name).casefold()
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = re.sub(r"[^\w\s]", " ", folded)
    words = folded.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def fold_name(name: str) -> str:
    """A personal name reduced to lowercase ASCII-ish letters and digits, so that
    "Mir-Hosseini", "Mir Hosseini" and "MIR HOSSEINI" are one key."""
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    return "".join(char for char in decomposed if char.isalnum())


def name_similarity(first: str, second: str) -> float:
    """Similarity (0-100) of two folded names: 0 unless they share their first letter."""
    if not first or not second or first[0] != second[0]:
        return 0.0
    return fuzz.ratio(first, second)
