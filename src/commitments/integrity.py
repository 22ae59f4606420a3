"""Tamper evidence: each commitment's events form a hash chain, and a digest seals them all.

An event's link is the SHA-256 of the previous link of the same commitment (empty for
its addition) and the event's canonical text: its catalog document as compact JSON,
keys in the order the catalog writes them. The store keeps each event's link beside it;
the digest is the SHA-256 of every commitment's id and last link, in the order the
commitments were added. Change, remove or reorder any recorded event and its chain, and
the digest, no longer match. Catalogs carry the digest, so a published export can be
checked against a store later (`commitments verify`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from commitments.catalog import event_document
from commitments.events import Event


def event_text(document: dict[str, object]) -> str:
    """The canonical text of an event's catalog document (what a store saves and links)."""
    return json.dumps(document, ensure_ascii=False)


def link(previous: str, text: str) -> str:
    """The link after `previous` (empty for a commitment's first event) for `text`."""
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def digest(heads: Iterable[tuple[str, str]]) -> str:
    """The digest of `(commitment id, last link)` pairs, in the order commitments were added."""
    sha = hashlib.sha256()
    for cid, head in heads:
        sha.update(f"{cid}\t{head}\n".encode())
    return sha.hexdigest()


def document_heads(items: Iterable[tuple[str, dict[str, object]]]) -> dict[str, str]:
    """Each commitment's last link over (commitment id, event document) pairs in order."""
    found: dict[str, str] = {}
    for cid, document in items:
        found[cid] = link(found.get(cid, ""), event_text(document))
    return found


def heads(events: Iterable[Event]) -> dict[str, str]:
    """Each commitment's last link over a log in recording order (in the order added)."""
    return document_heads((event.commitment_id, event_document(event)) for event in events)


def log_digest(events: Iterable[Event]) -> str:
    """The digest of a log in recording order."""
    return digest(heads(events).items())
