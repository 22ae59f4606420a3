from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("name", ["compliance.md", "reports.md"])
class TestDocs:
    def test_examples_run(self, name, capsys):
        """Every Python block of the page runs, in order, in one namespace."""
        blocks = BLOCK.findall((DOCS / name).read_text(encoding="utf-8"))
        assert blocks
        namespace: dict[str, object] = {}
        for block in blocks:
            exec(compile(block, name, "exec"), namespace)  # noqa: S102 - our own docs
        capsys.readouterr()
