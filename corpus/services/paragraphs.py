"""The one place where an article's text changes.

Importing a file, editing a paragraph in the admin, splitting and merging paragraphs
all come here: ``article_text_replace`` writes the article's new paragraphs and says
what changed (kept, changed, added, removed). Paragraphs are matched by content in
reading order (a diff), so an inserted or removed paragraph does not change the
identity of those around it, and a changed paragraph keeps the row (and id) of the
old paragraph it resembles most.

What builds on the text (annotations) is told through the ``article_text_changed``
signal, inside the same transaction and before removed rows are deleted: a receiver
that fails rolls the whole change back, and rows still referenced by something that
protects them cannot be deleted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import reversion
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from rapidfuzz import fuzz

from corpus import generations
from corpus.markup import html_to_text, render_markdown, render_plain
from corpus.models import Article, Paragraph, ParagraphKind, paragraph_hash
from corpus.signals import article_text_changed


@dataclass(frozen=True, slots=True)
class NewParagraph:
    """A paragraph as it will be written: its markup and what it renders to.
    ``continues`` names the row of the paragraph it is a new version of, when the
    caller knows it (an edit of that paragraph); otherwise the diff finds it.
    ``fresh``: it takes a row of its own, whatever the diff thinks (the two parts of a
    split paragraph: what was anchored to the old one is then looked for, by its words
    and its context, in both parts, rather than trusted to the part that kept the row)."""

    kind: str
    level: int | None
    markup: str
    text: str
    html: str
    content_hash: str
    continues: int | None = None
    fresh: bool = False


def render_paragraph(
    *, kind: str, level: int | None, markup: str, markup_format: str, continues: int | None = None
) -> NewParagraph:
    """Render one paragraph's inline markup: its HTML, and the plain text annotations
    anchor to (exactly what the HTML shows)."""
    if markup_format == "markdown":
        html = render_markdown(markup, inline=True)
        text = html_to_text(html)
    else:
        text = " ".join(markup.split()) if "  " in markup or markup != markup.strip() else markup
        markup = text
        html = render_plain(text)
    level = level if kind == ParagraphKind.HEADING else None
    return NewParagraph(
        kind=kind,
        level=level,
        markup=markup,
        text=text,
        html=html,
        content_hash=paragraph_hash(kind=kind, level=level, html=html),
        continues=continues,
    )


def paragraph_of(row: Paragraph) -> NewParagraph:
    """A stored paragraph as a NewParagraph (to rewrite an article with it unchanged)."""
    return NewParagraph(
        kind=row.kind,
        level=row.level,
        markup=row.markup,
        text=row.text,
        html=row.html,
        content_hash=row.content_hash,
        continues=row.pk,
    )


@dataclass(frozen=True, slots=True)
class ParagraphText:
    id: int
    position: int
    text: str


@dataclass
class TextChange:
    """What ``article_text_replace`` did to an article's paragraphs.

    ``changed`` and ``removed`` map a paragraph's id to its text before the change (a
    changed paragraph keeps its id; a removed one is deleted once the receivers of
    ``article_text_changed`` have run). ``near`` maps each of them to the new
    paragraphs that took the place of its stretch of text (where its words most
    likely went). ``effects`` collects what the receivers report, by name.
    """

    article: Article
    paragraphs: list[ParagraphText]
    kept: list[int] = field(default_factory=list)
    changed: dict[int, str] = field(default_factory=dict)
    added: list[int] = field(default_factory=list)
    removed: dict[int, str] = field(default_factory=dict)
    near: dict[int, list[int]] = field(default_factory=dict)
    effects: dict[str, Counter] = field(default_factory=dict)

    @property
    def text_changed(self) -> bool:
        return bool(self.changed or self.removed)

    @property
    def summary(self) -> Counter:
        return Counter(
            kept=len(self.kept),
            changed=len(self.changed),
            added=len(self.added),
            removed=len(self.removed),
        )


# A changed paragraph keeps the row of the old one it resembles most, if they are at
# least this similar (rapidfuzz ratio, 0-100); below it, the old row is removed and
# the new paragraph gets a row of its own. Pairing within a block of changes is
# skipped for huge blocks (a rewritten article), where rows are reused in order.
PAIRING_THRESHOLD = 50
PAIRING_MAX_CELLS = 40_000


@transaction.atomic(savepoint=False)
def article_text_replace(
    *, article: Article, paragraphs: list[NewParagraph], new: bool = False
) -> TextChange:
    """Make ``paragraphs`` the article's text, keeping the rows of unchanged paragraphs.
    ``new``: the article was created in this transaction, and has no paragraphs yet.
    A failure rolls back the whole transaction it runs in (no savepoint: every caller
    means the change to be whole)."""
    old = []
    if not new:
        Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").first()
        old = list(
            Paragraph.objects.filter(article=article)
            .order_by("position")
            .only("id", "position", "text", "content_hash")
        )
    rows = _match_rows(old, paragraphs)
    reused = [row for row in rows.new_to_old if row is not None]
    rewritten = [
        row.pk
        for row, paragraph in zip(rows.new_to_old, paragraphs, strict=True)
        if row is not None and row.content_hash != paragraph.content_hash
    ]
    if old:
        # Move the old rows out of the way so that renumbering never collides (the
        # removed ones stay until the receivers have moved what points at them).
        Paragraph.objects.filter(article=article).update(
            position=F("position") + len(old) + len(paragraphs) + 1
        )
    ids = [row.pk if row is not None else None for row in rows.new_to_old]
    parents = heading_parents(paragraphs)
    _insert(
        article,
        paragraphs,
        [i for i, row in enumerate(rows.new_to_old) if row is None],
        parents,
        ids,
    )
    change = TextChange(
        article=article,
        paragraphs=[
            ParagraphText(id=ids[index], position=index + 1, text=paragraph.text)
            for index, paragraph in enumerate(paragraphs)
        ],
    )
    for index, row in enumerate(rows.new_to_old):
        if row is None:
            change.added.append(ids[index])
            continue
        paragraph = paragraphs[index]
        if row.text == paragraph.text:
            change.kept.append(row.pk)
        else:
            change.changed[row.pk] = row.text
        row.position = index + 1
        row.kind = paragraph.kind
        row.level = paragraph.level
        row.markup = paragraph.markup
        row.text = paragraph.text
        row.html = paragraph.html
        row.content_hash = paragraph.content_hash
        row.heading_id = ids[parents[index]] if parents[index] is not None else None
    if reused:
        _update_rows(reused)
    for row in rows.unused:
        change.removed[row.pk] = row.text
    for old_id, new_indexes in rows.near.items():
        if old_id in change.changed or old_id in change.removed:
            change.near[old_id] = [ids[index] for index in new_indexes if ids[index] != old_id]
    if old and (change.text_changed or change.added):
        for receiver, effects in article_text_changed.send(sender=Article, change=change):
            if effects:
                change.effects[getattr(receiver, "effects_name", receiver.__name__)] = effects
    if change.removed:
        Paragraph.objects.filter(pk__in=list(change.removed)).delete()
    if old and (change.text_changed or change.added or change.removed):
        # What reads the corpus as a whole (the similarity index) knows by this date
        # that the article's text is not what it was.
        Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    if new or change.text_changed or change.added or change.removed:
        generations.advance_on_commit(generations.CORPUS_TEXT)
    if reversion.is_active():
        _add_to_revision([*rewritten, *change.added])
    return change


def _add_to_revision(paragraph_ids: list[int]) -> None:
    """Inside a revision of the history (an admin save, a split, a re-import...), the
    paragraphs written join it: their rows are written without the model signals that
    django-reversion listens to. Removed ones are gone, as reversion keeps only rows
    that exist."""
    if paragraph_ids:
        for row in Paragraph.objects.filter(pk__in=paragraph_ids).order_by("position"):
            reversion.add_to_revision(row)


@dataclass
class _RowMatch:
    new_to_old: list[Paragraph | None]
    unused: list[Paragraph]
    near: dict[int, list[int]]  # old id -> indexes of the new paragraphs of its block


def _match_rows(old: list[Paragraph], new: list[NewParagraph]) -> _RowMatch:
    matcher = SequenceMatcher(
        a=[row.content_hash for row in old],
        b=[paragraph.content_hash for paragraph in new],
        autojunk=False,
    )
    new_to_old: list[Paragraph | None] = [None] * len(new)
    unused: list[Paragraph] = []
    near: dict[int, list[int]] = {}
    pending_new: list[int] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            new_to_old[new_start:new_end] = old[old_start:old_end]
            continue
        block_old = old[old_start:old_end]
        block_new = list(range(new_start, new_end))
        for row in block_old:
            near[row.pk] = block_new
        leftover = _pair_block(block_old, block_new, new, new_to_old)
        unused.extend(leftover)
        pending_new.extend(index for index in block_new if new_to_old[index] is None)
    # A paragraph the caller says continues a row keeps it, whatever the diff thought.
    by_id = {row.pk: row for row in old}
    for index, paragraph in enumerate(new):
        row = by_id.get(paragraph.continues)
        if row is None or new_to_old[index] is row:
            continue
        for other, assigned in enumerate(new_to_old):
            if assigned is row:
                new_to_old[other] = None
                pending_new.append(other)
        if new_to_old[index] is not None:
            unused.append(new_to_old[index])
        new_to_old[index] = row
        if row in unused:
            unused.remove(row)
    for index, paragraph in enumerate(new):
        if paragraph.fresh and new_to_old[index] is not None:
            unused.append(new_to_old[index])
            new_to_old[index] = None
    # A paragraph moved elsewhere unchanged keeps its row.
    if unused and pending_new:
        by_hash: dict[str, list[Paragraph]] = defaultdict(list)
        for row in unused:
            by_hash[row.content_hash].append(row)
        for index in pending_new:
            if new[index].fresh:
                continue
            candidates = by_hash.get(new[index].content_hash)
            if candidates:
                row = candidates.pop(0)
                new_to_old[index] = row
                unused.remove(row)
    return _RowMatch(new_to_old=new_to_old, unused=unused, near=near)


def _pair_block(
    block_old: list[Paragraph],
    block_new: list[int],
    new: list[NewParagraph],
    new_to_old: list[Paragraph | None],
) -> list[Paragraph]:
    """Give each new paragraph of a block of changes the old row it resembles most;
    return the old rows left over."""
    if not block_old or not block_new:
        return list(block_old)
    if len(block_old) * len(block_new) > PAIRING_MAX_CELLS:
        for row, index in zip(block_old, block_new, strict=False):
            new_to_old[index] = row
        return block_old[len(block_new) :]
    scores = sorted(
        (
            (fuzz.ratio(row.text, new[index].text), -abs(i - j), i, j)
            for i, row in enumerate(block_old)
            for j, index in enumerate(block_new)
        ),
        reverse=True,
    )
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for score, _, i, j in scores:
        if score < PAIRING_THRESHOLD:
            break
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        new_to_old[block_new[j]] = block_old[i]
    return [row for i, row in enumerate(block_old) if i not in taken_old]


def heading_parents(paragraphs: list[NewParagraph]) -> list[int | None]:
    """For each paragraph, the index of the heading it falls under: the nearest heading
    above it; for a heading, the nearest one above it of a higher rank."""
    parents: list[int | None] = []
    open_headings: list[int] = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind == ParagraphKind.HEADING:
            level = paragraph.level or 2
            while open_headings and (paragraphs[open_headings[-1]].level or 2) >= level:
                open_headings.pop()
            parents.append(open_headings[-1] if open_headings else None)
            open_headings.append(index)
        else:
            parents.append(open_headings[-1] if open_headings else None)
    return parents


def _insert(
    article: Article,
    paragraphs: list[NewParagraph],
    indexes: list[int],
    parents: list[int | None],
    ids: list[int | None],
) -> None:
    """Insert the paragraphs at ``indexes``, filling in ``ids``.

    Level-1 headings go first, then level 2, ..., then the other paragraphs: every
    heading has its id before the rows that point at it, so no second pass of
    updates is needed to link them.
    """
    waves: dict[int, list[int]] = defaultdict(list)
    for index in indexes:
        paragraph = paragraphs[index]
        rank = (paragraph.level or 2) if paragraph.kind == ParagraphKind.HEADING else 99
        waves[rank].append(index)
    for rank in sorted(waves):
        rows = []
        for index in waves[rank]:
            paragraph, parent = paragraphs[index], parents[index]
            rows.append(
                (
                    article.pk,
                    index + 1,
                    paragraph.kind,
                    paragraph.level,
                    paragraph.markup,
                    paragraph.text,
                    paragraph.html,
                    paragraph.content_hash,
                    ids[parent] if parent is not None else None,
                )
            )
        new_ids = _insert_rows(rows)
        for index in waves[rank]:
            ids[index] = new_ids[index + 1]


_INSERT_COLUMNS = (
    "article_id",
    "position",
    "kind",
    "level",
    "markup",
    "text",
    "html",
    "content_hash",
    "heading_id",
)
_INSERT_BATCH = 100  # 9 parameters a row: under SQLite's oldest limit of 999


def _insert_rows(rows: list[tuple]) -> dict[int, int]:
    """Write new paragraph rows (values of ``_INSERT_COLUMNS``); their ids by position.

    The one way paragraphs are inserted, whoever changes the text. The mechanism is
    the database's fastest, measured by ``python manage.py bench`` on the synthetic
    corpus: on PostgreSQL, ids taken from the sequence and the rows sent by COPY (two
    round trips; multi-row INSERTs made the import 40% slower there); on SQLite,
    INSERT ... RETURNING in batches (``bulk_create`` spent longer building model
    instances than the database spent storing them).
    """
    if not rows:
        return {}
    quote = connection.ops.quote_name
    table = quote(Paragraph._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Paragraph._meta.db_table, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            columns = ", ".join(map(quote, ("id", *_INSERT_COLUMNS)))
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row))
            return {row[1]: pk for pk, row in zip(ids, rows, strict=True)}
        columns = ", ".join(map(quote, _INSERT_COLUMNS))
        row_placeholder = "(" + ", ".join(["%s"] * len(_INSERT_COLUMNS)) + ")"
        returning = f"{quote('id')}, {quote('position')}"
        positions: dict[int, int] = {}
        for start in range(0, len(rows), _INSERT_BATCH):
            batch = rows[start : start + _INSERT_BATCH]
            placeholders = ", ".join([row_placeholder] * len(batch))
            cursor.execute(
                # Identifiers are quoted constants; every value goes through a parameter.
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} RETURNING {returning}",  # noqa: S608
                [value for row in batch for value in row],
            )
            positions.update((position, pk) for pk, position in cursor.fetchall())
        return positions


_UPDATE_COLUMNS = (
    "position",
    "kind",
    "level",
    "markup",
    "text",
    "html",
    "content_hash",
    "heading_id",
)


def _update_rows(rows: list[Paragraph]) -> None:
    """Write the kept rows back: one UPDATE statement executed for each. Django's
    bulk_update builds a CASE expression per column over all the rows, which took
    8 s to re-import an article of 4,000 paragraphs."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in _UPDATE_COLUMNS)
    sql = f"UPDATE {quote(Paragraph._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608 - quoted names
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [[*(getattr(row, column) for column in _UPDATE_COLUMNS), row.pk] for row in rows]
        )


def paragraph_edit(
    *, paragraph: Paragraph, markup: str, kind: str, level: int | None = None
) -> TextChange:
    """Change one paragraph's markup, kind and level. The article's text changes
    through ``article_text_replace``, so what is anchored to it is placed again."""
    article = paragraph.article
    rendered = render_paragraph(
        kind=kind,
        level=level,
        markup=markup,
        markup_format=article.markup_format,
        continues=paragraph.pk,
    )
    if not rendered.text:
        raise ValidationError({"markup": "A paragraph needs text: delete it instead."})
    rows = list(Paragraph.objects.filter(article=article).order_by("position"))
    new = [rendered if row.pk == paragraph.pk else paragraph_of(row) for row in rows]
    return article_text_replace(article=article, paragraphs=new)


def paragraph_delete(*, paragraph: Paragraph) -> TextChange:
    """Remove a paragraph: what was anchored to it is placed elsewhere or orphaned."""
    rows = list(Paragraph.objects.filter(article_id=paragraph.article_id).order_by("position"))
    return article_text_replace(
        article=paragraph.article,
        paragraphs=[paragraph_of(row) for row in rows if row.pk != paragraph.pk],
    )
