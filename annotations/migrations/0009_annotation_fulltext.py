"""Full-text search over the annotations' claims and notes (see ``corpus.fulltext``):
one document per annotation, ``claim || ' ' || note``, alike on both databases.

PostgreSQL: a tsvector column generated from it (the crossread_english configuration
of corpus 0006) and its GIN index.
SQLite: a contentless FTS5 table (the words alone: the text stays in the annotation)
kept in step by triggers on every insert, delete and change of claim or note. The
model declares neither.

On SQLite, a later migration that rebuilds annotations_annotation (Django remakes the
table to alter a column) drops these triggers with the old table: such a migration
must create them again (``SQLITE_TRIGGERS``). tests/test_search.py fails if it does not.
"""

from django.db import migrations

POSTGRESQL = [
    "ALTER TABLE annotations_annotation ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('crossread_english'::regconfig, coalesce(claim, '') || ' ' || coalesce(note, ''))) STORED",
    # The search's claim and note matches (annotations.search).
    "CREATE INDEX annotation_search_idx ON annotations_annotation USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS annotation_search_idx",
    "ALTER TABLE annotations_annotation DROP COLUMN IF EXISTS search_vector",
]

_BODY = "coalesce({row}.claim, '') || ' ' || coalesce({row}.note, '')"
_DELETE = (
    "INSERT INTO annotations_annotation_fts (annotations_annotation_fts, rowid, body) "
    f"VALUES ('delete', old.id, {_BODY.format(row='old')});"
)
_INSERT = (
    "INSERT INTO annotations_annotation_fts (rowid, body) "
    f"VALUES (new.id, {_BODY.format(row='new')});"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER annotations_annotation_fts_insert AFTER INSERT ON annotations_annotation "
    f"BEGIN {_INSERT} END",
    f"CREATE TRIGGER annotations_annotation_fts_delete AFTER DELETE ON annotations_annotation "
    f"BEGIN {_DELETE} END",
    # Only a change of claim or note (or id) touches the index: re-anchoring does not.
    f"CREATE TRIGGER annotations_annotation_fts_update AFTER UPDATE OF id, claim, note "
    f"ON annotations_annotation BEGIN {_DELETE} {_INSERT} END",
]
SQLITE = [
    # Tokenized as the paragraphs are (corpus 0006).
    "CREATE VIRTUAL TABLE annotations_annotation_fts USING fts5(body, content='', "
    "tokenize='porter unicode61 remove_diacritics 0')",
    *SQLITE_TRIGGERS,
    "INSERT INTO annotations_annotation_fts (rowid, body) "
    f"SELECT id, {_BODY.format(row='annotations_annotation')} FROM annotations_annotation",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS annotations_annotation_fts_insert",
    "DROP TRIGGER IF EXISTS annotations_annotation_fts_delete",
    "DROP TRIGGER IF EXISTS annotations_annotation_fts_update",
    "DROP TABLE IF EXISTS annotations_annotation_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0008_crossreferences_and_region_ancestry"),
        ("corpus", "0006_paragraph_fulltext"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
