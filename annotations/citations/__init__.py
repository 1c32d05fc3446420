"""Suggest the source a passage cites.

Plain Python, no Django: the annotation form calls ``suggest_source`` on every
selection, and the tests run without a database. One module per job:

- ``names``: how names are written (shared regex pieces) and compared;
- ``intext``: author-year citations in running text (``parse_citations``);
- ``references``: entries of a reference list (``parse_reference``);
- ``matching``: the reference a citation points to (``match_citation``);
- ``known_sources``: the sources loaded into the Source table (``KNOWN_SOURCES``);
- ``source_matcher``: known sources named in a passage (``SourceMatcher``);
- ``attributions``: statements attributed to officials;
- ``suggest``: the proposals the form shows (``suggest_source``);
- ``pathological``: passages built to make the patterns backtrack, and their timings.

This module re-exports what code outside the package imports.
"""

from annotations.citations.intext import Citation, parse_citations
from annotations.citations.known_sources import KNOWN_SOURCES, SOURCE_KINDS, load_known_sources
from annotations.citations.matching import MATCH_THRESHOLD, match_citation
from annotations.citations.names import normalize_name
from annotations.citations.references import Reference, parse_reference
from annotations.citations.source_matcher import SourceMatch, SourceMatcher
from annotations.citations.suggest import SourceSuggestion, suggest_source

__all__ = [
    "KNOWN_SOURCES",
    "MATCH_THRESHOLD",
    "SOURCE_KINDS",
    "Citation",
    "Reference",
    "SourceMatch",
    "SourceMatcher",
    "SourceSuggestion",
    "load_known_sources",
    "match_citation",
    "normalize_name",
    "parse_citations",
    "parse_reference",
    "suggest_source",
]
