"""Broken and hostile landing files: the run completes, every row is in raw or quarantine
with a reason, and nothing already in the warehouse changes."""

import duckdb
import pytest

from assets.ingestion.ingest import ingest_kind
from tests.adversarial.corpus import PAYLOADS, csv_bytes, good, landing_files

pytestmark = pytest.mark.integration


def snapshot(con) -> dict[str, tuple]:
    rows = con.execute(
        "select * exclude (_batch_id) from raw.leads order by lead_record_id"
    ).fetchall()
    return {r[0]: r for r in rows}


def test_every_broken_file_is_accounted_for_row_by_row(workspace, config, as_of):
    leads = workspace.landing("leads")
    leads.mkdir(parents=True, exist_ok=True)
    (leads / "baseline.csv").write_bytes(csv_bytes([good(i) for i in range(1000, 1010)]))
    con = duckdb.connect(str(workspace.warehouse))
    try:
        ingest_kind(con, "leads", leads, workspace.home, as_of, config, "baseline")
        before = snapshot(con)
        corpus = landing_files()
        for name, data in corpus:
            (leads / name).write_bytes(data)
        results = ingest_kind(con, "leads", leads, workspace.home, as_of, config, "hostile")
        after = snapshot(con)
        ledger = con.execute(
            """select l.source_file, l.rows_in,
                   (select count(*) from raw.leads r where r._file_sha256 = l.file_sha256),
                   (select count(*) from raw.quarantine q where q.file_sha256 = l.file_sha256),
                   (select count(*) from raw.quarantine q where q.file_sha256 = l.file_sha256 and
                   coalesce(q.reason, '') = '')
               from raw.file_ledger l where l.kind = 'leads'"""
        ).fetchall()
    finally:
        con.close()
    # every corpus file was read (none skipped, none crashed the run)
    assert {r.source_file.rsplit("/", 1)[-1] for r in results} == {name for name, _ in corpus}
    # nothing lost: per file, rows in = rows in raw + rows in quarantine;
    # every quarantined row has a reason
    for source_file, rows_in, in_raw, in_quarantine, without_reason in ledger:
        assert rows_in == in_raw + in_quarantine, source_file
        assert without_reason == 0, source_file
    # nothing already there changed
    assert {k: v for k, v in after.items() if k in before} == before
    # the payload file's rows are stored as text, inert (each value kept as it came, or
    # quarantined with a reason)
    payload_file = next(r for r in results if r.source_file.endswith("payloads.csv"))
    assert payload_file.rows_in == len(PAYLOADS)
