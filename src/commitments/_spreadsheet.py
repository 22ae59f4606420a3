"""CSV that is safe to open in a spreadsheet: every cell of every writer goes through `cell`."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import IO

# Spreadsheets run cells starting with these as formulas; a leading quote disarms them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?")


def disarm_formula(value: str) -> str:
    """`value`, with a leading `'` when a spreadsheet would run it as a formula.

    A signed number ("-1", "-0.3333", "-1/3") is left alone: it is read as a number.
    """
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def cell(value: object) -> str:
    """One CSV cell: empty for None, `true`/`false` for booleans, text disarmed."""
    if type(value) is str and not value.startswith(_FORMULA_START):
        return value  # the common case, checked first
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return disarm_formula(str(value))


class SafeCsv:
    """A CSV writer whose every cell goes through `cell` (one guard for every writer)."""

    __slots__ = ("_stream", "_writer")

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._writer = csv.writer(stream, lineterminator="\n")

    def row(self, values: Iterable[object]) -> None:
        """Write one row."""
        cells = [cell(v) for v in values]
        if "\r" in "".join(cells):
            self._write_quoting_returns(cells)
        else:
            self._writer.writerow(cells)

    def rows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write many rows."""
        for values in rows:
            self.row(values)

    def _write_quoting_returns(self, cells: list[str]) -> None:
        # The writer quotes a cell holding a character of its line ending, and ours is
        # "\n": a bare "\r" would go out unquoted, and readers end the row there. So
        # such a row is written with "\r\n" endings (which quote it), then ends in "\n".
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(cells)
        self._stream.write(buffer.getvalue()[:-2] + "\n")
