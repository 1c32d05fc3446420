"""An annotation's own page (the passage in context, its card and links, its review and
its history) and the review actions on it: submit, approve, reject, restore a version.
Thin views over ``annotations.history`` (reads) and the review and history services."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from annotations import services
from annotations.filters import AnnotationFilters
from annotations.history import annotation_history
from annotations.models import Annotation, ReviewStatus, may_edit, may_review
from annotations.rendering import render_cards
from annotations.selectors import load_cards, user_memberships, visible_annotation_or_404
from annotations.services.history import annotation_version_restore
from annotations.services.review import REASON_MAX_LENGTH
from annotations.views.annotations import posted_version
from corpus.models import TEXT_KINDS, Paragraph


@dataclass(frozen=True, slots=True)
class ContextParagraph:
    position: int
    html: SafeString  # escaped text; the annotation's quote in <mark> in its own paragraph
    own: bool


def _in_context(annotation: Annotation) -> list[ContextParagraph]:
    """The annotation's paragraph with the one before and after it."""
    if annotation.paragraph_id is None:
        return []
    position = annotation.paragraph.position
    rows = (
        Paragraph.objects.filter(
            article_id=annotation.article_id,
            position__range=(position - 1, position + 1),
            kind__in=TEXT_KINDS,
        )
        .order_by("position")
        .values("id", "position", "text")
    )
    shown = []
    for row in rows:
        text = row["text"]
        own = row["id"] == annotation.paragraph_id
        if own:
            start, end = annotation.start, annotation.end
            html = (
                escape(text[:start])
                + f'<mark class="hl" id="hl-{annotation.pk}">{escape(text[start:end])}</mark>'
                + escape(text[end:])
            )
        else:
            html = escape(text)
        shown.append(ContextParagraph(position=row["position"], html=mark_safe(html), own=own))  # noqa: S308 - escaped above
    return shown


def _page(request: HttpRequest, annotation: Annotation, *, status: int = 200, **extra):
    memberships = user_memberships(request.user)
    roles = {pk: team.role for pk, team in memberships.items()}
    cards = load_cards([annotation.pk], request.user, memberships)
    rules = {"team_id": annotation.team_id, "visibility": annotation.visibility, "roles": roles}
    editable = may_edit(request.user, author_id=annotation.author_id, **rules)
    reviewer = may_review(request.user, **rules)
    shared = annotation.team_id is not None and annotation.visibility != "private"
    context = {
        "annotation": annotation,
        "card_html": render_cards(cards, filters=AnnotationFilters(), show_article=True),
        "context_paragraphs": _in_context(annotation),
        "history": annotation_history(annotation),
        "editable": editable,
        "may_review": reviewer and annotation.review_status != ReviewStatus.APPROVED,
        "may_reject": reviewer and annotation.review_status != ReviewStatus.REJECTED,
        "may_submit": editable
        and shared
        and annotation.review_status in (ReviewStatus.DRAFT, ReviewStatus.REJECTED),
        "reason_max_length": REASON_MAX_LENGTH,
        **extra,
    }
    return render(request, "annotations/detail.html", context, status=status)


@require_GET
def annotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The annotation's page; 404 for one the viewer may not see."""
    return _page(request, visible_annotation_or_404(request.user, pk))


def _detail_url(annotation: Annotation) -> str:
    return reverse("annotations:detail", args=[annotation.pk])


def _act(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Run a review or history ``action`` on the annotation; a stale page is a 409, a
    refused one a 400 with the reason (403 for a viewer without the right)."""
    annotation = visible_annotation_or_404(request.user, pk)
    try:
        action(annotation)
    except services.AnnotationConflictError as conflict:
        current = visible_annotation_or_404(request.user, conflict.current.pk)
        return _page(
            request,
            current,
            status=409,
            error="It changed since you opened this page: look at it again.",
        )
    except ValidationError as error:
        return _page(request, annotation, status=400, error=" ".join(error.messages))
    messages.success(request, done)
    return redirect(_detail_url(annotation))


@login_required
@require_POST
def annotation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda annotation: services.annotation_submit(
            annotation=annotation, user=request.user, expected_version=posted_version(request)
        ),
        "Submitted for review.",
    )


@login_required
@require_POST
def annotation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda annotation: services.annotation_approve(
            annotation=annotation, user=request.user, expected_version=posted_version(request)
        ),
        "Approved.",
    )


@login_required
@require_POST
def annotation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda annotation: services.annotation_reject(
            annotation=annotation,
            user=request.user,
            expected_version=posted_version(request),
            reason=request.POST.get("reason", ""),
        ),
        "Rejected: its author sees the reason on the card.",
    )


@login_required
@require_POST
def annotation_version_restore_view(request: HttpRequest, pk: int, version_id: int):
    return _act(
        request,
        pk,
        lambda annotation: annotation_version_restore(
            annotation=annotation,
            version_id=version_id,
            user=request.user,
            expected_version=posted_version(request),
        ),
        "That version is restored; the one it replaced stays in the history.",
    )
