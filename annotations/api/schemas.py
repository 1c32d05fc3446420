"""The API's documents as the OpenAPI schema describes them. W3C annotations are open
documents (other tools add their own terms), so the schemas name what Crossread
reads and writes and allow the rest; ``annotations.webannotation.reading`` checks the
shape of what comes in."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class Error(Schema):
    error: str = Field(description="What is wrong, for a person to read.")


class Agent(Schema):
    model_config = ConfigDict(extra="allow")
    type: str
    nickname: str | None = None
    name: str | None = None


class Annotation(Schema):
    """A W3C Web Annotation as Crossread writes it (see annotations/webannotation)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    context: str | list[Any] | None = Field(None, alias="@context")
    id: str
    type: str
    motivation: str
    created: str
    modified: str
    creator: Agent
    body: list[dict[str, Any]] | None = None
    target: dict[str, Any] | list[dict[str, Any]]
    audience: list[dict[str, Any]] | None = None


class AnnotationIn(Schema):
    """An annotation to create or replace: a target with a TextQuoteSelector on an
    article (its page's address), and bodies by purpose."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    context: Any = Field(None, alias="@context")
    type: str | list[str] = "Annotation"
    motivation: str | list[str] | None = None
    body: Any = None
    bodyValue: str | None = None
    target: Any
    audience: Any = None


class Page(Schema):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    context: str | list[Any] | None = Field(None, alias="@context")
    id: str
    type: str
    partOf: dict[str, Any] | str
    startIndex: int
    next: str | None = None
    prev: str | None = None
    items: list[dict[str, Any] | str]


class Container(Schema):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    context: str | list[Any] | None = Field(None, alias="@context")
    id: str
    type: list[str]
    label: str
    total: int
    first: dict[str, Any] | str | None = None
    last: str | None = None
