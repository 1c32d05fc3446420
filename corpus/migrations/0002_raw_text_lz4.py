"""On PostgreSQL, compress the stored source files with lz4 rather than pglz.

An article's raw text is tens of kilobytes; lz4 compresses it about twice as fast
as PostgreSQL's default, which the importer feels on every file. Servers built
without lz4 (or SQLite) keep their default.
"""

from django.db import migrations


def use_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")
        if cursor.fetchone()[0]:
            cursor.execute("ALTER TABLE corpus_article ALTER COLUMN raw_text SET COMPRESSION lz4")


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]

    operations = [migrations.RunPython(use_lz4, migrations.RunPython.noop, elidable=True)]
