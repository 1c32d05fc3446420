"""python manage.py export_annotations --format jsonld|csv : the annotations a user may
see, as a W3C Web Annotation collection (JSON-LD) or a CSV file, streamed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from annotations.exports import ExportSelection, jsonld_chunks
from annotations.filters import AnnotationFilters
from annotations.spreadsheet import export_lines
from annotations.webannotation.export import container_iri

FILTERS = ("article", "team", "stance", "region", "source", "tag", "author")


class Command(BaseCommand):
    help = (
        "Export annotations as W3C Web Annotations (JSON-LD) or CSV: what --user may see "
        "(what everyone may see without it), narrowed by the list's filters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("jsonld", "csv"), default="jsonld")
        parser.add_argument("--user", help="export what this user may see")
        parser.add_argument("--output", "-o", help="write to this file (default: standard output)")
        parser.add_argument(
            "--base-url",
            default=settings.CROSSREAD_SITE_URL,
            help="the site's address, which the annotations' IRIs start with "
            "(default: CROSSREAD_SITE_URL)",
        )
        for key in FILTERS:
            parser.add_argument(f"--{key}", help=f"only annotations with this {key}")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        query = QueryDict(mutable=True)
        for key in FILTERS:
            if options[key] is not None:
                query[key] = options[key]
        try:
            filters = AnnotationFilters.from_query(query)
        except BadRequest as error:
            raise CommandError(str(error)) from None
        selection = ExportSelection.for_user(user, filters)
        if options["format"] == "csv":
            chunks = export_lines(selection.annotations)
        else:
            base = options["base_url"].rstrip("/")
            chunks = jsonld_chunks(
                selection,
                base=base,
                collection_id=container_iri(base, filters.active),
                label=self._label(user, filters),
            )
        output = options["output"]
        try:
            if output:
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None

    @staticmethod
    def _user(name: str | None):
        if name is None:
            return AnonymousUser()
        try:
            return get_user_model().objects.get(username=name)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {name!r}.") from None

    @staticmethod
    def _label(user, filters: AnnotationFilters) -> str:
        who = user.get_username() if user.is_authenticated else "everyone"
        narrowed = ", ".join(f"{key} {value}" for key, value in filters.active.items())
        return f"Crossread annotations visible to {who}" + (f" ({narrowed})" if narrowed else "")
