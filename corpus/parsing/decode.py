"""From bytes on disk to text, refusing what is not text."""

import unicodedata

# Control characters other than tab, newline, carriage return and form feed are a
# sign of a binary file when they are frequent.
_TEXT_CONTROLS = {9, 10, 12, 13}


class UnreadableFileError(Exception):
    """The file cannot be imported; the message says why, in one line."""


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > max(8, len(sample) // 100)


def decode_document(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text file.

    UTF-8 first (with or without a byte order mark); text that is not UTF-8 is
    read as Windows-1252, the usual encoding of such files; anything else is refused.
    """
    if not data.strip():
        raise UnreadableFileError("empty file")
    if _looks_binary(data):
        raise UnreadableFileError("binary file, not text")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as error:
            raise UnreadableFileError(
                f"not UTF-8 or Windows-1252 text (undecodable byte 0x{data[error.start]:02x} "
                f"at offset {error.start})"
            ) from None
    if not any(unicodedata.category(char)[0] in "LN" for char in text):
        raise UnreadableFileError("no words in the file")
    return text, encoding
