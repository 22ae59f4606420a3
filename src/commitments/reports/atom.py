"""An Atom feed of recorded status updates, for newsrooms and feed readers (RFC 4287).

One entry per status update as known on `known_on`, newest recorded first, at most
`limit`. Entries are stable: an update's entry id is derived from its event id, its
`updated` is when it was recorded, and a retracted update says so in its summary. Text
that XML 1.0 cannot hold (control characters, lone surrogates) is replaced, and only
`http(s)` sources become links. Written with the standard library's ElementTree.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from urllib.parse import quote
from xml.etree import ElementTree as ET

from commitments.events import StatusUpdate
from commitments.exceptions import ValidationError
from commitments.records import retractions
from commitments.reports._summary import status_labeller

if TYPE_CHECKING:
    from commitments.tracker import KnownOn, Tracker

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids: C0 controls but tab, newline and return; surrogates; FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """`value` with what XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _urn(kind: str, name: str) -> str:
    return f"urn:commitments:{kind}:{quote(name, safe='')}"


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def to_atom(
    tracker: Tracker,
    *,
    known_on: KnownOn = None,
    limit: int = 50,
    title: str = "Commitment updates",
    feed_id: str = "updates",
    stamp: dt.datetime | None = None,
) -> str:
    """The feed as XML text. `stamp` (aware) is the feed's `updated` when it has no entry.

    `feed_id` names the feed in its id (`urn:commitments:feed:<feed_id>`): give each
    published feed its own, and keep it.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError(f"limit must be a whole number of 1 or more, got {limit!r}")
    if stamp is not None and (not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None):
        raise ValidationError(f"stamp must be a timezone-aware datetime, got {stamp!r}")
    events = tracker.events(known_on=known_on)
    retracted = retractions(events)
    updates = sorted(
        (e for e in events if isinstance(e, StatusUpdate)),
        key=lambda e: e.recorded_at,
        reverse=True,
    )[:limit]
    label = status_labeller(tracker.workflow)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _urn("feed", feed_id)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _text(title)
    newest = updates[0].recorded_at if updates else stamp or dt.datetime.now(dt.UTC)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _when(newest)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "commitments"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "commitments"
    titles = {}
    for update in updates:
        cid = update.commitment_id
        if cid not in titles:
            titles[cid] = tracker.commitment(cid, known_on=known_on).title
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _urn("event", update.id)
        party = f" ({update.party})" if update.party else ""
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(
            f"{titles[cid]}: {label(update.status)}{party}"
        )
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _when(update.recorded_at)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _when(update.recorded_at)
        if update.recorded_by:
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = _text(update.recorded_by)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=_text(update.status.value))
        summary = f"{cid}: {label(update.status)}{party} on {update.on.isoformat()}."
        if update.note:
            summary += f" {update.note}"
        if update.id in retracted:
            summary += " (This update was later retracted.)"
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = _text(summary)
        for source in update.sources:
            url = source.web_url
            if url is not None:
                link = ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=_text(url))
                if source.title:
                    link.set("title", _text(source.title))
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'
