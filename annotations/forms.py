"""Forms of the annotation pages. They parse and check input; services write."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from annotations.filters import MAX_ID
from annotations.models import Region, Relation, Role, SourceKind, Stance, Team, Visibility
from annotations.services.vocabularies import TAGS_PER_ANNOTATION, check_tag_names, parse_tag_names
from annotations.widgets import PlainHidden, PlainInput, PlainRadios, PlainSelect, PlainTextarea


def is_id(value) -> bool:
    """Whether a submitted value can be a database id: ASCII digits that fit 64 bits
    ("²" passes str.isdigit() but not int(); 19 digits overflow SQLite)."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


class IdsField(forms.ModelMultipleChoiceField):
    """Choices by id, refusing what cannot be an id before asking the database."""

    def _check_values(self, value):
        for pk in value:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


class TagNamesField(forms.CharField):
    """Tags as typed, separated by commas: "dual containment, Iran" is two tags."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10_000)
        kwargs.setdefault("widget", PlainInput)
        kwargs.setdefault("help_text", f"Separated by commas; at most {TAGS_PER_ANNOTATION} tags.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(tag, "name", str(tag)) for tag in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        try:
            return check_tag_names(parse_tag_names(text or ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["tags"]) from None


def resolve_region_names(text: str) -> list[Region]:
    """Regions named in a comma- or semicolon-separated list, by name or alias."""
    names = [name.strip() for name in re.split(r"[;,\n]", text) if name.strip()]
    if not names:
        return []
    regions = list(Region.objects.only("id", "name", "aliases"))
    # A region's own name wins over another's alias ("Damascus" is the city; Syria's
    # alias "Damascus" stands for its government in running text, not in this list).
    index: dict[str, Region] = {region.name.casefold(): region for region in reversed(regions)}
    for region in regions:
        for alias in region.aliases:
            index.setdefault(alias.casefold(), region)
    found, unknown = [], []
    for name in names:
        region = index.get(name.casefold())
        if region is None:
            unknown.append(name)
        elif region not in found:
            found.append(region)
    if unknown:
        listed = ", ".join(f"“{name}”" for name in unknown)
        raise forms.ValidationError(
            f"Unknown region {listed}: pick regions from the gazetteer (type to search), "
            "or ask a curator to add one."
        )
    return found


class AnnotationBodyForm(forms.Form):
    """What an annotation says: the fields shared by creating and editing."""

    claim = forms.CharField(
        required=False,
        max_length=2000,
        widget=PlainTextarea(attrs={"rows": 2}),
        help_text="The claim, in your words.",
    )
    stance = forms.ChoiceField(
        required=False,
        choices=[*Stance.choices, ("", "None")],
        widget=PlainRadios(label_class="stance-choice"),
        help_text="Optional: choose none for a passage you only tag or highlight.",
        error_messages={
            "invalid_choice": "Unknown stance %(value)s: choose supports, opposes, neutral, "
            "mixed or none.",
        },
    )
    stance_target = forms.CharField(
        required=False,
        max_length=300,
        label="Toward",
        help_text="Toward what or whom (optional).",
        widget=PlainInput,
    )
    source_name = forms.CharField(
        required=False,
        max_length=300,
        label="Source cited",
        help_text="Who the passage cites. A new name creates a source.",
    )
    source_kind = forms.ChoiceField(
        choices=SourceKind.choices,
        widget=PlainSelect,
        required=False,
        initial=SourceKind.OTHER,
        label="Kind of a new source",
    )
    regions = IdsField(
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Unknown region %(value)s.",
            "invalid_pk_value": "Unknown region %(pk)s.",
        },
    )
    region_names = forms.CharField(
        required=False,
        max_length=2000,
        label="Regions by name",
        help_text="Names separated by commas, e.g. Syria, Idlib.",
    )
    note = forms.CharField(
        required=False,
        max_length=20000,
        widget=PlainTextarea(attrs={"rows": 3}),
        help_text="Markdown.",
    )
    tags = TagNamesField(required=False)
    team = forms.ChoiceField(required=False, choices=(), widget=PlainSelect)
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=PlainRadios(label_class="visibility-choice"),
        error_messages={"invalid_choice": "Unknown visibility %(value)s."},
    )

    def __init__(self, *args, teams: list[Team] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.fields["team"].choices = [("", "No team (private only)")] + [
            (str(team.pk), team.name) for team in teams
        ]
        if teams and not self.is_bound and "team" not in self.initial:
            # Team and public annotations need a team: offer the first one, so that
            # choosing "Team" or "Public" works without a second step.
            self.initial["team"] = str(teams[0].pk)
        self.fields["team"].error_messages["invalid_choice"] = (
            "You cannot annotate for that team: you are not one of its writers."
        )

    def clean_region_names(self):
        return resolve_region_names(self.cleaned_data["region_names"])

    def clean_team(self):
        return self.teams.get(self.cleaned_data["team"]) if self.cleaned_data["team"] else None

    def region_options(self, suggested: list[dict] = ()) -> list[dict]:
        """The region checkboxes to show: those chosen so far, then the suggested ones.
        (Never the whole gazetteer: type-ahead or region names add others.)"""
        if self.is_bound:
            chosen = [value for value in self.data.getlist("regions") if is_id(value)]
        else:
            chosen = [
                str(getattr(region, "pk", region)) for region in self.initial.get("regions", [])
            ]
        names = (
            dict(Region.objects.filter(pk__in=chosen).values_list("pk", "name")) if chosen else {}
        )
        options = [
            {"id": int(pk), "name": names[int(pk)], "checked": True}
            for pk in chosen
            if int(pk) in names
        ]
        seen = {option["id"] for option in options}
        for region in suggested:
            if region["id"] not in seen:
                options.append(
                    {
                        "id": region["id"],
                        "name": region["name"],
                        "checked": False,
                        "suggested": True,
                    }
                )
                seen.add(region["id"])
        return options

    def body(self) -> dict:
        """The cleaned bodies, as the annotation services take them."""
        data = self.cleaned_data
        return {
            "claim": data["claim"],
            "stance": data["stance"],
            "stance_target": data["stance_target"],
            "source_name": data["source_name"],
            "source_kind": data["source_kind"] or SourceKind.OTHER,
            "regions": self.all_regions(),
            "note": data["note"],
            "tags": data["tags"],
            "team": data["team"],
            "visibility": data["visibility"],
        }

    def all_regions(self) -> list[Region]:
        regions = list(self.cleaned_data.get("regions") or [])
        for region in self.cleaned_data.get("region_names") or []:
            if region not in regions:
                regions.append(region)
        return regions


class AnnotationEditForm(AnnotationBodyForm):
    version = forms.IntegerField(widget=PlainHidden, min_value=1, max_value=MAX_ID)


_OFFSET_ERRORS = {
    "min_value": "The offsets are outside the paragraph.",
    "max_value": "The offsets are outside the paragraph.",
    "invalid": "An offset is a whole number of characters.",
}


class PassageForm(forms.Form):
    """A passage of an article: the paragraph, the quote, and (from a selection) its
    offsets and context. Shared by the forms that point an annotation at text."""

    paragraph = forms.TypedChoiceField(
        coerce=int,
        choices=(),
        widget=PlainSelect,
        error_messages={
            "required": "Choose the paragraph the passage is in.",
            "invalid_choice": "That paragraph is not part of this article.",
        },
    )
    exact = forms.CharField(
        label="Quote",
        max_length=20000,
        widget=PlainTextarea(attrs={"rows": 3}),
        error_messages={"required": "The quote is empty: select or paste the passage."},
    )
    start = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ID,
        widget=PlainHidden,
        error_messages=_OFFSET_ERRORS,
    )
    end = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ID,
        widget=PlainHidden,
        error_messages=_OFFSET_ERRORS,
    )
    prefix = forms.CharField(required=False, strip=False, max_length=64, widget=PlainHidden)
    suffix = forms.CharField(required=False, strip=False, max_length=64, widget=PlainHidden)

    def __init__(self, *args, paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.paragraphs = {paragraph.pk: paragraph for paragraph in paragraphs}
        self.fields["paragraph"].choices = [("", "Choose a paragraph")] + [
            (paragraph.pk, paragraph_label(paragraph)) for paragraph in paragraphs
        ]

    def clean_paragraph(self):
        return self.paragraphs[self.cleaned_data["paragraph"]]

    def target(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key] for key in ("paragraph", "exact", "start", "end", "prefix", "suffix")
        }


class AnnotationCreateForm(PassageForm, AnnotationBodyForm):
    """A new annotation: the passage (paragraph, quote, offsets, context) and its bodies."""

    field_order = ["paragraph", "exact", "start", "end", "prefix", "suffix"]

    draft = forms.BooleanField(
        required=False,
        label="Keep it as a draft",
        help_text="In a team that reviews its annotations: not yet submitted for review.",
    )


class ReattachForm(PassageForm):
    version = forms.IntegerField(widget=PlainHidden, min_value=1, max_value=MAX_ID)


def paragraph_label(paragraph) -> str:
    text = paragraph.text if len(paragraph.text) <= 70 else paragraph.text[:69].rstrip() + "…"
    return f"¶ {paragraph.position} · {text}"


class TeamCreateForm(forms.Form):
    name = forms.CharField(max_length=200)


class MembershipAddForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ANNOTATOR)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class LinkForm(forms.Form):
    """A cross-reference from one passage: to which passage (an annotation, ``a:<id>``,
    or a whole paragraph not yet annotated, ``p:<id>``), how they relate, and who
    sees the link."""

    target = forms.RegexField(
        regex=r"^[ap]:[1-9][0-9]{0,17}$",
        error_messages={
            "required": "Choose the passage to link to.",
            "invalid": "Choose the passage to link to from the list.",
        },
    )
    relation = forms.ChoiceField(
        choices=Relation.choices,
        initial=Relation.REPEATS,
        help_text="Read as: this passage … the other one.",
        error_messages={"invalid_choice": "Unknown relation %(value)s."},
    )
    note = forms.CharField(required=False, max_length=5000, widget=PlainTextarea(attrs={"rows": 2}))
    team = forms.ChoiceField(required=False, choices=(), widget=PlainSelect)
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=PlainRadios(label_class="visibility-choice"),
        error_messages={"invalid_choice": "Unknown visibility %(value)s."},
    )

    def __init__(self, *args, teams: list[Team] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.fields["team"].choices = [("", "No team (private only)")] + [
            (str(team.pk), team.name) for team in teams
        ]
        self.fields["team"].error_messages["invalid_choice"] = (
            "You cannot link for that team: you are not one of its writers."
        )

    def clean_team(self):
        return self.teams.get(self.cleaned_data["team"]) if self.cleaned_data["team"] else None

    @property
    def target_kind(self) -> str:
        return {"a": "annotation", "p": "paragraph"}[self.cleaned_data["target"][0]]

    @property
    def target_id(self) -> int:
        return int(self.cleaned_data["target"][2:])


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What the token is for, e.g. “analysis notebook”.",
        widget=PlainInput(attrs={"autocomplete": "off"}),
    )


AS_THE_FILE_SAYS = ""


class AnnotationImportForm(forms.Form):
    """A file of annotations, and for whom they are (or as the file says)."""

    file = forms.FileField(
        label="File",
        help_text="W3C Web Annotations (JSON-LD: as Crossread exports them) or a Hypothesis "
        "JSON export.",
    )
    visibility = forms.ChoiceField(
        label="Who sees them",
        required=False,
        choices=[(AS_THE_FILE_SAYS, "As the file says (else only me)"), *Visibility.choices],
        widget=PlainSelect,
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Team",
        empty_label="No team",
        widget=PlainSelect,
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[team.pk for team in teams])

    def clean(self):
        data = super().clean()
        visibility, team = data.get("visibility"), data.get("team")
        if visibility in (Visibility.TEAM, Visibility.PUBLIC) and team is None:
            self.add_error("team", "Team and public annotations belong to a team: choose one.")
        if team is not None and visibility in (AS_THE_FILE_SAYS, None):
            self.add_error("visibility", "Say who sees them in the team: the team, or everyone.")
        return data
