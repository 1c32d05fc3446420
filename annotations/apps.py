from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self):
        # Annotations follow the text they are anchored to (corpus.signals).
        # What the history keeps (annotations.history).
        from annotations.history import register_models
        from annotations.services import anchoring  # noqa: F401

        register_models()
