"""JSON read strictly: a key given twice in one object is refused, never silently dropped.

The standard reader keeps the last of two equal keys, so `{"status": "fulfilled",
"status": "broken"}` would record a broken pledge without a word. Every JSON document
that enters from outside (catalogs, batch lines, commitment files) is read here.
"""

from __future__ import annotations

import json
from typing import Any

from commitments.exceptions import CatalogError


class _Repeated(Exception):  # noqa: N818 - internal signal, never escapes this module
    """Raised from inside the parser; the document is then walked to name the place."""


class _Pairs(list[tuple[str, Any]]):
    """An object kept as its key/value pairs, in order, for finding the repeated key."""

    __slots__ = ()


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    built = dict(pairs)
    if len(built) != len(pairs):
        raise _Repeated
    return built


def _member(path: str, key: str) -> str:
    # A key that is not a plain name is quoted (escaped) so that a message stays one line.
    return f"{path}.{key}" if key.isascii() and key.isidentifier() else f"{path}[{json.dumps(key)}]"


def _first_repeat(document: object) -> tuple[str, str]:
    """The JSON path of the first object (in document order) with a repeated key, and the key."""
    pending: list[tuple[str, object]] = [("$", document)]
    while pending:
        path, value = pending.pop()
        children: list[tuple[str, object]] = []
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            for key, item in value:
                if key in seen:
                    return path, key
                seen.add(key)
                children.append((_member(path, key), item))
        elif isinstance(value, list):
            children = [(f"{path}[{i}]", item) for i, item in enumerate(value)]
        pending.extend(reversed(children))
    raise AssertionError("a repeated key was reported but not found")  # pragma: no cover


def read_json(text: str | bytes, path: str = "$") -> object:
    """Parse `text`; `CatalogError` naming the place when it is not JSON or repeats a key.

    `path` names the document in messages (a file, a batch line); places inside it are
    written as JSON paths after it.
    """
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except _Repeated:
        where, key = _first_repeat(json.loads(text, object_pairs_hook=_Pairs))
        inner = where[1:] if where != "$" else ""
        raise CatalogError(
            f"{path}{inner}",
            f"the key {key!r} appears twice in one object; give each key once",
        ) from None
    except json.JSONDecodeError as exc:
        raise CatalogError(
            path, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(path, f"not valid UTF-8: {exc.reason}") from None
    except RecursionError:
        raise CatalogError(path, "nested too deeply to be read") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of thousands of digits
        raise CatalogError(path, f"not a readable JSON value: {exc}") from None
