"""The `commitments` command line: queries and scripted updates over a store.

Each subcommand is a `Command` (its flags and its run function) registered in
`COMMANDS`; adding one is a small function plus one `register` call. Exit codes: 0 done,
1 refused (or `overdue --check` found something overdue), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

import attrs

import commitments as cm
from commitments._atomic import write_atomically
from commitments._dates import date_problem, iso_date, iso_moment
from commitments._spreadsheet import SafeCsv
from commitments._strict_json import read_json
from commitments._terminal import ljust, terminal_json, visible, width
from commitments.catalog import (
    commitment_document,
    commitment_from_document,
    event_document,
)
from commitments.deadline_parser import check_fiscal_year_start
from commitments.events import Event, check_recorder
from commitments.exceptions import CommitmentsError
from commitments.records import (
    EVENT_COLUMNS,
    LISTING_COLUMNS,
    event_csv_row,
    event_record,
    listing_row,
    record_of,
    retractions,
)
from commitments.source import web_url
from commitments.tracker import DUE_DAYS, UNCHANGED, Tracker

ENV_STORE = "COMMITMENTS_STORE"
ENV_USER = "COMMITMENTS_USER"
FORMATS = ("table", "json", "csv")
#: Columns of every commitment listing, in JSON key order and CSV column order.
BATCH_FIELDS = frozenset(
    {
        "recorded_by",
        "commitment_id",
        "status",
        "on",
        "party",
        "source",
        "sources",
        "note",
        "reason",
        "recorded_at",
        "update_id",
    }
)
_WITHIN = re.compile(r"(\d{1,5})\s*([dwm]?)")


class UsageError(Exception):
    """The command line itself is wrong (exit 2)."""


class Refused(Exception):  # noqa: N818 - reads as the outcome it reports
    """An operation was refused with one or more messages (exit 1)."""

    def __init__(self, messages: Sequence[str] | str) -> None:
        self.messages = (messages,) if isinstance(messages, str) else tuple(messages)
        super().__init__("; ".join(self.messages))


class _Parser(argparse.ArgumentParser):
    #: Every subcommand's options, each with whether it takes a value (`build_parser`).
    command_options: dict[str, int]

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


class _Version(argparse.Action):
    """Print the version; looked up only when asked (metadata is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        parser.exit(message=f"{parser.prog} {cm.__version__}\n")


@attrs.frozen
class Context:
    """What a command may touch: its streams, environment and today's date."""

    out: IO[str]
    err: IO[str]
    environ: dict[str, str]
    today: dt.date
    stdin: IO[str]


Runner = Callable[[argparse.Namespace, Context], int]


@attrs.frozen
class Command:
    """A subcommand: name, one-line summary, examples, flags and what it runs."""

    name: str
    summary: str
    examples: str
    flags: Callable[[argparse.ArgumentParser], None]
    run: Runner
    query: bool = False


COMMANDS: dict[str, Command] = {}


def register(command: Command) -> Command:
    """Add a subcommand to the command line."""
    COMMANDS[command.name] = command
    return command


# -- argument types ------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date for a flag (the catalog's one reading of dates)."""
    day = iso_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(date_problem(text))
    return day


@attrs.frozen
class Months:
    """A span of calendar months (`3m`), measured from the as-of date when it is known."""

    count: int

    def days_from(self, day: dt.date) -> dt.timedelta:
        """The span in days from `day` to the same day `count` months later.

        Or to that month's last day, where it is shorter (31 January plus one month).
        """
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415 - only --within 3m

        try:
            return (day + relativedelta(months=self.count)) - day
        except (OverflowError, ValueError):
            return dt.date.max - day  # past 9999-12-31: every later deadline


Within = dt.timedelta | Months | str | None


def _span_from(within: Within, as_of: dt.date, kind: str) -> dt.timedelta | None:
    """The span a `due` question asks about: --within, else the default horizon.

    None for 'all' (inside the deadline window) and for questions other than `due`.
    """
    if kind != "due" or within == "all":
        return None
    if within is None:
        within = dt.timedelta(days=DUE_DAYS)
    if isinstance(within, Months):
        return within.days_from(as_of)
    assert isinstance(within, dt.timedelta)  # noqa: S101 - parse_within gives no other
    return within  # a span past 9999-12-31 ends there (Tracker.select)


def parse_within(text: str) -> dt.timedelta | Months | str:
    """A span such as `30d`, `30` (days), `4w` (weeks) or `3m` (calendar months), or `all`."""
    if text.strip().lower() == "all":
        return "all"
    match = _WITHIN.fullmatch(text.strip())
    if match is None:
        msg = f"expected a span such as 30d, 4w or 3m, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    count = int(match.group(1))
    if match.group(2) == "m":
        return Months(count)
    return dt.timedelta(weeks=count) if match.group(2) == "w" else dt.timedelta(days=count)


# -- the store, or the seed catalog --------------------------------------------------


def _store_path(args: argparse.Namespace, ctx: Context) -> str | None:
    given: str | None = getattr(args, "store", None)
    if given is None:
        given = ctx.environ.get(ENV_STORE)
        if given == "":
            msg = f"${ENV_STORE} is set but empty; give a store path or unset it"
            raise UsageError(msg)
    elif given == "":
        msg = "--store is empty (an unset variable?); give a store path"
        raise UsageError(msg)
    return given


def _need_store(args: argparse.Namespace, ctx: Context) -> str:
    path = _store_path(args, ctx)
    if path is None:
        msg = (
            f"no store given: pass --store PATH or set {ENV_STORE}; create a store with "
            "`commitments init --store PATH` (empty, --seed or --from CATALOG.json)"
        )
        raise UsageError(msg)
    return path


def _by_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        metavar="NAME",
        help=f"who records this (default: ${ENV_USER}, else the login name; on a "
        "PostgreSQL store, the database role)",
    )


def _recorded_by(args: argparse.Namespace, ctx: Context) -> str | None:
    """Who records a write: --by, else $COMMITMENTS_USER, else the login name, else nobody.

    On a PostgreSQL store the database role stands in for the login name (the store
    fills it in), so a team's log names who signed in, not each laptop's account.
    """
    name: str | None = getattr(args, "by", None) or ctx.environ.get(ENV_USER) or None
    if name is None and _is_server(_store_path(args, ctx)):
        return None
    if name is None:
        import getpass  # noqa: PLC0415 - only writes need it

        try:
            name = getpass.getuser() or None
        except (OSError, KeyError, ImportError):
            name = None
        if name is not None and not name.isprintable():
            name = None
    try:
        check_recorder("--by", name)
    except CommitmentsError as exc:
        raise UsageError(str(exc)) from None
    return name


def _is_server(store: str | None) -> bool:
    from commitments.postgres import is_postgres_url  # noqa: PLC0415

    return store is not None and is_postgres_url(store)


def _shown(store: str) -> str:
    """A store's location for output: a URL without its password."""
    from commitments.postgres import is_postgres_url, shown_url  # noqa: PLC0415

    return shown_url(store) if is_postgres_url(store) else store


def _seed() -> Tracker:
    return cm.seed_catalog()


#: Commands that take the slicing flags (`--party`, `--area`, `--occasion`, `--text`).
SLICED = frozenset(
    {"status", "overdue", "due", "fulfilled", "report", "compliance", "export", "changes"}
)


def _slice_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "slicing (repeat a flag for any of several values; different flags must all match)"
    )
    group.add_argument("--party", dest="where_party", action="append", metavar="CODE",
                       help="commitments this party made (case-insensitive)")  # fmt: skip
    group.add_argument("--area", dest="where_area", action="append", metavar="AREA",
                       help="commitments in this policy area (case-insensitive)")  # fmt: skip
    group.add_argument("--occasion", dest="where_occasion", action="append", metavar="TEXT",
                       help="occasion containing this text, e.g. a summit")  # fmt: skip
    group.add_argument("--text", dest="where_text", action="append", metavar="TEXT",
                       help="title or description containing this text")  # fmt: skip


def _sliced(tracker: Tracker, args: argparse.Namespace, ctx: Context) -> Tracker:
    """The tracker, or its view limited by the slicing flags given (a notice if empty)."""
    wanted = {
        name: getattr(args, f"where_{name}", None) for name in ("party", "area", "occasion", "text")
    }
    for name, values in wanted.items():
        if values and not all(value.strip() for value in values):
            msg = f"--{name} is empty (an unset variable?); give a value"
            raise UsageError(msg)
    if not any(wanted.values()):
        return tracker
    view = tracker.where(**wanted)
    if not len(view):
        shown = " ".join(
            f"--{name} {shlex.quote(visible(value))}"
            for name, values in wanted.items()
            for value in values or ()
        )
        ctx.err.write(f"commitments: notice: no commitment matches {shown}\n")
    return view


@contextlib.contextmanager
def _read_tracker(args: argparse.Namespace, ctx: Context) -> Iterator[Tracker]:
    """The tracker to query, open for the command: the store, or the seed catalog.

    Limited to the commitments the slicing flags select, where the command takes them.
    """
    path = _store_path(args, ctx)
    if path is None:
        ctx.err.write(
            f"commitments: notice: no store given (--store or ${ENV_STORE}); answering from "
            "the bundled seed catalog\n"
        )
        yield _sliced(_seed(), args, ctx)
        return
    from commitments.store import open_store  # noqa: PLC0415 - keeps sqlite3 off import

    with open_store(path) as store:
        yield _sliced(store, args, ctx)


# -- output --------------------------------------------------------------------------


def _json_row(record: dict[str, Any]) -> dict[str, Any]:
    """A listing record's columns as JSON values: dates as ISO text, lists as lists."""
    return dict(zip(LISTING_COLUMNS, listing_row(record), strict=True))


def _write_rows(ctx: Context, args: argparse.Namespace, rows: list[list[Any]]) -> None:
    """Listing rows (`Tracker.listing_rows`) as the --format asks: JSON, CSV or a table."""
    fmt = args.format
    if fmt == "json":
        known_on = None if args.known_on is None else args.known_on.isoformat()
        doc = {
            "as_of": args.as_of.isoformat(),
            "known_on": known_on,
            "commitments": [dict(zip(LISTING_COLUMNS, r, strict=True)) for r in rows],
        }
        ctx.out.write(terminal_json(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n")
    elif fmt == "csv":
        writer = SafeCsv(ctx.out)
        writer.row(LISTING_COLUMNS)
        # Parties and areas, the lists of a row, go in one cell each, joined by ';'.
        writer.rows([";".join(v) if type(v) is list else v for v in r] for r in rows)
    else:
        _write_table(ctx, [dict(zip(LISTING_COLUMNS, r, strict=True)) for r in rows])


def _write_table(ctx: Context, rows: list[dict[str, Any]]) -> None:
    if not rows:
        ctx.out.write("(none)\n")
        return
    headers = ("ID", "STATUS", "DEADLINE", "FLAGS", "TITLE")
    table = [
        (
            r["id"],
            r["status"] if r["period"] is None else f"{r['period']} ({r['status']})",
            visible(r["deadline"] or r["recurrence"] or "-"),
            _flags(r),
            visible(r["title"]),
        )
        for r in rows
    ]
    widths = [max(width(h), *(width(str(t[i])) for t in table)) for i, h in enumerate(headers[:-1])]
    for line in (headers, *table):
        cells = [ljust(str(v), w) for v, w in zip(line[:-1], widths, strict=True)]
        ctx.out.write("  ".join([*cells, str(line[-1])]).rstrip() + "\n")


def _flags(row: dict[str, Any]) -> str:
    """The table's FLAGS cell: overdue, due, how late a fulfilment was.

    For a recurring commitment, its streak and missed periods instead of `due` (its
    STATUS cell says met, due or missed).
    """
    flags = []
    if row["overdue"]:
        flags.append("OVERDUE")
    if row["due"] and row["period"] is None:
        flags.append("due")
    if row["period"] is not None:
        flags.append(f"streak {row['streak']}, {row['missed_periods']} missed")
    if row["late_by"]:
        flags.append(f"{row['late_by']}d late")
    return " ".join(flags)


# -- queries -------------------------------------------------------------------------


def _date_flags(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--as-of", type=parse_date, help="the date to assess, YYYY-MM-DD (default: today, UTC)"
    )
    parser.add_argument(
        "--known-on",
        type=parse_date,
        help="count only what was recorded by the end of this UTC day (default: everything)",
    )


def _query_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("query options")
    _date_flags(group)
    group.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )


def _selected(args: argparse.Namespace, ctx: Context, kind: str) -> list[list[Any]]:
    """The listing rows of the commitments a query selects, from one read of the tracker."""
    within = _span_from(getattr(args, "within", None), args.as_of, kind)
    with _read_tracker(args, ctx) as tracker:
        return tracker.listing_rows(kind, as_of=args.as_of, known_on=args.known_on, within=within)


def _run_status(args: argparse.Namespace, ctx: Context) -> int:
    _write_rows(ctx, args, _selected(args, ctx, "all"))
    return 0


def _run_overdue(args: argparse.Namespace, ctx: Context) -> int:
    rows = _selected(args, ctx, "overdue")
    _write_rows(ctx, args, rows)
    return 1 if args.check and rows else 0


def _run_due(args: argparse.Namespace, ctx: Context) -> int:
    _write_rows(ctx, args, _selected(args, ctx, "due"))
    return 0


def _run_fulfilled(args: argparse.Namespace, ctx: Context) -> int:
    _write_rows(ctx, args, _selected(args, ctx, "fulfilled"))
    return 0


#: Columns of `show`'s timeline, in JSON key order and CSV column order.


CHANGE_COLUMNS = (
    "recorded_at",
    "recorded_by",
    "type",
    "id",
    "commitment_id",
    "title",
    "on",
    "party",
    "status_before",
    "status_after",
    "status",
    "changes",
    "reason",
    "note",
    "sources",
    "update_id",
)


def _write_event_csv(ctx: Context, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    """Event records as CSV (cells as `records.event_csv_row` writes them)."""
    writer = SafeCsv(ctx.out)
    writer.row(columns)
    writer.rows(event_csv_row(r, columns) for r in rows)


def _changes_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", type=parse_date, required=True, help="first day of the window (UTC)"
    )
    parser.add_argument("--until", type=parse_date, help="last day of the window (default: today)")
    parser.add_argument(
        "--as-of",
        dest="compare_on",  # not the queries' --as-of, whose default is today
        type=parse_date,
        help="the day statuses are compared on (default: --until)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )


def _run_changes(args: argparse.Namespace, ctx: Context) -> int:
    until = ctx.today if args.until is None else args.until
    with _read_tracker(args, ctx) as tracker:
        found = tracker.changes(args.since, until, as_of=args.compare_on)
    rows = []
    for change in found:
        row = event_record(change.event)
        row["commitment_id"] = change.commitment_id
        row["title"] = change.title
        row["status_before"] = None if change.status_before is None else change.status_before.value
        row["status_after"] = None if change.status_after is None else change.status_after.value
        rows.append({c: row[c] for c in CHANGE_COLUMNS})
    if args.format == "json":
        doc = {
            "since": args.since.isoformat(),
            "until": until.isoformat(),
            "as_of": (until if args.compare_on is None else args.compare_on).isoformat(),
            "changes": rows,
        }
        ctx.out.write(terminal_json(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n")
    elif args.format == "csv":
        _write_event_csv(ctx, rows, CHANGE_COLUMNS)
    elif not rows:
        ctx.out.write("(none)\n")
    else:
        for r in rows:
            moved = f"{r['status_before'] or '-'} -> {r['status_after'] or '-'}"
            if r["on"]:
                moved += f" (on {r['on']})"
            by = f" by {visible(r['recorded_by'])}" if r["recorded_by"] else ""
            ctx.out.write(
                f"{r['recorded_at'][:16].replace('T', ' ')}  {r['commitment_id']}  "
                f"{r['type']}  {moved}{by}\n      {visible(r['title'])}\n"
            )
            detail = r["note"] or r["reason"]
            if detail:
                ctx.out.write(f"      {visible(detail)}\n")
    return 0


def _run_show(args: argparse.Namespace, ctx: Context) -> int:
    with _read_tracker(args, ctx) as tracker:
        commitment = tracker.commitment(args.id, as_of=args.as_of, known_on=args.known_on)
        shown = tracker.events(commitment.id, known_on=args.known_on)
        row = (
            _json_row(
                record_of(tracker.assess(commitment.id, as_of=args.as_of, known_on=args.known_on))
            )
            if commitment.made_on <= args.as_of
            else None
        )
    retracted_by = retractions(shown)
    events = [event_record(e, retracted_by) for e in shown]
    if args.format == "json":
        doc = {
            "as_of": args.as_of.isoformat(),
            "known_on": None if args.known_on is None else args.known_on.isoformat(),
            "commitment": commitment_document(commitment),
            "assessment": row,
            "events": events,
        }
        ctx.out.write(terminal_json(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n")
        return 0
    if args.format == "csv":
        _write_event_csv(ctx, events, EVENT_COLUMNS)
        return 0
    out = ctx.out
    out.write(f"{commitment.id}: {visible(commitment.title)}\n")
    out.write(f"  made on {commitment.made_on}")
    out.write(f" by {', '.join(commitment.parties)}\n" if commitment.parties else "\n")
    if commitment.deadline is not None:
        out.write(f"  deadline: {visible(commitment.deadline.text)}\n")
    for source in commitment.sources:
        out.write(f"  source: {visible(source)}\n")
    if row is not None:
        flags = " OVERDUE" if row["overdue"] else (" due" if row["due"] else "")
        out.write(f"  status on {args.as_of}: {row['status']}{flags}\n")
    out.write("timeline:\n")
    for e in events:
        by = f" by {e['recorded_by']}" if e["recorded_by"] else ""
        gone = f" (retracted by {e['retracted_by']})" if e["retracted_by"] else ""
        if e["type"] == "added":
            out.write(f"  {e['recorded_at']}  {e['id']}  added{by}\n")
            continue
        if e["type"] == "retraction":
            note = visible(e["note"])
            out.write(f"  {e['recorded_at']}  {e['id']}  retracts {e['update_id']}{by}: {note}\n")
            continue
        if e["type"] == "amendment":
            kind = f"revised from {e['on']}" if e["on"] else "corrected"
            out.write(
                f"  {e['recorded_at']}  {e['id']}  {kind}: {', '.join(e['changes'])}{by}{gone}\n"
            )
            out.write(f"      reason: {visible(e['reason'])}\n")
            for source in e["sources"]:
                out.write(f"      source: {visible(source)}\n")
            continue
        who = f" [{e['party']}]" if e["party"] else ""
        out.write(f"  {e['on']}  {e['id']}  {e['status']}{who}{by}{gone}\n")
        if e["progress"]:
            out.write(f"      progress: {visible(e['progress'])}\n")
        if e["note"]:
            out.write(f"      {visible(e['note'])}\n")
        for source in e["sources"]:
            out.write(f"      source: {visible(source)}\n")
    return 0


# -- writes --------------------------------------------------------------------------


def _open_for_write(args: argparse.Namespace, ctx: Context) -> Tracker:
    from commitments.store import open_store  # noqa: PLC0415 - keeps sqlite3 off import

    return open_store(_need_store(args, ctx))


def _record_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", help="the commitment id")
    parser.add_argument("status", nargs="?", help="the new status, e.g. in_progress, fulfilled")
    parser.add_argument("--on", type=parse_date, help="the date the status took effect")
    parser.add_argument("--party", help="one of the commitment's parties (default: all)")
    _source_flags(parser)
    parser.add_argument("--note", default="", help="free text")
    parser.add_argument("--reason", help="a short code: blocked, reversed, replaced, ...")
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="record many updates from a CSV or JSON-lines file ('-' for stdin), all or none",
    )
    parser.add_argument(
        "--batch-format",
        choices=("auto", "csv", "jsonl"),
        default="auto",
        help="format of --batch (default: by extension, else sniffed)",
    )
    parser.add_argument(
        "--vocabulary",
        choices=tuple(VOCABULARIES),
        help="read --batch statuses as these labels: politifact ('Promise Kept', ...), g7 "
        "(final scores +1, 0, -1) or g7-interim (0: under way, -1: nothing yet)",
    )
    parser.add_argument(
        "--skip-duplicates",
        action="store_true",
        help="skip --batch lines that repeat an update in force (same commitment, party, "
        "status and day) instead of refusing the batch",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    _by_flag(parser)


def _source_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "evidence (a --source URL, and/or one citation described by the other flags)"
    )
    group.add_argument(
        "--source", action="append", default=[], metavar="URL",
        help="an http(s) URL of evidence (repeatable)",
    )  # fmt: skip
    group.add_argument("--source-title", metavar="TEXT", help="the cited document's title")
    group.add_argument("--publisher", metavar="TEXT", help="who published it")
    group.add_argument(
        "--published-on", type=parse_date, metavar="DATE", help="when it was published"
    )


def _sources(args: argparse.Namespace) -> list[cm.Source]:
    """The evidence the flags give: URLs, with the citation flags describing one of them."""
    for url in args.source:
        if web_url(url) is None:
            msg = (
                f"--source takes an http(s) URL, got {url!r}; for a citation without one "
                "(a printed report, a briefing) give --source-title, --publisher and "
                "--published-on"
            )
            raise UsageError(msg)
    cited = (args.source_title, args.publisher, args.published_on)
    if all(part is None for part in cited):
        return [cm.Source(url=url) for url in args.source]
    if len(args.source) > 1:
        msg = (
            "--source-title, --publisher and --published-on describe one source: give one --source"
        )
        raise UsageError(msg)
    try:
        return [
            cm.Source(
                url=args.source[0] if args.source else None,
                title=args.source_title,
                publisher=args.publisher,
                published_on=args.published_on,
            )
        ]
    except CommitmentsError as exc:
        raise UsageError(str(exc)) from None


def _run_record(args: argparse.Namespace, ctx: Context) -> int:
    if args.batch is None and (args.vocabulary or args.skip_duplicates):
        msg = "--vocabulary and --skip-duplicates apply to --batch"
        raise UsageError(msg)
    if args.batch is not None:
        if args.id or args.status or args.on:
            msg = "record takes either ID STATUS --on DATE or --batch FILE, not both"
            raise UsageError(msg)
        return _run_batch(args, ctx)
    if not args.id or not args.status or args.on is None:
        msg = "record needs ID STATUS --on DATE (or --batch FILE)"
        raise UsageError(msg)
    with _open_for_write(args, ctx) as store:
        update = store.record(
            args.id,
            args.status,
            on=args.on,
            sources=_sources(args),
            note=args.note,
            party=args.party,
            reason=args.reason,
            recorded_by=_recorded_by(args, ctx),
        )
    _report_event(ctx, args, update)
    return 0


def _report_event(ctx: Context, args: argparse.Namespace, event: Event) -> None:
    if args.format == "json":
        ctx.out.write(terminal_json(json.dumps(event_document(event), ensure_ascii=False)) + "\n")
    else:
        ctx.out.write(f"{event.id}\n")


def _batch_text(args: argparse.Namespace, ctx: Context) -> tuple[str, str]:
    name: str = args.batch
    if name == "-":
        try:
            text = ctx.stdin.read()
            text.encode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError) as exc:
            msg = f"the batch on standard input is not valid UTF-8 ({exc.reason})"
            raise UsageError(msg) from None
    else:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            msg = f"cannot read batch file {name!r}: {exc}"
            raise UsageError(msg) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Excel writes UTF-8 CSV
    fmt: str = args.batch_format
    if fmt == "auto":
        suffix = Path(name).suffix.lower()
        if suffix == ".csv":
            fmt = "csv"
        elif suffix in {".jsonl", ".ndjson", ".json"}:
            fmt = "jsonl"
        else:
            fmt = "jsonl" if text.lstrip().startswith("{") else "csv"
    return text, fmt


def _batch_lines(text: str, fmt: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, fields or an error message) for every non-blank batch line."""
    if fmt == "jsonl":
        # Only a line feed ends a line: U+2028, U+2029 and U+0085 are legal inside JSON.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                data = read_json(line)
            except cm.CatalogError as exc:
                yield number, exc.problem if exc.path == "$" else str(exc)
                continue
            yield number, data if isinstance(data, dict) else "expected a JSON object"
        return
    delimiter, header = _sniff_header(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        next(reader, [])
        missing = {"commitment_id", "status", "on"} - set(header)
        if missing:
            seen = {",": "commas", ";": "semicolons", "\t": "tabs"}[delimiter]
            yield (
                1,
                (
                    f"the CSV header must name commitment_id, status and on (missing "
                    f"{', '.join(sorted(missing))}; read with {seen} between columns, it "
                    f"names {', '.join(repr(h) for h in header) or 'nothing'}); optional: "
                    f"{', '.join(sorted(BATCH_FIELDS - {'commitment_id', 'status', 'on'}))}"
                ),
            )
            return
        start = reader.line_num + 1
        for cells in reader:
            # A row starts on the line after the previous one ended; blank lines are [].
            if cells:
                if len(cells) > len(header):
                    yield start, "more cells than the header has columns"
                else:
                    yield start, {k: v for k, v in zip(header, cells, strict=False) if v != ""}
            start = reader.line_num + 1
    except csv.Error as exc:
        yield reader.line_num, f"not valid CSV: {exc}"


_DELIMITERS = (",", ";", "\t")
VOCABULARIES = {"politifact": cm.POLITIFACT, "g7": cm.G7_FINAL, "g7-interim": cm.G7_INTERIM}


def _column(name: str) -> str:
    """A header cell as a field name: any case, spaces or hyphens for underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def _sniff_header(text: str) -> tuple[str, list[str]]:
    """The delimiter (comma, semicolon or tab) whose header names the required columns.

    Else the one that splits the header into the most columns, for the error message.
    """
    best: tuple[int, str, list[str]] | None = None
    for delimiter in _DELIMITERS:
        try:
            header = [
                _column(c) for c in next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
            ]
        except csv.Error:
            continue
        if {"commitment_id", "status", "on"} <= set(header):
            return delimiter, header
        if best is None or len(header) > best[0]:
            best = (len(header), delimiter, header)
    return (",", []) if best is None else (best[1], best[2])


class DuplicateLineError(UsageError):
    """A batch line repeating an update in force."""


def _batch_record(
    store: Tracker,
    fields: dict[str, Any],
    by: str | None,
    vocabulary: cm.Crosswalk | None = None,
) -> None:
    unknown = set(fields) - BATCH_FIELDS
    if unknown:
        msg = (
            f"unknown field(s) {', '.join(sorted(unknown))}; allowed: "
            f"{', '.join(sorted(BATCH_FIELDS))}"
        )
        raise UsageError(msg)
    for name in ("commitment_id", "status", "on"):
        if not isinstance(fields.get(name), str):
            msg = f"{name} is required and must be a string"
            raise UsageError(msg)
    for name in ("party", "source", "note", "reason", "recorded_at", "update_id", "recorded_by"):
        if name in fields and not isinstance(fields[name], str | None):
            msg = f"{name} must be a string"
            raise UsageError(msg)
    sources = fields.get("sources", [])
    if isinstance(sources, str):
        sources = sources.split()
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        msg = "sources must be a list of URL strings (or space-separated in CSV)"
        raise UsageError(msg)
    try:
        on = parse_date(fields["on"])
    except argparse.ArgumentTypeError as exc:
        msg = f"on: {exc}"
        raise UsageError(msg) from None
    recorded_at = None
    if fields.get("recorded_at"):
        recorded_at = iso_moment(fields["recorded_at"])
        if recorded_at is None:
            msg = "recorded_at must be an ISO date-time with offset, e.g. 2024-06-18T09:00:00+00:00"
            raise UsageError(msg)
    status: str | cm.Status = fields["status"]
    if vocabulary is not None:
        status = vocabulary.status(status)
    _check_not_repeated(store, fields, status, on)
    store.record(
        fields["commitment_id"],
        status,
        on=on,
        source=fields.get("source") or None,
        sources=sources,
        note=fields.get("note") or "",
        party=fields.get("party") or None,
        reason=fields.get("reason") or None,
        recorded_at=recorded_at,
        update_id=fields.get("update_id") or None,
        recorded_by=fields.get("recorded_by") or by,
    )


def _check_not_repeated(
    store: Tracker, fields: dict[str, Any], status: str | cm.Status, on: dt.date
) -> None:
    """Refuse an update identical to one in force: same commitment, party, status and day."""
    cid = fields["commitment_id"]
    party = fields.get("party") or None
    try:
        held = store.in_force(cid, status, on, party)
    except CommitmentsError:
        return  # an unknown commitment or status: `record` refuses it with its own message
    if held is not None:
        msg = (
            f"duplicate of update {held.id} ({cid}, {held.party or 'all parties'}, "
            f"{held.status.value} on {on}), already in force"
        )
        raise DuplicateLineError(msg)


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise Refused(problems)


def _run_batch(args: argparse.Namespace, ctx: Context) -> int:
    text, fmt = _batch_text(args, ctx)
    by = _recorded_by(args, ctx)
    problems: list[str] = []
    count = skipped = 0
    vocabulary = None if args.vocabulary is None else VOCABULARIES[args.vocabulary]
    with _open_for_write(args, ctx) as store:
        try:
            with store.transaction():
                lines = list(_batch_lines(text, fmt))
                # One read for every commitment named, rather than one per line.
                store.prefetch(
                    item["commitment_id"]
                    for _, item in lines
                    if isinstance(item, dict) and isinstance(item.get("commitment_id"), str)
                )
                for number, item in lines:
                    if isinstance(item, str):
                        problems.append(f"line {number}: {item}")
                        continue
                    try:
                        _batch_record(store, item, by, vocabulary)
                    except DuplicateLineError as exc:
                        if args.skip_duplicates:
                            skipped += 1
                        else:
                            problems.append(f"line {number}: {exc} (--skip-duplicates skips it)")
                    except (CommitmentsError, UsageError) as exc:
                        problems.append(f"line {number}: {exc}")
                    else:
                        count += 1
                _refuse_if(problems)
        except Refused:
            for problem in problems:
                ctx.err.write(f"commitments: {problem}\n")
            ctx.err.write(
                f"commitments: batch refused: {len(problems)} bad line(s); nothing recorded\n"
            )
            return 1
    if args.format == "json":
        ctx.out.write(json.dumps({"recorded": count, "skipped_duplicates": skipped}) + "\n")
    else:
        also = f"; skipped {skipped} duplicate(s)" if skipped else ""
        ctx.out.write(f"recorded {count} update(s){also}\n")
    return 0


def _retract_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("update_id", help="the id of the update to retract, e.g. ID:3")
    parser.add_argument("--reason", required=True, help="why the update is withdrawn")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    _by_flag(parser)


def _run_retract(args: argparse.Namespace, ctx: Context) -> int:
    with _open_for_write(args, ctx) as store:
        retraction = store.retract(
            args.update_id, reason=args.reason, recorded_by=_recorded_by(args, ctx)
        )
    _report_event(ctx, args, retraction)
    return 0


def _amend_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the commitment id")
    parser.add_argument("--title", help="the corrected or revised title")
    parser.add_argument("--description")
    parser.add_argument("--occasion")
    parser.add_argument(
        "--deadline", help="e.g. 'in 2026', 'by 2026-12-31'; 'none' removes the deadline"
    )
    parser.add_argument(
        "--fiscal-year-start",
        type=_month,
        metavar="MONTH",
        help="the month (1-12) fiscal years start in, to read '2024-25' or 'FY2024-25'",
    )
    parser.add_argument("--party", action="append", help="the parties, all of them (repeatable)")
    parser.add_argument("--area", action="append", help="the areas, all of them (repeatable)")
    parser.add_argument("--made-on", type=parse_date, help="the corrected date it was made")
    parser.add_argument(
        "--on",
        type=parse_date,
        help="the date the pledge changed (a revision); without it, a correction",
    )
    parser.add_argument("--reason", required=True, help="why it is amended")
    _source_flags(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    _by_flag(parser)


def _run_amend(args: argparse.Namespace, ctx: Context) -> int:
    with _open_for_write(args, ctx) as store:
        current = store[args.id]
        deadline: cm.Deadline | object | None = UNCHANGED
        if args.deadline is not None:
            made_on = args.made_on or current.made_on
            deadline = (
                None
                if args.deadline.strip().lower() == "none"
                else store.deadline(
                    args.deadline, args.on or made_on, fiscal_year_start=args.fiscal_year_start
                )
            )
        given = {
            "title": args.title,
            "description": args.description,
            "occasion": args.occasion,
            "parties": None if args.party is None else tuple(args.party),
            "areas": None if args.area is None else tuple(args.area),
            "made_on": args.made_on,
        }
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        if deadline is not UNCHANGED:
            changes["deadline"] = deadline
        if not changes:
            msg = "amend needs at least one field to change, e.g. --deadline or --title"
            raise UsageError(msg)
        amendment = store.amend(
            args.id,
            reason=args.reason,
            on=args.on,
            source=_sources(args),
            recorded_by=_recorded_by(args, ctx),
            **changes,
        )
    _report_event(ctx, args, amendment)
    return 0


def _month(text: str) -> int:
    """A month number 1-12 for a flag (a fiscal year's start)."""
    try:
        month = int(text.strip())
        check_fiscal_year_start(month)
    except (ValueError, cm.DeadlineError):
        msg = f"expected a month number 1-12 (4 for April), got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return month


def _add_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--file", help="a JSON file: one commitment object or an array of them")
    parser.add_argument("--id", help="a slug: letters, digits, '.', '_', '-'")
    parser.add_argument("--title", help="what was pledged, in a line")
    parser.add_argument("--made-on", type=parse_date, help="when it was pledged")
    parser.add_argument("--party", action="append", default=[], help="a party code (repeatable)")
    parser.add_argument("--deadline", help="e.g. 2026-12-31, 'by 2026-12-31'")
    parser.add_argument(
        "--fiscal-year-start",
        type=_month,
        metavar="MONTH",
        help="the month (1-12) fiscal years start in, to read '2024-25' or 'FY2024-25'",
    )
    parser.add_argument(
        "--window",
        nargs=2,
        type=_date_or_open,
        metavar=("EARLIEST", "LATEST"),
        help="set the deadline's window by hand (YYYY-MM-DD, or - for open), keeping "
        "--deadline as the pledge's own words",
    )
    parser.add_argument(
        "--recurrence", metavar="TEXT", help="a recurring pledge, e.g. 'every year from 2024'"
    )
    parser.add_argument("--description", default="")
    parser.add_argument("--occasion", default="", help="e.g. the summit it was made at")
    parser.add_argument("--area", action="append", default=[], help="a policy area (repeatable)")
    _source_flags(parser)
    parser.add_argument("--restates", action="append", default=[], help="an earlier commitment")
    _by_flag(parser)


def _run_add(args: argparse.Namespace, ctx: Context) -> int:
    by = _recorded_by(args, ctx)
    with _open_for_write(args, ctx) as store:
        items = _added(args, store)
        known = store.recorder.parties()
        if known is None:
            known = {party for c in store.commitments for party in c.parties}
        with store.transaction():
            for commitment in items:
                store.add(commitment, recorded_by=by)
    for party in sorted({p for c in items for p in c.parties} - known):
        near = sorted(k for k in known if _one_apart(party, k))
        if near:
            ctx.err.write(
                f"commitments: warning: party {party} is new in this store and one character "
                f"from {', '.join(near)}; a typo? (amend --party corrects it)\n"
            )
    for commitment in items:
        ctx.out.write(f"{commitment.id}\n")
    return 0


def _added(args: argparse.Namespace, store: Tracker) -> list[cm.Commitment]:
    """The commitments `add` was given: from --file, or from flags."""
    if args.file is not None:
        if args.id or args.title or args.made_on:
            msg = "add takes either --file or --id/--title/--made-on, not both"
            raise UsageError(msg)
        return _commitments_from_file(args.file)
    if not args.id or not args.title or args.made_on is None:
        msg = "add needs --id, --title and --made-on (or --file JSON)"
        raise UsageError(msg)
    deadline = _deadline_of(args, store)
    recurrence = None if args.recurrence is None else cm.Recurrence.parse(args.recurrence)
    return [
        cm.Commitment(
            id=args.id,
            title=args.title,
            made_on=args.made_on,
            parties=tuple(args.party),
            description=args.description,
            occasion=args.occasion,
            areas=tuple(args.area),
            deadline=deadline,
            recurrence=recurrence,
            sources=tuple(_sources(args)),
            restates=tuple(args.restates),
        )
    ]


def _one_apart(a: str, b: str) -> bool:
    """Whether one edit (a character changed, added or removed) turns `a` into `b`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _date_or_open(text: str) -> dt.date | None:
    return None if text == "-" else parse_date(text)


def _deadline_of(args: argparse.Namespace, store: Tracker) -> cm.Deadline | None:
    """The deadline `add` was given: its words read, or its words with a hand-set window.

    Fiscal years are read with --fiscal-year-start, else the store's.
    """
    if args.window is None:
        if args.deadline is None:
            return None
        return store.deadline(args.deadline, args.made_on, fiscal_year_start=args.fiscal_year_start)
    earliest, latest = args.window
    if args.deadline is None:
        msg = "--window sets the window of --deadline TEXT: give the pledge's words too"
        raise UsageError(msg)
    return cm.Deadline.window(earliest, latest, args.deadline)


def _commitments_from_file(name: str) -> list[cm.Commitment]:
    try:
        text = Path(name).read_bytes()
    except OSError as exc:
        msg = f"cannot read {name!r}: {exc.strerror}"
        raise UsageError(msg) from None
    data = read_json(text)
    items = data if isinstance(data, list) else [data]
    return [commitment_from_document(item, f"$[{i}]") for i, item in enumerate(items)]


def _init_flags(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--seed", action="store_true", help="fill it with the seed catalog")
    source.add_argument("--from", dest="catalog", help="fill it from a JSON catalog file")
    parser.add_argument(
        "--fiscal-year-start",
        type=_month,
        metavar="MONTH",
        help="the month (1-12) this tracker's fiscal years start in; add and amend then read "
        "'2024-25' and 'FY2024-25' deadlines by it",
    )


def _run_init(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.store import create_store  # noqa: PLC0415 - keeps sqlite3 off import

    path = _need_store(args, ctx)
    tracker = _seed() if args.seed else (cm.load(args.catalog) if args.catalog else None)
    with create_store(path, tracker, fiscal_year_start=args.fiscal_year_start) as store:
        ctx.out.write(
            f"created store {_shown(path)} with {len(store)} commitments and "
            f"{len(store.events())} events\n"
        )
    return 0


def _import_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("catalog", help="a JSON catalog file (see `export`)")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="add only what the store lacks (another analyst's copy of the same base); "
        "an event differing from one recorded under the same id is refused",
    )


def _run_import(args: argparse.Namespace, ctx: Context) -> int:
    try:
        tracker = cm.load(args.catalog)
    except cm.CatalogError as exc:
        if Path(args.catalog).suffix.lower() in {".csv", ".tsv", ".txt"}:
            msg = (
                f"{exc}; import reads a JSON catalog (see `export`): a CSV of status updates "
                "goes in with `commitments record --batch FILE`"
            )
            raise Refused(msg) from None
        raise
    with _open_for_write(args, ctx) as store:
        if (
            tracker.workflow != store.workflow
            or tracker.policy != store.policy
            or tracker.fiscal_year_start not in (None, store.fiscal_year_start)
        ):
            msg = (
                f"cannot import: the catalog's workflow {tracker.workflow.name!r}, deadline "
                f"policy or fiscal-year start differs from the store's ({store.workflow.name!r}, "
                f"{store.policy!r}, {store.fiscal_year_start})"
            )
            raise Refused(msg)
        events = tracker.events()
        if args.merge:
            added, present = store.merge(events)
        else:
            store.extend(events)
    if args.merge:
        ctx.out.write(f"merged {added} new events; {present} were in the store already\n")
    else:
        ctx.out.write(f"imported {len(tracker)} commitments and {len(events)} events\n")
    return 0


EXPORTS = ("json", "csv", "events-csv", "ical", "atom")


def _export_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=EXPORTS,
        default="json",
        help="json: the catalog (the whole log); csv: assessments per commitment and party; "
        "events-csv: every event; ical: deadlines as a calendar; atom: a feed of updates "
        "(default: json)",
    )
    _date_flags(parser)
    parser.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")


def _run_export(args: argparse.Namespace, ctx: Context) -> int:
    from commitments import reports  # noqa: PLC0415 - only exports need it

    if args.format == "json" and args.known_on is not None:
        msg = "--known-on applies to csv, events-csv, ical and atom; json exports the whole log"
        raise UsageError(msg)
    with _read_tracker(args, ctx) as tracker:
        if args.format == "json":
            if args.output:
                cm.dump(tracker, args.output)
                return 0
            text = terminal_json(cm.dumps(tracker)) + "\n"
        elif args.format == "csv":
            text = reports.assessments_csv(tracker, as_of=args.as_of, known_on=args.known_on)
        elif args.format == "events-csv":
            text = reports.events_csv(tracker, known_on=args.known_on)
        elif args.format == "ical":
            text = reports.to_ical(tracker, as_of=args.as_of, known_on=args.known_on).decode()
        else:
            text = reports.to_atom(tracker, known_on=args.known_on)
    if args.output:
        _write_file(args.output, text)
    else:
        ctx.out.write(text)
    return 0


def _verify_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", help="check a JSON catalog against its digest instead")
    parser.add_argument("--digest", help="also require this digest (say, from a published export)")


def _run_verify(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.integrity import log_digest  # noqa: PLC0415

    if args.catalog is not None:
        try:
            document = read_json(Path(args.catalog).read_bytes())
        except (OSError, cm.CatalogError) as exc:
            msg = f"cannot read catalog {args.catalog!r}: {exc}"
            raise Refused(msg) from None
        sealed = document.get("digest") if isinstance(document, dict) else None
        if sealed is None:
            msg = f"catalog {args.catalog!r} carries no digest (written before digests?)"
            raise Refused(msg)
        found = log_digest(cm.from_document(document).events())
        if sealed != found:
            msg = (
                f"catalog {args.catalog!r} does not match its digest: its log was changed "
                f"after it was written (digest {sealed}, log {found})"
            )
            raise Refused(msg)
        what = f"catalog {args.catalog}"
    else:
        from commitments._sql import SQLRecorder  # noqa: PLC0415
        from commitments.store import open_store  # noqa: PLC0415

        with open_store(_need_store(args, ctx)) as store:
            recorder = store.recorder
            assert isinstance(recorder, SQLRecorder)  # noqa: S101 - open_store makes one
            found = recorder.verify()
            what = f"store {recorder.path} ({len(store)} commitments)"
    if args.digest is not None and args.digest != found:
        msg = f"{what}: digest {found} differs from the one given, {args.digest}"
        raise Refused(msg)
    ctx.out.write(f"ok: {what}; digest {found}\n")
    return 0


def _copy_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", required=True, help="the store to copy")
    parser.add_argument(
        "--to",
        dest="destination",
        required=True,
        help="a new store file, or a PostgreSQL database with no store or an empty one",
    )


def _run_copy(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.store import copy_store, open_store  # noqa: PLC0415

    for flag, given in (("--from", args.source), ("--to", args.destination)):
        if not given:
            msg = f"{flag} is empty (an unset variable?); give a store path or URL"
            raise UsageError(msg)
    sealed = copy_store(args.source, args.destination)
    with open_store(args.destination) as copied:
        counts = f"{len(copied)} commitments and {copied.recorder.event_count()} events"
    ctx.out.write(
        f"copied {counts} from {_shown(args.source)} to {_shown(args.destination)}; "
        f"both logs have digest {sealed}\n"
    )
    return 0


def _backup_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", "-o", required=True, help="the backup file (replaced atomically if it exists)"
    )


def _run_backup(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.store import backup_store  # noqa: PLC0415 - keeps sqlite3 off import

    path = _need_store(args, ctx)
    sealed = backup_store(path, args.output)
    ctx.out.write(f"backed up {path} to {args.output}; digest {sealed}\n")
    return 0


def _grant_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", help="the database role to let in")
    access = parser.add_mutually_exclusive_group(required=True)
    access.add_argument("--read", action="store_true", help="queries, reports and exports")
    access.add_argument("--write", action="store_true", help="reading, and recording changes")


def _run_grant(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.postgres import PostgresRecorder  # noqa: PLC0415
    from commitments.store import open_store  # noqa: PLC0415

    path = _need_store(args, ctx)
    if not _is_server(path):
        msg = (
            f"grant is for PostgreSQL stores; who may read or write {path!r} is set by the "
            "file's permissions"
        )
        raise Refused(msg)
    with open_store(path) as store:
        recorder = store.recorder
        assert isinstance(recorder, PostgresRecorder)  # noqa: S101 - a URL opens one
        recorder.grant(args.role, write=args.write)
    what = "read and append to" if args.write else "read"
    ctx.out.write(f"role {visible(args.role)} may now {what} store {_shown(path)}\n")
    return 0


def _overdue_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when anything is overdue (for cron and CI)"
    )


def _due_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--within",
        type=parse_within,
        help="open commitments whose deadline ends within this span from --as-of, e.g. 30d, "
        f"4w, 3m (default: {DUE_DAYS}d); 'all': every one inside its deadline window",
    )


def _show_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the commitment id")


def _no_flags(_: argparse.ArgumentParser) -> None:
    return None


# -- reports and compliance ------------------------------------------------------------


def _report_flags(parser: argparse.ArgumentParser) -> None:
    _date_flags(parser)
    parser.add_argument(
        "--format", choices=("md", "html"), default="md", help="Markdown or HTML (default: md)"
    )
    parser.add_argument("--title", default="Commitments tracker", help="the report's heading")
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.add_argument(
        "--within",
        type=parse_within,
        help=f"list as due the open commitments whose deadline ends within this span "
        f"(default: {DUE_DAYS}d); 'all': every one inside its deadline window",
    )


def _run_report(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.reports import render_html, render_markdown  # noqa: PLC0415

    render = render_html if args.format == "html" else render_markdown
    with _read_tracker(args, ctx) as tracker:
        span = _span_from(args.within, args.as_of, "due")
        text = render(
            tracker,
            as_of=args.as_of,
            known_on=args.known_on,
            title=args.title,
            due_days=None if span is None else span.days,
        )
    if args.output:
        _write_file(args.output, text)
        ctx.err.write(f"wrote {args.output}\n")
    else:
        ctx.out.write(text)
    return 0


def _write_file(name: str, text: str) -> None:
    try:
        write_atomically(name, text)
    except OSError as exc:
        raise Refused(f"cannot write {name}: {exc.strerror or exc}") from None


def _compliance_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        choices=("party", "commitment", "area"),
        default="party",
        help="group the scores by party, commitment or area (default: party)",
    )


def _run_compliance(args: argparse.Namespace, ctx: Context) -> int:
    from commitments.compliance import format_number  # noqa: PLC0415
    from commitments.reports import compliance_table  # noqa: PLC0415

    with _read_tracker(args, ctx) as tracker:
        report = tracker.compliance(as_of=args.as_of, known_on=args.known_on)
    if args.format == "table":
        ctx.out.write(compliance_table(report, by=args.by))
        return 0
    groups = {"party": report.by_party, "commitment": report.by_commitment, "area": report.by_area}
    scores = [*groups[args.by].items(), ("all", report.overall)]
    if args.format == "json":
        rows = [
            {
                args.by: name,
                "average": None if score.average is None else float(score.average),
                "percent": None if score.percent is None else float(score.percent),
                "average_exact": None if score.average is None else str(score.average),
                "percent_exact": None if score.percent is None else str(score.percent),
                "count": score.count,
            }
            for name, score in scores
        ]
        known_on = None if args.known_on is None else args.known_on.isoformat()
        doc = {"as_of": args.as_of.isoformat(), "known_on": known_on, "by": args.by, "scores": rows}
        ctx.out.write(json.dumps(doc, indent=2) + "\n")
        return 0
    writer = SafeCsv(ctx.out)
    writer.row([args.by, "average", "percent", "count"])
    writer.rows(
        [name, format_number(score.average, 4), format_number(score.percent, 2), score.count]
        for name, score in scores
    )
    return 0


for _command in (
    Command(
        "status",
        "every commitment with its status and deadline flags",
        "commitments status --store tracker.db --as-of 2025-01-01 --format csv",
        _no_flags,
        _run_status,
        query=True,
    ),
    Command(
        "overdue",
        "open commitments past their latest deadline date",
        "commitments overdue --store tracker.db --check || echo 'something is overdue'",
        _overdue_flags,
        _run_overdue,
        query=True,
    ),
    Command(
        "due",
        "open commitments due now, or due within a span",
        "commitments due --within 30d --store tracker.db --format json",
        _due_flags,
        _run_due,
        query=True,
    ),
    Command(
        "fulfilled",
        "commitments fulfilled on the as-of date",
        "commitments fulfilled --store tracker.db --as-of 2024-12-31",
        _no_flags,
        _run_fulfilled,
        query=True,
    ),
    Command(
        "show",
        "one commitment and its timeline, with sources",
        "commitments show cn-kr-2plus2-dialogue",
        _show_flags,
        _run_show,
        query=True,
    ),
    Command(
        "record",
        "record a status update (or a batch of them, all or none)",
        "commitments record cjk-fta-negotiations in_progress --on 2026-05-01 "
        "--source https://example.org/news\n  commitments record --batch updates.csv",
        _record_flags,
        _run_record,
    ),
    Command(
        "retract",
        "retract a recorded update or amendment",
        "commitments retract cjk-fta-negotiations:2 --reason 'the report was denied'",
        _retract_flags,
        _run_retract,
    ),
    Command(
        "amend",
        "correct a commitment (it always read so) or revise it from a date (--on)",
        "commitments amend cjk-10th-summit --deadline 'in 2026' --on 2025-11-24 "
        "--reason 'postponed'",
        _amend_flags,
        _run_amend,
    ),
    Command(
        "add",
        "add a commitment from flags or a JSON file",
        "commitments add --id c1 --title 'Halve emissions' --made-on 2024-01-10 "
        "--deadline 'by the end of 2030' --party EU",
        _add_flags,
        _run_add,
    ),
    Command(
        "init",
        "create a new store: empty, from the seed catalog or from a JSON catalog",
        "commitments init --store tracker.db --from catalog.json",
        _init_flags,
        _run_init,
    ),
    Command(
        "import",
        "add a JSON catalog's commitments and events to the store, all or none",
        "commitments import more.json --store tracker.db",
        _import_flags,
        _run_import,
    ),
    Command(
        "report",
        "a Markdown or self-contained HTML report: counts, deadlines, scores, timeline",
        "commitments report --format html -o tracker.html --as-of 2025-12-31",
        _report_flags,
        _run_report,
    ),
    Command(
        "compliance",
        "compliance scores (+1 kept, 0 partial or in progress, -1 not) by party, pledge or area",
        "commitments compliance --as-of 2025-12-31 --by party",
        _compliance_flags,
        _run_compliance,
        query=True,
    ),
    Command(
        "verify",
        "check the log's hash chains, columns and snapshots; print the digest that seals it",
        "commitments verify --store tracker.db --digest 8d11c1e9...",
        _verify_flags,
        _run_verify,
    ),
    Command(
        "changes",
        "what changed: the events recorded in a window, with the status each moved from and to",
        "commitments changes --since 2026-11-23 --until 2026-11-29 --format csv",
        _changes_flags,
        _run_changes,
    ),
    Command(
        "copy",
        "copy a store's whole history into a new store (SQLite to PostgreSQL and back)",
        "commitments copy --from tracker.db --to postgresql://ana@db.example/tracker",
        _copy_flags,
        _run_copy,
    ),
    Command(
        "backup",
        "a consistent copy of a live SQLite store (never copy the file itself)",
        "commitments backup --store tracker.db -o backups/tracker-2026-12-01.db",
        _backup_flags,
        _run_backup,
    ),
    Command(
        "grant",
        "let a database role read, or read and append to, a PostgreSQL store",
        "commitments grant analyst --write --store postgresql://owner@db.example/tracker",
        _grant_flags,
        _run_grant,
    ),
    Command(
        "export",
        "write the store (or the seed catalog) as a JSON catalog",
        "commitments export --store tracker.db -o catalog.json",
        _export_flags,
        _run_export,
    ),
):
    register(_command)


# -- the parser and the entry point --------------------------------------------------


def build_parser() -> _Parser:
    """The argument parser with every registered subcommand."""
    examples = "\n".join(f"  {c.examples}" for c in COMMANDS.values())
    parser = _Parser(
        prog="commitments",
        description="Track commitments: query their status and record updates in a store.",
        epilog=f"examples:\n{examples}\n\nstore: --store PATH, else ${ENV_STORE}; with neither, "
        "queries read the bundled seed catalog.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    common = _Parser(add_help=False)
    common.add_argument(
        "--store",
        metavar="PATH",
        help=f"the store: a file, or a postgresql:// URL (default: ${ENV_STORE})",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS.values():
        sub = subparsers.add_parser(
            command.name,
            help=command.summary,
            description=command.summary,
            epilog=f"example:\n  {command.examples}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )
        if command.query:
            _query_flags(sub)
        command.flags(sub)
        if command.name in SLICED:
            _slice_flags(sub)
    parser.command_options = {
        option: _values_taken(action)
        for sub in subparsers.choices.values()
        for action in sub._actions  # noqa: SLF001 - argparse keeps them only there
        for option in action.option_strings
        if option not in {"-h", "--help"}
    }
    return parser


def _values_taken(action: argparse.Action) -> int:
    """How many words follow the option: none for a flag, two for `--window A B`."""
    if action.nargs is None:
        return 1
    return action.nargs if isinstance(action.nargs, int) else 1


def _command_first(words: list[str], options: dict[str, int]) -> list[str]:
    """`words` with the command's options given before it moved after it.

    So `commitments --store x.db status` reads as `commitments status --store x.db`.
    """
    moved: list[str] = []
    i = 0
    while i < len(words) and words[i].startswith("-"):
        name = words[i].split("=", 1)[0]
        if name not in options:
            break  # --help, --version, or a mistake argparse reports in its words
        taken = 1 if "=" in words[i] else 1 + options[name]
        moved += words[i : i + taken]
        i += taken
    if not moved or i >= len(words):
        return words
    return [words[i], *moved, *words[i + 1 :]]


# Options whose value may look like a flag to argparse ("--within -3d"); joined to their
# value before parsing, so the value reaches its own check and error message.
_DASH_VALUE_OPTIONS = frozenset({"--within"})


def _join_dash_values(argv: Sequence[str]) -> list[str]:
    joined: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in _DASH_VALUE_OPTIONS:
            value = next(args, None)
            if value is not None and value.startswith("-") and value[1:2].isdigit():
                joined.append(f"{arg}={value}")
                continue
            joined.append(arg)
            if value is not None:
                joined.append(value)
            continue
        joined.append(arg)
    return joined


def run(
    argv: Sequence[str] | None = None,
    *,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
    stdin: IO[str] | None = None,
    environ: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> int:
    """Run the command line; return the exit code. Expected errors become one line."""
    ctx = Context(
        out=sys.stdout if out is None else out,
        err=sys.stderr if err is None else err,
        environ=dict(os.environ) if environ is None else environ,
        today=dt.datetime.now(dt.UTC).date() if today is None else today,
        stdin=sys.stdin if stdin is None else stdin,
    )
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    for number, word in enumerate(words, start=1):
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            ctx.err.write(
                f"commitments: error: argument {number} is not valid text (undecodable bytes)\n"
            )
            return 2
    try:
        try:
            with contextlib.redirect_stdout(ctx.out):
                args = parser.parse_args(
                    _join_dash_values(_command_first(words, parser.command_options))
                )
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help(ctx.out)
            return 2
        if getattr(args, "as_of", "absent") is None:
            args.as_of = ctx.today
        return COMMANDS[args.command].run(args, ctx)
    except UsageError as exc:
        ctx.err.write(f"commitments: error: {exc}\n")
        return 2
    except (CommitmentsError, Refused) as exc:
        ctx.err.write(f"commitments: refused: {exc}\n")
        return 1
    except BrokenPipeError:
        raise  # the reader went away: the entry point ends quietly
    except OSError as exc:
        ctx.err.write(f"commitments: {exc}\n")
        return 1
