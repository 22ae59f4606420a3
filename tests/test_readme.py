"""Every example in the README and docs/ runs, in order, as written.

```python blocks run in one namespace per document; ```sh blocks (the command-line
examples) run with bash in the same working directory, with this interpreter's
scripts first on PATH. ```bash blocks are the set-up commands, which CI runs itself.

A document that shows a team's server (`postgresql://ana@db.example/NAME`) runs against
the test server instead: each NAME becomes a fresh database there, and the roles it
grants to exist (skipped, or failed where CI requires it, without a server).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from postgres_support import Databases

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(python|sh)\n(.*?)^```", re.DOTALL | re.MULTILINE)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SERVER_URL = re.compile(r"postgresql://ana@db\.example/(\w+)")
GRANTED = re.compile(r"commitments grant (\w+)")


def on_test_server(text: str, databases: Databases) -> dict[str, str]:
    """A fresh database on the test server for each server URL the text names."""
    for role in sorted(set(GRANTED.findall(text))):
        databases.sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f'THEN CREATE ROLE "{role}" LOGIN; END IF; END $$'
        )
    return {url: databases.new() for url in sorted(set(SERVER_URL.findall(text)))}


def blocks(path: Path) -> list[tuple[str, str]]:
    return FENCE.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [p for p in DOCS if blocks(p)], ids=lambda p: p.name)
def test_examples_run(path, tmp_path, monkeypatch, request):
    """The document's examples run top to bottom without error."""
    monkeypatch.chdir(tmp_path)
    text = path.read_text(encoding="utf-8")
    urls: dict[str, str] = {}
    if SERVER_URL.search(text):
        urls = on_test_server(text, request.getfixturevalue("databases"))
    scripts = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("COMMITMENTS_STORE", None)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for number, (kind, shown) in enumerate(blocks(path), start=1):
        where = f"{path.name} block {number}"
        code = SERVER_URL.sub(lambda m: urls[m.group(1)], shown)
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
