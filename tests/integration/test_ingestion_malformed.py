"""Malformed landing files: every bad row in quarantine with a reason, good rows in raw,
counts reconciled per file, and re-ingesting the same files adds nothing. Real DuckDB file."""

from __future__ import annotations

import codecs
import io
import json

import duckdb
import polars as pl
import pytest

from assets.ingestion.ingest import ingest_kind
from assets.ingestion.landing_schemas import SCHEMAS

HEADER = list(SCHEMAS["leads"].columns)
GOOD = [
    "crm_export",
    "R1",
    "2026-10-01",
    "Ann",
    "Lee",
    "ann@acme.example",
    "+44 20 7946 0958",
    "Acme",
    "acme.example",
    "Owner",
    "GB",
    "London",
    "",  # inquiry: what they asked, on a form (none here)
]


def row(**changes: str) -> list[str]:
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(changes)
    return list(values.values())


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def ingest(workspace, config, as_of):
    def run(kind: str = "leads"):
        with duckdb.connect(str(workspace.warehouse)) as con:
            return ingest_kind(
                con, kind, workspace.landing(kind), workspace.home, as_of, config, "test"
            )

    return run


def q(workspace, sql: str):
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def quarantine(workspace, file_name: str) -> dict[int, str]:
    rows = q(
        workspace,
        f"select row_number, reason from raw.quarantine where source_file like '%{file_name}'",
    )
    return dict(rows)


def raw_rows(workspace, file_name: str) -> list[int]:
    return [
        r[0]
        for r in q(
            workspace,
            f"select _row_number from raw.leads where _source_file like '%{file_name}' order by 1",
        )
    ]


def test_each_malformation_is_quarantined_with_its_reason(workspace, ingest):
    landing = workspace.landing("leads")
    # bad encoding: row 2 has a Latin-1 byte; rows 1 and 3 are fine
    latin = csv_text(
        HEADER,
        [row(source_record="L1"), row(source_record="L2", city="Zürich"), row(source_record="L3")],
    )
    (landing / "latin1.csv").write_bytes(latin.encode("latin-1"))
    # missing optional columns: the rows are kept, the columns empty
    (landing / "missing.csv").write_text(
        csv_text(HEADER[:-2], [row()[:-2], row(source_record="M2")[:-2]])
    )
    # wrong types and impossible values
    wrong = [
        row(source_record="W1"),
        row(source_record="W2", captured_on="31/12/2025"),
        row(source_record="W3", captured_on="2026-02-30"),
        row(source_record="W4", captured_on="2027-01-01"),
        row(source_record="W5", source_id="bought_list"),
        row(source_record="W6", source_id=""),
        row(source_record="W7", email="", phone="", company_name="", city=""),
        row(source_record="W8", email="not-an-email"),
        # no address, phone or company, but a name and a city: identity can still find them
        row(source_record="W9", email="", phone="", company_name=""),
        row(source_record="W10", email="", phone="", company_name="", last_name=""),
    ]
    (landing / "wrong_types.csv").write_text(csv_text(HEADER, wrong))
    # an empty file and a header-only file
    (landing / "empty.csv").write_bytes(b"")
    (landing / "header_only.csv").write_text(",".join(HEADER) + "\n")
    # duplicate header
    (landing / "dup_header.csv").write_text(csv_text([*HEADER, "email"], [[*row(), "x@y.example"]]))
    # a 10 MB field
    (landing / "huge.csv").write_text(
        csv_text(HEADER, [row(source_record="H1"), row(source_record="H2", city="x" * 10_000_000)])
    )
    # ragged rows and mixed line endings and quoted newlines
    ragged = (
        csv_text(HEADER, [row(source_record="G1", city="Line\nbreak")], "\r\n")
        + "crm_export,G2,2026-10-01\n"
        + ",".join(row(source_record="G3"))
        + "\r"
    )
    (landing / "ragged.csv").write_text(ragged, newline="")
    # UTF-16 with BOM is read, not rejected
    (landing / "utf16.csv").write_bytes(
        codecs.BOM_UTF16_LE
        + csv_text(HEADER, [row(source_record="U1", city="Kraków")]).encode("utf-16-le")
    )
    # JSON lines with a broken line and an array
    lines = [
        json.dumps(dict(zip(HEADER, row(source_record="J1"), strict=True))),
        "{broken",
        "[1, 2]",
    ]
    (landing / "form.jsonl").write_text("\n".join(lines) + "\n")
    # a corrupt parquet file and an unsupported type
    (landing / "corrupt.parquet").write_bytes(b"PAR1 not really")
    (landing / "notes.txt").write_text("hello")

    results = {r.source_file.split("/")[-1]: r for r in ingest()}

    assert quarantine(workspace, "latin1.csv") == {
        2: "row holds bytes that are not valid UTF-8; re-save the file as UTF-8"
    }
    assert raw_rows(workspace, "latin1.csv") == [1, 3]

    assert quarantine(workspace, "missing.csv") == {}
    assert raw_rows(workspace, "missing.csv") == [1, 2]

    wrong_reasons = quarantine(workspace, "wrong_types.csv")
    assert wrong_reasons[2] == "captured_on '31/12/2025' is not a date (YYYY-MM-DD)"
    assert wrong_reasons[3] == "captured_on '2026-02-30' is not a date (YYYY-MM-DD)"
    assert wrong_reasons[4] == "captured_on 2027-01-01 is after the run date 2026-11-24"
    assert "'bought_list' is not in the lead-source registry" in wrong_reasons[5]
    assert wrong_reasons[6] == "no value for 'source_id'"
    assert "nothing identifies the row" in wrong_reasons[7]
    assert "first_name + last_name + city" in wrong_reasons[7]
    assert "nothing identifies the row" in wrong_reasons[10]  # one name and a city: nobody
    # an invalid email does not lose the lead: it is kept and flagged
    assert raw_rows(workspace, "wrong_types.csv") == [1, 8, 9]
    assert q(
        workspace,
        "select email_normalised, email_issue is not null from raw.leads where source_record = "
        "'W8'",
    ) == [(None, True)]

    assert results["empty.csv"].status == "empty" and results["empty.csv"].rows_in == 0
    assert results["header_only.csv"].rows_in == 0
    assert "repeats column name(s) ['email']" in quarantine(workspace, "dup_header.csv")[1]
    assert quarantine(workspace, "huge.csv") == {
        2: "a field is 10000000 characters long, over the 65536 limit"
    }
    assert raw_rows(workspace, "huge.csv") == [1]
    assert quarantine(workspace, "ragged.csv") == {
        2: f"row has 3 fields, the header has {len(HEADER)}"
    }
    assert raw_rows(workspace, "ragged.csv") == [1, 3]
    assert q(workspace, "select city from raw.leads where source_record = 'G1'") == [
        ("Line\nbreak",)
    ]
    assert q(workspace, "select city from raw.leads where source_record = 'U1'") == [("Kraków",)]
    assert results["utf16.csv"].rows_raw == 1
    form = quarantine(workspace, "form.jsonl")
    assert form[2].startswith("not valid JSON") and form[3] == "a JSON list, not an object"
    assert results["corrupt.parquet"].status == "unreadable"
    assert "not a readable Parquet file" in quarantine(workspace, "corrupt.parquet")[0]
    assert "unsupported file type '.txt'" in quarantine(workspace, "notes.txt")[0]

    # nothing lost: per file, rows in = raw + quarantine, counted in the tables
    for name, result in results.items():
        in_raw = len(raw_rows(workspace, name))
        in_quarantine = len(quarantine(workspace, name))
        assert result.rows_in == result.rows_raw + result.rows_quarantined, name
        assert (in_raw, in_quarantine) == (result.rows_raw, result.rows_quarantined), name

    # the original row is kept beside its reason
    [(original,)] = q(
        workspace,
        "select original_row from raw.quarantine where source_file like '%wrong_types.csv' and "
        "row_number = 5",
    )
    assert json.loads(original)["source_id"] == "bought_list"

    before = q(
        workspace, "select (select count(*) from raw.leads), (select count(*) from raw.quarantine)"
    )
    assert ingest() == []  # same content: skipped
    assert (
        q(
            workspace,
            "select (select count(*) from raw.leads), (select count(*) from raw.quarantine)",
        )
        == before
    )


def test_extra_columns_are_kept_in_extra(workspace, ingest):
    frame = pl.DataFrame([dict(zip(HEADER, row(), strict=True)) | {"Lead Score": "88"}])
    frame.write_parquet(workspace.landing("leads") / "partner.parquet")
    ingest()
    [(extra,)] = q(workspace, "select extra from raw.leads")
    assert json.loads(extra) == {"lead_score": "88"}


def test_every_kind_has_a_raw_table_even_without_files(workspace, ingest):
    for kind in SCHEMAS:
        ingest(kind)
    tables = {
        r[0]
        for r in q(
            workspace, "select table_name from information_schema.tables where table_schema = 'raw'"
        )
    }
    assert tables >= {*SCHEMAS, "file_ledger", "quarantine"}


def test_suppression_rows_validate_reason_and_keys(workspace, ingest):
    text = (
        "suppression_ref,email,domain,phone,reason,scope,scope_value,effective_at,requested_by\n"
        "S1,Ann@Acme.example,,,Unsubscribe,global,,2026-11-20T10:00:00Z,reply\n"
        "S2,,acme.example,,client_exclusion,client,c1,2026-11-20 10:00:00,ops\n"
        "S3,bob@acme.example,,,because,global,,2026-11-20T10:00:00Z,ops\n"
        "S4,,,,complaint,global,,2026-11-20T10:00:00Z,ops\n"
        "S5,c@acme.example,,,complaint,global,,yesterday,ops\n"
    )
    (workspace.landing("suppressions") / "s.csv").write_text(text)
    ingest("suppressions")
    # fail closed: a row that names someone stops them however malformed it is; what was
    # in doubt is suppressed globally and goes to a human; a row naming nobody is quarantined
    assert q(
        workspace,
        "select suppression_ref, email_key, reason, scope, domain_key, effective_at, needs_review "
        "from raw.suppressions order by 1",
    ) == [
        ("S1", "ann@acme.example", "unsubscribe", "global", None, "2026-11-20 10:00:00", False),
        ("S2", None, "client_exclusion", "global", "acme.example", "2026-11-20 10:00:00", True),
        ("S3", "bob@acme.example", "do_not_contact", "global", None, "2026-11-20 10:00:00", True),
        ("S5", "c@acme.example", "complaint", "global", None, "1970-01-01 00:00:00", True),
    ]
    reasons = quarantine(workspace, "s.csv")
    assert list(reasons) == [4] and "nothing identifies the row" in reasons[4]
    tasks = q(
        workspace, "select detail from review.tasks where kind = 'review_suppression' order by 1"
    )
    assert [t[0].split(":")[0] for t in tasks] == [
        "landing/suppressions/s.csv row 2",
        "landing/suppressions/s.csv row 3",
        "landing/suppressions/s.csv row 4",
        "landing/suppressions/s.csv row 5",
    ]


def test_suppression_cells_naming_several_addresses_stop_each(workspace, ingest):
    (workspace.landing("suppressions") / "several.csv").write_text(
        'email,reason\n"ann@acme.example; bob@beta.example",unsubscribe\ncat@gamma.example,spam\n'
    )
    (workspace.landing("suppressions") / "lines.jsonl").write_text(
        '{"email": "dan@delta.example", "reason": "opt\u2028out"}\n'
        '{"Email": "eve@eps.example", "email": "fay@phi.example"}\n',
        encoding="utf-8",
    )
    ingest("suppressions")
    keys = q(workspace, "select email_key from raw.suppressions order by 1")
    assert [k for (k,) in keys] == [
        "ann@acme.example",
        "bob@beta.example",
        "cat@gamma.example",
        "dan@delta.example",
    ]
    ids = q(
        workspace, "select count(distinct suppression_record_id), count(*) from raw.suppressions"
    )
    assert ids == [(4, 4)]
    # keys that differ only in case: which address is meant is ambiguous, so a human looks
    assert "differ only in case" in quarantine(workspace, "lines.jsonl")[2]


def test_a_suppression_number_without_its_country_is_read_in_the_countries_we_contact(
    workspace, ingest, config
):
    # the offers contact GB, IE and US; a number typed as a person says it has no country
    assert {c for o in config.offers for c in o.countries} >= {"GB", "US"}
    (workspace.landing("suppressions") / "calls.csv").write_text(
        "suppression_ref,phone,reason\n"
        "S1,020 7946 0958,DNC\n"  # a London number, valid in GB only
        "S2,201 555 0123,DNC\n"  # a number in GB and in the US: both stop
        "S3,12345,DNC\n"  # nobody's number anywhere: kept as written
        "S4,+44 20 7946 0958,DNC\n"  # with its country: as before
    )
    ingest("suppressions")
    rows = q(
        workspace,
        "select suppression_ref, phone_key, needs_review from raw.suppressions order by 1, 2",
    )
    # before, S1 and S2 kept their national form, which matches no lead's E.164 number:
    # the person on that number was never suppressed
    assert rows == [
        ("S1", "+442079460958", False),
        ("S2", "+12015550123", True),
        ("S2", "+442015550123", True),
        ("S3", "12345", True),
        ("S4", "+442079460958", False),
    ]
    ids = q(workspace, "select count(distinct suppression_record_id) from raw.suppressions")
    assert ids == [(5,)]
    notes = dict(
        q(workspace, "select suppression_ref, interpretation from raw.suppressions order by 1")
    )
    assert "read as +442079460958" in notes["S1"]
    assert "2 countries we contact" in notes["S2"]
    assert "not a number in any country we contact" in notes["S3"]
    tasks = q(workspace, "select detail from review.tasks where kind = 'review_suppression'")
    assert sorted({t[0].split(":")[0] for t in tasks}) == [
        "landing/suppressions/calls.csv row 2",
        "landing/suppressions/calls.csv row 3",
    ]
