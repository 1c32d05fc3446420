"""python manage.py setup_demo : a demo team with two users, for trying Crossread out."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from annotations.models import Membership, Role, Team

DEMO_USERS = (
    # user name, role in the demo team, may open the admin
    ("alice", Role.OWNER, True),
    ("bruno", Role.ANNOTATOR, False),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo team and its two demo users, and print their passwords."

    @transaction.atomic
    def handle(self, *args, **options):
        team, _ = Team.objects.get_or_create(slug="demo", defaults={"name": "Demo team"})
        User = get_user_model()
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo team “{team.name}”: sign in with"))
        for username, role, staff in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = user.is_superuser = staff
            user.save()
            Membership.objects.update_or_create(user=user, team=team, defaults={"role": role})
            admin_note = ", can open the admin" if staff else ""
            self.stdout.write(
                f"  user {username:6}  password {password}   ({role.label.lower()}{admin_note})"
            )
