from urllib.parse import urlencode

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import ListView

from annotations.forms import AnnotationCreateForm
from annotations.highlight import highlight
from annotations.models import WRITING_ROLES
from annotations.rendering import render_cards
from annotations.selectors import (
    CARDS_PER_PAGE,
    annotation_panel,
    user_memberships,
    with_visible_annotation_counts,
)
from corpus.models import TEXT_KINDS, Article, ArticleKind
from corpus.selectors import article_for_reading, article_list_facets, reading_layout


class ArticleListView(ListView):
    """The corpus: every article, filtered by outlet, kind and keyword, 25 to a page."""

    template_name = "corpus/article_list.html"
    context_object_name = "articles"
    paginate_by = 25

    def get_queryset(self):
        self.filters = {
            "outlet": self.request.GET.get("outlet", "").strip(),
            "kind": self.request.GET.get("kind", "").strip(),
            "tag": self.request.GET.get("tag", "").strip(),
        }
        if self.filters["kind"] and self.filters["kind"] not in ArticleKind.values:
            choices = ", ".join(ArticleKind.values)
            raise BadRequest(f"Unknown kind {self.filters['kind']!r}: choose one of {choices}.")
        return with_visible_annotation_counts(
            Article.objects.filtered(**self.filters).for_list(), self.request.user
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["facets"] = article_list_facets()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 with the reason, when the reason is ours to give (a BadRequest we raised)."""
    reason = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 with the reason a PermissionDenied gave."""
    reason = str(exception) if type(exception) is PermissionDenied else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The reader: the article's text with the annotations the viewer may see."""
    article, paragraphs = article_for_reading(slug=slug)
    memberships = user_memberships(request.user)
    panel = annotation_panel(request.user, article, request.GET, memberships)
    for paragraph in paragraphs:
        spans = panel.spans.get(paragraph.pk)
        paragraph.display_html = highlight(paragraph.html, spans) if spans else paragraph.html
    form = None
    if request.user.is_authenticated:
        form = AnnotationCreateForm(
            paragraphs=[p for p in paragraphs if p.kind in TEXT_KINDS],
            teams=[team for team in memberships.values() if team.role in WRITING_ROLES],
        )
    return render(
        request,
        "corpus/article_detail.html",
        {
            "article": article,
            "layout": reading_layout(paragraphs),
            "paragraph_count": len(paragraphs),
            "panel": panel,
            "panel_query": urlencode({key: value for key, value in panel.filters.items() if value}),
            "cards_per_page": CARDS_PER_PAGE,
            "cards_html": render_cards(panel.cards, filters=panel.filters),
            "form": form,
        },
    )
