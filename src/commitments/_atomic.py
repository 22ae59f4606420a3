"""One way to write a file: a unique temp file beside it, fsync, then rename.

A crash leaves the old file or the new one, never a half-written file; the temp name
is created exclusively (`mkstemp`), so nothing planted at a guessable name is followed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically; raise `OSError` on failure, leaving no temp."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "it is a directory", os.fspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
