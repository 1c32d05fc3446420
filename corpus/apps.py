from django.apps import AppConfig
from django.db.models.signals import post_delete

from corpus import generations


class CorpusConfig(AppConfig):
    name = "corpus"
    verbose_name = "Corpus"

    def ready(self) -> None:
        import reversion

        from corpus import checks  # noqa: F401 - registers them
        from corpus.models import Article, Paragraph

        # Kept in the history with every change (annotations.history records them).
        reversion.register(Article, exclude=("raw_text",))
        reversion.register(Paragraph)
        # A deleted article takes its text out of what reads the whole corpus.
        post_delete.connect(_article_deleted, sender=Article, dispatch_uid="corpus-article-deleted")


def _article_deleted(**kwargs) -> None:
    generations.advance_on_commit(generations.CORPUS_TEXT)
