"""The reader: the corpus and its articles, with the annotations the viewer may see.

These pages are where the corpus and the annotations meet, so they live here (the
corpus knows nothing of annotations); their URL names stay in the ``corpus``
namespace (see config/urls.py), since what they address is the corpus.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import ListView

from annotations.forms import AnnotationCreateForm, PassageForm
from annotations.highlight import highlight
from annotations.models import WRITING_ROLES
from annotations.rendering import render_cards
from annotations.selectors import (
    CARDS_PER_PAGE,
    article_annotations,
    linked_articles,
    user_memberships,
    with_visible_annotation_counts,
)
from corpus.models import TEXT_KINDS, Article, ArticleKind
from corpus.rendering import paragraphs_html
from corpus.selectors import Block, article_for_reading, article_list_facets, reading_layout
from corpus.services.sharing import may_change_sharing


class ArticleListView(ListView):
    """The corpus: every article, filtered by outlet, kind and keyword, 25 to a page."""

    template_name = "corpus/article_list.html"
    context_object_name = "articles"
    paginate_by = 25

    def get_queryset(self):
        self.filters = {
            key: self.request.GET.get(key, "").strip() for key in ("outlet", "kind", "tag")
        }
        for key, value in self.filters.items():
            if len(value) > 200 or "\x00" in value:
                raise BadRequest(f"The {key} filter cannot be that value.")
        if self.filters["kind"] and self.filters["kind"] not in ArticleKind.values:
            choices = ", ".join(ArticleKind.values)
            raise BadRequest(f"Unknown kind {self.filters['kind']!r}: choose one of {choices}.")
        return with_visible_annotation_counts(
            Article.objects.visible_to(self.request.user).filtered(**self.filters).for_list(),
            self.request.user,
        )

    def paginate_queryset(self, queryset, page_size):
        page = self.request.GET.get("page", "")
        if page and not (page.isascii() and page.isdigit() and len(page) <= 9):
            raise BadRequest(f"There is no page {page[:20]!r} of articles.")
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["facets"] = article_list_facets(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The reader: the article's text with the annotations the viewer may see."""
    return render_reader(request, slug=slug)


def render_reader(
    request: HttpRequest,
    *,
    slug: str,
    form: AnnotationCreateForm | None = None,
    status: int = 200,
    suggestions=None,
    reattach=None,
    reattach_form: PassageForm | None = None,
    open_form: bool | None = None,
    link_from: int | None = None,
) -> HttpResponse:
    """The article page. A form that failed (or asked for suggestions) is shown open
    in the panel with its errors, over the article's text; ``reattach`` puts the panel
    in re-attach mode for that annotation."""
    article, paragraphs = article_for_reading(slug=slug, user=request.user)
    memberships = user_memberships(request.user)
    annotations = article_annotations(
        request.user,
        article,
        {paragraph.pk: paragraph.position for paragraph in paragraphs},
        request.GET,
        memberships,
    )
    spans = annotations.spans

    def inner(paragraph) -> str:
        found = spans.get(paragraph.pk)
        return highlight(paragraph.html, found) if found else paragraph.html

    layout = reading_layout(paragraphs)
    if form is None and request.user.is_authenticated and reattach is None:
        form = AnnotationCreateForm(
            paragraphs=[p for p in paragraphs if p.kind in TEXT_KINDS],
            teams=[team for team in memberships.values() if team.role in WRITING_ROLES],
        )
    filters = annotations.filters
    return render(
        request,
        "corpus/article_detail.html",
        {
            "article": article,
            "layout": layout,
            "text_html": paragraphs_html(layout.blocks, inner),
            "comments_html": paragraphs_html([Block("comments", layout.comments)], inner),
            "boilerplate_html": paragraphs_html([Block("boilerplate", layout.boilerplate)], inner),
            "paragraph_count": len(paragraphs),
            "panel": annotations,
            "panel_query": urlencode(filters.active),
            "cards_per_page": CARDS_PER_PAGE,
            "cards_html": render_cards(annotations.cards, filters=filters),
            "orphans_html": render_cards(annotations.orphans, filters=filters),
            "form": form,
            "form_open": open_form if open_form is not None else bool(form and form.is_bound),
            "suggestions": suggestions,
            "region_options": form.region_options(suggestions.regions if suggestions else [])
            if form is not None
            else [],
            "reattach": reattach,
            "may_share": may_change_sharing(
                request.user,
                article,
                {team_id: team.role for team_id, team in memberships.items()},
            ),
            "reattach_form": reattach_form,
            "linked_articles": linked_articles(request.user, article.pk),
            # Annotating a passage to link it from another: the form says so, and
            # saving leads back to the "Link to…" page with the new passage offered.
            "link_from": link_from,
        },
        status=status,
    )
