# Parsers for TOML, JSON and XML do not say on which line a value sits; evidence needs one. These helpers find it
# in the text after parsing: the first line at or after the section's header that holds the name.
from __future__ import annotations


class LineFinder:
    """Locate names in a file's text, section by section.

    Args:
        text: The file's text.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def line_of(self, needle: str, start: int = 1, *, default: int | None = None) -> int:
        """1-based number of the first line at or after `start` that contains `needle`.

        Args:
            needle: Text to look for (case-sensitive).
            start: 1-based line to start from.
            default: Returned when the needle is not found (`start` when None).
        """
        for number in range(max(start, 1), len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return start if default is None else default

    def header(self, header: str) -> int:
        """Line of a TOML table header such as `[tool.poetry.dependencies]` (1 when absent)."""
        for number, line in enumerate(self.lines, start=1):
            if line.strip().replace(" ", "") == header.replace(" ", ""):
                return number
        return 1
