"""Every Python example in the README and docs/ runs, in order, as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(path: Path) -> list[str]:
    return FENCE.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [p for p in DOCS if blocks(p)], ids=lambda p: p.name)
def test_python_examples_run(path, tmp_path, monkeypatch):
    """The document's python blocks run top to bottom in one namespace without error."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(os.environ, "COMMITMENTS_STORE", str(tmp_path / "readme.db"))
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for number, code in enumerate(blocks(path), start=1):
        try:
            exec(compile(code, f"{path.name}[block {number}]", "exec"), namespace)  # noqa: S102
        except Exception as exc:  # noqa: BLE001 - any failure of an example is reported
            pytest.fail(f"{path.name} block {number} failed: {exc!r}\n{code}")
