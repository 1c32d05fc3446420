"""The search's query language (corpus.fulltext): what a search asks for, how it is
written for each engine, and the snippets. Plain Python, but for the last tests, which
run what the parser writes on the database of the run (SQLite or PostgreSQL)."""

import re
import sqlite3

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.fulltext import (
    MAX_QUERY_LENGTH,
    PARAGRAPH_TEXT,
    ParsedQuery,
    SearchQueryError,
    Term,
    highlight,
    match_sql,
    parse_query,
    render_fts5,
    render_tsquery,
)


def terms(text: str) -> list[list[tuple[str, ...]]]:
    return [[term.words for term in clause] for clause in parse_query(text).clauses]


# ----------------------------------------------------------------------- parsing


def test_words_are_terms_lower_cased_and_all_required():
    assert terms("Hezbollah Damascus") == [[("hezbollah",)], [("damascus",)]]


def test_a_phrase_keeps_its_words_in_order_with_the_stop_words_inside():
    query = parse_query('"war in Syria"')
    assert query.clauses == ((Term(("war", "in", "syria")),),)


def test_stop_words_around_a_phrase_are_dropped():
    assert terms('"the proxy war of"') == [[("proxy", "war")]]


def test_stop_words_outside_quotes_are_dropped():
    assert terms("the war in Syria") == [[("war",)], [("syria",)]]


def test_a_trailing_star_makes_a_prefix():
    assert parse_query("milit*").clauses == ((Term(("milit",), prefix=True),),)
    assert parse_query('"proxy wa"*').clauses == ((Term(("proxy", "wa"), prefix=True),),)


def test_a_stop_word_as_a_prefix_is_dropped_as_a_stop_word():
    assert terms("the* Syria") == [[("syria",)]]


def test_a_minus_leaves_out_a_word_or_a_phrase():
    query = parse_query('Syria -Damascus -"proxy war"')
    assert query.clauses == ((Term(("syria",)),),)
    assert query.excluded == (Term(("damascus",)), Term(("proxy", "war")))


def test_a_minus_inside_a_word_joins_a_phrase():
    assert terms("pro-Iranian forces") == [[("pro", "iranian")], [("forces",)]]


def test_or_joins_the_terms_on_either_side():
    assert terms("Iran OR Iraq Syria") == [[("iran",), ("iraq",)], [("syria",)]]
    assert terms("Iran OR Iraq OR Libya") == [[("iran",), ("iraq",), ("libya",)]]


def test_an_or_with_no_term_on_one_side_is_ignored():
    assert terms("OR Iran OR") == [[("iran",)]]
    assert terms("Iran OR -Iraq") == [[("iran",)]]


def test_an_unbalanced_quote_closes_at_the_end():
    assert parse_query('"proxy war').clauses == parse_query('"proxy war"').clauses
    assert terms('Syria "proxy war') == [[("syria",)], [("proxy", "war")]]


def test_typographic_quotes_make_phrases_too():
    assert terms("“proxy war”") == [[("proxy", "war")]]


def test_punctuation_never_reaches_a_term():
    # Words joined by punctuation are a phrase, as "pro-Iranian" is.
    assert terms("NEAR(Iran, Iraq)") == [[("near", "iran")], [("iraq",)]]
    assert terms("title:Syria ^Iran {a b}") == [[("title", "syria")], [("iran",)], [("b",)]]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("the of and", "too common"),
        ("OR OR", "too common"),
        ('"to be or not to be"', "too common"),
        ("-Syria", "only leaves words out"),
        ('-"proxy war" -Iran', "only leaves words out"),
        ("*", "Nothing to search for"),
        ('"', "Nothing to search for"),
        ('""', "Nothing to search for"),
        ("-", "Nothing to search for"),
        ("( ) ; -- ' \x00", "Nothing to search for"),
    ],
)
def test_a_search_with_nothing_to_look_for_says_why(text, reason):
    with pytest.raises(SearchQueryError) as refused:
        parse_query(text)
    assert reason in refused.value.reason


def test_a_search_past_the_limit_says_so():
    parse_query("a" * MAX_QUERY_LENGTH)
    with pytest.raises(SearchQueryError) as refused:
        parse_query("Syria " * 2000)
    assert "12,000 characters" in refused.value.reason


# --------------------------------------------------------------------- rendering


def test_the_fts5_expression_quotes_every_term():
    query = parse_query('Iran OR Iraq "proxy war" milit* -Damascus -"regime change"')
    assert render_fts5(query) == (
        '(("iran" OR "iraq") AND "proxy war" AND "milit"*) NOT "damascus" NOT "regime change"'
    )


def test_the_tsquery_quotes_every_lexeme():
    query = parse_query('Iran OR Iraq "proxy war" milit* -Damascus -"regime change"')
    assert render_tsquery(query) == (
        "(('iran') | ('iraq')) & ('proxy' <-> 'war') & ('milit':*) "
        "& !('damascus') & !('regime' <-> 'change')"
    )


def test_a_quote_or_backslash_in_a_word_is_escaped_for_both_engines():
    # The parser makes no such word; the renderers hold even if one came.
    query = ParsedQuery(clauses=((Term(("it's", "a\\b", 'say"s')),),))
    assert render_fts5(query) == '"it\'s a\\b say""s"'
    assert render_tsquery(query) == "('it''s' <-> 'a\\\\b' <-> 'say\"s')"


FTS5_EXPRESSION = re.compile(r'^(?:"(?:[^"]|"")*"\*?|\s|AND|OR|NOT|\(|\))+$')


def _fts5_accepts(expression: str) -> None:
    database = sqlite3.connect(":memory:")
    database.execute(
        "CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61 remove_diacritics 0')"
    )
    database.execute("INSERT INTO t (text) VALUES ('war in Syria: the militias of Idlib')")
    database.execute("SELECT rowid, bm25(t) FROM t WHERE t MATCH ?", (expression,)).fetchall()


SYNTAX = [
    '"', "'", "*", "-", "(", ")", "NEAR(", "OR", "AND", "NOT", "^", ":", "+", "{", "}",
    "\\", "\x00", "the", "of", "Syria", "militia", "war", "é", "Москва", "中文", "’", "“",
    "3.5", "2010-2017", "e-mail", "a*b", "--", ";", "DROP", "TABLE", "<->", "!", "&", "|",
]  # fmt: skip
queries = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map(" ".join),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(queries)
def test_any_string_parses_or_is_refused_and_fts5_accepts_what_it_renders(text):
    try:
        query = parse_query(text)
    except SearchQueryError as refused:
        assert refused.reason
        return
    assert query.clauses
    expression = render_fts5(query)
    assert FTS5_EXPRESSION.match(expression), expression
    _fts5_accepts(expression)
    assert "\x00" not in render_tsquery(query)


# --------------------------------------------------------------------- snippets


def test_a_snippet_escapes_the_text_and_marks_the_matches():
    text = "Beware <script>alert(1)</script> and <b>militias</b> & co"
    snippet = highlight(text, parse_query("militia"))
    assert snippet == (
        "Beware &lt;script&gt;alert(1)&lt;/script&gt; and "
        "&lt;b&gt;<mark>militias</mark>&lt;/b&gt; &amp; co"
    )


def test_a_snippet_marks_a_phrase_a_prefix_and_other_forms_of_a_word():
    text = "The proxy war, the militant attacks and a proxy in the war."
    snippet = highlight(text, parse_query('"proxy war" milit* attack'))
    assert snippet == (
        "The <mark>proxy war</mark>, the <mark>militant</mark> <mark>attacks</mark> "
        "and a proxy in the war."
    )


def test_a_snippet_does_not_mark_an_excluded_word():
    assert highlight("Iran and Iraq", parse_query("Iran -Iraq")) == "<mark>Iran</mark> and Iraq"


def test_a_long_text_is_cut_around_the_first_match():
    text = "Lorem ipsum " * 100 + "the Hezbollah model " + "dolor sit " * 100
    snippet = highlight(text, parse_query("Hezbollah"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>Hezbollah</mark>" in snippet
    assert len(snippet) < 400


def test_a_text_without_a_match_shows_its_start():
    snippet = highlight("word " * 200, parse_query("Syria"))
    assert snippet.startswith("word word") and snippet.endswith("…")
    assert "<mark>" not in snippet


# ------------------------------------------------------------ on the database


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(queries)
def test_the_database_runs_whatever_the_parser_writes(text):
    try:
        query = parse_query(text)
    except SearchQueryError:
        return
    match = match_sql(PARAGRAPH_TEXT, query)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(match.sql, match.params)
        cursor.fetchall()
