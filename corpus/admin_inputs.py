"""What Crossread's admin pages do with odd input, so that they answer instead of
failing (the parameter fuzzer found it; long searches and NUL characters are bounded
for every admin page by config.middleware)."""


class BoundedInputsAdmin:
    """A mixin for ModelAdmin classes."""

    def get_object(self, request, object_id, from_field=None):
        # "?_to_field=" (empty) names no field: look the object up by its id.
        return super().get_object(request, object_id, from_field or None)
