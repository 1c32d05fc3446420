"""python manage.py setup_demo : a demo team with two users and a few example
annotations on the seed articles, for trying Crossread out. The team reviews its
work: two of bruno's readings await alice's review, one of them at odds with hers."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from annotations.models import Annotation, Membership, Region, Role, Team
from annotations.services import annotation_create, crossreference_create
from corpus.models import Paragraph

# (author, start of the paragraph, quote, stance, claim, source, regions, tags, visibility)
DEMO_ANNOTATIONS = (
    (
        "alice",
        "The Washington Post in its article",
        "The Washington Post in its article",
        "supports",
        "US officials concede the troops stay to hold a buffer zone, not to defeat ISIS",
        "The Washington Post",
        ["United States", "Syria", "Turkey"],
        ["US troops", "buffer zone"],
        "public",
    ),
    (
        "bruno",
        "The US will also seek to preserve militants",
        "still occupying the northern Syrian governorate of Idlib",
        "opposes",
        "The US protects the militants holding Idlib",
        "",
        ["Idlib"],
        ["Idlib"],
        "team",
    ),
    (
        "alice",
        "Since September 2015, when Putin officially intervened",
        "Iran has been his main ally in this path",
        "supports",
        "Iran is Russia's main ally in Syria",
        "Borshchevskaya (2016)",
        ["Iran", "Russia", "Syria"],
        ["alliance"],
        "team",
    ),
    (
        "bruno",
        "On March 18, the heads of the armed forces",
        "to publicly call for an end to the American military presence in Syria",
        "supports",
        "Syria, Iraq and Iran demand a US withdrawal",
        "",
        ["Syria", "Iraq", "Iran", "United States"],
        ["US troops"],
        "public",
    ),
)

# The 2015 intervention, in all three articles, and the links between them.
DEMO_ANNOTATIONS += (
    (
        "alice",
        "Washington's gamble banked",
        "the eventual Russian military intervention in 2015",
        "neutral",
        "Washington did not foresee Russia's 2015 intervention",
        "",
        ["Russia", "Syria", "United States"],
        ["Russian intervention"],
        "public",
    ),
    (
        "alice",
        "Military intervention in Syria was one of Russia's strategies",
        "Military intervention in Syria was one of Russia's strategies",
        "supports",
        "Russia intervened in Syria to counter American hegemony",
        "",
        ["Russia", "Syria"],
        ["Russian intervention"],
        "public",
    ),
    (
        "bruno",
        "To Iran are drawn the Iraqis",
        "had the Russians not come to the defense of President Assad",
        "",  # a passage only tagged: no claim weighed
        "",
        "",
        ["Russia", "Syria"],
        ["Russian intervention"],
        "public",
    ),
)
# (author, quote of the first passage, relation, quote of the second, note)
DEMO_LINKS = (
    (
        "alice",
        "the eventual Russian military intervention in 2015",
        "same_event",
        "Military intervention in Syria was one of Russia's strategies",
        "Both on Russia's entry into the war in September 2015.",
    ),
    (
        "bruno",
        "had the Russians not come to the defense of President Assad",
        "supports",
        "Military intervention in Syria was one of Russia's strategies",
        "",
    ),
)

# Second readings of alice's passages by bruno, written once the team reviews its
# work: they await review, and one reads the passage differently (the review page
# shows it beside alice's, with the team's agreement).
DEMO_READINGS = (
    (
        "bruno",
        "Since September 2015, when Putin officially intervened",
        "Iran has been his main ally in this path",
        "mixed",
        "Iran is one ally among several, and a rival too",
    ),
    (
        "bruno",
        "Military intervention in Syria was one of Russia's strategies",
        "Military intervention in Syria was one of Russia's strategies",
        "supports",
        "Russia chose military means in Syria",
    ),
)

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
        created = self.add_demo_annotations(team)
        if created:
            self.stdout.write(f"  {created} example annotations added to the seed articles")

    def add_demo_annotations(self, team) -> int:
        """A few annotations to look at, once (never over a team's own work)."""
        if Annotation.objects.filter(team=team).exists():
            return 0
        User = get_user_model()
        created = 0
        for (
            author,
            opening,
            quote,
            stance,
            claim,
            source,
            regions,
            tags,
            visibility,
        ) in DEMO_ANNOTATIONS:
            paragraph = Paragraph.objects.filter(text__startswith=opening).first()
            if paragraph is None or quote not in paragraph.text:
                continue  # the seeds were not imported
            annotation_create(
                author=User.objects.get(username=author),
                paragraph=paragraph,
                exact=quote,
                stance=stance,
                claim=claim,
                source_name=source,
                regions=list(Region.objects.filter(name__in=regions)),
                tags=tags,
                team=team,
                visibility=visibility,
            )
            created += 1
        for author, first, relation, second, note in DEMO_LINKS:
            ends = [
                Annotation.objects.filter(team=team, exact=quote).first()
                for quote in (first, second)
            ]
            if None in ends:
                continue
            crossreference_create(
                author=User.objects.get(username=author),
                from_annotation=ends[0],
                to_annotation=ends[1],
                relation=relation,
                note=note,
                team=team,
                visibility="public",
            )
        team.review_required = True
        team.save(update_fields=["review_required"])
        for author, opening, quote, stance, claim in DEMO_READINGS:
            paragraph = Paragraph.objects.filter(text__startswith=opening).first()
            if paragraph is None or quote not in paragraph.text:
                continue
            annotation_create(
                author=User.objects.get(username=author),
                paragraph=paragraph,
                exact=quote,
                stance=stance,
                claim=claim,
                team=team,
                visibility="team",
            )
            created += 1
        return created
