"""Tag pages: the index with counts, a tag's passages across articles, and renaming
or merging a tag."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from annotations import services
from annotations.browse.tags import tag_index, tag_page
from annotations.filters import AnnotationFilters
from annotations.models import TAG_MAX_LENGTH
from annotations.rendering import render_cards
from annotations.selectors import user_memberships


class TagRenameForm(forms.Form):
    name = forms.CharField(
        max_length=TAG_MAX_LENGTH,
        label="New name",
        help_text="Type another tag's name to merge this tag into it.",
    )


@require_GET
def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "annotations/tag_list.html", {"tags": tag_index(request.user)})


def _checked_slug(slug: str) -> str:
    """A tag's slug from the URL; what cannot be one is a missing tag."""
    if len(slug) > TAG_MAX_LENGTH or "\x00" in slug:
        raise Http404("No such tag.")
    return slug


def _render_tag_page(request, slug: str, form: TagRenameForm | None, status: int = 200):
    slug = _checked_slug(slug)
    page = tag_page(request.user, slug, request.GET, user_memberships(request.user))
    list_url = reverse("annotations:list")
    filters = AnnotationFilters(tag=slug)
    groups = [
        (group, render_cards(group.cards, filters=filters, show_article=True, list_url=list_url))
        for group in page.groups
    ]
    if form is None and page.editable:
        form = TagRenameForm(initial={"name": page.name})
    return render(
        request,
        "annotations/tag_detail.html",
        {
            "tag": page,
            "groups": groups,
            # A refused rename shows its reason, even to whom may rename nothing here.
            "form": form if page.editable or (form is not None and form.is_bound) else None,
        },
        status=status,
    )


@require_GET
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_tag_page(request, slug, None)


@login_required
@require_POST
def tag_rename(request: HttpRequest, slug: str) -> HttpResponse:
    """Rename the tag on the passages the user may change, or merge it into another."""
    slug = _checked_slug(slug)
    form = TagRenameForm(request.POST)
    if form.is_valid():
        try:
            result = services.tag_rename(
                editor=request.user, slug=slug, new_name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error.messages)
        else:
            verb = "Merged into" if result.merged else "Renamed to"
            messages.success(
                request,
                f"{verb} “{result.tag.name}” on {result.passages} "
                f"passage{'s' if result.passages != 1 else ''}.",
            )
            return redirect("annotations:tag-detail", slug=result.tag.slug)
    return _render_tag_page(request, slug, form, status=400)
