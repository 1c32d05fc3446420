"""python manage.py setup_demo: what `make run` gives a new user to try Crossread with."""

import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from annotations.models import Annotation, CrossReference, Membership


def run():
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_demo_team_users_and_printed_passwords_work(seed_articles):
    out = run()
    passwords = dict(re.findall(r"user (\w+)\s+password (\S+)", out))
    assert set(passwords) == {"alice", "bruno"}
    for username, password in passwords.items():
        assert (
            authenticate(
                RequestFactory().post("/accounts/login/"), username=username, password=password
            )
            is not None
        )
    assert Membership.objects.get(user__username="alice").role == "owner"
    assert Membership.objects.get(user__username="bruno").role == "annotator"
    assert "9 example annotations" in out
    assert Annotation.objects.count() == 9
    # The team reviews: bruno's second readings await review, one at odds with alice's.
    waiting = Annotation.objects.filter(review_status="submitted")
    assert sorted(waiting.values_list("author__username", "stance")) == [
        ("bruno", "mixed"),
        ("bruno", "supports"),
    ]
    # The 2015 intervention, linked across the three seeds.
    assert CrossReference.objects.count() == 2


def test_running_it_again_resets_passwords_but_adds_no_annotations(seed_articles):
    first = dict(re.findall(r"user (\w+)\s+password (\S+)", run()))
    second_out = run()
    second = dict(re.findall(r"user (\w+)\s+password (\S+)", second_out))
    assert first["alice"] != second["alice"]
    assert (
        authenticate(
            RequestFactory().post("/accounts/login/"), username="alice", password=first["alice"]
        )
        is None
    )
    assert Annotation.objects.count() == 9 and "example annotations" not in second_out
    assert CrossReference.objects.count() == 2
