"""python manage.py api_token USER --name NAME : make a personal API token for a user and
print it (once: only its hash is kept). For scripts and deployments; people make
theirs on their settings page."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.services.tokens import token_create


class Command(BaseCommand):
    help = "Make a personal API token for a user and print its secret (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("user")
        parser.add_argument("--name", required=True, help="what the token is for")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        try:
            new = token_create(user=user, name=options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(new.secret)
