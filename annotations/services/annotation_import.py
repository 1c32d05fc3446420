"""Importing annotations read from a file (W3C Web Annotations, Hypothesis's export):
each placed by its selectors through re-anchoring's own placement, written in one
transaction and recorded as one change.

- Its article: the Crossread article its target's address names (``/articles/<slug>/``
  on any host), else the article imported from that address, else the one article
  holding its quote. None of these, it is skipped (and the report says so).
- Its passage: the quote at its position (exports of Crossread count positions in
  the article's plain text), else the quote by its words and context, else the most
  alike words nearby (placed fuzzily), else it is imported as an orphan with its
  quote, waiting for a person, never dropped.
- Whose and for whom: the importing user's, unless ``keep_authors`` (the command, run
  by an operator) and a user of the creator's name exists; the team and visibility
  given, else those its audience names, where its author may write (else private:
  the report says so).
- Anything invalid (an unknown stance, a claim too long) refuses the whole import:
  nothing is written, and the error names the annotation.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.anchoring import Anchor
from annotations.history import recorded
from annotations.models import (
    AnchorStatus,
    Annotation,
    Region,
    ReviewStatus,
    TaggedAnnotation,
    Team,
    Visibility,
)
from annotations.placement import ArticleText, Outcome, Placement, Target, place_quote
from annotations.services.annotations import (
    QUOTE_MAX_LENGTH,
    _check_bodies,
    check_team_and_visibility,
    initial_review_status,
    render_note,
    team_roles,
)
from annotations.services.crossreferences import crossreference_create
from annotations.services.vocabularies import source_for_name, tags_for_names
from annotations.webannotation.reading import Incoming, IncomingAnnotation, IncomingPassage
from corpus.models import Article, Paragraph
from corpus.plain_text import ParagraphOffsets

BATCH = 500
# An import of at most this many annotations puts each in the history (its first
# version); a larger one (a corpus moved from another tool) is recorded as one change
# without them: a version each would double the import's time (the bench measured).
HISTORY_LIMIT = 1000
CONTEXT_LENGTH = 64  # the stored prefix and suffix
_ARTICLE_PATH = re.compile(r"/articles/([-\w]+)/?$")
_TEAM_PATH = re.compile(r"/teams/([-\w]+)/?$")


class ImportRefusedError(ValueError):
    """Something in the file cannot be imported; nothing was."""


@dataclass
class ImportReport:
    exact: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    links: int = 0
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    annotation_ids: list[int] = field(default_factory=list)
    skipped_count: int | None = None  # when ``skipped`` holds only the first lines

    @property
    def imported(self) -> int:
        return self.exact + self.fuzzy + self.orphaned

    def summary(self) -> str:
        parts = [
            f"{self.imported} annotation{'s' if self.imported != 1 else ''} imported "
            f"({self.exact} placed exactly, {self.fuzzy} fuzzily, {self.orphaned} orphaned)",
            f"{self.links} link{'s' if self.links != 1 else ''}",
        ]
        skipped = self.skipped_count if self.skipped_count is not None else len(self.skipped)
        if skipped:
            parts.append(f"{skipped} skipped")
        return ", ".join(parts) + "."


class _Articles:
    """Which article a target names, and its text, each found once per import."""

    def __init__(self, user) -> None:
        self.visible = Article.objects.visible_to(user)
        self.by_source: dict[str, Article | None] = {}
        # Items come in article order (exports write them so): the last few suffice.
        self.text_of = functools.lru_cache(maxsize=8)(self._text_of)

    def article_for(self, passage: IncomingPassage) -> Article | None:
        key = passage.source
        if key not in self.by_source:
            self.by_source[key] = self._find(passage)
        return self.by_source[key]

    def _find(self, passage: IncomingPassage) -> Article | None:
        parts = urlsplit(passage.source)
        if match := _ARTICLE_PATH.search(parts.path):
            article = self.visible.filter(slug=match[1]).first()
            if article is not None:
                return article
        if parts.scheme in ("http", "https") and parts.netloc:
            address = f"{parts.netloc}{parts.path}".rstrip("/")
            forms = {
                f"{scheme}://{address}{slash}"
                for scheme in ("http", "https")
                for slash in ("", "/")
            }
            article = self.visible.filter(source_url__in=forms).order_by("pk").first()
            if article is not None:
                return article
        holding = list(
            self.visible.filter(
                pk__in=Paragraph.objects.filter(text__contains=passage.exact).values("article_id")
            ).order_by("pk")[:2]
        )
        return holding[0] if len(holding) == 1 else None

    @staticmethod
    def _text_of(article_id: int) -> tuple[ArticleText, ParagraphOffsets]:
        """(ArticleText, ParagraphOffsets) of an article."""
        texts = dict(
            Paragraph.objects.filter(article_id=article_id)
            .order_by("position")
            .values_list("id", "text")
        )
        # The offsets follow from the texts just read: no second query.
        offsets = ParagraphOffsets.from_lengths((pid, len(text)) for pid, text in texts.items())
        return ArticleText(texts=texts, old_texts={}, near={}), offsets


def _placement(passage: IncomingPassage, article_text: ArticleText, offsets) -> Placement:
    paragraph_id, start = None, 0
    if passage.trust_position and passage.start is not None:
        found = offsets.paragraph_at(passage.start)
        if found is not None:
            paragraph_id, start = found
    target = Target(
        paragraph_id=paragraph_id,
        start=start,
        end=start + len(passage.exact),
        exact=passage.exact,
        prefix=passage.prefix[-CONTEXT_LENGTH:],
        suffix=passage.suffix[:CONTEXT_LENGTH],
    )
    return place_quote(target, article_text)


class _Importer:
    def __init__(self, *, user, team, visibility, keep_authors, report) -> None:
        self.user = user
        self.team = team
        self.visibility = visibility
        self.keep_authors = keep_authors
        self.report = report
        self.articles = _Articles(user)
        self.users: dict[str, object] = {}
        self.roles: dict[int, dict[int, str]] = {}
        self.teams: dict[str, Team | None] = {}
        self.sources: dict[tuple[int, str], object] = {}
        self.tags: dict[tuple[int, str], list] = {}
        self.regions: dict[str, int] = {}
        # The imported annotations' ids by their target ids in the file, for the links
        # (ids, not rows: a file of 100,000 annotations would hold them all).
        self.by_target: dict[str, int] = {}
        self.record_versions = True

    # -- who, for whom
    def author_for(self, creator: str):
        if not self.keep_authors or not creator:
            return self.user
        if creator not in self.users:
            self.users[creator] = (
                get_user_model().objects.filter(username=creator).first() or self.user
            )
        return self.users[creator]

    def roles_of(self, author) -> dict[int, str]:
        if author.pk not in self.roles:
            self.roles[author.pk] = team_roles(author)
        return self.roles[author.pk]

    def team_named(self, iri: str) -> Team | None:
        if iri not in self.teams:
            self.teams[iri] = team_from_iri(iri)
        return self.teams[iri]

    def audience(self, item, author) -> tuple[Team | None, str]:
        if self.visibility:
            return self.team, self.visibility
        team = self.team_named(item.team_iri) if item.team_iri else None
        visibility = item.visibility or (Visibility.TEAM if team else Visibility.PRIVATE)
        try:
            check_team_and_visibility(
                author=author, team=team, visibility=visibility, roles=self.roles_of(author)
            )
        except ValidationError:
            self.report.notes.append(
                f"{item.key}: {author} cannot write for {item.team_iri or 'that audience'}; "
                "imported as private."
            )
            return None, Visibility.PRIVATE
        return team, visibility

    # -- bodies
    def source_for(self, author, name: str):
        key = (author.pk, name)
        if key not in self.sources:
            self.sources[key] = source_for_name(user=author, name=name)
        return self.sources[key]

    def tags_for(self, author, names: list[str]) -> list:
        """A tag for each name, each name looked up once per author and import."""
        found = []
        for name in names:
            key = (author.pk, " ".join(name.split()).casefold())
            if key not in self.tags:
                self.tags[key] = tags_for_names(user=author, names=[name])
            found.extend(self.tags[key])
        return found

    def region_ids(self, item: IncomingAnnotation) -> list[int]:
        missing = [code for code in item.region_codes if code not in self.regions]
        if missing:
            self.regions.update(Region.objects.filter(code__in=missing).values_list("code", "id"))
        ids = []
        for code in item.region_codes:
            if code in self.regions:
                ids.append(self.regions[code])
            else:
                self.report.notes.append(f"{item.key}: no region {code!r} in the gazetteer.")
        for iri in item.unknown_regions:
            self.report.notes.append(f"{item.key}: {iri} names no region Crossread knows.")
        return ids

    # -- one annotation
    def build(self, item: IncomingAnnotation):
        """(annotation, region ids, tags) ready to save, or None when skipped."""
        passage = item.passage
        article = self.articles.article_for(passage)
        if article is None:
            self.report.skipped.append(
                f"{item.key}: no article in the corpus you may see is {passage.source!r} "
                "or holds its quote."
            )
            return None
        if len(passage.exact) > QUOTE_MAX_LENGTH:
            raise ImportRefusedError(
                f"{item.key}: a quote has at most {QUOTE_MAX_LENGTH:,} characters."
            )
        claim, stance_target = item.claim.strip(), item.stance_target.strip()
        try:
            _check_bodies(
                claim=claim, stance=item.stance, stance_target=stance_target, note=item.note
            )
        except ValidationError as error:
            raise ImportRefusedError(f"{item.key}: {' '.join(error.messages)}") from None
        author = self.author_for(item.creator)
        team, visibility = self.audience(item, author)
        try:
            source = self.source_for(author, item.source_name) if item.source_name.strip() else None
            tags = self.tags_for(author, item.tags) if item.tags else []
        except ValidationError as error:
            raise ImportRefusedError(f"{item.key}: {' '.join(error.messages)}") from None
        annotation = Annotation(
            article=article,
            claim=claim,
            stance=item.stance,
            stance_target=stance_target,
            source=source,
            note=item.note,
            note_html=render_note(item.note),
            author=author,
            team=team,
            visibility=visibility,
            review_status=self.review_status(item, team, visibility, author),
            review_reason=item.review_reason[:500],
        )
        article_text, offsets = self.articles.text_of(article.pk)
        self.place(annotation, _placement(passage, article_text, offsets), item)
        try:
            annotation.clean_fields(
                exclude=["article", "paragraph", "author", "team", "source", "reviewed_by"]
            )
        except ValidationError as error:
            raise ImportRefusedError(f"{item.key}: {' '.join(error.messages)}") from None
        return annotation, self.region_ids(item), tags

    def review_status(self, item, team, visibility, author) -> str:
        status = initial_review_status(team, visibility)
        if (
            self.keep_authors
            and item.review_status in ReviewStatus.values
            and team is not None
            and visibility != Visibility.PRIVATE
        ):
            return item.review_status
        return status

    def place(self, annotation: Annotation, placement: Placement, item) -> None:
        passage = item.passage
        if placement.outcome == Outcome.ORPHANED:
            annotation.paragraph = None
            annotation.anchor_status = AnchorStatus.ORPHANED
            annotation.start, annotation.end = 0, len(passage.exact)
            annotation.exact = passage.exact
            annotation.prefix = passage.prefix[-CONTEXT_LENGTH:]
            annotation.suffix = passage.suffix[:CONTEXT_LENGTH]
            self.report.orphaned += 1
            self.report.notes.append(
                f"{item.key}: its quote “{passage.exact[:60]}” is nowhere in the article; "
                "imported as an orphan, waiting to be placed."
            )
            return
        annotation.set_passage(placement.paragraph_id, placement.anchor)
        if placement.outcome == Outcome.FUZZY:
            annotation.anchor_status = AnchorStatus.FUZZY
            annotation.previous_exact = passage.exact
            self.report.fuzzy += 1
        else:
            annotation.anchor_status = AnchorStatus.ANCHORED
            self.report.exact += 1

    # -- writing
    def write(self, built: list[tuple[Annotation, list[int], list, IncomingAnnotation]]) -> None:
        annotations = Annotation.objects.bulk_create([row[0] for row in built])
        region_links, tag_links = [], []
        for annotation, (_, region_ids, tags, item) in zip(annotations, built, strict=True):
            region_links.extend(
                Annotation.regions.through(annotation_id=annotation.pk, region_id=region_id)
                for region_id in dict.fromkeys(region_ids)
            )
            tag_links.extend(
                TaggedAnnotation(content_object_id=annotation.pk, tag_id=tag.pk)
                for tag in {tag.pk: tag for tag in tags}.values()
            )
            if item.passage.target_id:
                self.by_target[item.passage.target_id] = annotation.pk
            self.report.annotation_ids.append(annotation.pk)
        Annotation.regions.through.objects.bulk_create(region_links)
        TaggedAnnotation.objects.bulk_create(tag_links)
        if self.record_versions:
            for annotation in annotations:
                reversion.add_to_revision(annotation)

    def link(self, incoming_link) -> None:
        end_ids = [self.by_target.get(end) for end in incoming_link.ends]
        if None in end_ids:
            self.report.skipped.append(
                f"{incoming_link.key}: a link whose passages are not both in the file."
            )
            return
        rows = Annotation.objects.in_bulk(end_ids)
        ends = [rows[pk] for pk in end_ids]
        author = self.author_for(incoming_link.creator)
        team, visibility = self.audience(incoming_link, author)
        try:
            crossreference_create(
                author=author,
                from_annotation=ends[0],
                to_annotation=ends[1],
                relation=incoming_link.relation,
                note=incoming_link.note,
                team=team,
                visibility=visibility,
            )
        except ValidationError as error:
            raise ImportRefusedError(f"{incoming_link.key}: {' '.join(error.messages)}") from None
        self.report.links += 1


def annotations_import(
    incoming: Incoming,
    *,
    user,
    team: Team | None = None,
    visibility: str = "",
    keep_authors: bool = False,
) -> ImportReport:
    """Import what a file holds (see the module's docstring). ``visibility`` (with
    ``team`` for shared work): for every annotation, instead of what the file says."""
    if not user.is_authenticated:
        raise ImportRefusedError("Sign in to import annotations.")
    if visibility:
        try:
            check_team_and_visibility(
                author=user, team=team, visibility=visibility, roles=team_roles(user)
            )
        except ValidationError as error:
            raise ImportRefusedError(" ".join(error.messages)) from None
    # One list for what the reader and the importer leave out, in the file's order (a
    # file read as it is imported says what it leaves out on the way).
    report = ImportReport(skipped=incoming.skipped)
    importer = _Importer(
        user=user, team=team, visibility=visibility, keep_authors=keep_authors, report=report
    )
    with transaction.atomic(), recorded(user, "imported annotations"):
        # Whether there are more than HISTORY_LIMIT, without reading them all first.
        items = iter(incoming.annotations)
        first = list(itertools.islice(items, HISTORY_LIMIT + 1))
        importer.record_versions = len(first) <= HISTORY_LIMIT
        batch = []
        for item in itertools.chain(first, items):
            built = importer.build(item)
            if built is not None:
                batch.append((*built, item))
            if len(batch) == BATCH:
                importer.write(batch)
                batch = []
        if batch:
            importer.write(batch)
        for incoming_link in incoming.links:
            importer.link(incoming_link)
    return report


def team_from_iri(iri: str) -> Team | None:
    """The team a team page's address names (``…/teams/<slug>/``), if it exists."""
    match = _TEAM_PATH.search(urlsplit(iri).path)
    return Team.objects.filter(slug=match[1]).first() if match else None


@dataclass(frozen=True, slots=True)
class PlacedPassage:
    paragraph: Paragraph
    anchor: Anchor

    def as_fields(self) -> dict:
        """The passage as the annotation services take it (creating, re-attaching)."""
        anchor = self.anchor
        return {
            "paragraph": self.paragraph,
            "exact": anchor.exact,
            "start": anchor.start,
            "end": anchor.end,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
        }


def passage_for(passage: IncomingPassage, *, user) -> PlacedPassage:
    """Where a passage sent to the API is, exactly (its words, by position or context):
    an annotation made through the API is never placed fuzzily nor orphaned; a quote
    that matches nothing is refused."""
    articles = _Articles(user)
    article = articles.article_for(passage)
    if article is None:
        raise ImportRefusedError(
            f"No article you may see is {passage.source!r} or holds the quote."
        )
    article_text, offsets = articles.text_of(article.pk)
    placement = _placement(passage, article_text, offsets)
    if placement.outcome not in (Outcome.KEPT, Outcome.MOVED):
        raise ImportRefusedError(f"The quote “{passage.exact[:80]}” is not in “{article}”.")
    return PlacedPassage(
        paragraph=Paragraph.objects.get(pk=placement.paragraph_id), anchor=placement.anchor
    )
