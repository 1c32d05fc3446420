"""Full-text search over the passages the viewer may see: the selector of /search/.

A result is a passage (a paragraph of the article's own text, ``TEXT_KINDS``) of an
article the viewer may see whose text matches the search, or that carries an
annotation the viewer may see (``Annotation.objects.visible_to``) whose claim or note
matches. The filters of the passage (article, outlet, kind of paragraph, dates) narrow
the passages; those of the annotations (``AnnotationFilters``) keep the passages that
carry a visible annotation passing them, and only such annotations count as matches.

The text and annotation matches (by the database's full-text engine, through
``corpus.fulltext.match_sql``) and the passages found are computed once per statement,
as materialized CTEs that the rest of the statement (written by the ORM, visibility
included) reads. A page takes three queries whatever the number of matches: the
counts (total and every facet, one UNION ALL), the page of passages (ranked), and the
annotations shown on them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from django import forms
from django.core.exceptions import BadRequest
from django.db import connection
from django.db.models import CharField, Count, F, Func, Min, Q, QuerySet, Value
from django.db.models.expressions import RawSQL, Window
from django.db.models.functions import Cast, RowNumber
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString

from annotations.filters import AnnotationFilters, page_number
from annotations.models import NO_STANCE, NO_STANCE_FILTER, Annotation, Stance, stance_label
from annotations.selectors import FACET_TITLES, STANCE_LABELS, Facet, FacetOption
from corpus.fulltext import (
    PARAGRAPH_TEXT,
    FulltextSource,
    ParsedQuery,
    SearchQueryError,
    highlight,
    match_sql,
    parse_query,
)
from corpus.models import TEXT_KINDS, Article, Paragraph, ParagraphKind, article_condition

# The annotations' claims and notes (migration annotations 0009).
ANNOTATION_BODY = FulltextSource(
    table="annotations_annotation", fts_table="annotations_annotation_fts"
)

PAGE_SIZE = 20
HITS_PER_PASSAGE = 5  # annotations shown under a passage; the others are counted
MAX_FACET_OPTIONS = 30  # the most frequent options of a facet (and the chosen one)

# The statement's CTEs: the ids (and ranks) of the matching paragraphs and annotations,
# the ids of the passages found (passing every filter), and of the passages found
# whatever the annotations' filters.
TEXT_HITS = "search_text_hits"
NOTE_HITS = "search_note_hits"
FOUND = "search_found"
CANDIDATES = "search_candidates"
FACET_NOTES = "search_facet_annotations"

KIND_CHOICES = [(kind.value, kind.label) for kind in ParagraphKind if kind in TEXT_KINDS]
KIND_LABELS = dict(KIND_CHOICES)


# ---------------------------------------------------------------- the filters


class PassageFilterForm(forms.Form):
    article = forms.SlugField(
        required=False,
        max_length=100,
        allow_unicode=True,
        error_messages={
            "invalid": "The article filter takes an article's short name (slug).",
            "max_length": "The article filter takes an article's short name (slug).",
        },
    )
    outlet = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "The outlet filter takes an outlet's name."},
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "All"), *KIND_CHOICES],
        error_messages={
            "invalid_choice": f"Unknown kind of paragraph: choose one of {', '.join(KIND_LABELS)}."
        },
    )
    date_from = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "The from filter takes a date, like 2019-03-09."},
    )
    date_to = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "The to filter takes a date, like 2019-03-09."},
    )


@dataclass(frozen=True, slots=True)
class PassageFilters:
    """The passage's own filters; empty values are inactive. The dates bound the
    article's publication date (an article without one passes no date filter)."""

    article: str = ""  # an article's slug
    outlet: str = ""
    kind: str = ""  # a kind of paragraph
    date_from: date | None = None
    date_to: date | None = None

    # Query-string parameter -> field.
    PARAMS = {
        "article": "article",
        "outlet": "outlet",
        "kind": "kind",
        "from": "date_from",
        "to": "date_to",
    }

    @classmethod
    def from_query(cls, params: QueryDict) -> PassageFilters:
        """The filters in a query string, or BadRequest saying what is wrong."""
        form = PassageFilterForm(
            {name: params.get(param, "") for param, name in cls.PARAMS.items() if param in params}
        )
        if not form.is_valid():
            raise BadRequest(" ".join(error for errors in form.errors.values() for error in errors))
        data = form.cleaned_data
        if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
            raise BadRequest("The from date comes after the to date.")
        return cls(**{name: value for name, value in data.items() if value})

    @property
    def active(self) -> dict[str, str]:
        """The active filters as query-string values, in a fixed order."""
        values = {}
        for param, name in self.PARAMS.items():
            value = getattr(self, name)
            if value:
                values[param] = value.isoformat() if isinstance(value, date) else value
        return values

    @property
    def year(self) -> str:
        """The year the dates make, when they bound one whole year."""
        first, last = self.date_from, self.date_to
        whole = first and last and first.year == last.year
        if whole and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
            return str(first.year)
        return ""

    def __bool__(self) -> bool:
        return bool(self.active)

    def without(self, key: str) -> PassageFilters:
        if key == "year":
            return replace(self, date_from=None, date_to=None)
        return replace(self, **{key: ""})

    def apply(self, paragraphs: QuerySet) -> QuerySet:
        if self.article:
            paragraphs = paragraphs.filter(article__slug=self.article)
        if self.outlet:
            paragraphs = paragraphs.filter(article__outlet=self.outlet)
        if self.kind:
            paragraphs = paragraphs.filter(kind=self.kind)
        if self.date_from:
            paragraphs = paragraphs.filter(article__published__gte=self.date_from)
        if self.date_to:
            paragraphs = paragraphs.filter(article__published__lte=self.date_to)
        return paragraphs


# ---------------------------------------------------------------- the results


@dataclass(frozen=True, slots=True)
class AnnotationHit:
    """An annotation shown under a passage: one the viewer may see, passing the filters."""

    id: int
    stance: str
    claim: SafeString  # escaped, the matching words in <mark>
    exact: str

    @property
    def stance_label(self) -> str:
        return stance_label(self.stance, claim=self.claim)


@dataclass(slots=True)
class SearchResult:
    paragraph_id: int
    article_id: int
    article_title: str
    article_slug: str
    outlet: str
    position: int
    kind: str
    snippet_html: SafeString  # escaped, the matching words in <mark>
    annotations: list[AnnotationHit] = field(default_factory=list)
    more_annotations: int = 0  # visible ones that pass the filters, not shown

    @property
    def article_url(self) -> str:
        return reverse("corpus:article-detail", kwargs={"slug": self.article_slug})

    @property
    def url(self) -> str:
        return f"{self.article_url}#p-{self.position}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(slots=True)
class SearchPage:
    """A page of results. ``message`` says why the search could not run (then there
    are no results); an empty ``query`` ran nothing."""

    query: str
    message: str = ""
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    facets: list[Facet] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)  # active ones, as query values
    page_size: int = PAGE_SIZE

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.results else 0

    @property
    def last(self) -> int:
        return self.first + len(self.results) - 1 if self.results else 0


PASSAGE_FACET_TITLES = {
    "article": "Article",
    "outlet": "Outlet",
    "kind": "Kind of paragraph",
    "year": "Year",
}
SEARCH_FACET_TITLES = {**PASSAGE_FACET_TITLES, **FACET_TITLES}


def search_passages(
    user,
    params: QueryDict,
    *,
    exclude_article_id: int | None = None,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """The passages that the search in ``params`` (``q``, the filters, ``page``) finds
    for ``user``, a page at a time, best first. Bad filters or a page past the end are
    BadRequest; a search that cannot run is a page with its ``message``.
    ``exclude_article_id`` leaves out one article's passages (a link from it to others)."""
    page_size = max(1, page_size)
    passage_filters = PassageFilters.from_query(params)
    # The article is a passage filter here (it narrows passages, annotated or not).
    annotation_filters = replace(AnnotationFilters.from_query(params), article="")
    filters = {**passage_filters.active, **annotation_filters.active}
    text = params.get("q", "").replace("\x00", "").strip()
    if not text:
        return SearchPage(query="", filters=filters, page_size=page_size)
    try:
        parsed = parse_query(text)
    except SearchQueryError as error:
        return SearchPage(query=text, message=error.reason, filters=filters, page_size=page_size)
    search = _Search(
        parsed=parsed,
        passages=_visible_passages(user, exclude_article_id),
        annotations=Annotation.objects.visible_to(user).filter(paragraph__isnull=False),
        passage_filters=passage_filters,
        annotation_filters=annotation_filters,
    )
    total, facets = search.counts()
    pages = max(1, -(-total // page_size))
    page = page_number(params, "page", pages=pages)
    results = search.results(offset=(page - 1) * page_size, limit=page_size) if total else []
    return SearchPage(
        query=text,
        results=results,
        total=total,
        page=page,
        pages=pages,
        facets=facets,
        filters=filters,
        page_size=page_size,
    )


def _visible_passages(user, exclude_article_id: int | None) -> QuerySet:
    passages = Paragraph.objects.filter(article_condition(user, "article__"), kind__in=TEXT_KINDS)
    if exclude_article_id is not None:
        passages = passages.exclude(article_id=exclude_article_id)
    return passages


def _hit_ids(cte: str) -> RawSQL:
    # The CTE is the statement's own (``_Search._execute``): no parameter of its own.
    column = "id" if cte in (FOUND, CANDIDATES, FACET_NOTES) else "match_id"
    return RawSQL(f"SELECT {column} FROM {cte}", ())  # noqa: S608, S611 - constant names


# A date's year as text, in each database's own terms (Django's ExtractYear calls
# Python for every row on SQLite, which stores dates as ISO text).
_YEAR_SQL = {"sqlite": "substr({}, 1, 4)", "postgresql": "to_char({}, 'YYYY')"}


class _Year(Func):
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        template = _YEAR_SQL["sqlite"].format("%(expressions)s")
        return self.as_sql(compiler, connection, template=template)

    def as_postgresql(self, compiler, connection, **extra):
        template = _YEAR_SQL["postgresql"].format("%(expressions)s")
        return self.as_sql(compiler, connection, template=template)


# Facets of the passages: the value and the label, as paths from a paragraph.
_PASSAGE_FACETS = {
    "article": ("article__slug", "article__title"),
    "outlet": ("article__outlet", "article__outlet"),
    "kind": ("kind", "kind"),
    "year": (_Year("article__published"), _Year("article__published")),
}
# Facets of the annotations, as paths from an annotation (as annotations.selectors).
_ANNOTATION_FACETS = {
    "stance": ("stance", "stance"),
    "team": ("team__slug", "team__name"),
    # Counts roll up: a passage annotated about Idlib counts for Syria.
    "region": ("regions__ancestry__ancestor_id", "regions__ancestry__ancestor__name"),
    "source": ("source_id", "source__name"),
    "tag": ("tags__slug", "tags__name"),
    "author": ("author__username", "author__username"),
}
# What has no value for a facet of the passages.
_NO_VALUE = {
    "article": {},
    "outlet": {"article__outlet": ""},
    "kind": {},
    "year": {"article__published__isnull": True},
}


@dataclass(frozen=True, slots=True)
class _Search:
    parsed: ParsedQuery
    passages: QuerySet  # the visible passages, before the filters
    annotations: QuerySet  # the visible annotations on passages, before the filters
    passage_filters: PassageFilters
    annotation_filters: AnnotationFilters

    def _found(self, passage_filters: PassageFilters, annotation_filters: AnnotationFilters):
        """The passages passing these filters that the search finds."""
        passages = passage_filters.apply(self.passages)
        annotations = annotation_filters.apply(self.annotations).order_by()
        if annotation_filters:
            passages = passages.filter(pk__in=annotations.values("paragraph_id"))
        # One set of ids, the text's hits and the annotations', rather than an OR of
        # two: PostgreSQL reads an OR of two subqueries by scanning every paragraph.
        note_sql, note_params = (
            annotations.filter(pk__in=_hit_ids(NOTE_HITS))
            .values("paragraph_id")
            .query.sql_with_params()
        )
        hits = RawSQL(  # noqa: S611 - constant names and the ORM's SQL; values are parameters
            f"SELECT match_id FROM {TEXT_HITS} UNION {note_sql}",  # noqa: S608
            note_params,
        )
        return passages.filter(pk__in=hits).order_by()

    def _matching(self, annotation_filters: AnnotationFilters, candidates: str) -> QuerySet:
        """The visible annotations passing these filters on the passages of the CTE
        ``candidates`` whose text, or the annotation itself, matches."""
        return (
            annotation_filters.apply(self.annotations)
            .filter(paragraph_id__in=_hit_ids(candidates))
            .filter(Q(paragraph_id__in=_hit_ids(TEXT_HITS)) | Q(pk__in=_hit_ids(NOTE_HITS)))
            .order_by()
        )

    def _execute(
        self, sql: str, params, *, ranked: bool, ctes: str = ""
    ) -> tuple[list[str], list[tuple]]:
        """Run ``sql`` after the CTEs of the hits and of the passages found (and
        ``ctes``, more of them, which may read those): its column names and rows."""
        text = match_sql(PARAGRAPH_TEXT, self.parsed, ranked=ranked)
        notes = match_sql(ANNOTATION_BODY, self.parsed, ranked=ranked)
        found_sql, found_params = (
            self._found(self.passage_filters, self.annotation_filters)
            .values("id", "article_id", "kind")
            .query.sql_with_params()
        )
        with_sql = (
            f"WITH {TEXT_HITS} AS MATERIALIZED ({text.sql}), "
            f"{NOTE_HITS} AS MATERIALIZED ({notes.sql}), "
            f"{FOUND} AS MATERIALIZED ({found_sql})"
        )
        if ctes:
            with_sql += ", " + ctes
        with connection.cursor() as cursor:
            cursor.execute(
                f"{with_sql} {sql}", [*text.params, *notes.params, *found_params, *params]
            )
            return [column[0] for column in cursor.description], cursor.fetchall()

    # ------------------------------------------------------------ the counts

    def counts(self) -> tuple[int, list[Facet]]:
        """How many passages the search finds, and every facet's options with the
        number of passages each would find (following the other filters): one query."""
        # What the search found, and each facet of the passages without a filter of its
        # own, are read from the found passages' CTE (its article and kind with them).
        found_parts = [_TOTAL_SQL]
        parts = []
        for key, (value_path, label_path) in _PASSAGE_FACETS.items():
            others = self.passage_filters.without(key)
            if others == self.passage_filters:
                found_parts.append(_found_part(key))
            else:
                rows = self._found(others, self.annotation_filters).exclude(**_NO_VALUE[key])
                parts.append(_count(rows, key, value_path, label_path, "pk"))
        # The passages that the search finds whatever the annotations' filters (all
        # of them when there are none): those the annotations' facets may count.
        candidates, ctes, cte_params = FOUND, [], []
        if self.annotation_filters:
            candidates = CANDIDATES
            candidates_sql, candidates_params = (
                self._found(self.passage_filters, AnnotationFilters())
                .values("id")
                .query.sql_with_params()
            )
            ctes.append(f"{CANDIDATES} AS MATERIALIZED ({candidates_sql})")
            cte_params.extend(candidates_params)
        # A passage counts for a value when it carries an annotation with that value
        # (passing the other filters) and its text or that annotation matches. The
        # facets without a filter of their own follow the same filters: those
        # annotations are found once, for all of them.
        shared_sql, shared_params = (
            self._matching(self.annotation_filters, candidates)
            .values("id", "paragraph_id")
            .query.sql_with_params()
        )
        ctes.append(f"{FACET_NOTES} AS MATERIALIZED ({shared_sql})")
        cte_params.extend(shared_params)
        shared = Annotation.objects.filter(pk__in=_hit_ids(FACET_NOTES))
        for key, (value_path, label_path) in _ANNOTATION_FACETS.items():
            others = self.annotation_filters.without(key)
            annotations = (
                shared if others == self.annotation_filters else self._matching(others, candidates)
            )
            # A filter, not exclude(): exclude() on a many-to-many path is an
            # anti-join that PostgreSQL runs in quadratic time.
            annotations = annotations.filter(**{f"{value_path}__isnull": False})
            parts.append(_count(annotations, key, value_path, label_path, "paragraph_id"))
        union = parts[0].union(*parts[1:], all=True)
        sql, params = union.query.sql_with_params()
        sql = " UNION ALL ".join([sql, *found_parts])
        columns, rows = self._execute(
            sql, [*cte_params, *params], ranked=False, ctes=", ".join(ctes)
        )
        total = 0
        found: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        for row in rows:
            row = dict(zip(columns, row, strict=True))
            if row["facet"] == "total":
                total = row["count"]
                continue
            value = str(row["value"])
            if row["facet"] == "stance" and value == NO_STANCE:
                value = NO_STANCE_FILTER
            found[row["facet"]][value] = (str(row["label"]), row["count"])
        return total, self._facets(found)

    def _facets(self, found: dict[str, dict[str, tuple[str, int]]]) -> list[Facet]:
        selected = {
            **self.passage_filters.active,
            "year": self.passage_filters.year,
            **self.annotation_filters.active,
        }
        facets = []
        for key, title in SEARCH_FACET_TITLES.items():
            options = found[key]
            chosen = selected.get(key, "")
            if key == "stance":
                order = [v for v in (*Stance.values, NO_STANCE_FILTER) if v in options]
            elif key == "kind":
                order = [v for v in KIND_LABELS if v in options]
            elif key == "year":
                order = sorted(options, reverse=True)
            else:
                order = sorted(options, key=lambda v: (-options[v][1], options[v][0].casefold()))
            order = order[:MAX_FACET_OPTIONS]
            if chosen and chosen not in order:
                # Asked for and found nowhere: no label to give away.
                options.setdefault(chosen, (chosen, 0))
                order.append(chosen)
            facets.append(
                Facet(
                    key=key,
                    label=title,
                    options=[
                        FacetOption(
                            value=value,
                            label=_option_label(key, value, options[value][0]),
                            count=options[value][1],
                            selected=chosen == value,
                        )
                        for value in order
                    ],
                )
            )
        return facets

    # ---------------------------------------------------------- the results

    def results(self, *, offset: int, limit: int) -> list[SearchResult]:
        """A page of the passages found, best first (ties in reading order), with
        the annotations shown under each: two queries."""
        notes_sql, notes_params = (
            self.annotation_filters.apply(self.annotations)
            .filter(pk__in=_hit_ids(NOTE_HITS))
            .order_by()
            .values("id", "paragraph_id")
            .query.sql_with_params()
        )
        quote = connection.ops.quote_name
        paragraph = quote(Paragraph._meta.db_table)
        article = quote(Paragraph._meta.get_field("article").related_model._meta.db_table)
        # Grouped by id, the ranks are known to be one a row: without it, PostgreSQL
        # takes the joins for many-to-many, expects millions of rows, and compiles the
        # statement (JIT) for longer than it runs.
        ctes = f"""
            search_text_ranks AS (
                SELECT match_id, MAX(match_rank) AS match_rank FROM {TEXT_HITS} GROUP BY match_id
            ),
            search_note_ranks AS (
                SELECT note.paragraph_id AS paragraph_id, MAX(hit.match_rank) AS match_rank
                FROM {NOTE_HITS} AS hit JOIN ({notes_sql}) AS note ON note.id = hit.match_id
                GROUP BY note.paragraph_id
            )
        """  # noqa: S608 - the ORM's own SQL; values are parameters
        # A passage ranks by its text's match and its best annotation's, added.
        sql = f"""
            SELECT p.id, p.article_id, a.title, a.slug, a.outlet, p.position, p.kind, p.text,
                COALESCE(text_hit.match_rank, 0) + COALESCE(note_rank.match_rank, 0)
                    AS search_rank
            FROM {FOUND} AS shown
            JOIN {paragraph} AS p ON p.id = shown.id
            JOIN {article} AS a ON a.id = p.article_id
            LEFT JOIN search_text_ranks AS text_hit ON text_hit.match_id = shown.id
            LEFT JOIN search_note_ranks AS note_rank ON note_rank.paragraph_id = shown.id
            ORDER BY search_rank DESC, p.article_id, p.position
            LIMIT %s OFFSET %s
        """  # noqa: S608 - quoted names; values are parameters
        _, rows = self._execute(sql, [*notes_params, limit, offset], ranked=True, ctes=ctes)
        results = [
            SearchResult(
                paragraph_id=pk,
                article_id=article_id,
                article_title=title,
                article_slug=slug,
                outlet=outlet,
                position=position,
                kind=kind,
                snippet_html=highlight(text, self.parsed),
            )
            for pk, article_id, title, slug, outlet, position, kind, text, _rank in rows
        ]
        self._attach_annotations(results)
        return results

    def _attach_annotations(self, results: list[SearchResult]) -> None:
        """The visible annotations that pass the filters, under their passages (the
        first few in reading order, the others counted): one query."""
        if not results:
            return
        by_paragraph = {result.paragraph_id: result for result in results}
        shown = list(by_paragraph)
        passing = (
            self.annotation_filters.apply(self.annotations)
            .filter(paragraph_id__in=shown)
            .order_by()
            .values("pk")
        )
        rows = (
            Annotation.objects.filter(pk__in=passing, paragraph_id__in=shown)
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=[F("paragraph_id")],
                    order_by=[F("start").asc(), F("id").asc()],
                ),
                on_passage=Window(Count("id"), partition_by=[F("paragraph_id")]),
            )
            .filter(place__lte=HITS_PER_PASSAGE)
            .order_by("paragraph_id", "start", "id")
            .values("id", "paragraph_id", "stance", "claim", "exact", "on_passage")
        )
        for row in rows:
            result = by_paragraph[row["paragraph_id"]]
            result.annotations.append(
                AnnotationHit(
                    id=row["id"],
                    stance=row["stance"],
                    claim=highlight(row["claim"], self.parsed),
                    exact=row["exact"],
                )
            )
            result.more_annotations = row["on_passage"] - len(result.annotations)


_TOTAL_SQL = f"SELECT 'total' AS facet, '' AS value, '' AS label, COUNT(*) AS count FROM {FOUND}"  # noqa: S608 - a constant name


def _found_part(key: str) -> str:
    """A facet of the passages counted over the found passages' CTE: one part of the
    counts' UNION ALL, as ``_count`` makes the others."""
    article = connection.ops.quote_name(Article._meta.db_table)
    value, where = {
        "article": ("a.slug", ""),
        "outlet": ("a.outlet", "WHERE a.outlet <> ''"),
        "kind": ("f.kind", ""),
        "year": (
            _YEAR_SQL[connection.vendor].format("a.published"),
            "WHERE a.published IS NOT NULL",
        ),
    }[key]
    label = "a.title" if key == "article" else value
    return (
        f"SELECT '{key}' AS facet, {value} AS value, MIN({label}) AS label, COUNT(*) AS count "  # noqa: S608 - constant names
        f"FROM {FOUND} AS f JOIN {article} AS a ON a.id = f.article_id {where} GROUP BY {value}"
    )


def _count(rows: QuerySet, facet: str, value_path, label_path, count_path: str) -> QuerySet:
    """One part of the counts' UNION ALL: (facet, value, label, count) rows, grouped by
    value; or the one row of the total when ``value_path`` is None. Passages ("pk") are
    one a row; annotations' passages ("paragraph_id") are counted once each."""
    if value_path is None:
        value = label = Value("", output_field=CharField())
    else:
        value, label = Cast(value_path, CharField()), Cast(label_path, CharField())
    return (
        rows.order_by()
        .annotate(facet=Value(facet, output_field=CharField()), value=value)
        .values("facet", "value")
        .annotate(label=Min(label), count=Count(count_path, distinct=count_path != "pk"))
        .values("facet", "value", "label", "count")
    )


def _option_label(key: str, value: str, label: str) -> str:
    if key == "stance":
        return STANCE_LABELS.get(value, value)
    if key == "kind":
        return KIND_LABELS.get(value, value)
    return label
