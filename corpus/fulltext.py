"""Full-text search: the query language, its rendering for each database, and snippets.

A search is parsed once into a ``ParsedQuery`` and rendered for the database at hand:
PostgreSQL matches a ``tsvector`` column generated from the row, SQLite an FTS5 table
kept in step by triggers. Both see the same terms, because the parser, not the engine,
decides what the search asks for:

- ``word``: the word, stemmed (``attacks`` finds "attack");
- ``"a phrase"``: the words in this order (an unclosed quote closes at the end);
- ``milit*``: words that start so (``military``, ``militia``);
- ``-word``, ``-"a phrase"``: leave out what contains it;
- ``a OR b``: either (OR binds closer than the implicit AND between terms).

English stop words (PostgreSQL's list) are dropped on both databases, and no character
of the search reaches an engine raw: each term goes as a quoted string, made only of
the words the parser found.

Both databases stem with Porter's algorithm: FTS5's ``porter`` tokenizer, and on
PostgreSQL the ``crossread_english`` configuration (migration corpus 0006: the english
configuration with Snowball's porter stemmer instead of its english one, which stems
91 of the 2,420 words of the seed articles otherwise, e.g. "nearly" as "near").
Where they still differ: FTS5 leaves words under three letters unstemmed and stems
"-logies" one letter shorter; a stop word inside a phrase is any word to PostgreSQL and
that very word to FTS5; PostgreSQL keeps ``3.5`` and ``-2017`` (in ``2010-2017``) as
single tokens where FTS5 splits them. The ranks differ (ts_rank, bm25): the same rows,
not the same order among them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 500  # characters; a search is typed, not pasted books

# PostgreSQL's text search configuration (created by migration corpus 0006).
PG_CONFIG = "crossread_english"

# PostgreSQL's english stop words (tsearch_data/english.stop), which its configuration
# leaves out of every tsvector and tsquery. FTS5 indexes every word, so the parser
# drops these from the search on both databases.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """.split()
)

# A word: letters and digits of any script (no underscore: both engines split on it).
WORD = re.compile(r"[^\W_]+")
QUOTES = frozenset('"“”„')
OR = "OR"


class SearchQueryError(ValueError):
    """A search that cannot be run; ``reason`` says why, for the person who typed it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Term:
    """A word (one word) or a phrase (several, in order), lower-cased; ``prefix``: the
    last word is the start of a word."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What a search asks for: every clause matches (a clause is one term or several
    joined by OR) and no excluded term does."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms to find (not those to leave out)."""
        return tuple(term for clause in self.clauses for term in clause)


# --------------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class _Piece:
    words: tuple[str, ...]
    prefix: bool = False
    excluded: bool = False
    is_or: bool = False


def _pieces(text: str):
    """The terms as typed: quoted phrases, bare chunks (split into words: a chunk of
    several words, like ``pro-Iranian``, is a phrase), exclusions, and ORs."""
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
            continue
        excluded = False
        if char == "-" and index + 1 < length and not text[index + 1].isspace():
            excluded = True
            index += 1
            char = text[index]
        if char in QUOTES:
            close = index + 1
            while close < length and text[close] not in QUOTES:
                close += 1
            body = text[index + 1 : close]
            index = close + 1
            prefix = index < length and text[index] == "*"
            while index < length and text[index] == "*":
                index += 1
            yield _Piece(tuple(WORD.findall(body.lower())), prefix=prefix, excluded=excluded)
            continue
        end = index
        while end < length and not text[end].isspace() and text[end] not in QUOTES:
            end += 1
        chunk = text[index:end]
        index = end
        if chunk == OR and not excluded:
            yield _Piece((), is_or=True)
            continue
        prefix = re.search(r"[^\W_]\*+$", chunk) is not None
        yield _Piece(tuple(WORD.findall(chunk.lower())), prefix=prefix, excluded=excluded)


def _term(words: tuple[str, ...], prefix: bool) -> Term | None:
    """The term without its leading and trailing stop words (PostgreSQL drops them;
    inside a phrase they stay, as a word between two others), or None if nothing is left."""
    words = list(words)
    while words and words[0] in STOP_WORDS:
        words.pop(0)
    while words and words[-1] in STOP_WORDS:
        words.pop()
        prefix = False
    if not words:
        return None
    return Term(words=tuple(words), prefix=prefix)


def parse_query(text: str) -> ParsedQuery:
    """The search in ``text``, or SearchQueryError saying why there is nothing to run.

    Stop words are left out as if not typed: ``a OR the OR b`` is ``a OR b``. An OR
    that does not stand between two terms to find is a stop word like any other."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"This search is {len(text):,} characters long: keep it under "
            f"{MAX_QUERY_LENGTH} (a few words or a short phrase)."
        )
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # an OR follows the last term to find
    last_was_term = False
    had_words = False
    for piece in _pieces(text):
        if piece.is_or:
            joining = last_was_term
            had_words = True
            continue
        had_words = had_words or bool(piece.words)
        term = _term(piece.words, piece.prefix)
        if term is None:
            continue  # stop words and punctuation: as if not typed
        if piece.excluded:
            excluded.append(term)
            joining = last_was_term = False
        elif joining:
            clauses[-1].append(term)
            joining = False
            last_was_term = True
        else:
            clauses.append([term])
            last_was_term = True
    if not clauses:
        if excluded:
            raise SearchQueryError(
                "This search only leaves words out (-word): add a word to look for."
            )
        if had_words:
            raise SearchQueryError(
                "Every word of this search is too common to look for (like “the”, “of” "
                "or “and”): add a more specific word."
            )
        raise SearchQueryError(
            'Nothing to search for: type a word, a "phrase in quotes", or the start '
            "of a word followed by *."
        )
    return ParsedQuery(clauses=tuple(tuple(clause) for clause in clauses), excluded=tuple(excluded))


# ------------------------------------------------------------------- rendering


def _fts5_term(term: Term) -> str:
    # A string in double quotes is a phrase of whatever tokens it holds: nothing in it
    # is FTS5 syntax. The parser's words hold no quote; doubling is the rule anyway.
    quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def render_fts5(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression. FTS5 indexes stop words: a phrase with one inside
    (``"war in syria"``) needs that very word there, where PostgreSQL takes any word."""
    clauses = []
    for clause in query.clauses:
        alternatives = [_fts5_term(term) for term in clause]
        clauses.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
        )
    expression = " AND ".join(clauses)
    if query.excluded:
        expression = (
            "(" + expression + ")" + "".join(" NOT " + _fts5_term(term) for term in query.excluded)
        )
    return expression


def _tsquery_word(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_term(term: Term) -> str:
    words = [_tsquery_word(word) for word in term.words]
    if term.prefix:
        words[-1] += ":*"
    return "(" + " <-> ".join(words) + ")"


def render_tsquery(query: ParsedQuery) -> str:
    """The text for ``to_tsquery(PG_CONFIG, ...)``: each word quoted (a lexeme, never
    an operator), phrases with ``<->``, prefixes with ``:*``, exclusions with ``!``.
    A stop word inside a phrase becomes a gap of one word (``war <2> syria``)."""
    parts = []
    for clause in query.clauses:
        alternatives = [_tsquery_term(term) for term in clause]
        parts.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"
        )
    parts.extend("!" + _tsquery_term(term) for term in query.excluded)
    return " & ".join(parts)


# --------------------------------------------------------------------- the SQL


@dataclass(frozen=True, slots=True)
class FulltextSource:
    """Rows searched as documents: on PostgreSQL the table's generated tsvector column
    (``vector``), on SQLite its FTS5 table (``fts_table``, rowid = the row's id)."""

    table: str
    fts_table: str
    vector: str = "search_vector"


# The paragraphs' text (migration corpus 0006).
PARAGRAPH_TEXT = FulltextSource(table="corpus_paragraph", fts_table="corpus_paragraph_fts")


@dataclass(frozen=True, slots=True)
class MatchSQL:
    """``SELECT match_id, match_rank ...``: the ids of the rows that match and their
    rank (higher is better), with its parameters."""

    sql: str
    params: tuple


def match_sql(
    source: FulltextSource, query: ParsedQuery, *, ranked: bool = True, vendor: str = ""
) -> MatchSQL:
    """The rows of ``source`` that match ``query``, for the database in use (or
    ``vendor``). PostgreSQL ranks with ts_rank, SQLite with bm25 (negated): the two
    order alike in the large, not score for score. ``ranked=False``: every rank is 0
    (for counting, which needs no rank)."""
    vendor = vendor or connection.vendor
    quote = connection.ops.quote_name
    if vendor == "postgresql":
        table, vector = quote(source.table), quote(source.vector)
        # querytree(...) is 'T' when nothing in the query can use the index (only
        # negations left once PostgreSQL drops what it does not index): no match then,
        # rather than every row without the word.
        rank = f"ts_rank(doc.{vector}, tsq.query)" if ranked else "0"
        sql = (
            f"SELECT doc.id AS match_id, {rank} AS match_rank "  # noqa: S608 - quoted names
            f"FROM {table} AS doc, to_tsquery('{PG_CONFIG}', %s) AS tsq(query) "
            f"WHERE doc.{vector} @@ tsq.query AND querytree(tsq.query) <> 'T'"
        )
        return MatchSQL(sql=sql, params=(render_tsquery(query),))
    if vendor == "sqlite":
        fts = quote(source.fts_table)
        rank = f"-bm25({fts})" if ranked else "0"
        sql = (
            f"SELECT rowid AS match_id, {rank} AS match_rank "  # noqa: S608 - quoted names
            f"FROM {fts} WHERE {fts} MATCH %s"
        )
        return MatchSQL(sql=sql, params=(render_fts5(query),))
    raise NotImplementedError(f"Full-text search runs on PostgreSQL and SQLite, not {vendor}.")


# -------------------------------------------------------------------- snippets

SNIPPET_LENGTH = 280  # characters of text around the first match
_SNIPPET_LEAD = 80  # of which before it

_stemmers = threading.local()  # a Snowball stemmer keeps state while it works


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    """The word's stem as both databases make it (Porter's algorithm)."""
    if not hasattr(_stemmers, "porter"):
        _stemmers.porter = snowballstemmer.stemmer("porter")
    return _stemmers.porter.stemWord(word)


def _word_matches(token: str, word: str, *, prefix: bool) -> bool:
    stem = _stem(word)
    lead = min(2, len(stem))
    if token[:lead] != word[:lead]:
        return False  # stemming keeps a word's first letters: most tokens stop here
    return _stem(token).startswith(stem) if prefix else _stem(token) == stem


def _term_at(tokens: list[tuple[int, int, str]], index: int, term: Term) -> int:
    """How many tokens from ``index`` on ``term`` matches (0 when it does not). A stop
    word inside a phrase stands for any word (as on PostgreSQL)."""
    if index + len(term.words) > len(tokens):
        return 0
    last = len(term.words) - 1
    for offset, word in enumerate(term.words):
        token = tokens[index + offset][2]
        if offset and offset != last and word in STOP_WORDS:
            continue
        if not _word_matches(token, word, prefix=term.prefix and offset == last):
            return 0
    return len(term.words)


def _matches(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """The character spans of ``text`` that the query's terms match, in order."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(text)]
    terms = query.terms
    spans = []
    for index in range(len(tokens)):
        for term in terms:
            width = _term_at(tokens, index, term)
            if width:
                spans.append((tokens[index][0], tokens[index + width - 1][1]))
                break
    return spans


def highlight(text: str, query: ParsedQuery, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """The text around the first match (or its start, when no word of it matches),
    escaped, with the matches in ``<mark>``: the same on both databases, since it is
    computed here and not by either engine."""
    spans = _matches(text, query)
    start, end = 0, len(text)
    if len(text) > length:
        if spans:
            start = max(0, spans[0][0] - _SNIPPET_LEAD)
            space = text.find(" ", start, spans[0][0])  # begin at a word
            start = space + 1 if start and space >= 0 else start
        end = min(len(text), start + length)
        if spans:
            end = max(end, spans[0][1])
        if end < len(text):  # end after a word
            cut = text.rfind(" ", spans[0][1] if spans else start, end)
            end = cut if cut > start else end
    pieces = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text went through escape()
