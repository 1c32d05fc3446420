"""The filters of every page that lists annotations, parsed and checked in one place.

A value that cannot be a filter (an unknown stance, a region that is not a number,
an id past 64 bits, a NUL byte, a value of a hundred thousand characters) is a 400
with the reason, never a server error or a silently empty page.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django import forms
from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.http import QueryDict

from annotations.models import NO_STANCE, NO_STANCE_FILTER, Stance

MAX_ID = 2**63 - 1  # the largest id the databases store


def _id_field(what: str) -> forms.IntegerField:
    message = f"The {what} filter takes the number of a {what}."
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _slug_field(what: str) -> forms.SlugField:
    message = f"The {what} filter takes the short name (slug) of a {what}."
    return forms.SlugField(
        required=False,
        max_length=100,
        allow_unicode=True,
        error_messages={"invalid": message, "max_length": message},
    )


class AnnotationFilterForm(forms.Form):
    article = _slug_field("article")
    stance = forms.ChoiceField(
        required=False,
        choices=[("", "All"), *Stance.choices, (NO_STANCE_FILTER, "No stance")],
        error_messages={
            "invalid_choice": f"Unknown stance: choose one of {', '.join(Stance.values)} "
            f"or {NO_STANCE_FILTER}."
        },
    )
    team = _slug_field("team")
    region = _id_field("region")
    source = _id_field("source")
    tag = _slug_field("tag")
    author = forms.CharField(
        required=False,
        max_length=150,
        error_messages={"max_length": "The author filter takes a user name."},
    )


@dataclass(frozen=True, slots=True)
class AnnotationFilters:
    """What the viewer asked to see. Empty values are inactive."""

    stance: str = ""
    article: str = ""  # an article's slug
    team: str = ""  # a team's slug
    region: int | None = None
    source: int | None = None
    tag: str = ""  # a tag's slug
    author: str = ""  # a user name

    KEYS = ("article", "stance", "team", "region", "source", "tag", "author")

    @classmethod
    def from_query(cls, params: QueryDict) -> AnnotationFilters:
        """The filters in a query string, or BadRequest saying what is wrong."""
        form = AnnotationFilterForm({key: params.get(key, "") for key in cls.KEYS if key in params})
        if not form.is_valid():
            raise BadRequest(_reasons(form))
        return cls(**{key: value for key, value in form.cleaned_data.items() if value})

    @property
    def active(self) -> dict[str, str]:
        """The active filters as query-string values, in a fixed order."""
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value not in ("", None):
                values[field.name] = str(value)
        return values

    def __bool__(self) -> bool:
        return bool(self.active)

    def without(self, key: str) -> AnnotationFilters:
        return replace(self, **{key: None if key in ("region", "source") else ""})

    def apply(self, annotations: QuerySet) -> QuerySet:
        """Narrow a queryset of annotations (already through ``visible_to``)."""
        if self.stance:
            stance = NO_STANCE if self.stance == NO_STANCE_FILTER else self.stance
            annotations = annotations.filter(stance=stance)
        if self.article:
            annotations = annotations.filter(article__slug=self.article)
        if self.team:
            annotations = annotations.filter(team__slug=self.team)
        if self.region is not None:
            # The region or any place within it: a claim about Idlib is about Syria.
            annotations = annotations.filter(regions__ancestry__ancestor_id=self.region)
        if self.source is not None:
            annotations = annotations.filter(source_id=self.source)
        if self.tag:
            annotations = annotations.filter(tags__slug=self.tag)
        if self.author:
            annotations = annotations.filter(author__username=self.author)
        if self.region is not None or self.tag:
            annotations = annotations.distinct()  # a tag's slug may stand for several rows
        return annotations


def _reasons(form: forms.Form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def page_number(params: QueryDict, key: str, *, pages: int) -> int:
    """The page asked for (1 when none is), or BadRequest when there is no such page."""
    value = params.get(key, "")
    if value == "":
        return 1
    if (
        not (value.isascii() and value.isdigit() and len(value) <= 9)
        or not 1 <= int(value) <= pages
    ):
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise BadRequest(
            f"There is no page {shown!r} here (there {'is' if pages == 1 else 'are'} {pages})."
        )
    return int(value)
