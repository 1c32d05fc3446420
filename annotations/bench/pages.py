"""The pages: the article page of the academic seed against its floor (its stored
paragraph HTML in the base template), with none, 10 and 1,000 visible annotations by
10 users in 3 teams; the list pages; creating an annotation through the form."""

from __future__ import annotations

import random
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from annotations.models import (
    Annotation,
    AnnotationTag,
    Membership,
    Region,
    Source,
    TaggedAnnotation,
    Team,
)
from corpus.models import Article, ParagraphKind
from corpus.services import article_import_file


def _people() -> tuple[list, list[Team]]:
    User = get_user_model()
    teams = [Team.objects.create(name=f"Bench team {n}", slug=f"bench-team-{n}") for n in range(3)]
    users = []
    for n in range(10):
        user = User.objects.create_user(f"bench{n}")  # signs in with force_login
        Membership.objects.create(user=user, team=teams[n % 3], role="annotator")
        users.append(user)
    # The reader belongs to every team, so that all 1,000 annotations are visible to them.
    for team in teams[1:]:
        Membership.objects.create(user=users[0], team=team, role="viewer")
    return users, teams


def _bulk_annotations(article: Article, users, teams, count: int, *, seed: int = 7) -> None:
    generator = random.Random(seed)
    paragraphs = list(article.paragraphs.filter(kind=ParagraphKind.BODY))
    regions = list(Region.objects.filter(kind="country")[:40])
    sources = list(Source.objects.all()[:20])
    tags = [AnnotationTag.objects.get_or_create(name=f"bench tag {n}")[0] for n in range(12)]
    rows = []
    for n in range(count):
        paragraph = generator.choice(paragraphs)
        length = generator.randint(12, 120)
        start = generator.randrange(0, max(1, len(paragraph.text) - length))
        author = users[n % len(users)]
        rows.append(
            Annotation(
                article=article,
                paragraph=paragraph,
                start=start,
                end=start + length,
                exact=paragraph.text[start : start + length],
                prefix=paragraph.text[max(0, start - 32) : start],
                suffix=paragraph.text[start + length : start + length + 32],
                claim=f"Benchmark claim {n}",
                stance=generator.choice(["supports", "opposes", "neutral", "mixed"]),
                source=generator.choice(sources),
                author=author,
                team=teams[users.index(author) % 3],
                visibility="team",
                note_html="<p>A <em>note</em>.</p>",
                note="A *note*.",
            )
        )
    created = Annotation.objects.bulk_create(rows)
    Annotation.regions.through.objects.bulk_create(
        Annotation.regions.through(annotation_id=a.pk, region_id=region.pk)
        for a in created
        for region in generator.sample(regions, 2)
    )
    TaggedAnnotation.objects.bulk_create(
        TaggedAnnotation(content_object_id=a.pk, tag=generator.choice(tags)) for a in created
    )


def _time_urls(bench, clients: dict[str, tuple[Client, str]]) -> dict[str, list[float]]:
    """Time each (client, url) in turn, ``bench.runs`` times: alternating, so that the
    machine's drift weighs on all alike."""
    for client, url in clients.values():
        assert client.get(url).status_code == 200, url  # warm up
    samples: dict[str, list[float]] = {label: [] for label in clients}
    for _ in range(bench.runs):
        for label, (client, url) in clients.items():
            started = time.perf_counter()
            response = client.get(url)
            samples[label].append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
    return samples


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def run(bench) -> None:
    seed = Path(settings.BASE_DIR) / "seeds" / "003_38ccf8f4c3724d70.txt"
    article = article_import_file(path=seed).article  # the academic seed itself
    url = article.get_absolute_url()
    bench.heading(
        f"Article page: “{article.title[:50]}…”, {article.paragraphs.count()} paragraphs "
        f"(median and p95 of {bench.runs} renders)"
    )
    users, teams = _people()
    _bulk_annotations(article, users, teams, 1000)
    # Readers of the same page in the same database: one in no team sees none of
    # these team annotations, one sees their own 10 private ones, and bench0 (in all
    # three teams) sees all 1,000.
    User = get_user_model()
    outsider = User.objects.create_user("bench-outsider")
    ten = User.objects.create_user("bench-ten")
    paragraphs = list(article.paragraphs.filter(kind=ParagraphKind.BODY)[:10])
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            paragraph=paragraph,
            start=0,
            end=20,
            exact=paragraph.text[:20],
            stance="neutral",
            author=ten,
            visibility="private",
        )
        for paragraph in paragraphs
    )
    with connection.cursor() as cursor:  # planner statistics as autovacuum keeps them
        cursor.execute("ANALYZE")
    clients = {}
    for label, reader in (("floor", outsider), ("0", outsider), ("10", ten), ("1000", users[0])):
        clients[label] = (Client(), url if label != "floor" else f"/bench/floor/{article.slug}/")
        clients[label][0].force_login(reader)
    with override_settings(ROOT_URLCONF="annotations.bench.urls"):
        samples = _time_urls(bench, clients)
        medians = {}
        for label, (client, page_url) in clients.items():
            median, p95 = bench.timings(samples[label])
            medians[label] = median
            name = (
                "floor: stored paragraph HTML in the base template"
                if label == "floor"
                else f"{label:>5} visible annotations"
            )
            bench.report(
                name,
                f"{median:.1f} ms median, {p95:.1f} ms p95, {_queries(client, page_url)} queries",
            )
    bench.report("bare page / floor (aim: within 2×)", f"{medians['0'] / medians['floor']:.2f}×")
    bench.report(
        "1,000 annotations / bare page (aim: within 1.5×)", f"{medians['1000'] / medians['0']:.2f}×"
    )

    bench.heading("Lists (median and p95)")
    lists = {
        "article list (25 a page)": (clients["1000"][0], "/"),
        "annotation list, 1,000+ visible (50 a page)": (clients["1000"][0], "/annotations/"),
        "annotation list, filtered by stance": (clients["1000"][0], "/annotations/?stance=opposes"),
    }
    samples = _time_urls(bench, lists)
    for label, (client, page_url) in lists.items():
        median, p95 = bench.timings(samples[label])
        bench.report(
            label, f"{median:.1f} ms median, {p95:.1f} ms p95, {_queries(client, page_url)} queries"
        )
    client = clients["1000"][0]
    client = clients["1000"][0]

    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    create_url = reverse("annotations:create", args=[article.slug])
    quote = "Iran has been his main ally in this path"
    start = paragraph.text.index(quote)
    samples = []
    for n in range(bench.runs):
        data = {
            "paragraph": paragraph.pk,
            "exact": quote,
            "start": start,
            "end": start + len(quote),
            "prefix": paragraph.text[max(0, start - 32) : start],
            "suffix": paragraph.text[start + len(quote) : start + len(quote) + 32],
            "stance": "supports",
            "claim": f"Iran is Russia's ally ({n})",
            "source_name": "Borshchevskaya 2016",
            "region_names": "Iran, Russia",
            "tags": "alliance, bench",
            "note": "Created by the *benchmark*.",
            "team": teams[0].pk,
            "visibility": "team",
        }
        started = time.perf_counter()
        response = client.post(create_url, data)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.post(create_url, {**data, "claim": "counted"})
    median, p95 = bench.timings(samples)
    bench.report(
        f"create an annotation through the form ({bench.runs} posts)",
        f"{median:.1f} ms median, {p95:.1f} ms p95, {len(queries)} queries",
    )
