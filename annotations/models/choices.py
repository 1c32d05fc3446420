"""The named values of the annotation models: roles, stances, visibilities, anchor states."""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


# Roles that may write annotations for a team, and roles that may edit or delete
# any of the team's shared annotations.
WRITING_ROLES = frozenset({Role.OWNER, Role.EDITOR, Role.ANNOTATOR})
CURATING_ROLES = frozenset({Role.OWNER, Role.EDITOR})


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    OPPOSES = "opposes", "Opposes"
    NEUTRAL = "neutral", "Neutral"
    MIXED = "mixed", "Mixed"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private: only me"
    TEAM = "team", "Team: the team's members"
    PUBLIC = "public", "Public: everyone"


class AnchorStatus(models.TextChoices):
    """Where an annotation stands after its article's text changed."""

    ANCHORED = "anchored", "Anchored"  # its quote is at its offsets
    FUZZY = "fuzzy", "Placed fuzzily"  # on reworded text; the old quote is kept
    ORPHANED = "orphaned", "Could not be placed"  # kept with its old quote, no position


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "News outlet"
    THINK_TANK = "think_tank", "Think tank"
    GOVERNMENT = "government", "Government or official body"
    ACADEMIC = "academic", "Academic work"
    OFFICIAL = "official", "Named official"
    ANONYMOUS = "anonymous", "Anonymous source"
    OTHER = "other", "Other"


class RegionKind(models.TextChoices):
    SUPRANATIONAL = "supranational", "Supranational region"
    COUNTRY = "country", "Country"
    SUBDIVISION = "subdivision", "Subdivision"
    PLACE = "place", "City or place"
