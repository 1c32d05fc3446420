"""What Crossread's admin pages do with odd input, so that they answer instead of
failing (the parameter fuzzer found it; long searches and NUL characters are bounded
for every admin page by config.middleware); and inputs that read better than raw JSON."""

import json

from django import forms
from django.core.exceptions import ValidationError


class BoundedInputsAdmin:
    """A mixin for ModelAdmin classes."""

    def get_object(self, request, object_id, from_field=None):
        # "?_to_field=" (empty) names no field: look the object up by its id.
        return super().get_object(request, object_id, from_field or None)


class LinesField(forms.Field):
    """A list of short texts (a JSON list in the model) edited one a line: blank lines
    dropped, spaces collapsed, each line and the number of lines bounded."""

    def __init__(self, *, item: str, max_length: int, max_lines: int, rows: int = 4, **kwargs):
        self.item, self.max_length, self.max_lines = item, max_length, max_lines
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows, "cols": 80}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(line) for line in value)
        return value or ""

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(line) for line in value]
        return [" ".join(line.split()) for line in (value or "").splitlines() if line.strip()]

    def clean(self, value) -> list[str]:
        if isinstance(value, str) and _is_json_list(value):
            raise ValidationError(
                f"This looks like JSON: write one {self.item} a line instead, without "
                "quotes or brackets.",
                code="json",
            )
        return super().clean(value)

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.max_lines:
            raise ValidationError(
                f"At most {self.max_lines} lines, one {self.item} a line ({len(value)} given).",
                code="max_lines",
            )
        errors = [
            ValidationError(
                f"The line starting “{line[:40]}” has {len(line)} characters: a {self.item} "
                f"has at most {self.max_length}.",
                code="max_length",
            )
            for line in value
            if len(line) > self.max_length
        ]
        if errors:
            raise ValidationError(errors)


def _is_json_list(text: str) -> bool:
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return False
    try:
        return isinstance(json.loads(text), list)
    except ValueError:
        return False
