"""Serving with several worker processes: no worker keeps state that another changes
without it knowing. The annotation form's matchers (curated sources, regions) are
built in each worker and rebuilt when the shared cache says the vocabulary moved:
after a save in another worker, a merge or its undo (bulk writes no signal reports),
and never from a transaction rolled back.

"Another worker" is simulated in this process (its matcher put back as it was before
the change, as a process that never heard of the change would still hold it), and,
on PostgreSQL, is real: two gunicorn workers serving the suggestions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

from annotations import suggestions
from annotations.bench.load import production_environment, production_server
from annotations.models import Region, Source
from annotations.services.merges import merge_undo, regions_merge, sources_merge
from annotations.suggestions import region_matcher, source_matcher
from corpus.models import Article, Paragraph

BASE_DIR = Path(settings.BASE_DIR)
PASSAGE = "The Levant Monitor reported that the convoy crossed into Idlib at dawn."
NEW_SOURCE = "Levant Monitor"


def curated_source(name: str = NEW_SOURCE, **fields) -> Source:
    return Source.objects.create(name=name, curated=True, **fields)


def sources_found(passage: str = PASSAGE) -> set[str]:
    matcher = source_matcher()
    return {matcher.name_of(match.source_id) for match in matcher.find(passage)}


def changed_in_another_worker(change):
    """Run ``change`` (committed) as another worker would: this process's matchers are
    left as they were, as a process that never saw the change holds them."""
    kept = dict(suggestions._matchers)
    change()
    suggestions._matchers.clear()
    suggestions._matchers.update(kept)


def make_article() -> Paragraph:
    article = Article.objects.create(
        slug="serving", title="Serving", raw_text=PASSAGE, content_hash="serving-test"
    )
    return Paragraph.objects.create(
        article=article,
        position=1,
        kind="body",
        markup=PASSAGE,
        text=PASSAGE,
        html=PASSAGE,
        content_hash="serving-1",
    )


# ---------------------------------------------------------------- one process, simulated


@pytest.mark.django_db(transaction=True)
def test_a_source_curated_in_another_worker_is_suggested_here(reference_data):
    assert NEW_SOURCE not in sources_found()  # this worker's matcher, built and kept
    changed_in_another_worker(curated_source)
    assert NEW_SOURCE in sources_found()


@pytest.mark.django_db(transaction=True)
def test_a_source_no_longer_curated_in_another_worker_is_not_suggested_here(reference_data):
    source = curated_source()
    assert NEW_SOURCE in sources_found()

    def uncurate():
        source.curated = False
        source.save()

    changed_in_another_worker(uncurate)
    assert NEW_SOURCE not in sources_found()


@pytest.mark.django_db(transaction=True)
def test_a_region_merged_in_another_worker_is_found_by_its_old_name_here(reference_data):
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-c-2026")
    syria = Region.objects.get(name="Syria")
    idlib = Region.objects.get(name="Idlib")
    assert region_matcher().region_ids("the Karvan plateau") == []
    karvan = Region.objects.create(name="Karvan plateau", kind="region")
    assert region_matcher().region_ids("the Karvan plateau") == [karvan.pk]
    changed_in_another_worker(lambda: regions_merge(user=curator, survivor=syria, merged=[karvan]))
    # The merged region's name is the survivor's alias now: written by an update().
    assert region_matcher().region_ids("the Karvan plateau") == [syria.pk]
    assert idlib.pk in region_matcher().region_ids("fighting in Idlib")


@pytest.mark.django_db(transaction=True)
def test_a_source_merge_undone_in_another_worker_is_suggested_again_here(reference_data):
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-c-2026")
    kept = curated_source("Levant Observer")
    merged = curated_source()
    result = sources_merge(user=curator, survivor=kept, merged=[merged])
    assert NEW_SOURCE not in sources_found()
    # The undo puts the merged source back with bulk_create: no model signal at all.
    changed_in_another_worker(lambda: merge_undo(user=curator, revision_id=result.revision_id))
    assert NEW_SOURCE in sources_found()


@pytest.mark.django_db(transaction=True)
def test_an_undone_merge_is_suggested_again_in_the_worker_that_undid_it(reference_data):
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-c-2026")
    kept = curated_source("Levant Observer")
    result = sources_merge(user=curator, survivor=kept, merged=[curated_source()])
    assert NEW_SOURCE not in sources_found()
    merge_undo(user=curator, revision_id=result.revision_id)
    assert NEW_SOURCE in sources_found()


@pytest.mark.django_db(transaction=True)
def test_a_matcher_built_in_a_transaction_rolled_back_is_not_kept(reference_data):
    class RolledBack(Exception):
        pass

    assert NEW_SOURCE not in sources_found()
    with pytest.raises(RolledBack), transaction.atomic():
        curated_source()
        assert NEW_SOURCE in sources_found()  # this transaction sees its own rows
        raise RolledBack
    assert NEW_SOURCE not in sources_found()


@pytest.mark.django_db(transaction=True)
def test_a_source_named_in_an_annotation_leaves_the_matchers_alone(reference_data):
    matcher = source_matcher()
    Source.objects.create(name="Someone's blog", curated=False)
    assert source_matcher() is matcher


@pytest.mark.django_db(transaction=True)
def test_a_lost_generation_rebuilds_the_matcher(reference_data):
    from django.core.cache import cache

    assert NEW_SOURCE not in sources_found()
    changed_in_another_worker(curated_source)
    # Evicted, flushed, or a new Redis (its keys alone: a shared Redis holds others').
    cache.delete_many(
        [suggestions.GENERATION_KEY.format(kind=kind) for kind in ("sources", "regions")]
    )
    assert NEW_SOURCE in sources_found()


# ----------------------------------------------------------------------------- settings


def run_manage_shell(code: str, env: dict[str, str]) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_cache_is_redis_with_redis_url_and_the_database_without():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert "backends.db.DatabaseCache" in run_manage_shell(code, {"DEBUG": "1"})
    redis = run_manage_shell(code, {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert "backends.redis.RedisCache" in redis


def test_hashed_static_names_are_a_choice_of_the_environment():
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    assert "StaticFilesStorage" in run_manage_shell(code, {"DEBUG": "1"})
    manifest = run_manage_shell(code, {"DEBUG": "1", "CROSSREAD_STATIC_MANIFEST": "1"})
    assert "CompressedManifestStaticFilesStorage" in manifest


def gunicorn_settings(env: dict[str, str]) -> dict:
    code = (
        "import json, runpy; s = runpy.run_path('config/gunicorn.py'); "
        "print(json.dumps({k: s.get(k) for k in ('bind', 'workers', 'control_socket_disable')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**{k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def test_gunicorn_takes_its_workers_and_address_from_the_environment():
    assert gunicorn_settings({"WEB_CONCURRENCY": "3", "HOST": "10.0.0.7", "PORT": "8080"}) == {
        "bind": "10.0.0.7:8080",
        "workers": 3,
        "control_socket_disable": True,
    }
    assert gunicorn_settings({})["workers"] == 2 * (os.cpu_count() or 1) + 1


# --------------------------------------------------- two real gunicorn workers (PostgreSQL)

SECRET = "serving-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def answered_by(log: Path) -> list[str]:
    """The process id of the worker that answered each request, in the access log."""
    return [line.split()[0] for line in log.read_text().splitlines() if line.strip()]


def fetch_json(url: str, session: str) -> dict:
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)


def suggested_names(url: str, session: str, requests: int) -> list[set[str]]:
    """The known sources suggested, ``requests`` times, two requests at a time (so
    that both workers answer)."""
    answers: list[set[str]] = []

    def ask():
        for _ in range(requests // 2):
            data = fetch_json(url, session)
            answers.append({s["name"] for s in data["sources"] if s["id"] is not None})

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_gunicorn_workers_both_suggest_a_source_curated_elsewhere(
    reference_data, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn's workers need a database other processes can open: PostgreSQL")
    settings.SECRET_KEY = SECRET  # the session's hash of the password is keyed by it
    paragraph = make_article()
    reader = get_user_model().objects.create_user("reader", password="pw-reader-2026")
    client = Client()
    client.force_login(reader)
    session = client.cookies["sessionid"].value
    log = tmp_path / "access.log"
    with production_server(
        workers=2,
        environment=production_environment(SECRET_KEY=SECRET),
        options=("--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s"),
    ) as server:
        url = f"{server.url}/lookup/suggest/?paragraph={paragraph.pk}&exact=Levant+Monitor+reported"
        # Both workers answer (and so build and keep their matchers) before the change.
        for _ in range(20):
            assert all(NEW_SOURCE not in names for names in suggested_names(url, session, 8))
            if len(set(answered_by(log))) == 2:
                break
        workers = set(answered_by(log))
        assert len(workers) == 2, "one worker answered every request"
        answered = len(answered_by(log))

        curated_source()  # by this process: a third one, as the admin's worker would be

        for _ in range(20):
            after = suggested_names(url, session, 8)
            assert all(NEW_SOURCE in names for names in after), after
            if set(answered_by(log)[answered:]) == workers:
                break
        assert set(answered_by(log)[answered:]) == workers


# ------------------------------------------------------------ the load test's accounting


@pytest.mark.django_db
def test_the_load_test_counts_an_update_saved_over_another_as_lost(people):
    from annotations.bench.load import SHARED_CLAIM, shared_outcome
    from tests.conftest import make_annotation

    annotation = make_annotation(
        author=people["author"],
        paragraph=make_article(),
        exact="Levant Monitor",
        claim=SHARED_CLAIM,
        team=people["team"],
        visibility="team",
    )
    Annotation = type(annotation)

    def saved(version, claim, status=302):
        return {"version": version, "claim": claim, "status": status}

    # Two saves, each from the version before it, and a refusal: all accounted for.
    Annotation.objects.filter(pk=annotation.pk).update(version=3, claim="second")
    edits = [saved(1, "first"), saved(2, "second", 200), saved(2, "late", 409)]
    outcome = shared_outcome(annotation.pk, edits)
    assert (outcome.saved, outcome.refused, outcome.lost, outcome.last_text_kept) == (2, 1, 0, True)
    # Two saves from version 1 both accepted: the first was saved over, unseen.
    outcome = shared_outcome(annotation.pk, [saved(1, "first"), saved(1, "second")])
    assert outcome.lost >= 1
    # A save the version does not show, or a text that is not the last save's.
    assert shared_outcome(annotation.pk, [*edits, saved(3, "third")]).lost >= 1
    Annotation.objects.filter(pk=annotation.pk).update(claim="first")
    assert not shared_outcome(annotation.pk, edits).last_text_kept
