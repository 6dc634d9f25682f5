"""The one error type fdiscreen raises for bad input or bad data."""

from __future__ import annotations


#: the longest message and field path an error repeats: a value of 100 KB given as an id or a key
#: is shown by its start and end, not echoed in full
MAX_MESSAGE = 400
MAX_PATH = 200


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    keep = (limit - 20) // 2
    return f"{text[:keep]}…[{len(text) - 2 * keep:,} characters]…{text[-keep:]}"


class FdiscreenError(Exception):
    """Bad input: names the file, the field path and what was expected.

    The CLI prints ``str(error)`` on one line and exits with code 2.
    """

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None,
                 expected: str | None = None) -> None:
        self.message = _shorten(message, MAX_MESSAGE)
        self.file = file
        self.path = _shorten(path, MAX_PATH) if path is not None else None
        self.expected = _shorten(expected, MAX_MESSAGE) if expected is not None else None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.path:
            parts.append(self.path)
        head = ": ".join(parts)
        body = self.message if not self.expected else f"{self.message} (expected {self.expected})"
        text = f"{head}: {body}" if head else body
        return " ".join(text.split())

    def with_file(self, file: str) -> "FdiscreenError":
        """Return the same error naming ``file`` if it named none."""
        if self.file:
            return self
        return FdiscreenError(self.message, file=file, path=self.path, expected=self.expected)
