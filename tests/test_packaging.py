from __future__ import annotations

import importlib
import importlib.metadata
import importlib.resources
import subprocess
import sys
import tomllib
from pathlib import Path

import commitments as cm


class TestPackaging:
    def test_version_matches_metadata(self):
        """__version__ comes from the installed distribution's metadata."""
        assert cm.__version__ == importlib.metadata.version("commitments")

    def test_runtime_dependencies_are_the_declared_three(self):
        """The runtime needs attrs, cattrs and python-dateutil, nothing else."""
        requires = importlib.metadata.requires("commitments") or []
        runtime = sorted(
            r.split(">")[0].split("=")[0].strip() for r in requires if "extra" not in r
        )
        assert runtime == ["attrs", "cattrs", "python-dateutil"]

    def test_ships_py_typed(self):
        """The package is marked as typed."""
        assert (importlib.resources.files("commitments") / "py.typed").is_file()

    def test_all_is_complete(self):
        """Every name in __all__ exists, and every public class is in __all__."""
        for name in cm.__all__:
            assert hasattr(cm, name), name
        public = {n for n, v in vars(cm).items() if isinstance(v, type) and not n.startswith("_")}
        assert public <= set(cm.__all__)

    def test_import_is_light(self):
        """Importing commitments pulls in no test tool, driver, CLI parser or optional extra."""
        heavy = "{'hypothesis', 'pytest', 'sqlite3', 'argparse', 'psycopg', 'pandas', 'cattrs'}"
        code = f"import sys, commitments; print(sorted({heavy} & set(sys.modules)))"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert out == "[]"


class TestHypothesisEntryPoint:
    def test_entry_point_names_the_setup_hook(self):
        """pyproject registers the kit's setup hook under hypothesis' entry-point group."""
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        target = data["project"]["entry-points"]["hypothesis"]["commitments"]
        module, _, name = target.partition(":")
        assert callable(getattr(importlib.import_module(module), name))
