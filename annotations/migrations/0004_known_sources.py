"""Seed the sources that a corpus on the Middle East commonly cites, so that the
annotation form can recognise "The Washington Post" or "RAND" from the first day.
Curators extend and edit them in the admin; this only adds what is missing."""

from django.db import migrations

from annotations.citations import load_known_sources


def add_known_sources(apps, schema_editor):
    load_known_sources(apps.get_model("annotations", "Source"))


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_load_gazetteer")]

    operations = [migrations.RunPython(add_known_sources, migrations.RunPython.noop, elidable=True)]
