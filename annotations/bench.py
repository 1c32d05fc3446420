"""The annotation benchmarks of ``python manage.py bench``: the academic seed article
with 1,000 visible annotations by 10 users in 3 teams, and creation through the form."""

from __future__ import annotations

import random
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation, Membership, Region, Source, TaggedAnnotation, Team
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
    from taggit.models import Tag

    tags = [Tag.objects.get_or_create(name=f"bench tag {n}")[0] for n in range(12)]
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


def run(command) -> None:
    seed = Path(settings.BASE_DIR) / "seeds" / "003_38ccf8f4c3724d70.txt"
    article = article_import_file(path=seed).article  # the academic seed itself
    url = article.get_absolute_url()
    command.stdout.write(
        command.style.MIGRATE_HEADING(
            f"Annotated article page: “{article.title[:50]}…”, {article.paragraphs.count()} paragraphs"
        )
    )
    users, teams = _people()
    _bulk_annotations(article, users, teams, 1000)
    # Three readers of the same page in the same database: one in no team sees none
    # of these team annotations, one sees their own 10 private ones, and bench0 (in all
    # three teams) sees all 1,000. Their requests alternate, so that the machine's
    # drift weighs on all three alike.
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
    readers = {0: outsider, 10: ten, 1000: users[0]}
    clients = {}
    for total, reader in readers.items():
        clients[total] = Client()
        clients[total].force_login(reader)
        clients[total].get(url)  # warm up
    samples = {total: [] for total in readers}
    for _ in range(command.runs):
        for total, reader_client in clients.items():
            started = time.perf_counter()
            response = reader_client.get(url)
            samples[total].append(time.perf_counter() - started)
            assert response.status_code == 200
            assert response.context["panel"].total == total, (
                total,
                response.context["panel"].total,
            )
    medians = {}
    for total, reader_client in clients.items():
        with CaptureQueriesContext(connection) as queries:
            reader_client.get(url)
        median, p95 = command.timings(samples[total])
        medians[total] = median
        command.report(
            f"{total:>5} visible annotations",
            f"{median:.1f} ms median, {p95:.1f} ms p95, {len(queries)} queries",
        )
    command.report("render time, 1,000 annotations / none", f"{medians[1000] / medians[0]:.2f}×")
    client = clients[1000]

    paragraph = article.paragraphs.get(text__startswith="Since September 2015")
    create_url = reverse("annotations:create", args=[article.slug])
    quote = "Iran has been his main ally in this path"
    start = paragraph.text.index(quote)
    samples = []
    for n in range(command.runs):
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
    median, p95 = command.timings(samples)
    command.report(
        f"create an annotation through the form ({command.runs} posts)",
        f"{median:.1f} ms median, {p95:.1f} ms p95, {len(queries)} queries",
    )
