"""python manage.py import_annotations FILE : import W3C Web Annotations (or a Hypothesis
export) into the corpus, each placed by its selectors."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.models import Team, Visibility
from annotations.services.annotation_import import ImportRefusedError, annotations_import
from annotations.webannotation.reading import MalformedError, read_file


class Command(BaseCommand):
    help = (
        "Import annotations from a W3C Web Annotation file (JSON-LD: one annotation, a "
        "list, a page or a collection, as export_annotations writes) or a Hypothesis "
        "JSON export. All or nothing: a file with an invalid annotation imports none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="who imports (and, by default, authors)")
        parser.add_argument(
            "--keep-authors",
            action="store_true",
            help="an annotation whose creator is a user here stays theirs (with its review state)",
        )
        parser.add_argument("--team", help="the team of every annotation (its slug)")
        parser.add_argument(
            "--visibility",
            choices=Visibility.values,
            help="the visibility of every annotation (default: what the file says)",
        )

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {options['user']!r}.") from None
        team = None
        if options["team"]:
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise CommandError(f"No team {options['team']!r}.")
        if team and not options["visibility"]:
            raise CommandError("--team goes with --visibility team or public.")
        try:
            with open(options["file"], "rb") as stream:  # read as it is imported
                report = annotations_import(
                    read_file(stream),
                    user=user,
                    team=team,
                    visibility=options["visibility"] or "",
                    keep_authors=options["keep_authors"],
                )
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from None
        except (MalformedError, ImportRefusedError) as error:
            raise CommandError(f"Nothing imported: {error}") from None
        for line in report.skipped:
            self.stderr.write(f"skipped {line}")
        for line in report.notes:
            self.stderr.write(line)
        self.stdout.write(report.summary())
