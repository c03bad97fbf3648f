"""Files that arrive between runs the way real uploads do: still being copied in, under a
partial-upload name, sent again with changes, typed Parquet, the same name in two Unicode
forms. Nothing is read half-written, nothing is counted twice, nothing is lost."""

import os
import time
import unicodedata

import duckdb
import polars as pl
import pytest

from assets.ingestion.ingest import WAITING, ingest_kind, settled
from tests.adversarial.corpus import csv_bytes, good, typed_parquet

pytestmark = pytest.mark.integration


@pytest.fixture
def leads(workspace):
    folder = workspace.landing("leads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _aged(path, seconds=60):
    past = time.time() - seconds
    os.utime(path, (past, past))


def _ingest(workspace, config, as_of, batch="b"):
    with duckdb.connect(str(workspace.warehouse)) as con:
        return ingest_kind(
            con, "leads", workspace.landing("leads"), workspace.home, as_of, config, batch
        )


def _sql(workspace, query):
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        return con.execute(query).fetchall()


def test_partial_upload_names_wait_until_renamed(workspace, config, as_of, leads):
    for name in ("crm.csv.part", "crm.csv.tmp", "~$crm.xlsx", "export.csv.crdownload"):
        (leads / name).write_bytes(csv_bytes([good(1)]))
        _aged(leads / name)
    assert _ingest(workspace, config, as_of) == []
    (leads / "crm.csv.part").rename(leads / "crm.csv")
    results = _ingest(workspace, config, as_of)
    assert [(r.source_file, r.rows_raw) for r in results] == [("landing/leads/crm.csv", 1)]


def test_a_file_still_growing_waits_for_the_next_run(workspace, config, as_of, leads):
    path = leads / "crm.csv"
    path.write_bytes(csv_bytes([good(1)]))

    def copier_still_writing(seconds):  # the copy goes on while the run waits
        with path.open("ab") as handle:
            handle.write(b"crm_export,R2,2026-10-01,Bo,Lee,bo@acme.example\n")

    ready, waiting = settled([path], interval=5, sleep=copier_still_writing)
    assert (ready, waiting) == ([], [path])
    # the run itself: the file is young, so it is looked at again after the interval
    path.write_bytes(csv_bytes([good(1), good(2)]))
    _aged(path, seconds=0.5)
    started = time.monotonic()
    ready, waiting = settled([path], interval=1)
    assert (ready, waiting) == ([path], [])
    assert time.monotonic() - started >= 0.4  # it did look again


def test_a_waiting_file_is_reported_not_ledgered(workspace, config, as_of, leads, monkeypatch):
    import assets.ingestion.ingest as ingest

    path = leads / "crm.csv"
    path.write_bytes(csv_bytes([good(1)]))
    monkeypatch.setattr(ingest, "settled", lambda paths: ([], list(paths)))
    results = _ingest(workspace, config, as_of)
    assert [(r.source_file, r.status) for r in results] == [("landing/leads/crm.csv", WAITING)]
    assert _sql(workspace, "select count(*) from raw.file_ledger") == [(0,)]


def test_a_file_sent_again_with_changes_is_a_new_version(workspace, config, as_of, leads):
    """Raw keeps both versions, each reconciled with its ledger row; staging keeps one
    row per (source, source record) (dbt unit test a_record_sent_again_is_one_record)."""
    path = leads / "crm.csv"
    path.write_bytes(csv_bytes([good(1), good(2)]))  # read while half copied in
    _aged(path)
    _ingest(workspace, config, as_of, "day1")
    path.write_bytes(csv_bytes([good(1), good(2, first_name="Bob"), good(3)]))
    _aged(path)
    _ingest(workspace, config, as_of, "day2")
    ledger = _sql(
        workspace,
        """select l.rows_in, (select count(*) from raw.leads r where r._file_sha256 = l.file_sha256)
           from raw.file_ledger l order by l.ingested_at""",
    )
    assert ledger == [(2, 2), (3, 3)]
    details = _sql(workspace, "select detail from raw.file_ledger order by ingested_at")
    assert details[0] == (None,) and details[1][0].startswith("new version of a file first")
    latest = _sql(
        workspace,
        """select source_record, first_name from (
             select *, row_number() over (partition by source_id, source_record
                                          order by _ingested_at desc, _row_number desc) as n
             from raw.leads) where n = 1 order by source_record""",
    )
    assert latest == [("R1", "Ann"), ("R2", "Bob"), ("R3", "Ann")]


def test_typed_parquet_rows_each_land_somewhere(workspace, config, as_of, leads):
    (leads / "typed.parquet").write_bytes(typed_parquet())
    _aged(leads / "typed.parquet")
    [result] = _ingest(workspace, config, as_of)
    assert (result.status, result.rows_in) == ("ingested", 4)
    raw = dict(_sql(workspace, "select source_record, captured_on from raw.leads"))
    quarantined = dict(_sql(workspace, "select row_number, reason from raw.quarantine"))
    assert raw == {"P1": "2026-10-01", "P4": "2026-10-04"}
    assert "not UTF-8" in quarantined[2]
    assert "captured_on" in quarantined[3]
    extra = _sql(workspace, "select extra from raw.leads where source_record = 'P1'")[0][0]
    assert '"tags":"[\\"a\\", \\"b\\"]"' in extra and "2026-10-01T09:30:00" in extra


def test_a_timestamp_column_is_accepted_as_a_date(workspace, config, as_of, leads):
    import datetime as dt

    frame = pl.DataFrame(
        {
            "source_id": ["crm_export", "crm_export"],
            "source_record": ["T1", "T2"],
            "captured_on": [dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 2)],
            "email": ["t1@acme.example", "t2@acme.example"],
        }
    )
    frame.write_parquet(leads / "timestamps.parquet")
    _aged(leads / "timestamps.parquet")
    _ingest(workspace, config, as_of)
    assert sorted(_sql(workspace, "select captured_on from raw.leads")) == [
        ("2026-10-01",),
        ("2026-10-02",),
    ]


def test_one_name_in_two_unicode_forms_is_one_spelling(workspace, config, as_of, leads):
    nfd = unicodedata.normalize("NFD", "Zoë Ångström")
    assert nfd != "Zoë Ångström"
    first, last = nfd.split(" ")
    (leads / "mac.csv").write_bytes(csv_bytes([good(1, first_name=first, last_name=last)]))
    (leads / "win.csv").write_bytes(csv_bytes([good(2, first_name="Zoë", last_name="Ångström")]))
    for name in ("mac.csv", "win.csv"):
        _aged(leads / name)
    _ingest(workspace, config, as_of)
    names = _sql(workspace, "select distinct first_name, last_name from raw.leads")
    assert names == [("Zoë", "Ångström")]


def test_formats_as_other_tools_write_them(workspace, config, as_of, leads):
    """JSON lines with U+2028/U+0085 inside values (one row each), keys differing only in
    case (refused with a reason), Excel's `sep=;` line, a semicolon file without it."""
    import json

    rows = [
        {"source_id": "crm_export", "source_record": "J1", "captured_on": "2026-10-01",
         "email": "j1@acme.example", "company_name": "Acme\u2028Ltd"},
        {"source_id": "crm_export", "source_record": "J2", "captured_on": "2026-10-01",
         "email": "j2@acme.example", "city": "Bath\u0085Spa"},
    ]  # fmt: skip
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    body += '{"source_id": "crm_export", "source_record": "J3", "captured_on": "2026-10-01", '
    body += '"Email": "a@acme.example", "email": "b@acme.example"}\n'
    (leads / "crm.jsonl").write_text(body, encoding="utf-8")
    header = "source_id;source_record;captured_on;email\n"
    (leads / "excel.csv").write_text(
        "sep=;\n" + header + "crm_export;S1;2026-10-01;s1@acme.example\n"
    )
    (leads / "semicolons.csv").write_text(header + "crm_export;S2;2026-10-01;s2@acme.example\n")
    for name in ("crm.jsonl", "excel.csv", "semicolons.csv"):
        _aged(leads / name)
    results = {r.source_file.rsplit("/", 1)[1]: r for r in _ingest(workspace, config, as_of)}
    assert (results["crm.jsonl"].rows_in, results["crm.jsonl"].rows_raw) == (3, 2)
    assert results["excel.csv"].rows_raw == results["semicolons.csv"].rows_raw == 1
    reason = _sql(workspace, "select reason from raw.quarantine")[0][0]
    assert "differ only in case" in reason
    kept = dict(
        _sql(workspace, "select source_record, coalesce(company_name, city) from raw.leads")
    )
    assert kept["J1"] == "Acme\u2028Ltd" and kept["J2"] == "Bath\u0085Spa"
    assert {"S1", "S2"} <= set(kept)
