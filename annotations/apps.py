from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self):
        # Annotations follow the text they are anchored to (corpus.signals).
        from annotations.services import anchoring  # noqa: F401
