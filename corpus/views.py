"""The corpus's one page of its own: an article as plain text (what W3C positions count in)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from corpus.models import Article
from corpus.plain_text import article_plain_text


@require_GET
def article_text(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return HttpResponse(article_plain_text(article), content_type="text/plain; charset=utf-8")
