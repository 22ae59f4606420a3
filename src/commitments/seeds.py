"""The bundled seed catalog: real China-Japan-ROK pledges, 2023-2025, with follow-ups."""

from __future__ import annotations

from commitments.catalog import loads
from commitments.exceptions import CatalogError
from commitments.tracker import Tracker

_NAME = "catalog.json"


def seed_catalog_text() -> str:
    """The seed catalog document, as JSON text."""
    import importlib.resources  # noqa: PLC0415 - kept out of `import commitments`
    from pathlib import Path  # noqa: PLC0415

    packaged = importlib.resources.files("commitments") / "_seeds" / _NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # A source checkout or editable install: the catalog lives in the repo's seeds/.
    checkout = Path(__file__).resolve().parents[2] / "seeds" / _NAME
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise CatalogError("$", f"the bundled seed catalog is missing (looked for {checkout})")


def seed_catalog() -> Tracker:
    """A new tracker holding the seed catalog; each call gives an independent copy."""
    return loads(seed_catalog_text())
