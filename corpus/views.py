from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import ListView

from corpus.models import Article, ArticleKind
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
        return Article.objects.filtered(**self.filters).for_list()

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


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article, paragraphs = article_for_reading(slug=slug)
    return render(
        request,
        "corpus/article_detail.html",
        {
            "article": article,
            "layout": reading_layout(paragraphs),
            "paragraph_count": len(paragraphs),
        },
    )
