"""The named values of the annotation models: stances, visibilities, anchor states.
(Team roles are the corpus's, which holds teams.)"""

from django.db import models

from corpus.models import CURATING_ROLES, WRITING_ROLES, Role  # noqa: F401 - re-exported


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    OPPOSES = "opposes", "Opposes"
    NEUTRAL = "neutral", "Neutral"
    MIXED = "mixed", "Mixed"


# An annotation without a stance is a passage tagged or highlighted, with no claim
# weighed: stored as "", filtered and counted as "none".
NO_STANCE = ""
NO_STANCE_FILTER = "none"


def stance_label(stance: str, *, claim: str = "") -> str:
    """What a card calls an annotation's stance; without one, what it is instead."""
    if stance:
        return Stance(stance).label
    return "Claim, no stance" if claim else "Tagged passage"


class ReviewStatus(models.TextChoices):
    """Where an annotation stands in its team's review: annotators submit, editors and
    owners approve or reject (with a reason the annotator sees)."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


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
