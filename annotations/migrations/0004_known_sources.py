"""Seed the sources that a corpus on the Middle East commonly cites, so that the
annotation form can recognise "The Washington Post" or "RAND" from the first day.
Curators extend and edit them in the admin; this only adds what is missing."""

from django.db import migrations

from annotations.citations import KNOWN_SOURCES, normalize_name


def add_known_sources(apps, schema_editor):
    Source = apps.get_model("annotations", "Source")
    existing = set(Source.objects.values_list("normalized_name", flat=True))
    Source.objects.bulk_create(
        Source(
            name=known["name"],
            normalized_name=normalize_name(known["name"]),
            kind=known["kind"],
            aliases=known.get("aliases", []),
            url=known.get("url", ""),
        )
        for known in KNOWN_SOURCES
        if normalize_name(known["name"]) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_load_gazetteer")]

    operations = [migrations.RunPython(add_known_sources, migrations.RunPython.noop, elidable=True)]
