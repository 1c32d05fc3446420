class IdConverter:
    """A database id in a URL: digits, at most 18 of them, so that it always fits the
    databases' 64-bit integers (a longer number is a 404, not a server error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
