"""The site's URLs and the benchmark's floor: the least an article page can be."""

from django.shortcuts import get_object_or_404, render
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from corpus.models import Article


def article_floor(request, slug: str):
    article = get_object_or_404(Article, slug=slug)
    paragraphs = list(article.paragraphs.order_by("position").values_list("html", flat=True))
    return render(request, "bench/floor.html", {"article": article, "paragraphs": paragraphs})


urlpatterns = [
    path("bench/floor/<slug:slug>/", article_floor, name="bench-floor"),
    *site_urlpatterns,
]
