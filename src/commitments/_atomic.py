"""One way to write a file: a unique temp file beside it, fsync, then rename.

A crash leaves the old file or the new one, never a half-written file; the temp name
is created exclusively (`mkstemp`), so nothing planted at a guessable name is followed.
"""

from __future__ import annotations

import os
from pathlib import Path


def plain_mode(target: Path) -> int:
    """The replaced file's permissions, or a new file's under the process umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(umask)
    return umask


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically; raise `OSError` on failure, leaving no temp."""
    import tempfile  # noqa: PLC0415 - only a write needs it (the CLI's start stays light)

    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "it is a directory", os.fspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private; give it the mode a plain write would have.
        os.fchmod(fd, plain_mode(target))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
