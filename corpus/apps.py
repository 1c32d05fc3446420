from django.apps import AppConfig


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
