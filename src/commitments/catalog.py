"""Catalog documents: a tracker as versioned JSON, and back, without loss.

The document is `{"schema_version": 2, "workflow": {...}, "policy": {...},
"events": [...]}`: the whole log in recording order, each event with a `"type"`:
`"added"` (with the `commitment` as added), `"amendment"` (with its `changes`),
`"update"` or `"retraction"`. `policy` is optional (absent: keep-open) and written only
when it is not the default, e.g. `{"kind": "break_after", "days": 100}`. A commitment's
recurrence is `{"text": ..., "rule": <RFC 5545 text>}`.

Version 1 documents (`"commitments": [...]` and events without additions) still load:
having no time of addition, each commitment is taken as recorded at 00:00 UTC on the
day it was made, or at its first event's `recorded_at` if that is earlier.

Loading is strict (unknown keys, wrong types and missing required fields raise
`CatalogError` naming the JSON path), goes through `Tracker.extend` (the rules of
`add`, `amend`, `record` and `retract`), and is all-or-nothing.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import json
import os
import re
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from commitments._bulk import BULK_BYTES, BULK_OBJECTS, paused_gc
from commitments._dates import iso_date, iso_moment
from commitments._strict_json import read_json
from commitments.commitment import Commitment
from commitments.deadline import Deadline
from commitments.deadline_parser import check_fiscal_year_start
from commitments.events import AMENDABLE, Addition, Amendment, Event, Retraction, StatusUpdate
from commitments.exceptions import CatalogError, CatalogFileError, CommitmentsError, DeadlineError
from commitments.policy import BreakAfter, DeadlinePolicy, KeepOpen
from commitments.recurrence import Recurrence
from commitments.source import Source
from commitments.status import Status
from commitments.tracker import Clock, Tracker, utc_now
from commitments.workflow import Workflow

SCHEMA_VERSION = 2
_TOP_KEYS = frozenset(
    {"schema_version", "workflow", "policy", "fiscal_year_start", "digest", "events"}
)
_DIGEST = re.compile(r"[0-9a-f]{64}")
_TOP_KEYS_V1 = frozenset({"schema_version", "workflow", "policy", "commitments", "events"})

T = TypeVar("T")

if TYPE_CHECKING:
    import cattrs


def _strict(kind: type[T], name: str) -> Callable[[object, object], T]:
    def hook(value: object, _: object) -> T:
        if type(value) is not kind:
            raise TypeError(f"expected {name}, got {_json_type(value)} {value!r}")
        return value

    return hook


def _json_type(value: object) -> str:
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if value is None:
        return "null"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return names.get(type(value), type(value).__name__)


def _number(value: object, _: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {_json_type(value)} {value!r}")
    return value


def _date(value: object, _: object) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected a date string YYYY-MM-DD, got {_json_type(value)} {value!r}")
    day = iso_date(value)
    if day is None:
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
    return day


_NAIVE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")


def _datetime(value: object, _: object) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(
            f"expected an ISO 8601 date-time with offset, got {_json_type(value)} {value!r}"
        )
    moment = iso_moment(value)
    if moment is None:
        if _NAIVE.fullmatch(value):
            raise ValueError(f"date-time {value!r} has no UTC offset; add one, e.g. +00:00")
        raise ValueError(
            f"expected an ISO 8601 date-time with offset, e.g. 2024-06-18T09:00:00+00:00, "
            f"got {value!r}"
        )
    return moment


def _status(value: object, _: object) -> Status:
    if not isinstance(value, str):
        raise TypeError(f"expected a status string, got {_json_type(value)} {value!r}")
    try:
        return Status(value)
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise ValueError(f"unknown status {value!r}; allowed: {allowed}") from None


@functools.cache
def converter(*, detailed: bool = True) -> cattrs.Converter:
    """The strict cattrs converter of catalog documents, built on first use.

    Built lazily so that `import commitments` does not pay for importing cattrs.
    `detailed=False` gives the fast converter used first when loading; only a
    document that fails is structured again by the detailed one, for the JSON path.
    """
    from cattrs.preconf.json import make_converter  # noqa: PLC0415

    converter = make_converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=detailed
    )
    converter.register_structure_hook(str, _strict(str, "a string"))
    converter.register_structure_hook(bool, _strict(bool, "a boolean"))
    converter.register_structure_hook(int, _strict(int, "an integer"))
    converter.register_structure_hook(float, _number)
    converter.register_structure_hook(dt.date, _date)
    converter.register_structure_hook(dt.datetime, _datetime)
    converter.register_structure_hook(Status, _status)
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, _tuple_hook(converter, detailed=detailed)
    )
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    # Deadline bounds are always written, even when open, so a reader sees the window.
    converter.register_unstructure_hook(
        Deadline,
        lambda d: {
            "text": d.text,
            "earliest": None if d.earliest is None else d.earliest.isoformat(),
            "latest": None if d.latest is None else d.latest.isoformat(),
        },
    )
    converter.register_unstructure_hook(Recurrence, lambda r: {"text": r.text, "rule": r.rule})
    converter.register_structure_hook(Recurrence, _recurrence)
    return converter


def _is_homogeneous_tuple(kind: object) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis  # noqa: PLR2004


def _tuple_hook(
    converter: cattrs.Converter, *, detailed: bool
) -> Callable[[object], Callable[[object, object], tuple[object, ...]]]:
    """A `tuple[X, ...]` hook that takes a JSON array only.

    cattrs' own hook takes any iterable, so a string would become a tuple of its
    characters ("EU" as the parties E and U). The detailed hook also names each bad
    element's index, as cattrs does.
    """
    from cattrs.errors import IterableValidationError, IterableValidationNote  # noqa: PLC0415

    def factory(kind: object) -> Callable[[object, object], tuple[object, ...]]:
        element_type = typing.get_args(kind)[0]
        element = converter.get_structure_hook(element_type)

        def hook(value: object, _: object) -> tuple[object, ...]:
            if type(value) is not list:
                raise TypeError(f"expected an array, got {_json_type(value)}")
            if not detailed:
                return tuple([element(item, element_type) for item in value])
            items, errors = [], []
            for index, item in enumerate(value):
                try:
                    items.append(element(item, element_type))
                except Exception as exc:  # noqa: BLE001 - gathered, as cattrs does
                    note = IterableValidationNote(f"@ index {index}", index, element_type)
                    exc.add_note(note)
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"while structuring {kind!r}", errors, tuple)
            return tuple(items)

        return hook

    return factory


def _recurrence(value: object, _: object) -> Recurrence:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object with text and rule, got {_json_type(value)} {value!r}")
    if set(value) != {"text", "rule"}:
        raise ValueError(
            f"a recurrence has exactly the fields text and rule, got {', '.join(sorted(value))}"
        )
    for key in ("text", "rule"):
        if not isinstance(value[key], str):
            raise TypeError(f"recurrence {key} must be a string, got {_json_type(value[key])}")
    return Recurrence(value["rule"], value["text"])


def _format(exc: BaseException, kind: type | None) -> str:
    import cattrs  # noqa: PLC0415

    if isinstance(exc, CommitmentsError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s) {', '.join(sorted(exc.extra_fields))}; not allowed here"
    if isinstance(exc, (TypeError, ValueError)) and str(exc):
        return str(exc)
    return cattrs.v.format_exception(exc, kind)


def _structure(data: object, kind: type[T], path: str) -> T:
    if not isinstance(data, dict):
        raise CatalogError(path, f"expected an object, got {_json_type(data)}")
    import cattrs  # noqa: PLC0415

    try:
        return converter(detailed=False).structure(data, kind)
    except Exception:  # noqa: BLE001, S110 - structured again below for the detailed error
        pass
    try:
        return converter().structure(data, kind)
    except cattrs.BaseValidationError as exc:
        first = cattrs.transform_error(exc, path=path, format_exception=_format)[0]
        message, _, where = first.rpartition(" @ ")
        raise CatalogError(where or path, message or first) from None
    except CommitmentsError as exc:
        raise CatalogError(path, str(exc)) from None


# -- tracker <-> document ---------------------------------------------------------


def workflow_document(workflow: Workflow) -> dict[str, Any]:
    """The `workflow` part of a catalog document."""
    doc: dict[str, Any] = {
        "name": workflow.name,
        "transitions": {
            s.value: sorted(t.value for t in workflow.targets(s))
            for s in Status
            if s in workflow.transitions
        },
    }
    if workflow.labels:
        doc["labels"] = {s.value: label for s, label in workflow.labels.items()}
    return doc


def event_document(event: Event) -> dict[str, Any]:
    """One entry of a catalog's `events` array."""
    if isinstance(event, StatusUpdate) and event.progress is None:
        return _update_document(event)  # the common case, without importing cattrs
    unstructure = converter().unstructure
    if isinstance(event, Addition):
        doc: dict[str, Any] = {
            "type": "added",
            "id": event.id,
            "recorded_at": event.recorded_at.isoformat(),
        }
        if event.recorded_by is not None:
            doc["recorded_by"] = event.recorded_by
        doc["commitment"] = unstructure(event.commitment)
        return doc
    if isinstance(event, Amendment):
        doc = {
            "type": "amendment",
            "id": event.id,
            "commitment_id": event.commitment_id,
            "changes": {k: unstructure(v, _FIELD_TYPES[k]) for k, v in event.changes.items()},
            "reason": event.reason,
            "recorded_at": event.recorded_at.isoformat(),
        }
        if event.on is not None:
            doc["on"] = event.on.isoformat()
        if event.sources:
            doc["sources"] = unstructure(event.sources)
        if event.recorded_by is not None:
            doc["recorded_by"] = event.recorded_by
        return doc
    doc = unstructure(event)
    kind = "update" if isinstance(event, StatusUpdate) else "retraction"
    return {"type": kind, **doc}


def _update_document(u: StatusUpdate) -> dict[str, Any]:
    """The document of an update without progress, as cattrs writes it, without cattrs.

    Stores write one per recorded update; a property test pins it to the cattrs result.
    """
    doc: dict[str, Any] = {
        "type": "update",
        "id": u.id,
        "commitment_id": u.commitment_id,
        "status": _STATUS_VALUES[u.status],
        "on": u.on.isoformat(),
        "recorded_at": u.recorded_at.isoformat(),
    }
    if u.party is not None:
        doc["party"] = u.party
    if u.note:
        doc["note"] = u.note
    if u.sources:
        doc["sources"] = [_source_document(s) for s in u.sources]
    if u.reason is not None:
        doc["reason"] = u.reason
    if u.recorded_by is not None:
        doc["recorded_by"] = u.recorded_by
    return doc


def _source_document(source: Source) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if source.url is not None:
        doc["url"] = source.url
    if source.title is not None:
        doc["title"] = source.title
    if source.publisher is not None:
        doc["publisher"] = source.publisher
    if source.published_on is not None:
        doc["published_on"] = source.published_on.isoformat()
    return doc


_STATUS_VALUES = {s: s.value for s in Status}


def policy_document(policy: DeadlinePolicy) -> dict[str, Any] | None:
    """The `policy` part of a catalog document; None for the default (keep open)."""
    if isinstance(policy, KeepOpen):
        return None
    if isinstance(policy, BreakAfter):
        return {"kind": BreakAfter.kind, "days": policy.days}
    raise CatalogError(
        "$.policy",
        f"cannot write policy {policy!r}; a catalog holds keep_open or break_after",
    )


def to_document(tracker: Tracker) -> dict[str, Any]:
    """The tracker as a JSON-ready document."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "workflow": workflow_document(tracker.workflow),
    }
    policy = policy_document(tracker.policy)
    if policy is not None:
        document["policy"] = policy
    if tracker.fiscal_year_start is not None:
        document["fiscal_year_start"] = tracker.fiscal_year_start
    from commitments.integrity import digest, document_heads  # noqa: PLC0415 - hashlib, on use

    log = tracker.events()
    events = [event_document(e) for e in log]
    # The digest that seals the log, for checking later.
    heads = document_heads(zip([e.commitment_id for e in log], events, strict=True))
    document["digest"] = digest(heads.items())
    document["events"] = events
    return document


def policy_from_document(data: object) -> DeadlinePolicy:
    """A deadline policy from the `policy` part of a catalog document."""
    path = "$.policy"
    if not isinstance(data, dict):
        raise CatalogError(path, f"expected an object, got {_json_type(data)}")
    kind = data.get("kind")
    if kind == KeepOpen.kind:
        allowed = {"kind"}
    elif kind == BreakAfter.kind:
        allowed = {"kind", "days"}
    else:
        raise CatalogError(
            f"{path}.kind",
            f"unknown policy {kind!r}; allowed: {KeepOpen.kind!r}, {BreakAfter.kind!r}",
        )
    extra = set(data) - allowed
    if extra:
        raise CatalogError(
            path,
            f"unknown field(s) {', '.join(sorted(extra))}; {kind} allows "
            f"{', '.join(sorted(allowed))}",
        )
    if kind == KeepOpen.kind:
        return KeepOpen()
    if "days" not in data:
        raise CatalogError(f"{path}.days", "required field missing")
    days = data["days"]
    if type(days) is not int or days < 0:
        raise CatalogError(f"{path}.days", f"expected a whole number of days >= 0, got {days!r}")
    return BreakAfter(days=days)


def workflow_from_document(data: object) -> Workflow:
    """A workflow from the `workflow` part of a catalog document."""
    path = "$.workflow"
    if not isinstance(data, dict):
        raise CatalogError(path, f"expected an object, got {_json_type(data)}")
    extra = set(data) - {"name", "transitions", "labels"}
    if extra:
        raise CatalogError(path, f"unknown field(s) {', '.join(sorted(extra))}")
    transitions = data.get("transitions")
    if not isinstance(transitions, dict):
        raise CatalogError(f"{path}.transitions", "expected an object of status -> [status]")
    for key, targets in transitions.items():
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise CatalogError(f"{path}.transitions.{key}", "expected an array of statuses")
    name = data.get("name", "custom")
    labels = data.get("labels", {})
    if not isinstance(name, str):
        raise CatalogError(f"{path}.name", "expected a string")
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise CatalogError(f"{path}.labels", "expected an object of status -> label")
    try:
        return Workflow(transitions, name=name, labels=labels)
    except CommitmentsError as exc:
        raise CatalogError(path, str(exc)) from None


def from_document(document: object, *, clock: Clock = utc_now) -> Tracker:
    """Build a tracker from a document; raise `CatalogError` and build nothing if bad."""
    big = isinstance(document, dict) and _records(document) >= BULK_OBJECTS
    with paused_gc(bulk=big):
        return _tracker_from(document, clock)


def _records(document: dict[str, Any]) -> int:
    return sum(
        len(part)
        for part in (document.get("commitments"), document.get("events"))
        if isinstance(part, list)
    )


def _tracker_from(document: object, clock: Clock) -> Tracker:
    if not isinstance(document, dict):
        raise CatalogError("$", f"expected an object, got {_json_type(document)}")
    version = document.get("schema_version")
    if type(version) is not int or version not in (1, SCHEMA_VERSION):
        raise CatalogError(
            "$.schema_version",
            f"unsupported schema version {version!r}; this library reads versions 1 and "
            f"{SCHEMA_VERSION}",
        )
    allowed = _TOP_KEYS if version == SCHEMA_VERSION else _TOP_KEYS_V1
    extra = set(document) - allowed
    if extra:
        raise CatalogError(
            "$",
            f"unknown field(s) {', '.join(sorted(extra))}; allowed: {', '.join(sorted(allowed))}",
        )
    sealed = document.get("digest")
    if sealed is not None and not (isinstance(sealed, str) and _DIGEST.fullmatch(sealed)):
        raise CatalogError("$.digest", "expected the 64 lowercase hex digits of a SHA-256 digest")
    workflow = workflow_from_document(document["workflow"]) if "workflow" in document else None
    policy = policy_from_document(document["policy"]) if "policy" in document else None
    fiscal = document.get("fiscal_year_start")
    try:
        check_fiscal_year_start(fiscal)
    except DeadlineError:
        raise CatalogError(
            "$.fiscal_year_start", f"expected a month number 1-12, got {fiscal!r}"
        ) from None
    tracker = Tracker(workflow, policy=policy, clock=clock, fiscal_year_start=fiscal)
    raw_events = document.get("events", [])
    if not isinstance(raw_events, list):
        raise CatalogError("$.events", f"expected an array, got {_json_type(raw_events)}")
    paths = [f"$.events[{i}]" for i in range(len(raw_events))]
    reading = _FISCAL_YEAR_START.set(fiscal)  # text-only deadlines read by the catalog's own
    try:
        events = [
            event_from_document(raw, path) for raw, path in zip(raw_events, paths, strict=True)
        ]
    finally:
        _FISCAL_YEAR_START.reset(reading)
    if version == 1:
        raw_commitments = document.get("commitments", [])
        if not isinstance(raw_commitments, list):
            raise CatalogError(
                "$.commitments", f"expected an array, got {_json_type(raw_commitments)}"
            )
        additions = _v1_additions(raw_commitments, events)
        paths = [f"$.commitments[{i}]" for i in range(len(additions))] + paths
        events = [*additions, *events]
    try:
        tracker.extend(events)
    except CommitmentsError as exc:
        index = exc.index if exc.index is not None and 0 <= exc.index < len(paths) else None
        path = "$.events" if index is None else paths[index]
        field = exc.field
        if field is not None and version == 1 and path.startswith("$.commitments"):
            field = field.removeprefix("commitment.") if field != "commitment.id" else "id"
        raise CatalogError(path if field is None else f"{path}.{field}", str(exc)) from None
    return tracker


def _v1_additions(raw_commitments: list[Any], events: list[Event]) -> list[Event]:
    """Additions for a version-1 document's commitments (see the module docstring)."""
    first: dict[str, dt.datetime] = {}
    taken = {e.id for e in events}
    for event in events:
        cid = event.commitment_id
        if cid not in first or event.recorded_at < first[cid]:
            first[cid] = event.recorded_at
    additions: list[Event] = []
    for i, raw in enumerate(raw_commitments):
        path = f"$.commitments[{i}]"
        commitment = commitment_from_document(raw, path)
        additions.append(undated_addition(commitment, first.get(commitment.id), taken))
    return additions


def undated_addition(
    commitment: Commitment, first_event_at: dt.datetime | None, taken: set[str]
) -> Addition:
    """The addition of a commitment recorded before additions carried a time.

    Version-1 catalogs and stores before schema 3: dated 00:00 UTC on its `made_on`, or
    at its first event's `recorded_at` if that is earlier; its id is `ID:0`, or the
    first of `ID:0-1`, `ID:0-2`, ... not in `taken` (which gains it).
    """
    made = dt.datetime.combine(commitment.made_on, dt.time(0), tzinfo=dt.UTC)
    recorded = made if first_event_at is None else min(made, first_event_at)
    ident = f"{commitment.id}:0"
    n = 0
    while ident in taken:
        n += 1
        ident = f"{commitment.id}:0-{n}"
    taken.add(ident)
    return Addition(ident, commitment, recorded)


# The fiscal-year start of the catalog being read, for its text-only deadlines.
_FISCAL_YEAR_START: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "fiscal_year_start", default=None
)


def _expand_deadline_text(raw: object, path: str) -> object:
    """Read `"deadline": "in mid-June"` (text only) as the window it states.

    Hand-written catalogs may give a deadline as its words; it is parsed against the
    commitment's `made_on`. Documents written by `dump` always carry the window too.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("deadline"), str):
        return raw
    made_on = None
    if "made_on" in raw:
        try:
            made_on = _date(raw["made_on"], None)
        except (TypeError, ValueError) as exc:
            raise CatalogError(f"{path}.made_on", str(exc)) from None
    try:
        deadline = Deadline.parse(
            raw["deadline"], made_on=made_on, fiscal_year_start=_FISCAL_YEAR_START.get()
        )
    except CommitmentsError as exc:
        raise CatalogError(f"{path}.deadline", str(exc)) from None
    return {**raw, "deadline": converter().unstructure(deadline)}


_UPDATE_REQUIRED = frozenset({"type", "id", "commitment_id", "status", "on", "recorded_at"})
_UPDATE_KEYS = _UPDATE_REQUIRED | {"party", "note", "sources", "reason", "recorded_by"}
_SOURCE_KEYS = frozenset({"url", "title", "publisher", "published_on"})


def _plain_update(raw: dict[str, Any]) -> StatusUpdate | None:
    """The common update (no progress), built without cattrs; None for anything else.

    Loading a big catalog is mostly building updates and their sources, and cattrs'
    generic dispatch is a third of that cost. This path applies the same hooks and
    model validation; whatever it does not take, or finds wrong, goes the cattrs way,
    which gives the same result or the detailed error.
    """
    keys = raw.keys()
    if not (keys <= _UPDATE_KEYS and keys >= _UPDATE_REQUIRED):
        return None
    ident, commitment_id = raw["id"], raw["commitment_id"]
    party, note, reason = raw.get("party"), raw.get("note", ""), raw.get("reason")
    recorded_by = raw.get("recorded_by")
    raw_sources = raw.get("sources", [])
    if (
        type(ident) is not str
        or type(commitment_id) is not str
        or type(note) is not str
        or (party is not None and type(party) is not str)
        or (reason is not None and type(reason) is not str)
        or (recorded_by is not None and type(recorded_by) is not str)
        or type(raw_sources) is not list
    ):
        return None
    try:
        sources = tuple([_plain_source(item) for item in raw_sources])
        return StatusUpdate(
            ident,
            commitment_id,
            _status(raw["status"], None),
            _date(raw["on"], None),
            _datetime(raw["recorded_at"], None),
            party,
            note,
            sources,
            reason,
            None,
            recorded_by,
        )
    except (TypeError, ValueError, CommitmentsError):
        return None


def _plain_source(raw: object) -> Source:
    if type(raw) is not dict or not raw.keys() <= _SOURCE_KEYS:
        raise TypeError
    text = (raw.get("url"), raw.get("title"), raw.get("publisher"))
    if any(value is not None and type(value) is not str for value in text):
        raise TypeError
    published_on = raw.get("published_on")
    if published_on is not None:
        published_on = _date(published_on, None)
    return Source(*text, published_on)


def event_from_document(raw: object, path: str = "$") -> Event:
    """An event from one entry of `events`; `CatalogError` names `path`."""
    if not isinstance(raw, dict):
        raise CatalogError(path, f"expected an object, got {_json_type(raw)}")
    if raw.get("type") == "update":
        update = _plain_update(raw)
        if update is not None:
            return update
    body = dict(raw)
    kind = body.pop("type", None)
    if kind == "update":
        return _structure(body, StatusUpdate, path)
    if kind == "retraction":
        return _structure(body, Retraction, path)
    if kind == "added":
        return _addition_from(body, path)
    if kind == "amendment":
        return _amendment_from(body, path)
    raise CatalogError(
        f"{path}.type",
        f"expected 'added', 'amendment', 'update' or 'retraction', got {kind!r}",
    )


_ADDITION_KEYS = frozenset({"id", "recorded_at", "recorded_by", "commitment"})
_AMENDMENT_KEYS = frozenset(
    {"id", "commitment_id", "changes", "reason", "recorded_at", "on", "sources", "recorded_by"}
)
_FIELD_TYPES: dict[str, Any] = typing.get_type_hints(
    Commitment, {"Deadline": Deadline, "Recurrence": Recurrence, "Source": Source, "dt": dt}
)


def _fields(body: dict[str, Any], allowed: frozenset[str], required: set[str], path: str) -> None:
    extra = set(body) - allowed
    if extra:
        raise CatalogError(path, f"unknown field(s) {', '.join(sorted(extra))}; not allowed here")
    for key in sorted(required - set(body)):
        raise CatalogError(f"{path}.{key}", "required field missing")


def _field(body: dict[str, Any], key: str, kind: Any, path: str) -> Any:  # noqa: ANN401
    import cattrs  # noqa: PLC0415

    try:
        return converter().structure(body[key], kind)
    except cattrs.BaseValidationError as exc:
        first = cattrs.transform_error(exc, path=f"{path}.{key}", format_exception=_format)[0]
        message, _, where = first.rpartition(" @ ")
        raise CatalogError(where or f"{path}.{key}", message or first) from None
    except (CommitmentsError, TypeError, ValueError, AttributeError, LookupError) as exc:
        # A value of the wrong shape (text where an object belongs) fails deep in a hook.
        raise CatalogError(f"{path}.{key}", _format(exc, kind)) from None


def _addition_from(body: dict[str, Any], path: str) -> Addition:
    _fields(body, _ADDITION_KEYS, {"id", "recorded_at", "commitment"}, path)
    commitment = commitment_from_document(body["commitment"], f"{path}.commitment")
    ident = _field(body, "id", str, path)
    recorded_at = _field(body, "recorded_at", dt.datetime, path)
    recorded_by = _field(body, "recorded_by", str | None, path) if "recorded_by" in body else None
    try:
        return Addition(ident, commitment, recorded_at, recorded_by)
    except CommitmentsError as exc:
        raise CatalogError(path, str(exc)) from None


def _amendment_from(body: dict[str, Any], path: str) -> Amendment:
    _fields(
        body, _AMENDMENT_KEYS, {"id", "commitment_id", "changes", "reason", "recorded_at"}, path
    )
    raw = body["changes"]
    where = f"{path}.changes"
    if not isinstance(raw, dict) or not raw:
        raise CatalogError(where, "expected an object of field -> new value, with one or more")
    changes: dict[str, Any] = {}
    for key in raw:
        if key not in AMENDABLE:
            raise CatalogError(
                f"{where}.{key}", f"not an amendable field; allowed: {', '.join(AMENDABLE)}"
            )
        changes[key] = _field(raw, key, _FIELD_TYPES[key], where)
    optional = {"on": dt.date | None, "sources": tuple[Source, ...], "recorded_by": str | None}
    extra = {k: _field(body, k, kind, path) for k, kind in optional.items() if k in body}
    required = {k: _field(body, k, str, path) for k in ("id", "commitment_id", "reason")}
    recorded_at = _field(body, "recorded_at", dt.datetime, path)
    try:
        return Amendment(changes=changes, recorded_at=recorded_at, **required, **extra)
    except CommitmentsError as exc:
        raise CatalogError(path, str(exc)) from None


# -- files and strings --------------------------------------------------------------


def dumps(tracker: Tracker, *, indent: int | None = 2) -> str:
    """The tracker as a JSON string."""
    return json.dumps(to_document(tracker), indent=indent, ensure_ascii=False)


def loads(text: str | bytes, *, clock: Clock = utc_now) -> Tracker:
    """A tracker from a JSON string, with `clock` as its clock.

    An event recorded after the clock (beyond `RECORDED_AT_SKEW`) is refused.
    """
    with paused_gc(bulk=len(text) >= BULK_BYTES):
        document = read_json(text)
        tracker = from_document(document, clock=clock)
        # Let the parsed document go before the collection that ends a big load: it
        # would only be scanned, then freed.
        del document
    return tracker


def dump(tracker: Tracker, path: str | os.PathLike[str], *, indent: int | None = 2) -> None:
    """Write the tracker to `path` atomically: a crash leaves the old file or the new."""
    from commitments._atomic import write_atomically  # noqa: PLC0415

    text = dumps(tracker, indent=indent)
    try:
        write_atomically(path, text + "\n")
    except OSError as exc:
        raise CatalogFileError(f"cannot write {os.fspath(path)!r}: {exc.strerror or exc}") from None


def load(path: str | os.PathLike[str], *, clock: Clock = utc_now) -> Tracker:
    """Read a tracker from a JSON catalog file (`clock` as for `loads`)."""
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - pathlib costs import time
            data = handle.read()
    except OSError as exc:
        # A file that cannot be read is an I/O failure, not a malformed catalog.
        raise CatalogFileError(f"cannot read {os.fspath(path)!r}: {exc.strerror or exc}") from None
    return loads(data, clock=clock)


# -- single records, for stores that keep one document per row ------------------------


def commitment_document(commitment: Commitment) -> dict[str, Any]:
    """One entry of a catalog's `commitments` array."""
    doc: dict[str, Any] = converter().unstructure(commitment)
    return doc


def commitment_from_document(data: object, path: str = "$") -> Commitment:
    """A commitment from one entry of `commitments`; `CatalogError` names `path`."""
    if type(data) is dict:
        plain = _plain_commitment(data)
        if plain is not None:
            return plain
    return _structure(_expand_deadline_text(data, path), Commitment, path)


_COMMITMENT_KEYS = frozenset(
    {
        "id",
        "title",
        "made_on",
        "parties",
        "description",
        "occasion",
        "areas",
        "deadline",
        "sources",
        "restates",
        "superseded_by",
    }
)
_TEXT_KEYS = ("description", "occasion", "superseded_by")
_LIST_KEYS = ("parties", "areas", "restates")


def _plain_commitment(raw: dict[str, Any]) -> Commitment | None:
    """The common commitment (no recurrence), built without cattrs; None for anything else.

    Stores read commitments by the thousand; as with `_plain_update`, whatever this path
    does not take, or finds wrong, goes the cattrs way for the same result or the error.
    """
    if not raw.keys() <= _COMMITMENT_KEYS:
        return None
    ident, title, made_on = raw.get("id"), raw.get("title"), raw.get("made_on")
    if type(ident) is not str or type(title) is not str or type(made_on) is not str:
        return None
    if any(k in raw and type(raw[k]) is not str for k in _TEXT_KEYS[:2]):
        return None
    superseded = raw.get("superseded_by")
    if superseded is not None and type(superseded) is not str:
        return None
    lists = [raw.get(k, []) for k in _LIST_KEYS]
    if any(type(v) is not list or any(type(x) is not str for x in v) for v in lists):
        return None
    raw_sources = raw.get("sources", [])
    if type(raw_sources) is not list:
        return None
    try:
        deadline = _plain_deadline(raw["deadline"]) if "deadline" in raw else None
        return Commitment(
            ident,
            title,
            _date(made_on, None),
            tuple(lists[0]),
            raw.get("description", ""),
            raw.get("occasion", ""),
            tuple(lists[1]),
            deadline,
            tuple([_plain_source(item) for item in raw_sources]),
            tuple(lists[2]),
            superseded,
        )
    except (TypeError, ValueError, KeyError, CommitmentsError):
        return None


def _plain_deadline(raw: object) -> Deadline | None:
    if raw is None:
        return None
    if type(raw) is not dict or raw.keys() != {"text", "earliest", "latest"}:
        raise TypeError
    text, earliest, latest = raw["text"], raw["earliest"], raw["latest"]
    if type(text) is not str:
        raise TypeError
    return Deadline(
        None if earliest is None else _date(earliest, None),
        None if latest is None else _date(latest, None),
        text,
    )
