"""Configuration checks that Django runs before serving (``manage.py check``)."""

from django.conf import settings
from django.core.checks import Error, register

from corpus import embeddings


@register()
def similarity_method_installed(app_configs, **kwargs):
    if getattr(settings, "CROSSREAD_SIMILARITY", "tfidf") != "semantic":
        return []
    if embeddings.available():
        return []
    return [Error(embeddings.MISSING, id="corpus.E001")]
