"""python manage.py import_worker : run the imports submitted in the browser.

For CROSSREAD_IMPORT_WORKER=external: run one or more of these (on PostgreSQL, on
several machines if need be); each claims waiting jobs and imports their files.
"""

import time

from django.core.management.base import BaseCommand

from corpus.services.import_jobs import run_pending_jobs


class Command(BaseCommand):
    help = "Import the files submitted on the import page, as they come."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what waits, then stop")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks")

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            ran = run_pending_jobs()
            if ran:
                self.stdout.write(f"{ran} import job{'s' if ran != 1 else ''} done")
            if once:
                return
            time.sleep(interval)
