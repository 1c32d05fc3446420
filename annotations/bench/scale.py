"""Scale: a synthetic corpus of 200,000 paragraphs and 100,000 annotations, written in
bulk (the importer has a benchmark of its own and would take hours here), then the
features that read across the whole corpus at that size: full-text search with its
index and without it, suggested links, and the browsing pages, whose query counts are
shown at a tenth of the size too (the corpus is grown in two steps).

The corpus is made from the seeds' own paragraphs, their sentences shuffled and a few
words swapped for words of a small vocabulary; one rare word is planted in exactly
ten paragraphs and five claims, and common words ("Syria") are everywhere, as they
are in the seeds."""

from __future__ import annotations

import hashlib
import random
import re
import time
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from annotations.linking import suggested_links
from annotations.models import (
    Annotation,
    AnnotationTag,
    Membership,
    Region,
    Source,
    TaggedAnnotation,
    Team,
    normalize_name,
    tag_slug,
)
from annotations.search import ANNOTATION_BODY, search_passages
from corpus.fulltext import (
    PARAGRAPH_TEXT,
    PG_CONFIG,
    FulltextSource,
    match_sql,
    parse_query,
    render_tsquery,
)
from corpus.markup import render_plain
from corpus.models import Article, Paragraph, ParagraphKind, paragraph_hash
from corpus.similarity import forget_index

PARAGRAPHS_PER_ARTICLE = 100
HEADING_EVERY = 16  # a heading opens the article and every 16th paragraph
RARE_WORD = "quokka"  # in no seed: planted in RARE_PARAGRAPHS paragraphs and RARE_CLAIMS claims
RARE_PARAGRAPHS = 10
RARE_CLAIMS = 5
SMALLER = 10  # the pages are measured at a tenth of the size too
MAX_RUNS = 10  # of each measurement, whatever --runs says: at full size a run takes seconds
SMALLER_RUNS = 3  # of each page at a tenth of the size: for its query count, mostly
SCAN_RUNS = 3  # of each search without the index

QUERIES = {
    "rare word": RARE_WORD,
    "common word": "syria",
    "two words": "iran russia",
    "phrase": '"united states"',
}
# Words swapped into the seeds' sentences (and written in claims and notes).
VOCABULARY = tuple(
    "drone militia pipeline ceasefire sanctions convoy airstrike refugees checkpoint "
    "smuggling garrison reconstruction insurgency blockade corridor mercenaries".split()
)
SUBJECTS = ("Russia", "Iran", "Turkey", "The United States", "Hezbollah", "Damascus", "Israel")
VERBS = ("backs", "opposes", "arms", "funds", "negotiates with", "shields", "undermines")
OUTLETS = (
    "Global Research",
    "SouthFront",
    "Journal of International Relations",
    "Al-Monitor",
    "The National Interest",
    "Middle East Eye",
    "RAND",
    "War on the Rocks",
)
TAG_NAMES = tuple(  # the first the most used, and so on down (1/rank)
    name.strip()
    for name in (
        "alliance, ceasefire, sanctions, proxy war, air power, refugees, oil and gas, "
        "diplomacy, militias, reconstruction, deterrence, propaganda, arms sales, "
        "chemical weapons, border, intelligence, economy, humanitarian, elections, "
        "terrorism, Kurds, Golan, Idlib offensive, Astana talks, Geneva talks, naval base, "
        "S-300, IRGC, Wagner, Hmeimim"
    ).split(",")
)
# Regions the claims are about, and how often (the rest of the countries share 10%).
REGION_WEIGHTS = {
    "SY": 30,
    "IR": 15,
    "RU": 15,
    "TR": 8,
    "IQ": 6,
    "IL": 5,
    "LB": 4,
    "US": 8,
    "SY-ID": 5,
    "SY-HL": 3,
    "SY-DI": 3,
}
VISIBILITIES = (("public", 50), ("team", 35), ("private", 15))
STANCES = ("supports", "opposes", "neutral", "mixed", "")

_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_WORD_SPAN = re.compile(r"\S+")


def _code(region: Region) -> str:
    return region.code


def _clean(block: str) -> str:
    """A block of a seed as plain text: its markdown links, emphasis and superscripts
    reduced to their words, its lines joined."""
    block = _SUPERSCRIPT.sub(r"\1", _MARKDOWN_LINK.sub(r"\1", block))
    block = block.replace("\\", "").replace("*", "").lstrip("# ")
    return " ".join(block.split())


@dataclass
class _Material:
    titles: list[str]
    bodies: list[list[str]]  # each body paragraph of the seeds, as sentences
    headings: list[str]

    @classmethod
    def from_seeds(cls) -> _Material:
        titles, bodies, headings = [], [], []
        for path in sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt")):
            blocks = [_clean(block) for block in path.read_text(encoding="utf-8").split("\n\n")]
            blocks = [block for block in blocks if block]
            titles.append(blocks[0])
            for block in blocks[1:]:
                if len(block) > 120:
                    bodies.append(_SENTENCE_END.split(block))
                elif 8 <= len(block) <= 60 and not block.endswith((".", ":")):
                    headings.append(block)
        return cls(titles=titles, bodies=bodies, headings=headings)


@dataclass
class _Built:
    seconds: float = 0.0
    paragraph_seconds: float = 0.0
    annotation_seconds: float = 0.0
    analyze_seconds: float = 0.0
    articles: int = 0
    paragraphs: int = 0
    annotations: int = 0
    region_links: int = 0
    tag_links: int = 0


@dataclass
class _Corpus:
    """The synthetic corpus, grown in steps: who writes, their vocabularies, and the
    body paragraphs written so far (the annotations' targets)."""

    paragraphs_planned: int  # the full size: where the rare word goes
    annotations_planned: int
    generator: random.Random = field(default_factory=lambda: random.Random(2027))
    material: _Material = field(default_factory=_Material.from_seeds)
    targets: list[tuple[int, int, str]] = field(default_factory=list)  # (id, article, text)
    built: _Built = field(default_factory=_Built)
    name: str = "scale"  # of its teams, users and article slugs (another section builds its own)

    def __post_init__(self) -> None:
        User = get_user_model()
        self.teams = [
            Team.objects.create(name=f"{self.name.title()} team {n}", slug=f"{self.name}-team-{n}")
            for n in range(2)
        ]
        # Six writers: three in the first team, two in the second, one in none.
        self.users = [User.objects.create_user(f"{self.name}{n}") for n in range(6)]
        self.team_of = {}
        for n, user in enumerate(self.users[:5]):
            team = self.teams[0 if n < 3 else 1]
            Membership.objects.create(user=user, team=team, role="annotator")
            self.team_of[user.pk] = team
        self.member = self.users[0]  # the signed-in reader: their team's and their own too
        self.tags = AnnotationTag.objects.bulk_create(
            AnnotationTag(name=name, slug=tag_slug(name)) for name in TAG_NAMES
        )
        named = [f"{outlet} ({year})" for outlet in OUTLETS for year in range(2011, 2024)]
        uncurated = Source.objects.bulk_create(
            Source(
                name=name,
                normalized_name=normalize_name(name),
                curated=False,
                created_by=self.users[n % len(self.users)],
            )
            for n, name in enumerate(named)
        )
        self.sources = list(Source.objects.filter(curated=True).order_by("pk")) + uncurated
        self.source_weights = [1 / (rank + 1) for rank in range(len(self.sources))]
        # In the codes' order, not the names' (collations differ): one corpus on both databases.
        regions = {region.code: region for region in sorted(Region.objects.all(), key=_code)}
        weighted = [regions[code] for code in REGION_WEIGHTS if code in regions]
        others = [r for r in regions.values() if r.kind == "country" and r not in weighted]
        self.regions = weighted + others
        # The countries not named in REGION_WEIGHTS share a tenth of the claims.
        share = 10 / max(1, len(others))
        self.region_weights = [REGION_WEIGHTS[r.code] for r in weighted] + [share] * len(others)
        self.rare_step = max(1, self.paragraphs_planned // RARE_PARAGRAPHS)
        self.claim_step = max(1, self.annotations_planned // RARE_CLAIMS)

    # ------------------------------------------------------------ articles

    def _body(self, number: int) -> str:
        """A body paragraph: a seed paragraph's sentences (shuffled more often than
        not, now and then with another's), a few words swapped for the vocabulary's;
        the rare word where its turn comes."""
        generator = self.generator
        sentences = list(generator.choice(self.material.bodies))
        if generator.random() < 0.6:
            generator.shuffle(sentences)
        if generator.random() < 0.3:
            sentences.append(generator.choice(generator.choice(self.material.bodies)))
        words = " ".join(sentences).split(" ")
        for _ in range(generator.randint(1, 3)):
            index = generator.randrange(len(words))
            if words[index].isalpha() and len(words[index]) > 3 and words[index] != "Syria":
                words[index] = generator.choice(VOCABULARY)
        if number % self.rare_step == self.rare_step // 2:
            words.insert(generator.randrange(len(words)), RARE_WORD)
        return " ".join(words)

    def _paragraph(self, article_id: int, position: int) -> Paragraph:
        number = self.built.paragraphs
        self.built.paragraphs += 1
        rare = number % self.rare_step == self.rare_step // 2
        if position % HEADING_EVERY == 0 and not rare:
            kind, level = ParagraphKind.HEADING, 2
            text = self.generator.choice(self.material.headings)
        else:
            kind, level = ParagraphKind.BODY, None
            text = self._body(number)
        html = render_plain(text)  # the stored form: inline HTML, as the importer writes it
        return Paragraph(
            article_id=article_id,
            position=position,
            kind=kind,
            level=level,
            markup=text,
            text=text,
            html=html,
            content_hash=paragraph_hash(kind=kind, level=level, html=html),
        )

    def _add_articles(self, paragraphs: int) -> None:
        if paragraphs <= 0:
            return
        count = -(-paragraphs // PARAGRAPHS_PER_ARTICLE)
        first = self.built.articles
        rows = []
        for number in range(first, first + count):
            slug = f"{self.name}-{number:06}"
            team_article = number % 10 == 9  # a tenth are the first team's own
            rows.append(
                Article(
                    slug=slug,
                    title=f"{self.material.titles[number % len(self.material.titles)]} ({number})",
                    outlet=OUTLETS[number % len(OUTLETS)],
                    published=date(2011, 1, 1) + timedelta(days=number % 4700),
                    kind=("news", "opinion", "academic")[number % 3],
                    raw_text=f"Synthetic article {number} of the scale benchmark.",
                    content_hash=hashlib.sha256(slug.encode()).hexdigest(),
                    team=self.teams[0] if team_article else None,
                    visibility="team" if team_article else "public",
                )
            )
        articles = Article.objects.bulk_create(rows, batch_size=1000)
        self.built.articles += count
        left = paragraphs
        for article in articles:
            batch = [
                self._paragraph(article.pk, position)
                for position in range(min(PARAGRAPHS_PER_ARTICLE, left))
            ]
            left -= len(batch)
            # Ids come back (RETURNING, on both databases): the annotations' targets.
            for paragraph in Paragraph.objects.bulk_create(batch):
                if paragraph.kind == ParagraphKind.BODY:
                    self.targets.append((paragraph.pk, paragraph.article_id, paragraph.text))

    # --------------------------------------------------------- annotations

    def _claim(self, number: int) -> str:
        generator = self.generator
        if number % self.claim_step == self.claim_step // 2:
            subject, thing = generator.choice(SUBJECTS), generator.choice(VOCABULARY)
            return f"{subject} hides a {RARE_WORD} in the {thing}"
        if generator.random() < 0.25:
            return ""  # a passage tagged or highlighted
        return (
            f"{generator.choice(SUBJECTS)} {generator.choice(VERBS)} "
            f"the {generator.choice(VOCABULARY)}"
        )

    def _annotation(self, number: int) -> Annotation:
        generator = self.generator
        paragraph_id, article_id, text = generator.choice(self.targets)
        words = [match.span() for match in _WORD_SPAN.finditer(text)]
        first = generator.randrange(len(words))
        last = min(len(words) - 1, first + generator.randint(0, 12))
        start, end = words[first][0], words[last][1]
        author = self.users[number % len(self.users)]
        team = self.team_of.get(author.pk)
        visibility = "private"
        if team is not None:
            visibility = generator.choices(*zip(*VISIBILITIES, strict=True))[0]
        claim = self._claim(number)
        note = ""
        if generator.random() < 0.3:
            thing, outlet = generator.choice(VOCABULARY), generator.choice(OUTLETS)
            note = f"Compare the {thing} reports of {outlet}."
        return Annotation(
            article_id=article_id,
            paragraph_id=paragraph_id,
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - 32) : start],
            suffix=text[end : end + 32],
            claim=claim,
            stance=generator.choice(STANCES) if claim else "",
            source=generator.choices(self.sources, self.source_weights)[0]
            if generator.random() < 0.75
            else None,
            note=note,
            note_html=f"<p>{escape(note)}</p>" if note else "",
            author=author,
            team=team if visibility != "private" else None,
            visibility=visibility,
        )

    def _add_annotations(self, count: int) -> None:
        if count <= 0:
            return
        generator = self.generator
        first = self.built.annotations
        created = Annotation.objects.bulk_create(
            (self._annotation(number) for number in range(first, first + count)),
            batch_size=2000,
        )
        self.built.annotations += count
        through = Annotation.regions.through
        region_rows = [
            through(annotation_id=annotation.pk, region_id=region.pk)
            for annotation in created
            for region in {
                *generator.choices(self.regions, self.region_weights, k=generator.randint(1, 3))
            }
        ]
        through.objects.bulk_create(region_rows, batch_size=5000)
        tag_weights = [1 / (rank + 1) for rank in range(len(self.tags))]
        tag_rows = [
            TaggedAnnotation(content_object_id=annotation.pk, tag=tag)
            for annotation in created
            for tag in {*generator.choices(self.tags, tag_weights, k=generator.randint(0, 3))}
        ]
        TaggedAnnotation.objects.bulk_create(tag_rows, batch_size=5000)
        self.built.region_links += len(region_rows)
        self.built.tag_links += len(tag_rows)

    def grow(self, *, paragraphs: int, annotations: int) -> None:
        """Grow the corpus to this many paragraphs and annotations, and time it."""
        built = self.built
        steps = (
            ("paragraph_seconds", lambda: self._add_articles(paragraphs - built.paragraphs)),
            ("annotation_seconds", lambda: self._add_annotations(annotations - built.annotations)),
            ("analyze_seconds", _analyze),
        )
        for name, step in steps:
            started = time.perf_counter()
            step()
            elapsed = time.perf_counter() - started
            setattr(built, name, getattr(built, name) + elapsed)
            built.seconds += elapsed


def _analyze() -> None:
    """Planner statistics (and on PostgreSQL the visibility map), as autovacuum keeps them."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# ---------------------------------------------------------------- reporting


def _ms(bench, samples: list[float]) -> str:
    median, p95 = bench.timings(samples)
    return f"{median:,.1f} ms median, {p95:,.1f} ms p95"


def _failed(bench, label: str, error: Exception) -> None:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    bench.report(label, f"FAILED: {type(error).__name__}: {error}")
    bench.report("", f"(raised at {frame.filename}:{frame.lineno}, in {frame.name})")
    bench.stderr.write(traceback.format_exc())


def _timed(function, runs: int) -> tuple[list[float], object]:
    """``runs`` timings of ``function()`` after a first, untimed call; its last result."""
    result = function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return samples, result


def _count(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _matched(source: FulltextSource, query: str) -> int:
    """How many rows of ``source`` the full-text index finds for ``query``, by the
    search's own SQL as it counts (unranked)."""
    match = match_sql(source, parse_query(query), ranked=False)
    return _count(f"SELECT count(*) FROM ({match.sql}) AS hits", match.params)  # noqa: S608


# ---------------------------------------------------------------- the checks


def _check_fulltext(bench, corpus: _Corpus) -> None:
    """The full-text tables (SQLite) or columns (PostgreSQL) hold every row written in
    bulk, and find the rare word where it was planted."""
    if connection.vendor == "sqlite":
        # FTS5 keeps one row per indexed document in its docsize shadow table.
        paragraphs = _count("SELECT count(*) FROM corpus_paragraph_fts_docsize", ())
        annotations = _count("SELECT count(*) FROM annotations_annotation_fts_docsize", ())
    else:
        paragraphs = _count(
            "SELECT count(*) FROM corpus_paragraph WHERE search_vector IS NOT NULL", ()
        )
        annotations = _count(
            "SELECT count(*) FROM annotations_annotation WHERE search_vector IS NOT NULL", ()
        )
    bench.report(
        "rows in the full-text index: paragraphs",
        f"{paragraphs:,} of {Paragraph.objects.count():,}",
    )
    bench.report(
        "rows in the full-text index: annotations (claim and note)",
        f"{annotations:,} of {Annotation.objects.count():,}",
    )
    found = {
        "paragraphs": _matched(PARAGRAPH_TEXT, RARE_WORD),
        "claims": _matched(ANNOTATION_BODY, RARE_WORD),
    }
    planted = {
        "paragraphs": Paragraph.objects.filter(text__contains=RARE_WORD).count(),
        "claims": Annotation.objects.filter(claim__contains=RARE_WORD).count(),
    }
    bench.report(
        f"“{RARE_WORD}” found by the index / planted",
        ", ".join(f"{found[key]} / {planted[key]} {key}" for key in found),
    )


# ---------------------------------------------------------------- the sections


def _search(bench, corpus: _Corpus, runs: int) -> dict[str, float]:
    bench.heading(
        f"Search: search_passages, page 1 (median and p95 of {runs} runs; passages found)"
    )
    readers = (("anonymous", AnonymousUser()), ("team member", corpus.member))
    medians = {}
    for label, query in QUERIES.items():
        params = QueryDict(urlencode({"q": query}))
        for who, user in readers:
            name = f"{label} {query} ({who})"
            try:
                samples, page = _timed(lambda u=user, p=params: search_passages(u, p), runs)
            except Exception as error:  # reported; the others still run
                _failed(bench, name, error)
                continue
            medians[label, who] = bench.timings(samples)[0]
            bench.report(name, f"{_ms(bench, samples)}, {page.total:,} passages")
    return medians


def _scan_sql(query: str) -> dict[str, tuple[str, list]]:
    """The text match of ``query`` without the index, each as ``SELECT count(*)``."""
    parsed = parse_query(query)
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"  # SQLite's ignores ASCII case
    patterns = [f"%{' '.join(term.words)}%" for term in parsed.terms]
    scans = {
        f"{like} scan": (
            "SELECT count(*) FROM corpus_paragraph WHERE "  # noqa: S608 - a constant operator
            + " AND ".join(f"text {like} %s" for _ in patterns),
            patterns,
        )
    }
    if connection.vendor == "postgresql":
        # The very match of the index, computed row by row: the same rows.
        tsvector = f"to_tsvector('{PG_CONFIG}', text) @@ to_tsquery('{PG_CONFIG}', %s)"
        scans = {
            "to_tsvector on the fly": (
                f"SELECT count(*) FROM corpus_paragraph WHERE {tsvector}",  # noqa: S608 - a constant
                [render_tsquery(parsed)],
            ),
            **scans,
        }
    return scans


def _without_index(bench, runs: int, search_medians: dict) -> None:
    bench.heading(
        f"The text match alone (count of paragraphs), with the index (median of {runs} runs) "
        f"and without it (of {SCAN_RUNS})"
    )
    for label, query in QUERIES.items():
        samples, matched = _timed(lambda q=query: _matched(PARAGRAPH_TEXT, q), runs)
        with_index = max(bench.timings(samples)[0], 0.001)
        bench.report(f"{label} {query}: the index", f"{with_index:,.2f} ms, {matched:,} paragraphs")
        for method, (sql, params) in _scan_sql(query).items():
            samples, scanned = _timed(lambda s=sql, p=params: _count(s, p), SCAN_RUNS)
            without = bench.timings(samples)[0]
            whole = search_medians.get((label, "anonymous"))
            bench.report(
                f"{label} {query}: {method}",
                f"{without:,.1f} ms, {scanned:,} paragraphs: {without / with_index:,.0f}× the index"
                + (f" ({without / whole:.2f}× the whole search)" if whole else ""),
            )


def _links(bench, corpus: _Corpus, runs: int) -> None:
    bench.heading(f"Suggested links over {Paragraph.objects.count():,} paragraphs")
    annotation = (
        Annotation.objects.select_related("paragraph")
        .filter(author=corpus.member, paragraph__isnull=False)
        .exclude(claim="")
        .order_by("pk")
        .first()
    )
    forget_index()
    try:
        started = time.perf_counter()
        suggested_links(corpus.member, annotation)
        first = time.perf_counter() - started
        samples, candidates = _timed(lambda: suggested_links(corpus.member, annotation), runs)
    except Exception as error:  # reported; the others still run
        _failed(bench, "suggested links", error)
        return
    with CaptureQueriesContext(connection) as queries:
        suggested_links(corpus.member, annotation)
    bench.report("first call (builds the TF-IDF index)", f"{first:,.1f} s")
    bench.report(
        f"warm calls (median and p95 of {runs})",
        f"{_ms(bench, samples)}, {len(queries)} queries, {len(candidates)} passages offered",
    )


def _pages(corpus: _Corpus) -> dict[str, str]:
    """The browsing pages of the most used tag, region and source, and a search page."""
    tag, source = corpus.tags[0], corpus.sources[0]  # the most used of each
    syria = next(region for region in corpus.regions if region.code == "SY")
    return {
        "tag index": reverse("annotations:tag-list"),
        f"tag page “{tag.name}” (page 1)": reverse("annotations:tag-detail", args=[tag.slug]),
        "region tree": reverse("annotations:region-list"),
        f"region page “{syria.name}” (page 1)": reverse(
            "annotations:region-detail", args=[syria.pk]
        ),
        "source list": reverse("annotations:source-list"),
        f"source page “{source.name[:24]}” (page 1)": reverse(
            "annotations:source-detail", args=[source.pk]
        ),
        "overview": reverse("annotations:overview"),
        "search page “syria” (page 1)": f"{reverse('annotations:search')}?q=syria",
    }


@dataclass(frozen=True, slots=True)
class _PageFigures:
    median: float
    p95: float
    queries: int


def _time_pages(
    bench, client: Client, urls: dict[str, str], runs: int
) -> dict[str, _PageFigures | str]:
    """Each page ``runs`` times, in turn (the machine's drift weighs on all alike), and
    its queries; or why it failed."""
    figures: dict[str, _PageFigures | str] = {}
    live = {}
    for label, url in urls.items():
        try:
            response = client.get(url)  # warm up
            assert response.status_code == 200, f"status {response.status_code}"
            live[label] = url
        except Exception as error:  # reported; the others still run
            frame = traceback.extract_tb(error.__traceback__)[-1]
            figures[label] = (
                f"FAILED: {type(error).__name__}: {error} ({frame.filename}:{frame.lineno})"
            )
    samples: dict[str, list[float]] = {label: [] for label in live}
    for _ in range(runs):
        for label, url in live.items():
            started = time.perf_counter()
            client.get(url)
            samples[label].append(time.perf_counter() - started)
    for label, url in live.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median, p95 = bench.timings(samples[label])
        figures[label] = _PageFigures(median=median, p95=p95, queries=len(queries))
    return figures


def _report_pages(bench, full: dict, smaller: dict) -> None:
    for label, figures in full.items():
        if isinstance(figures, str):
            bench.report(label, figures)
            continue
        small = smaller.get(label)
        if isinstance(small, _PageFigures):
            small = f"{small.median:,.1f} ms, {small.queries} queries"
        bench.report(
            label,
            f"{figures.median:,.1f} ms median, {figures.p95:,.1f} ms p95, "
            f"{figures.queries} queries (at 1/{SMALLER}: {small})",
        )


def run(bench, *, paragraphs: int, annotations: int) -> None:
    runs = max(1, min(bench.runs, MAX_RUNS))
    bench.heading(
        f"Scale: {paragraphs:,} paragraphs and {annotations:,} annotations, written in bulk"
    )
    corpus = _Corpus(paragraphs_planned=paragraphs, annotations_planned=annotations)
    corpus.grow(paragraphs=paragraphs // SMALLER, annotations=annotations // SMALLER)
    client = Client()
    client.force_login(corpus.member)
    urls = _pages(corpus)
    smaller = _time_pages(bench, client, urls, SMALLER_RUNS)
    corpus.grow(paragraphs=paragraphs, annotations=annotations)
    built = corpus.built
    bench.report(
        "articles, paragraphs (of which body)",
        f"{built.articles:,}, {built.paragraphs:,} ({len(corpus.targets):,})",
    )
    bench.report(
        "annotations, their region links, their tag links",
        f"{built.annotations:,}, {built.region_links:,}, {built.tag_links:,}",
    )
    bench.report(
        "built in (in two steps: 1/10, then the rest)",
        f"{built.seconds:,.1f} s: articles and paragraphs {built.paragraph_seconds:,.1f} s "
        f"({built.paragraphs / built.paragraph_seconds:,.0f}/s), annotations "
        f"{built.annotation_seconds:,.1f} s, ANALYZE {built.analyze_seconds:,.1f} s",
    )
    _check_fulltext(bench, corpus)

    search_medians = _search(bench, corpus, runs)
    _without_index(bench, runs, search_medians)
    _links(bench, corpus, runs)

    bench.heading(
        f"Pages, signed in as a team member (median and p95 of {runs} renders; queries; "
        f"at 1/{SMALLER} of the size, median of {SMALLER_RUNS})"
    )
    _report_pages(bench, _time_pages(bench, client, urls, runs), smaller)
