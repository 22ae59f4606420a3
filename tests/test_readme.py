"""Every example in the README and docs/ runs, in order, as written.

```python blocks run in one namespace per document; ```sh blocks (the command-line
examples) run with bash in the same working directory, with this interpreter's
scripts first on PATH. ```bash blocks are the set-up commands, which CI runs itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(python|sh)\n(.*?)^```", re.DOTALL | re.MULTILINE)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(path: Path) -> list[tuple[str, str]]:
    return FENCE.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [p for p in DOCS if blocks(p)], ids=lambda p: p.name)
def test_examples_run(path, tmp_path, monkeypatch):
    """The document's examples run top to bottom without error."""
    monkeypatch.chdir(tmp_path)
    scripts = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("COMMITMENTS_STORE", None)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for number, (kind, code) in enumerate(blocks(path), start=1):
        where = f"{path.name} block {number}"
        if kind == "sh":
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", code],  # noqa: S607 - bash from PATH
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, f"{where} failed:\n{done.stderr}\n{code}"
            continue
        try:
            exec(compile(code, where, "exec"), namespace)  # noqa: S102
        except Exception as exc:  # noqa: BLE001 - any failure of an example is reported
            pytest.fail(f"{where} failed: {exc!r}\n{code}")
