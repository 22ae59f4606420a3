"""Text for a terminal: what a terminal would act on is shown, not sent."""

from __future__ import annotations

import unicodedata

# Control characters (C0, DEL, C1), line and paragraph separators and bidirectional
# controls, shown as escapes: a terminal would act on them, a newline would forge a
# table row, and a bidirectional override would reorder what follows it.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_INVISIBLE = {
    **{c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))},
    **{c: f"\\u{c:04x}" for c in (*_BIDI, 0x2028, 0x2029)},
    0x0A: "\\n",
    0x09: "\\t",
    0x0D: "\\r",
}


def visible(text: object) -> str:
    """`text` for a terminal: every control character shown as an escape."""
    return str(text).translate(_INVISIBLE)


# JSON already escapes C0 controls; these pass through `json.dumps` as they are.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), *_BIDI, 0x2028, 0x2029)}


def terminal_json(text: str) -> str:
    r"""JSON text with the characters a terminal acts on written as \u escapes.

    Outside strings JSON text is plain ASCII, so this only changes how strings are
    spelled, never what they hold.
    """
    return text.translate(_JSON_ESCAPES)


def width(text: str) -> int:
    """Columns `text` takes on a terminal: two for a wide (East Asian) character."""
    if text.isascii():
        return len(text)  # every ASCII character takes one column
    columns = 0
    for char in text:
        if unicodedata.combining(char):
            continue  # drawn over the character before it
        columns += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return columns


def ljust(text: str, columns: int) -> str:
    """`text` padded on the right to `columns` terminal columns."""
    return text + " " * (columns - width(text))


def rjust(text: str, columns: int) -> str:
    """`text` padded on the left to `columns` terminal columns."""
    return " " * (columns - width(text)) + text
