"""The command line: queries, writes, batches, formats, exit codes and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import commitments as cm
from commitments import cli
from store_support import SEED_NOTICE, python, run, sample_tracker


@pytest.fixture
def db(store_path) -> str:
    return str(store_path)


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class TestQueries:
    def test_status_json(self, db):
        """`status --format json` lists every commitment made by the as-of date."""
        code, out, _ = run("status", "--store", db, "--as-of", "2024-10-01", "--format", "json")
        doc = json.loads(out)
        assert code == 0
        assert doc["as_of"] == "2024-10-01"
        assert [r["id"] for r in doc["commitments"]] == ["ndc", "fund", "fund-2"]
        assert list(doc["commitments"][0]) == list(cli.LISTING_COLUMNS)

    def test_status_csv(self, db):
        """`status --format csv` has the documented header and one row per commitment."""
        _, out, _ = run("status", "--store", db, "--as-of", "2024-10-01", "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert tuple(rows[0]) == cli.LISTING_COLUMNS
        assert {r["id"]: r["overdue"] for r in rows} == {
            "ndc": "false",
            "fund": "false",
            "fund-2": "false",
        }

    def test_overdue_check_exit_codes(self, db):
        """`overdue --check` exits 1 when something is overdue and 0 when nothing is."""
        assert run("overdue", "--store", db, "--as-of", "2025-01-01", "--check")[0] == 1
        assert run("overdue", "--store", db, "--as-of", "2024-06-01", "--check")[0] == 0

    def test_due_within(self, db):
        """`due --within 30d` keeps open commitments whose latest date falls in the span."""
        _, out, _ = run("due", "--store", db, "--as-of", "2024-12-10", "--within", "30d")
        assert "ndc" in out
        _, out, _ = run("due", "--store", db, "--as-of", "2024-11-10", "--within", "30d")
        assert "ndc" not in out

    def test_negative_within_gets_its_own_message(self, db):
        """`--within -3d` reaches the span check, not argparse's "expected one argument"."""
        for args in (("--within", "-3d"), ("--within=-3d",)):
            code, _, err = run("due", "--store", db, *args)
            assert code == 2
            assert "expected a span such as 30d, 4w or 3m, got '-3d'" in err

    def test_known_on_hides_later_recording(self, db):
        """`--known-on` before anything was recorded shows no commitment at all."""
        _, out, _ = run(
            "status", "--store", db, "--as-of", "2024-10-01", "--known-on", "2024-05-31",
            "--format", "json",
        )  # fmt: skip
        assert json.loads(out)["commitments"] == []
        _, out, _ = run(
            "status", "--store", db, "--as-of", "2024-10-01", "--known-on", "2024-06-01",
            "--format", "json",
        )  # fmt: skip
        assert len(json.loads(out)["commitments"]) == 3

    def test_fulfilled_and_show(self, db):
        """`fulfilled` lists fulfilled ones; `show` gives the timeline with sources."""
        assert run("fulfilled", "--store", db)[1].strip() == "(none)"
        code, out, _ = run("show", "ndc", "--store", db, "--format", "json")
        doc = json.loads(out)
        assert code == 0
        assert [e["id"] for e in doc["events"]] == ["ndc:0", "ndc:1", "ndc:2"]
        assert [e["type"] for e in doc["events"]] == ["added", "update", "update"]
        assert doc["events"][1]["sources"] == ["https://example.org/a"]
        text = run("show", "fund", "--store", db)[1]
        assert "retracted by fund:3" in text

    def test_store_from_environment(self, db):
        """COMMITMENTS_STORE selects the store when --store is absent."""
        code, out, _ = run("status", "--format", "csv", environ={cli.ENV_STORE: db})
        assert code == 0
        assert "ndc" in out

    def test_no_store_reads_the_seed_catalog(self):
        """Without a store, queries read the bundled seed catalog."""
        code, out, _ = run("status", "--as-of", "2025-01-01", "--format", "csv")
        assert code == 0
        assert "cn-kr-2plus2-dialogue" in out


class TestWrites:
    def test_record_then_status(self, db):
        """`record` prints the new update id and the status reflects it."""
        code, out, _ = run("record", "fund-2", "in_progress", "--on", "2024-06-01", "--store", db)
        assert (code, out.strip()) == (0, "fund-2:1")
        _, out, _ = run("status", "--store", db, "--format", "json")
        rows = {r["id"]: r for r in json.loads(out)["commitments"]}
        assert rows["fund-2"]["status"] == "in_progress"

    def test_refused_record_exits_1(self, db):
        """A refused update exits 1 with one line on stderr and leaves the store alone."""
        before = digest(db)
        code, _, err = run("record", "ndc", "in_progress", "--on", "2020-01-01", "--store", db)
        assert code == 1
        assert err.count("\n") == 1
        assert "precedes" in err
        assert digest(db) == before

    def test_usage_errors_exit_2(self, db):
        """Bad flags exit 2 with a single line naming what is allowed."""
        code, _, err = run("record", "ndc", "x", "--on", "June", "--store", db)
        assert code == 2
        assert "YYYY-MM-DD" in err
        assert err.count("\n") == 1
        assert run("status", "--format", "xml", "--store", db)[0] == 2

    def test_write_without_store_explains_init(self):
        """A write with no store says how to create one."""
        code, _, err = run("record", "ndc", "fulfilled", "--on", "2024-06-01")
        assert code == 2
        assert "commitments init" in err

    def test_add_retract_and_export_import(self, db, tmp_path):
        """add, retract, export and import round trip through a new store."""
        code, _, _ = run(
            "add", "--store", db, "--id", "c9", "--title", "New", "--made-on", "2024-01-01",
            "--deadline", "by 2024-12-31", "--party", "EU",
        )  # fmt: skip
        assert code == 0
        assert run("retract", "ndc:1", "--reason", "denied", "--store", db)[0] == 0
        exported = run("export", "--store", db)[1]
        catalog = tmp_path / "c.json"
        catalog.write_text(exported)
        other = str(tmp_path / "other.db")
        assert run("init", "--store", other)[0] == 0
        assert run("import", str(catalog), "--store", other)[0] == 0
        assert run("export", "--store", other)[1] == exported

    def test_init_refuses_existing(self, db):
        """`init` never overwrites an existing file."""
        assert run("init", "--store", db)[0] == 1

    def test_add_from_file(self, db, tmp_path):
        """`add --file` adds every commitment in a JSON array, all or none."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps([{"id": "a1", "title": "A", "made_on": "2024-01-01"}]))
        assert run("add", "--file", str(path), "--store", db) == (0, "a1\n", "")
        assert run("add", "--file", str(path), "--store", db)[0] == 1

    def test_help_everywhere_has_examples(self):
        """`--help` works for the tool and every subcommand, with an example."""
        for name in ("", *cli.COMMANDS):
            code, out, _ = run(*([name] if name else []), "--help")
            assert code == 0
            assert "example" in out

    def test_python_dash_m_and_light_import(self):
        """`python -m commitments` runs, and `import commitments` skips the CLI's imports."""
        assert python("-m", "commitments", "--version")[0] == 0
        check = "import sys, commitments; print(sorted({'argparse', 'sqlite3'} & set(sys.modules)))"
        assert python("-c", check)[1].strip() == "[]"


class TestBatch:
    def test_csv_batch_all_applied(self, db, tmp_path):
        """A valid CSV batch records every line in one go."""
        path = tmp_path / "b.csv"
        path.write_text(
            "commitment_id,status,on,note,source\n"
            "fund-2,in_progress,2024-04-01,started,https://example.org/x\n"
            "fund-2,stalled,2024-05-01,,\n"
        )
        assert run("record", "--batch", str(path), "--store", db)[0] == 0
        with cm.open_store(db) as t:
            assert [u.status for u in t.history("fund-2")] == [
                cm.Status.IN_PROGRESS,
                cm.Status.STALLED,
            ]

    def test_bad_lines_refuse_the_whole_batch(self, db):
        """Any refused line refuses the batch; each is reported with its line number."""
        before = digest(db)
        lines = [
            json.dumps({"commitment_id": "fund-2", "status": "in_progress", "on": "2024-04-01"}),
            "",
            json.dumps({"commitment_id": "nope", "status": "in_progress", "on": "2024-04-01"}),
            "{not json",
            json.dumps(
                {"commitment_id": "fund-2", "status": "stalled", "on": "2024-05-01", "x": 1}
            ),
        ]
        code, _, err = run("record", "--batch", "-", "--store", db, stdin="\n".join(lines))
        assert code == 1
        assert [line.split(":")[1].strip() for line in err.splitlines()[:3]] == [
            "line 3",
            "line 4",
            "line 5",
        ]
        assert "nothing recorded" in err
        assert digest(db) == before

    def test_batch_lines_validate_against_each_other(self, db):
        """Lines of a batch see the earlier lines: two terminal updates conflict."""
        text = "commitment_id,status,on\nfund-2,fulfilled,2024-04-01\nfund-2,broken,2024-05-01\n"
        code, _, err = run("record", "--batch", "-", "--store", db, stdin=text)
        assert code == 1
        assert "line 3" in err


def _cli_batch_inputs():
    valid_csv = "commitment_id,status,on,party,note\nndc,in_progress,2024-04-01,EU,ok\n"
    valid_jsonl = json.dumps({"commitment_id": "fund-2", "status": "stalled", "on": "2024-04-01"})
    base = st.sampled_from([valid_csv, valid_jsonl])
    return st.tuples(
        base,
        st.lists(st.tuples(st.integers(0, 200), st.characters(codec="utf-8")), max_size=6),
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "t.db"
    cm.create_store(path, sample_tracker()).close()
    return path


class TestCliFuzz:
    @given(case=_cli_batch_inputs())
    def test_mutated_batches(self, template, case):
        """A mutated batch exits 0, 1 or 2 with clean messages; refused ones change nothing."""
        text, edits = case
        chars = list(text)
        for position, char in edits:
            chars[position % len(chars)] = char
        mutated = "".join(chars)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "t.db"
            path.write_bytes(template.read_bytes())
            before = digest(str(path))
            code, _, err = run("record", "--batch", "-", "--store", str(path), stdin=mutated)
            assert code in {0, 1, 2}
            assert "Traceback" not in err
            assert "internal error" not in err
            if code != 0:
                assert digest(str(path)) == before
                assert err.startswith("commitments: ")

    @given(
        args=st.lists(
            st.sampled_from(
                [
                    "status",
                    "overdue",
                    "due",
                    "show",
                    "record",
                    "ndc",
                    "--as-of",
                    "2024-13-01",
                    "--within",
                    "x",
                    "--format",
                    "json",
                    "--check",
                    "--on",
                    "2024-06-01",
                    "fulfilled",
                ]
            ),
            max_size=6,
        )
    )
    def test_random_argument_lists(self, template, args):
        """Random argument lists end in an exit code and one-line errors, never a crash."""
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "t.db"
            path.write_bytes(template.read_bytes())
            before = digest(str(path))
            code, _, err = run(*args, "--store", str(path)) if args else run()
            assert code in {0, 1, 2}
            assert "internal error" not in err
            if code != 0 or "record" not in args:
                assert digest(str(path)) == before


class TestReportsFromTheCommandLine:
    def test_markdown_report_of_the_seed_catalog(self):
        """`report` without a store renders the seed catalog as Markdown."""
        code, out, _ = run("report", "--as-of", "2025-12-31")
        assert code == 0
        assert out.startswith("# Commitments tracker")
        assert "cn-kr-2plus2-dialogue" in out
        assert "| **Total** | 18 |" in out

    def test_html_report_to_file(self, tmp_path):
        """`report --format html -o FILE` writes a self-contained page."""
        target = tmp_path / "tracker.html"
        code, _, err = run("report", "--format", "html", "-o", str(target), "--as-of", "2025-12-31")
        assert code == 0
        assert str(target) in err
        page = target.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert page.count('<g class="row" data-commitment="') == 18
        assert "<script" not in page

    def test_compliance_formats(self):
        """`compliance` prints a table, exact JSON fractions, or CSV grouped as asked."""
        code, table, _ = run("compliance", "--as-of", "2025-12-31")
        assert code == 0
        assert "CN" in table
        assert "All" in table
        code, text, _ = run("compliance", "--as-of", "2025-12-31", "--format", "json")
        doc = json.loads(text)
        assert doc["by"] == "party"
        overall = doc["scores"][-1]
        assert overall["party"] == "all"
        assert overall["count"] == sum(s["count"] for s in doc["scores"][:-1])
        code, text, _ = run(
            "compliance", "--as-of", "2025-12-31", "--format", "csv", "--by", "area"
        )
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"trade", "security"} <= {r["area"] for r in rows}
        assert rows[-1]["area"] == "all"

    def test_compliance_changes_with_known_on(self):
        """As known before any follow-up was recorded, every party scores -1."""
        code, text, _ = run(
            "compliance", "--as-of", "2025-12-31", "--known-on", "2023-01-01", "--format", "json"
        )
        assert code == 0
        assert {s["average_exact"] for s in json.loads(text)["scores"]} == {"-1"}
        code, text, _ = run("compliance", "--as-of", "2025-12-31", "--format", "json")
        assert json.loads(text)["scores"][-1]["average"] > -1


class TestSeedStatusTable:
    def test_recurrence_and_lateness_are_shown(self):
        """The main job's table names a recurring rule and flags an overdue pledge."""
        code, out, _ = run("status", "--as-of", "2025-06-30")
        assert code == 0
        rows = {line.split()[0]: line for line in out.splitlines()[1:]}
        assert "every year from 2008" in rows["cjk-leaders-summit-annual"]
        assert "OVERDUE" in rows["cn-kr-fta-phase2-resumption"]
        code, out, _ = run("status", "--as-of", "2025-06-30", "--format", "json")
        by_id = {r["id"]: r for r in json.loads(out)["commitments"]}
        summit = by_id["cjk-leaders-summit-annual"]
        assert (summit["recurrence"], summit["missed_periods"]) == ("every year from 2008", 8)
        assert by_id["cn-kr-2plus2-dialogue"]["recurrence"] is None


class TestCsvSafety:
    def test_formula_cells_are_disarmed(self, tmp_path):
        """A title that a spreadsheet would run as a formula is quoted in CSV output."""
        path = str(tmp_path / "s.db")
        assert run("init", "--store", path)[0] == 0
        code, _, err = run(
            "add", "--store", path, "--id", "evil", "--title", '=HYPERLINK("x")',
            "--made-on", "2024-01-01",
        )  # fmt: skip
        assert code == 0, err
        code, out, _ = run("status", "--store", path, "--as-of", "2024-02-01", "--format", "csv")
        row = next(csv.DictReader(io.StringIO(out)))
        assert row["title"] == '\'=HYPERLINK("x")'


class TestStoreAgreesWithSeed:
    @pytest.mark.parametrize(
        "args",
        [
            ("overdue", "--as-of", "2026-06-30"),
            ("overdue", "--as-of", "2026-06-30", "--known-on", "2026-06-30"),
            ("overdue", "--as-of", "2024-07-01"),
            ("due", "--as-of", "2025-06-30", "--within", "all"),
            ("due", "--as-of", "2025-12-10", "--within", "30d"),
            ("fulfilled", "--as-of", "2025-12-31"),
            ("status", "--as-of", "2025-06-30"),
        ],
        ids=" ".join,
    )
    def test_same_answers(self, tmp_path, args):
        """A store seeded from the catalog answers every query as the catalog does."""
        path = str(tmp_path / "seed.db")
        assert run("init", "--store", path, "--seed")[0] == 0
        _, from_seed, _ = run(*args, "--format", "csv")
        _, from_store, _ = run(*args, "--format", "csv", "--store", path)
        assert sorted(from_store.splitlines()) == sorted(from_seed.splitlines())
        assert len(from_seed.splitlines()) > 1  # something to compare


class TestReviewedEdges:
    def test_batch_line_numbers_count_blank_lines(self, tmp_path):
        """A refused batch row is reported on its own line of the file."""
        path = str(tmp_path / "s.db")
        run("init", "--store", path)
        run("add", "--store", path, "--id", "c1", "--title", "t", "--made-on", "2024-01-01")
        batch = tmp_path / "b.csv"
        batch.write_text(
            "commitment_id,status,on\n\nc1,in_progress,2024-02-01\n\nc1,bogus,2024-02-02\n"
        )
        code, _, err = run("record", "--batch", str(batch), "--store", path)
        assert code == 1
        assert "line 5:" in err
        assert "line 4:" not in err

    def test_unwritable_report_path_is_one_clear_line(self):
        """A report that cannot be written says so plainly."""
        code, _, err = run("report", "-o", "/nonexistent/dir/x.md", "--as-of", "2025-01-01")
        assert code == 1
        assert "cannot write /nonexistent/dir/x.md" in err
        assert "; c; a" not in err

    def test_add_file_reads_text_deadlines(self, tmp_path):
        """add --file accepts a deadline in words, as catalogs do."""
        path = str(tmp_path / "s.db")
        run("init", "--store", path)
        one = tmp_path / "one.json"
        one.write_text(
            '{"id": "q2", "title": "t", "made_on": "2024-05-26", "deadline": "in mid-June"}'
        )
        assert run("add", "--store", path, "--file", str(one))[0] == 0
        _, out, _ = run("status", "--store", path, "--as-of", "2024-06-12", "--format", "json")
        row = json.loads(out)["commitments"][0]
        assert (row["deadline_earliest"], row["deadline_latest"], row["due"]) == (
            "2024-06-11",
            "2024-06-20",
            True,
        )

    def test_unknown_id_suggests_the_close_one(self, tmp_path):
        """A typo'd id on a store suggests the stored id it resembles."""
        path = str(tmp_path / "s.db")
        run("init", "--store", path, "--seed")
        code, _, err = run("show", "cn-kr-2plsu2-dialogue", "--store", path)
        assert code == 1
        assert "did you mean cn-kr-2plus2-dialogue" in err

    def test_file_errors_are_refusals(self, tmp_path):
        """Writing an export to a directory, or reading a directory as a store, is refused."""
        code, _, err = run("export", "-o", str(tmp_path))
        err = err.removeprefix(SEED_NOTICE)
        assert (code, err.startswith("commitments: refused:")) == (1, True)
        assert "is a directory" in err
        code, _, err = run("status", "--store", str(tmp_path))
        assert code == 1
        assert "is a directory, not a store file" in err


class TestAmendAndKnowledge:
    def test_amend_corrects_and_revises(self, db):
        """`amend` records a correction, or a revision with --on; `show` lists both (item 1)."""
        code, out, err = run(
            "amend", "fund", "--title", "Fund the facility in full", "--reason", "typo",
            "--source", "https://x.test/c", "--by", "ana", "--store", db,
        )  # fmt: skip
        assert (code, err) == (0, "")
        correction = out.strip()
        code, out, _ = run(
            "amend", "ndc", "--deadline", "by 2025-12-31", "--on", "2024-11-20",
            "--reason", "postponed at the summit", "--store", db, "--format", "json",
        )  # fmt: skip
        revision = json.loads(out)
        assert code == 0
        assert revision["on"] == "2024-11-20"
        assert revision["changes"]["deadline"]["latest"] == "2025-12-31"
        assert revision["recorded_by"] is None or revision["recorded_by"]
        with cm.open_store(db) as t:
            assert t["fund"].title == "Fund the facility in full"
            assert t.commitment("ndc", as_of=dt.date(2024, 11, 19)).deadline == cm.Deadline.by(
                dt.date(2024, 12, 31)
            )
            assert str(t["ndc"].deadline) == "by 2025-12-31"
            assert t.event(correction).recorded_by == "ana"
        text = run("show", "fund", "--store", db)[1]
        assert "corrected: title by ana" in text
        assert "reason: typo" in text

    def test_amend_needs_a_reason_and_a_field(self, db):
        """No --reason is a usage error; no field to change is refused; nothing is written."""
        before = digest(db)
        assert run("amend", "fund", "--title", "x", "--store", db)[0] == 2
        code, _, err = run("amend", "fund", "--reason", "r", "--store", db)
        assert code == 2
        assert "at least one field" in err
        code, _, err = run("amend", "fund", "--parties", "EU", "--reason", "r", "--store", db)
        assert code == 2
        code, _, err = run("amend", "ndc", "--party", "EU", "--reason", "r", "--store", db)
        assert code == 1
        assert "unknown party 'CN'" in err
        assert digest(db) == before

    def test_by_defaults_to_the_environment(self, db):
        """Without --by, writes name $COMMITMENTS_USER."""
        code, out, _ = run(
            "record", "fund-2", "in_progress", "--on", "2024-05-01", "--store", db,
            environ={"COMMITMENTS_USER": "min-jun"},
        )  # fmt: skip
        assert code == 0
        with cm.open_store(db) as t:
            assert t.event(out.strip()).recorded_by == "min-jun"

    def test_show_known_on_shows_only_what_was_recorded(self, db):
        """`show --known-on K` lists only events recorded by K, and marks an update
        retracted only by a retraction recorded by K (item 3)."""
        with cm.open_store(db) as t:
            update = t.record("fund-2", "in_progress", on=dt.date(2024, 6, 1),
                              recorded_at=dt.datetime(2024, 6, 20, 9, tzinfo=dt.UTC))  # fmt: skip
            t.retract(update.id, reason="misread",
                      recorded_at=dt.datetime(2024, 6, 25, 9, tzinfo=dt.UTC))  # fmt: skip

        def shown(known_on: str) -> dict:
            code, out, _ = run("show", "fund-2", "--store", db, "--known-on", known_on,
                               "--as-of", "2024-06-30", "--format", "json")  # fmt: skip
            assert code == 0
            return json.loads(out)

        early = shown("2024-06-19")
        assert [e["type"] for e in early["events"]] == ["added"]
        assert early["assessment"]["status"] == "pledged"
        middle = shown("2024-06-21")
        assert [e["type"] for e in middle["events"]] == ["added", "update"]
        assert middle["events"][1]["retracted_by"] is None
        assert middle["assessment"]["status"] == "in_progress"
        late = shown("2024-06-25")
        assert [e["type"] for e in late["events"]] == ["added", "update", "retraction"]
        assert late["events"][1]["retracted_by"] == late["events"][2]["id"]
        assert late["assessment"]["status"] == "pledged"
        code, _, err = run("show", "fund-2", "--store", db, "--known-on", "2024-05-31")
        assert code == 1
        assert "first recorded" in err


def test_verify_catalog_checks_the_digest_it_carries(tmp_path):
    """`verify --catalog` passes an export, names a changed log and a missing digest."""
    exported = tmp_path / "c.json"
    assert run("export", "-o", str(exported))[0] == 0
    code, out, _ = run("verify", "--catalog", str(exported))
    assert code == 0
    assert out.startswith("ok: catalog")
    doc = json.loads(exported.read_text())
    update = next(e for e in doc["events"] if e["type"] == "update")
    update["note"] = update.get("note", "") + " (edited afterwards)"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc))
    code, _, err = run("verify", "--catalog", str(changed))
    assert code == 1
    assert "does not match its digest" in err
    del doc["digest"]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(doc))
    code, _, err = run("verify", "--catalog", str(bare))
    assert code == 1
    assert "carries no digest" in err


def _columns(text: str) -> int:
    """Terminal columns, counted independently of the code under test."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_tables_align_by_display_width(tmp_path):
    """Titles, deadlines and areas in Chinese, Japanese or Korean take two columns a
    character: columns after them stay aligned."""
    db = str(tmp_path / "t.db")
    at = dt.datetime(2024, 5, 27, tzinfo=dt.UTC)
    with cm.create_store(db) as t:
        for cid, deadline, area in (
            ("a", "2024年6月中旬", "外交"),
            ("b", "by 2024-06-30", "trade"),
        ):
            t.add(cm.Commitment(id=cid, title="t", made_on=dt.date(2024, 5, 26), areas=(area,),
                                parties=("CN",), deadline=cm.Deadline.window(
                                    dt.date(2024, 6, 11), dt.date(2024, 6, 30), deadline)),
                  recorded_at=at)  # fmt: skip
    _, out, _ = run("status", "--store", db, "--as-of", "2024-07-01")
    header, *rows = out.splitlines()
    flags = header.index("FLAGS")
    assert [_columns(row[: row.index("OVERDUE")]) for row in rows] == [flags, flags]
    _, out, _ = run("compliance", "--by", "area", "--store", db, "--as-of", "2024-07-01")
    lines = [line for line in out.splitlines() if line.startswith(("外交", "trade", "All"))]
    assert len({_columns(line) for line in lines}) == 1  # right-aligned numbers end together


def test_a_late_fulfilment_shows_how_late(tmp_path):
    """The FLAGS cell counts the days from the deadline in force to the fulfilment."""
    db = str(tmp_path / "t.db")
    at = dt.datetime(2024, 5, 27, tzinfo=dt.UTC)
    with cm.create_store(db) as t:
        made = dt.date(2024, 5, 26)
        early_june = cm.Deadline.parse("in early June", made_on=made)
        t.add(cm.Commitment(id="talks", title="Resume talks", made_on=made, deadline=early_june),
              recorded_at=at)  # fmt: skip
        t.record("talks", "fulfilled", on=dt.date(2025, 1, 15),
                 recorded_at=dt.datetime(2025, 1, 16, tzinfo=dt.UTC))  # fmt: skip
    _, out, _ = run("status", "--store", db, "--as-of", "2025-02-01")
    assert "219d late" in out.splitlines()[1]


def test_listings_carry_what_a_pivot_needs():
    """parties, areas, occasion and made_on in JSON (lists) and CSV (semicolon-joined)."""
    code, out, _ = run("overdue", "--as-of", "2026-11-30", "--format", "json")
    assert code == 0
    fta = next(
        r for r in json.loads(out)["commitments"] if r["id"] == "cn-kr-fta-phase2-resumption"
    )
    assert (fta["parties"], fta["areas"], fta["made_on"]) == (
        ["CN", "KR"],
        ["trade", "investment"],
        "2024-05-26",
    )
    assert "9th trilateral summit" in fta["occasion"]
    code, out, _ = run("overdue", "--as-of", "2026-11-30", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    row = next(r for r in rows if r["id"] == "cn-kr-fta-phase2-resumption")
    assert (row["parties"], row["areas"], row["made_on"]) == (
        "CN;KR",
        "trade;investment",
        "2024-05-26",
    )
    assert list(rows[0]) == list(cli.LISTING_COLUMNS)


def test_add_reads_fiscal_years_only_with_their_start(tmp_path):
    db = str(tmp_path / "t.db")
    run("init", "--store", db)
    argv = ["add", "--id", "budget", "--title", "Balance the budget", "--made-on", "2024-05-01",
            "--deadline", "FY2024-25", "--store", db]  # fmt: skip
    code, _, err = run(*argv)
    assert code == 1
    assert "fiscal year" in err
    assert run(*argv, "--fiscal-year-start", "4")[0] == 0
    with cm.open_store(db) as t:
        deadline = t["budget"].deadline
        assert (deadline.earliest, deadline.latest) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    code, _, err = run(*argv, "--fiscal-year-start", "13")
    assert code == 2
    assert "month number 1-12" in err


class TestSmallCourtesies:
    """What a new user trips on, answered in the user's terms."""

    def test_options_may_come_before_the_command(self, db):
        before = run("--store", db, "--as-of", "2024-12-10", "due", "--format", "csv")
        after = run("due", "--store", db, "--as-of", "2024-12-10", "--format", "csv")
        assert before == after
        assert before[0] == 0
        assert run(f"--store={db}", "show", "ndc")[0] == 0
        code, _, err = run("--bogus", "status")
        assert code == 2
        assert "unrecognized arguments: --bogus" in err
        # An option of two values (--window A B) moves after the command whole.
        code, _, err = run("--store", db, "--window", "-", "2027-05-31", "add", "--id", "w0",
                           "--title", "Halve it", "--made-on", "2024-01-01",
                           "--deadline", "before the next election")  # fmt: skip
        assert (code, err) == (0, "")
        with cm.open_store(db) as t:
            assert t["w0"].deadline.latest == dt.date(2027, 5, 31)

    def test_within_takes_calendar_months(self, db):
        """3m from 10 November reaches 10 February: ndc's end-of-2024 deadline is inside."""
        _, out, _ = run("due", "--store", db, "--as-of", "2024-11-10", "--within", "3m")
        assert "ndc" in out
        _, out, _ = run("due", "--store", db, "--as-of", "2024-11-10", "--within", "1m")
        assert "ndc" not in out

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            ("2025-02-30", "2025-02-30 is not a real date: February 2025 has 28 days"),
            ("2024-02-30", "2024-02-30 is not a real date: February 2024 has 29 days"),
            ("2025-13-01", "2025-13-01 is not a real date: there is no month 13"),
            ("0000-01-15", "0000-01-15 is not a real date: there is no year 0"),
            ("30/02/2025", "expected a date YYYY-MM-DD, got '30/02/2025'"),
        ],
    )
    def test_a_date_that_does_not_exist_says_why(self, day, message):
        code, _, err = run("status", "--as-of", day)
        assert code == 2
        assert message in err

    def test_show_suggests_ids_whatever_their_case(self):
        code, _, err = run("show", "CJK-FTA-NEGOTIATIONS")
        assert code == 1
        assert "did you mean cjk-fta-negotiations" in err

    def test_retract_explains_event_ids(self, db):
        code, _, err = run("retract", "ndc", "--reason", "x", "--store", db)
        assert code == 1
        assert "an event's id is COMMITMENT_ID:N" in err

    def test_import_of_a_csv_points_to_record_batch(self, db, tmp_path):
        path = tmp_path / "updates.csv"
        path.write_text("commitment_id,status,on\nndc,fulfilled,2024-12-01\n", encoding="utf-8")
        code, _, err = run("import", str(path), "--store", db)
        assert code == 1
        assert "`commitments record --batch FILE`" in err

    def test_the_seed_catalog_says_so_on_stderr(self, db):
        code, out, err = run("overdue", "--as-of", "2026-11-30")
        assert (code, err) == (0, SEED_NOTICE)
        assert "cjk-leaders-summit-annual" in out
        assert run("overdue", "--store", db)[2] == ""  # a store: nothing to say


class TestCitations:
    def test_a_citation_without_a_url(self, db):
        code, out, err = run(
            "record", "ndc", "in_progress", "--on", "2024-06-01", "--source-title",
            "Annual progress report", "--publisher", "Ministry of Environment",
            "--published-on", "2024-06-03", "--store", db,
        )  # fmt: skip
        assert (code, err) == (0, "")
        with cm.open_store(db) as t:
            (source,) = t.event(out.strip()).sources
        assert source == cm.Source(
            title="Annual progress report",
            publisher="Ministry of Environment",
            published_on=dt.date(2024, 6, 3),
        )

    def test_a_url_with_its_citation(self, db):
        code, out, _ = run(
            "amend", "ndc", "--title", "Update the NDC", "--reason", "wording",
            "--source", "https://example.org/r", "--source-title", "Report", "--store", db,
        )  # fmt: skip
        assert code == 0
        with cm.open_store(db) as t:
            assert t.event(out.strip()).sources == (
                cm.Source(url="https://example.org/r", title="Report"),
            )

    @pytest.mark.parametrize(
        ("flags", "message"),
        [
            (["--source", "Annual report 2024"], "--source takes an http(s) URL"),
            (["--source", "ftp://example.org/x"], "--source takes an http(s) URL"),
            (["--source", "https://a.test", "--source", "https://b.test", "--publisher", "X"],
             "describe one source"),
        ],
    )  # fmt: skip
    def test_a_source_that_is_not_a_url_gets_a_hint(self, db, flags, message):
        code, _, err = run("record", "ndc", "in_progress", "--on", "2024-06-01", *flags,
                           "--store", db)  # fmt: skip
        assert code == 2
        assert message in err
        assert "--source-title" in err or "one source" in err


def test_a_recurring_row_shows_its_period_streak_and_misses():
    code, out, _ = run("status", "--as-of", "2024-07-01")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("cjk-leaders-summit-annual"))
    # The Seoul summit of May 2024 met the 2024 period: not overdue, a streak of one.
    assert "met (pledged)" in row
    assert "streak 1, 8 missed" in row  # 2013-14, 2016-17 and 2020-23
    assert "OVERDUE" not in row
    code, out, _ = run("status", "--as-of", "2024-07-01", "--format", "json")
    summit = next(
        r for r in json.loads(out)["commitments"] if r["id"] == "cjk-leaders-summit-annual"
    )
    assert (summit["period"], summit["streak"], summit["missed_periods"]) == ("met", 1, 8)


def test_due_looks_ninety_days_ahead_unless_told_otherwise(db):
    """A pledge due by the end of 2024 is not due now in June 2024; --within all says it is."""
    code, out, _ = run("due", "--store", db, "--as-of", "2024-06-01")
    assert (code, out) == (0, "(none)\n")
    _, out, _ = run("due", "--store", db, "--as-of", "2024-06-01", "--within", "all")
    assert "ndc" in out
    _, out, _ = run("due", "--store", db, "--as-of", "2024-10-05")  # 87 days before the end
    assert "ndc" in out
    _, out, _ = run("report", "--store", db, "--as-of", "2024-06-01")
    assert "## Due within 90 days (0)" in out
    _, out, _ = run("report", "--store", db, "--as-of", "2024-06-01", "--within", "all")
    assert "## Due (" in out
    assert "ndc" in out.split("## Due (")[1]


def test_a_party_code_one_character_from_a_known_one_is_flagged(db):
    code, out, err = run("add", "--id", "n1", "--title", "New", "--made-on", "2024-06-01",
                         "--party", "eu ", "--store", db)  # fmt: skip
    assert (code, out) == (0, "n1\n")
    with cm.open_store(db) as t:
        assert t["n1"].parties == ("EU",)
    known = {p for c in cm.open_store(db).commitments for p in c.parties}
    near = next(p for p in sorted(known) if len(p) == 2)
    typo = near[0] + "X" if near[1] != "X" else near[0] + "Y"
    code, _, err = run("add", "--id", "n2", "--title", "New", "--made-on", "2024-06-01",
                       "--party", typo, "--store", db)  # fmt: skip
    assert code == 0
    assert f"party {typo} is new in this store and one character from" in err
    code, _, err = run("add", "--id", "n3", "--title", "New", "--made-on", "2024-06-01",
                       "--party", "eu", "--store", db)  # fmt: skip
    assert (code, err) == (0, "")  # a known code, in any case: nothing to say


def test_add_keeps_a_pledges_words_with_a_hand_set_window_and_takes_recurrences(db):
    code, _, err = run("add", "--id", "w1", "--title", "Halve it", "--made-on", "2024-01-01",
                       "--deadline", "before the next election", "--window", "-", "2027-05-31",
                       "--store", db)  # fmt: skip
    assert (code, err) == (0, "")
    code, _, err = run("add", "--id", "w2", "--title", "Meet yearly", "--made-on", "2024-01-01",
                       "--recurrence", "every year from 2024", "--store", db)  # fmt: skip
    assert (code, err) == (0, "")
    with cm.open_store(db) as t:
        deadline = t["w1"].deadline
        assert (deadline.text, deadline.earliest, deadline.latest) == (
            "before the next election", None, dt.date(2027, 5, 31),
        )  # fmt: skip
        assert t["w2"].recurrence == cm.Recurrence.parse("every year from 2024")
    code, _, err = run("add", "--id", "w3", "--title", "X", "--made-on", "2024-01-01",
                       "--window", "2024-01-01", "2024-02-01", "--store", db)  # fmt: skip
    assert code == 2
    assert "give the pledge's words too" in err
    code, _, err = run("add", "--id", "w4", "--title", "X", "--made-on", "2024-01-01",
                       "--recurrence", "now and then", "--store", db)  # fmt: skip
    assert code == 1
    assert "now and then" in err


def test_a_party_code_one_letter_longer_or_shorter_is_flagged_too(db):
    """As the README says: KOR beside KR (an insertion), and E beside EU (a deletion)."""
    run("add", "--id", "k0", "--title", "Korea", "--made-on", "2024-06-01",
        "--party", "KR", "--store", db)  # fmt: skip
    for cid, typo, near in (("k1", "KOR", "KR"), ("e1", "E", "EU")):
        code, _, err = run("add", "--id", cid, "--title", "New", "--made-on", "2024-06-01",
                           "--party", typo, "--store", db)  # fmt: skip
        assert code == 0
        assert f"party {typo} is new in this store and one character from {near}" in err


def test_within_months_stops_at_a_shorter_months_end_and_at_the_end_of_time():
    """3m is the same day three months on, or that month's last day; never past 9999."""
    assert cli.Months(1).days_from(dt.date(2024, 1, 31)) == dt.timedelta(days=29)  # 29 Feb
    assert cli.Months(3).days_from(dt.date(2024, 11, 10)) == (
        dt.date(2025, 2, 10) - dt.date(2024, 11, 10)
    )
    assert cli.Months(3).days_from(dt.date(9999, 11, 1)) == dt.date.max - dt.date(9999, 11, 1)
