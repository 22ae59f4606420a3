"""Entry point of `commitments` and `python -m commitments`."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code; never show a traceback."""
    from commitments.cli import run  # noqa: PLC0415 - argparse loads only for the CLI

    # One command per process: the cyclic collector would only rescan the tens of
    # thousands of acyclic values a large query builds (about a fifth of its time);
    # reference counting still frees them.
    gc.disable()
    try:
        return run(argv)
    except KeyboardInterrupt:
        sys.stderr.write("commitments: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as a process killed by SIGPIPE.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 141
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a traceback
        sys.stderr.write(f"commitments: internal error ({type(exc).__name__}): {exc}\n")
        return 1
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
