"""The load test's users, for Locust: readers, annotators, editors of one annotation
at once, and API clients, against a running Crossread (``annotations.bench.load``
seeds the database, starts the server and runs this file).

Run by the benchmark as ``python -m annotations.bench.locustfile PLAN RESULT``: the
plan (JSON, written by ``load.py``) names the server, the accounts, the articles and
the annotation everyone edits; the result (JSON) holds every request's time by kind,
the failures, and each edit of the shared annotation with its outcome, from which
``load.py`` counts lost updates. ``locust -f annotations/bench/locustfile.py`` with
CROSSREAD_LOAD_PLAN=<plan> runs the same users under Locust's own interface.

It runs in a process of its own and imports no Django: Locust patches the standard
library with gevent's cooperative versions, which the benchmark's Django process and
its database connection are better kept away from.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import gevent
import gevent.event
from locust import FastHttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser

PLAN: dict = {}

# Kinds of request, as the report names them.
SIGN_IN = "sign in"
ARTICLE_LIST = "article list"
ARTICLE = "article page"
BIG_ARTICLE = "article page, 1,000 annotations"
SEARCH = "search"
SUGGEST = "suggestions for a passage"
CREATE = "create annotation"
EDIT_FORM = "edit form"
EDIT = "edit own annotation"
CONTENDED = "edit the shared annotation"
CONTENDED_API_READ = "API: read the shared annotation"
CONTENDED_API = "API: replace the shared annotation"
API = "API: container page"
KINDS = (ARTICLE_LIST, ARTICLE, BIG_ARTICLE, SEARCH, SIGN_IN, SUGGEST, CREATE, EDIT_FORM, EDIT)
KINDS += (CONTENDED, CONTENDED_API_READ, CONTENDED_API, API)

_VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
_CREATED = re.compile(r"#hl-(\d+)$")

# What the run records beside Locust's own statistics.
samples: dict[str, list[float]] = defaultdict(list)  # kind -> response times (ms)
failures: dict[str, int] = defaultdict(int)
failure_examples: dict[str, list[str]] = defaultdict(list)
shared_edits: list[dict] = []
_accounts: dict[str, itertools.count] = defaultdict(itertools.count)
_runner = None
# The figures are of the load once every user has signed in (a burst of password
# hashing at the start, measured on its own); failures count whenever they happen.
_signed_in = itertools.count(1)
_all_signed_in = gevent.event.Event()


def load_plan(path: str | None = None) -> dict:
    path = path or os.environ.get("CROSSREAD_LOAD_PLAN")
    if path and not PLAN:
        PLAN.update(json.loads(Path(path).read_text()))
        for user_class in (Reader, Annotator, SharedEditor, ApiClient):
            user_class.fixed_count = PLAN["users"].get(user_class.role, 0)
    return PLAN


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, url="", **kwargs):
    if exception is not None:
        failures[name] += 1
        if len(failure_examples[name]) < 5:
            failure_examples[name].append(f"{request_type} {url}: {exception!r}"[:300])
    if name != SIGN_IN and not _all_signed_in.is_set():
        return
    samples[name].append(response_time)
    limit = PLAN.get("max_requests")
    if limit and _runner is not None and sum(map(len, samples.values())) == limit:
        gevent.spawn(_runner.quit)  # the bound on requests, beside the bound on time


def _expect(response, *statuses: int) -> bool:
    """Mark the response failed unless its status is one of ``statuses``."""
    if response.status_code in statuses:
        response.success()
        return True
    response.failure(f"status {response.status_code}, expected {' or '.join(map(str, statuses))}")
    return False


class CrossreadUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(0.2, 1.0)
    account = ""

    def on_start(self):
        load_plan()
        accounts = PLAN["accounts"][self.role]
        self.account = accounts[next(_accounts[self.role]) % len(accounts)]
        self.sign_in()

    def csrf_token(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def post_form(self, url: str, data: dict, *, name: str):
        body = urlencode({**data, "csrfmiddlewaretoken": self.csrf_token()}, doseq=True)
        return self.client.post(
            url,
            data=body,
            name=name,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            catch_response=True,
        )

    def sign_in(self):
        with self.client.get("/accounts/login/", name=SIGN_IN, catch_response=True) as page:
            _expect(page, 200)
        form = {"username": self.account, "password": PLAN["password"]}
        with self.post_form("/accounts/login/", form, name=SIGN_IN) as response:
            if not _expect(response, 302):
                raise StopUser()
        if next(_signed_in) == sum(PLAN["users"].values()):
            _all_signed_in.set()

    def edit_form(self, pk: int) -> int | None:
        with self.client.get(
            f"/annotations/{pk}/edit/", name=EDIT_FORM, catch_response=True
        ) as response:
            if not _expect(response, 200):
                return None
            found = _VERSION.search(response.text)
            if not found:
                response.failure("no version field in the edit form")
                return None
            return int(found[1] or found[2])

    def page(self, url: str, name: str, *, highlights: int = 0):
        """GET a page; ``highlights``: the passages it must mark (an anchor each)."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if _expect(response, 200) and highlights:
                marked = response.text.count(' id="hl-')
                if marked < highlights:
                    response.failure(f"{marked} highlighted passages, not {highlights}")
            return response


class Reader(CrossreadUser):
    """Someone reading: the list, articles (the one with 1,000 annotations among
    them), and searches."""

    role = "reader"

    @task(1)
    def article_list(self):
        self.page("/", ARTICLE_LIST)

    @task(3)
    def article(self):
        self.page(random.choice(PLAN["articles"]), ARTICLE)

    @task(2)
    def big_article(self):
        self.page(PLAN["big_article"], BIG_ARTICLE, highlights=PLAN["big_article_highlights"])

    @task(2)
    def search(self):
        self.page("/search/?" + urlencode({"q": random.choice(PLAN["searches"])}), SEARCH)


class Annotator(CrossreadUser):
    """Someone annotating: opens an article, records a claim on a passage, and edits
    their own annotations now and then (nobody else edits them: never a conflict)."""

    role = "annotator"

    def on_start(self):
        super().on_start()
        self.mine: list[int] = []
        self.serial = itertools.count(1)

    @task(2)
    def create(self):
        target = random.choice(PLAN["targets"])
        self.page(target["article"], ARTICLE)
        # Selecting the passage: the form asks for the regions and sources it names.
        passage = target["passage"]
        query = urlencode({key: passage[key] for key in ("paragraph", "exact", "start", "end")})
        with self.client.get(
            f"/lookup/suggest/?{query}", name=SUGGEST, catch_response=True
        ) as response:
            if _expect(response, 200) and "sources" not in response.json():
                response.failure("no suggestions")
        n = next(self.serial)
        data = {
            **target["passage"],
            "stance": random.choice(["supports", "opposes", "neutral", "mixed"]),
            "claim": f"Load test claim {n} by {self.account}",
            "source_name": random.choice(["Reuters", "Borshchevskaya 2016", ""]),
            "region_names": random.choice(["Iran, Russia", "Syria", ""]),
            "tags": "load test",
            "note": "Written by the *load test*.",
            "team": PLAN["team"],
            "visibility": "team",
        }
        with self.post_form(target["create"], data, name=CREATE) as response:
            if _expect(response, 302):
                created = _CREATED.search(response.headers.get("location", ""))
                if created:
                    self.mine.append(int(created[1]))
                else:
                    response.failure("no annotation in the redirect")

    @task(1)
    def edit_own(self):
        if not self.mine:
            return
        pk = random.choice(self.mine)
        version = self.edit_form(pk)
        if version is None:
            return
        data = {
            "claim": f"Load test claim {pk}, edited by {self.account} at version {version}",
            "stance": "supports",
            "note": "Edited by the *load test*.",
            "tags": "load test, edited",
            "team": PLAN["team"],
            "visibility": "team",
            "version": version,
        }
        with self.post_form(f"/annotations/{pk}/edit/", data, name=EDIT) as response:
            _expect(response, 302)  # theirs alone: a conflict here would be a bug


class SharedEditor(CrossreadUser):
    """Editors of one team who all edit ONE annotation at once, through its edit form
    (a conflict is refused with 409) and, where the server has the API, as W3C
    clients (PUT with If-Match: 412 when stale). Every outcome is recorded."""

    role = "editor"
    accept = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

    def on_start(self):
        super().on_start()
        self.serial = itertools.count(1)

    def claim(self, version: int, way: str) -> str:
        return (
            f"Shared claim: {self.account}, edit {next(self.serial)} {way}, from version {version}"
        )

    def record(self, response, version: int, claim: str) -> None:
        shared_edits.append(
            {
                "editor": self.account,
                "version": version,
                "claim": claim,
                "status": response.status_code,
                "at": time.time(),
            }
        )

    @task(3)
    def edit_in_the_form(self):
        pk = PLAN["shared_annotation"]
        version = self.edit_form(pk)
        if version is None:
            return
        gevent.sleep(random.uniform(0, 0.3))  # reading the form, typing
        claim = self.claim(version, "in the form")
        data = {
            "claim": claim,
            "stance": random.choice(["supports", "opposes"]),
            "note": f"{self.account} was here.",
            "tags": "shared",
            "team": PLAN["team"],
            "visibility": "team",
            "version": version,
        }
        with self.post_form(f"/annotations/{pk}/edit/", data, name=CONTENDED) as response:
            if _expect(response, 302, 409):
                self.record(response, version, claim)

    @task(1)
    def edit_through_the_api(self):
        if not PLAN.get("api"):
            return self.edit_in_the_form()
        url = f"/api/annotations/{PLAN['shared_annotation']}"
        with self.client.get(
            url, name=CONTENDED_API_READ, headers={"Accept": self.accept}, catch_response=True
        ) as response:
            if not _expect(response, 200):
                return
            etag = response.headers.get("etag", "")
            document = response.json()
        version = int(etag.strip('W/"') or 0)
        gevent.sleep(random.uniform(0, 0.3))
        claim = self.claim(version, "through the API")
        for body in document.get("body", []):
            if body.get("purpose") == "describing":
                body["value"] = claim
        headers = {
            "Content-Type": self.accept,
            "Accept": self.accept,
            "If-Match": etag,
            "X-CSRFToken": self.csrf_token(),
        }
        with self.client.put(
            url, data=json.dumps(document), name=CONTENDED_API, headers=headers, catch_response=True
        ) as response:
            if _expect(response, 200, 412):
                self.record(response, version, claim)


class ApiClient(CrossreadUser):
    """A program reading the W3C Web Annotation container page by page."""

    role = "api"
    accept = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

    @task
    def page_through(self):
        url = "/api/annotations/"
        for _ in range(PLAN["api_pages"]):
            with self.client.get(
                url, name=API, headers={"Accept": self.accept}, catch_response=True
            ) as response:
                if not _expect(response, 200):
                    return
                try:
                    data = response.json()
                except ValueError:
                    response.failure("not JSON")
                    return
            following = data.get("next") or data.get("first")
            if isinstance(following, dict):  # the first page embedded in the container
                following = following.get("next") or following.get("id")
            if not following or following == url:
                return
            url = following


def run(plan_path: str, result_path: str) -> None:
    """Run the plan's users for its number of seconds (or requests), then write the
    result."""
    global _runner
    load_plan(plan_path)
    user_classes = [
        user for user in (Reader, Annotator, SharedEditor, ApiClient) if user.fixed_count
    ]
    environment = Environment(
        user_classes=user_classes, host=PLAN["host"], events=events, stop_timeout=30
    )
    _runner = runner = environment.create_local_runner()
    total = sum(user.fixed_count for user in user_classes)
    runner.start(user_count=total, spawn_rate=total)
    if not _all_signed_in.wait(timeout=120):  # a user who could not sign in: failures say why
        _all_signed_in.set()
    started = time.perf_counter()
    gevent.spawn_later(PLAN["seconds"], runner.quit)
    runner.greenlet.join()
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "kinds": [*KINDS, *sorted(set(samples) - set(KINDS))],
        "samples": samples,
        "failures": failures,
        "failure_examples": failure_examples,
        "shared_edits": shared_edits,
        "exceptions": [row["msg"] + "\n" + row["traceback"] for row in runner.exceptions.values()],
    }
    Path(result_path).write_text(json.dumps(result))


if __name__ == "__main__":
    run(*sys.argv[1:3])
