"""Full-text search over the paragraphs' text (see ``corpus.fulltext``).

PostgreSQL: a tsvector column generated from the text and its GIN index, with the
text search configuration ``crossread_english``: the english one (its parser and stop
words) stemming with Porter's algorithm, as FTS5's porter tokenizer does on SQLite
(the english configuration's Snowball stemmer would make the two databases find
different passages for one word in 26: see ``corpus.fulltext``). SQLite: an FTS5 table over the text (external content: the words are indexed,
the text stays in corpus_paragraph), kept in step by triggers on every insert, delete
and change of text, whoever writes the row (the ORM, bulk_create, the importer's raw
INSERTs and UPDATEs). The model declares neither: they are the database's business.

On SQLite, a later migration that rebuilds corpus_paragraph (Django remakes the table
to alter a column) drops these triggers with the old table: such a migration must
create them again (``SQLITE_TRIGGERS``). tests/test_search.py fails if it does not.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE TEXT SEARCH DICTIONARY crossread_porter "
    "(TEMPLATE = snowball, Language = porter, StopWords = english)",
    "CREATE TEXT SEARCH CONFIGURATION crossread_english (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION crossread_english "
    "ALTER MAPPING REPLACE english_stem WITH crossread_porter",
    "ALTER TABLE corpus_paragraph ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('crossread_english'::regconfig, text)) STORED",
    # The search's text matches (corpus.fulltext.match_sql).
    "CREATE INDEX paragraph_search_idx ON corpus_paragraph USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS paragraph_search_idx",
    "ALTER TABLE corpus_paragraph DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS crossread_english",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS crossread_porter",
]

_DELETE = (
    "INSERT INTO corpus_paragraph_fts (corpus_paragraph_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text);"
)
_INSERT = "INSERT INTO corpus_paragraph_fts (rowid, text) VALUES (new.id, new.text);"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER corpus_paragraph_fts_insert AFTER INSERT ON corpus_paragraph "
    f"BEGIN {_INSERT} END",
    f"CREATE TRIGGER corpus_paragraph_fts_delete AFTER DELETE ON corpus_paragraph "
    f"BEGIN {_DELETE} END",
    # Only a change of text (or id) touches the index: renumbering positions does not.
    f"CREATE TRIGGER corpus_paragraph_fts_update AFTER UPDATE OF id, text ON corpus_paragraph "
    f"BEGIN {_DELETE} {_INSERT} END",
]
SQLITE = [
    # porter over unicode61, diacritics kept: as PostgreSQL's crossread_english.
    "CREATE VIRTUAL TABLE corpus_paragraph_fts USING fts5(text, content='corpus_paragraph', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 0')",
    *SQLITE_TRIGGERS,
    "INSERT INTO corpus_paragraph_fts (corpus_paragraph_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS corpus_paragraph_fts_insert",
    "DROP TRIGGER IF EXISTS corpus_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS corpus_paragraph_fts_update",
    "DROP TABLE IF EXISTS corpus_paragraph_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0005_import_jobs"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
