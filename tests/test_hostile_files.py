"""Hostile and broken files against the loader: each one is audited with a status and a message
naming the file (and the row, line or column), rows read = loaded + rejected against the records
the test wrote, and the good file delivered beside it still loads whole."""

from __future__ import annotations

import codecs
import gzip
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from smarketing.ingest import inbox as inbox_module
from smarketing.ingest import loading
from smarketing.ingest.loading import load_inbox
from tests.handmade import HOSTILE, HOSTILE_LEADS, HOSTILE_REJECTED

HEADER = ["Id", "LastName", "FirstName", "Company", "Status", "Email"]
GOOD = "a_good/Lead.csv"  # listed before the cases: a link to it is the duplicate
GOOD_RECORDS = 4


def lead(i: int, first: str = "Timothée", company: str = "Acme") -> list[str]:
    return [f"00Q{i:012d}AAA", "Dupont", first, company, "Open", f"p{i}@exemple.fr"]


def csv_text(rows: list[list[str]], sep: str = ",", newline: str = "\n") -> str:
    return "".join(sep.join(row) + newline for row in [HEADER, *rows])


def leads(n: int, start: int = 1000, **kwargs: str) -> list[list[str]]:
    return [lead(i, **kwargs) for i in range(start, start + n)]


@dataclass(frozen=True)
class Case:
    """A delivery written by WRITE into the inbox as NAME; what the audit must say of it."""

    name: str
    write: Callable[[Path], None]
    status: str
    message: tuple[str, ...] = ()
    records: int = 0
    """the records the test wrote (rows a reader would count)"""
    loaded: int = 0


def text(data: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data.encode(encoding))


def raw(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def open_quote(path: Path) -> None:
    rows = leads(50)
    rows[19][3] = '"Acme'  # row 20 opens a quote it never closes
    path.write_text(csv_text(rows), encoding="utf-8")


def mixed_encodings(path: Path) -> None:
    lines = csv_text(leads(10, first="Gaëlle")).splitlines(keepends=True)
    path.write_bytes(
        b"".join(line.encode("cp1252" if i % 2 else "utf-8") for i, line in enumerate(lines))
    )


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()


def outside_link(path: Path) -> None:
    target = path.parents[2] / "elsewhere" / "Lead.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(csv_text(leads(3, start=9000)), encoding="utf-8")
    path.symlink_to(target)


def broken_link(path: Path) -> None:
    path.symlink_to(path.parent / "missing.csv")


def inside_link(path: Path) -> None:
    path.symlink_to(path.parents[1] / GOOD)


def wide(columns: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        extra = [f"Custom_{i}__c" for i in range(columns - len(HEADER))]
        rows = [row + ["x"] * len(extra) for row in leads(3)]
        path.write_text("".join(",".join(r) + "\n" for r in [HEADER + extra, *rows]))

    return write


def report_with_trailer(path: Path) -> None:
    body = csv_text(leads(3))
    path.write_text(
        body + "\n\nGrand Totals (3 records)\nConfidential Information - Do Not Distribute\n"
    )


CASES = [
    Case("empty.csv", raw(b""), "refused", ("empty.csv", "empty")),
    Case("bom_only.csv", raw(codecs.BOM_UTF8), "refused", ("bom_only.csv", "empty")),
    Case("blank_lines_only.csv", text("\n\n\n"), "refused", ("blank_lines_only.csv", "empty")),
    Case("header_only.csv", text(csv_text([])), "loaded"),
    Case("binary.csv", raw(bytes(range(256)) * 8), "refused", ("binary.csv", "binary data")),
    Case(
        "gzip.csv",
        raw(gzip.compress(csv_text(leads(3)).encode())),
        "refused",
        ("gzip.csv", "gzip archive"),
    ),
    Case("xlsx.csv", raw(b"PK\x03\x04" + bytes(200)), "refused", ("xlsx.csv", "xlsx")),
    Case(
        "xls.csv",
        raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200)),
        "refused",
        ("xls.csv", ".xls"),
    ),
    Case("pdf.csv", raw(b"%PDF-1.7\n" + bytes(100)), "refused", ("pdf.csv", "PDF")),
    Case("export.json", text('{"Id": 1}'), "unknown", ("export.json", "not a CSV export")),
    Case("utf16le.csv", text(csv_text(leads(5)), "utf-16-le"), "loaded", records=5, loaded=5),
    Case("utf16be.csv", text(csv_text(leads(5)), "utf-16-be"), "loaded", records=5, loaded=5),
    Case("utf32le.csv", text(csv_text(leads(5)), "utf-32-le"), "loaded", records=5, loaded=5),
    Case("utf16bom.csv", text(csv_text(leads(5)), "utf-16"), "loaded", records=5, loaded=5),
    Case("cp1252.csv", text(csv_text(leads(5)), "cp1252"), "loaded", records=5, loaded=5),
    Case(
        "mixed.csv",
        mixed_encodings,
        "loaded",
        ("mixed.csv", "mixed encodings", "5 line(s)"),
        records=10,
        loaded=10,
    ),
    Case("cr_only.csv", text(csv_text(leads(5), newline="\r")), "loaded", records=5, loaded=5),
    Case("crlf.csv", text(csv_text(leads(5), newline="\r\n")), "loaded", records=5, loaded=5),
    Case("tabs.tsv", text(csv_text(leads(5), sep="\t")), "loaded", records=5, loaded=5),
    Case("semicolons.csv", text(csv_text(leads(5), sep=";")), "loaded", records=5, loaded=5),
    Case("pipes.txt", text(csv_text(leads(5), sep="|")), "loaded", records=5, loaded=5),
    Case(
        "duplicate_headers.csv",
        text(
            "Id,LastName,Email,Company,Status,Email\n"
            + "00Q000000001000AAA,D,a@x.fr,A,Open,b@x.fr\n"
        ),
        "loaded",
        records=1,
        loaded=1,
    ),
    Case(
        "reordered.csv",
        text(
            "Email,Status,Company,FirstName,LastName,Id\n"
            + "r@x.fr,Open,Acme,Rémi,Roux,00Q000000001000AAA\n"
        ),
        "loaded",
        records=1,
        loaded=1,
    ),
    Case(
        "huge_field.csv",
        text(csv_text([lead(1000, company='"' + "x" * 1_000_000 + '"'), *leads(2, start=1001)])),
        "loaded",
        records=3,
        loaded=3,
    ),
    Case(
        "nul_byte.csv",
        text(csv_text([lead(1000, company="Ac\x00me"), *leads(2, start=1001)])),
        "loaded",
        records=3,
        loaded=3,
    ),
    Case(
        "open_quote.csv",
        open_quote,
        "loaded_with_rejects",
        ("open_quote.csv", "1 row(s) rejected"),
        records=50,
        loaded=49,
    ),
    Case(
        "stray_quote.csv",
        text(csv_text([lead(1000, company='Acme "The Best" SA'), *leads(2, start=1001)])),
        "loaded",
        records=3,
        loaded=3,
    ),
    Case(
        "short_and_long_rows.csv",
        text(csv_text([*leads(3), lead(2000)[:3], [*lead(2001), "extra"]])),
        "loaded_with_rejects",
        ("short_and_long_rows.csv", "2 row(s) rejected"),
        records=5,
        loaded=3,
    ),
    Case(
        "empty_key.csv",
        text(csv_text([*leads(2), ["", "Dupont", "Tim", "Acme", "Open", "x@x.fr"]])),
        "loaded_with_rejects",
        ("empty_key.csv", "1 row(s) rejected"),
        records=3,
        loaded=2,
    ),
    Case(
        "duplicate_ids.csv",
        text(csv_text([lead(1000), lead(1000), lead(1001)])),
        "loaded",
        records=3,
        loaded=3,
    ),
    Case(
        "blank_lines_between.csv",
        text(csv_text(leads(2)) + "\n" + "".join(",".join(r) + "\n" for r in leads(2, start=1002))),
        "loaded",
        ("blank_lines_between.csv", "not records"),
        records=5,
        loaded=4,
    ),
    Case(
        "report_trailer.csv",
        report_with_trailer,
        "loaded",
        ("report_trailer.csv", "not records"),
        records=7,
        loaded=3,
    ),
    Case(
        "dates_and_amounts.csv",
        text(
            "Id,AccountId,Name,Amount,StageName,CloseDate,Probability,IsWon,IsClosed\n"
            "006000000001000AAA,001000000001000AAA,Far future,-500,Prospecting,2999-01-01,250,"
            "false,false\n"
            "006000000001001AAA,001000000001000AAA,Long ago,1e12,Closed Won,1900-01-01,-5,"
            "true,true\n"
        ),
        "loaded",
        records=2,
        loaded=2,
    ),
    Case(
        "unknown_header.csv",
        text("Foo,Bar,Baz\n1,2,3\n"),
        "unknown",
        ("unknown_header.csv", "matches no known export"),
    ),
    Case(
        "no_id_column.csv",
        text("LastName,FirstName,Company,Status,Email\nDupont,Tim,Acme,Open,t@x.fr\n"),
        "unknown",
        ("no_id_column.csv", "closest: salesforce__lead"),
    ),
    Case("too_wide.csv", wide(loading.MAX_COLUMNS + 1), "refused", ("too_wide.csv", "columns")),
    Case("wide.csv", wide(1_500), "loaded", records=3, loaded=3),
    Case("fifo.csv", fifo, "refused", ("fifo.csv", "named pipe")),
    Case("folder.csv", folder, "refused", ("folder.csv", "a folder")),
    Case("outside_link.csv", outside_link, "refused", ("outside_link.csv", "outside the inbox")),
    Case("broken_link.csv", broken_link, "error", ("broken_link.csv", "does not exist")),
    Case("inside_link.csv", inside_link, "duplicate"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every case in one inbox beside a good delivery, loaded once."""
    root = tmp_path_factory.mktemp("hostile")
    inbox = root / "inbox"
    (inbox / GOOD).parent.mkdir(parents=True)
    (inbox / GOOD).write_text(csv_text(leads(GOOD_RECORDS, start=1)), encoding="utf-8")
    for case in CASES:
        (inbox / "cases").mkdir(exist_ok=True)
        case.write(inbox / "cases" / case.name)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    load_inbox(con, inbox, run_id="hostile")
    audit = {
        row[0]: row[1:]
        for row in con.execute(
            "select source_file, status, error, rows_read, rows_loaded, rows_rejected "
            "from audit.load_audit"
        ).fetchall()
    }
    yield {"con": con, "audit": audit, "inbox": inbox}
    con.close()


def test_the_corpus_has_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_file_is_audited_and_nothing_is_lost(corpus: dict, case: Case) -> None:
    source_file = f"cases/{case.name}"
    assert source_file in corpus["audit"], f"{case.name} has no audit row"
    status, error, read, loaded, rejected = corpus["audit"][source_file]
    assert status == case.status, error
    for part in case.message:
        assert part in (error or ""), error
    assert read == loaded + rejected
    assert read == case.records
    assert loaded == case.loaded
    if loaded:
        in_raw = (
            corpus["con"]
            .execute(
                "select count(*) from raw.salesforce__lead where _source_file = ?", [source_file]
            )
            .fetchone()[0]
            + corpus["con"]
            .execute(
                "select count(*) from raw.salesforce__opportunity where _source_file = ?",
                [source_file],
            )
            .fetchone()[0]
        )
        assert in_raw == loaded


def test_the_good_file_beside_them_loads_whole(corpus: dict) -> None:
    status, _error, read, loaded, rejected = corpus["audit"][GOOD]
    assert (status, read, loaded, rejected) == ("loaded", GOOD_RECORDS, GOOD_RECORDS, 0)


def test_rejected_rows_name_their_row_and_line(corpus: dict) -> None:
    rows = (
        corpus["con"]
        .execute(
            "select source_file, row_number, line_number, reason from audit.rejected_rows "
            "where source_file in ('cases/open_quote.csv', 'cases/short_and_long_rows.csv') "
            "order by source_file, row_number"
        )
        .fetchall()
    )
    assert rows[0][:3] == ("cases/open_quote.csv", 20, 21)
    assert "quote" in rows[0][3]
    assert [r[1:3] for r in rows[1:]] == [(4, 5), (5, 6)]
    assert "expected 6 fields, found 3" in rows[1][3]


def test_decoded_text_is_the_text_written(corpus: dict) -> None:
    names = (
        corpus["con"]
        .execute(
            "select distinct _source_file, first_name from raw.salesforce__lead "
            "where _source_file in ('cases/utf16le.csv', 'cases/utf32le.csv', 'cases/mixed.csv', "
            "'cases/cp1252.csv', 'cases/cr_only.csv') order by 1"
        )
        .fetchall()
    )
    assert [name for _file, name in names] == [
        "Timothée",
        "Timothée",
        "Gaëlle",
        "Timothée",
        "Timothée",
    ]


def test_an_unreadable_file_is_an_audit_row_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Lead.csv").write_text(csv_text(leads(3)), encoding="utf-8")
    (inbox / "secret.csv").write_text(csv_text(leads(3, start=5000)), encoding="utf-8")
    scan = loading.scan_file

    def denied(path: Path) -> tuple[str, bool]:
        # this process is root here: the OS would let it read a file of mode 000
        if path.name == "secret.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return scan(path)

    monkeypatch.setattr(loading, "scan_file", denied)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_inbox(con, inbox)
    audit = dict(
        con.execute(
            "select source_file, status || ': ' || coalesce(error, '') from audit.load_audit"
        ).fetchall()
    )
    assert audit["secret.csv"] == "error: secret.csv: cannot be read: Permission denied"
    assert con.execute("select count(*) from raw.salesforce__lead").fetchone()[0] == 3


def test_a_file_that_vanishes_before_it_is_read_is_an_audit_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Lead.csv").write_text(csv_text(leads(3)), encoding="utf-8")
    listed = inbox_module.entries

    def with_ghost(folder: Path) -> list[inbox_module.Entry]:
        return [*listed(folder), inbox_module.Entry(folder / "gone.csv", "gone.csv")]

    monkeypatch.setattr(loading, "inbox_entries", with_ghost)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_inbox(con, inbox)
    audit = dict(
        con.execute(
            "select source_file, status || ': ' || coalesce(error, '') from audit.load_audit"
        ).fetchall()
    )
    assert audit["gone.csv"] == "error: gone.csv: disappeared before it was read"
    assert audit["Lead.csv"].startswith("loaded")


def test_a_link_out_of_the_inbox_loads_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outside_link(inbox / "Lead.csv")
    monkeypatch.setenv(inbox_module.SYMLINKS_ENV, "follow")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_inbox(con, inbox)
    assert con.execute("select status, rows_loaded from audit.load_audit").fetchall() == [
        ("loaded", 3)
    ]


def test_a_file_still_being_written_is_deferred_then_loaded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "Lead.csv"
    rows = csv_text(leads(50)).splitlines(keepends=True)
    path.write_text("".join(rows[:6]), encoding="utf-8")
    monkeypatch.setenv(inbox_module.SETTLE_ENV, "1.5")

    def writer() -> None:  # a copy still at work while the run starts
        for line in rows[6:]:
            time.sleep(0.03)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(line)

    thread = threading.Thread(target=writer)
    thread.start()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_inbox(con, inbox, run_id="first")
    thread.join()
    first = con.execute("select status, rows_read, error from audit.load_audit").fetchall()
    assert first[0][:2] == ("deferred", 0)
    assert "still being written" in first[0][2]
    assert con.execute("select count(*) from raw.salesforce__lead").fetchone()[0] == 0

    load_inbox(con, inbox, run_id="second")
    assert con.execute(
        "select status, rows_read, rows_loaded from audit.load_audit where run_id = 'second'"
    ).fetchall() == [("loaded", 50, 50)]


@pytest.mark.parametrize("cut", [False, True], ids=["at a line end", "inside a line"])
def test_a_longer_delivery_of_the_same_file_does_not_count_its_rows_twice(
    tmp_path: Path, cut: bool
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "Lead.csv"
    full = csv_text(leads(50))
    part = csv_text(leads(5))
    if cut:  # the earlier copy stopped inside record 6
        part = full[: len(part) + 20]
    path.write_text(part, encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_inbox(con, inbox, run_id="partial")
    path.write_text(full, encoding="utf-8")
    load_inbox(con, inbox, run_id="whole")
    raw_rows = con.execute(
        "select count(*), count(distinct id), min(_row_number), max(_row_number) "
        "from raw.salesforce__lead"
    ).fetchone()
    assert raw_rows == (50, 50, 1, 50)
    status, read, loaded, error = con.execute(
        "select status, rows_read, rows_loaded, error from audit.load_audit where run_id = 'whole'"
    ).fetchone()
    # the cut record was rejected in the shorter file: it is read again, whole, from this one
    assert (status, read, loaded) == ("loaded", 45, 45)
    assert "extends the delivery of the same name" in error


def test_beside_hostile_files_every_readable_lead_reaches_the_marts(handmade: dict) -> None:
    """The shared hand-made run (tests/handmade.py) holds a hostile folder: a UTF-16 file without
    BOM, CR line ends, an unclosed quote, a workbook renamed .csv, a folder and a named pipe
    named like exports. The run is published, each is audited, and each lead that could be read
    is in the marts."""
    run = handmade["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Published:" in run.stdout
    con = duckdb.connect(str(handmade["root"] / "warehouse.duckdb"), read_only=True)
    try:
        audit = dict(
            con.execute(
                "select source_file, status from audit.load_audit where source_file like ?",
                [f"{HOSTILE}/%"],
            ).fetchall()
        )
        linked = {
            row[0]
            for row in con.execute(
                "select record_key from marts.bridge_lead_source_records "
                "where record_key like 'salesforce:lead:00Q00000000H%'"
            ).fetchall()
        }
        rejected = con.execute(
            "select raw_fields[1] from audit.rejected_rows where source_file = ?",
            [f"{HOSTILE}/Lead-open-quote.csv"],
        ).fetchall()
    finally:
        con.close()
    assert audit == {
        f"{HOSTILE}/Lead-utf16-no-bom.csv": "loaded",
        f"{HOSTILE}/Lead-cr-only.csv": "loaded",
        f"{HOSTILE}/Lead-open-quote.csv": "loaded_with_rejects",
        f"{HOSTILE}/Lead-workbook.csv": "refused",
        f"{HOSTILE}/Lead-folder.csv": "refused",
        f"{HOSTILE}/Lead-pipe.csv": "refused",
    }
    written = {row["Id"] for rows in HOSTILE_LEADS.values() for row in rows}
    assert linked == {f"salesforce:lead:{lead_id}" for lead_id in written - {HOSTILE_REJECTED}}
    assert len(rejected) == 1 and rejected[0][0].startswith(HOSTILE_REJECTED)
