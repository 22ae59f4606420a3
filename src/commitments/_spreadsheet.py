"""Text cells that are safe to open in a spreadsheet."""

from __future__ import annotations

# Spreadsheets run cells starting with these as formulas; a leading quote disarms them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def disarm_formula(value: str) -> str:
    """`value`, with a leading `'` when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value
