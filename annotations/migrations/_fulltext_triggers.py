"""For migrations that rebuild annotations_annotation on SQLite (Django remakes the
table to add a column with a default or to alter one): the full-text triggers of
0009 go with the old table and must be created again."""

import importlib

_TRIGGERS = ("insert", "delete", "update")


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    fulltext = importlib.import_module("annotations.migrations.0009_annotation_fulltext")
    for name in _TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS annotations_annotation_fts_{name}")
    for statement in fulltext.SQLITE_TRIGGERS:
        schema_editor.execute(statement, params=None)
