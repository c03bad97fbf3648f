"""Data-subject rights end to end, through the real CLI: a demo prospect is drafted,
approved, sent to over a real SMTP server and replies; the exports are written. Then
`outreach forget` leaves no trace of their email, name or phone in any table of the
warehouse (every text and binary column searched) or in any file of the workspace
(every text file and every XLSX cell searched), keeps only the hash of their address,
and records the request as honoured. A new lead file that contains them again is kept
out: the row is quarantined without its personal data, nothing is drafted, and the
ledger still reconciles."""

import csv
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from core.keys import email_hash
from dagster_project.cli import main
from tests.conftest import copy_of
from tests.review_and_send import approve, send_live, without_send_gap
from tests.smtp_server import SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

AS_OF = "2026-11-24"
AT = "2026-11-24T10:00:00+00:00"
CAMPAIGN = "diag_uk_email_pilot"


def traces(home: Path, needles: list[str]) -> list[str]:
    """Every place under `home` (warehouse tables and files) where a needle occurs."""
    lowered = [n.lower() for n in needles]
    found = []
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            """select c.table_schema, c.table_name, c.column_name, c.data_type
            from information_schema.columns as c
            join information_schema.tables as t using (table_catalog, table_schema, table_name)
            where c.data_type in ('VARCHAR', 'BLOB')"""
        ).fetchall()
        for schema, table, column, dtype in columns:
            text = (
                f'lower(cast("{column}" as varchar))'
                if dtype == "VARCHAR"
                else f'lower(decode("{column}"))'
            )
            if dtype == "BLOB":
                text = f'lower(cast("{column}" as varchar))'
            for needle in lowered:
                hits = con.execute(
                    f'select count(*) from "{schema}"."{table}" where contains({text}, ?)', [needle]
                ).fetchall()[0][0]
                if hits:
                    found.append(f"{schema}.{table}.{column}: {needle}")
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        if path.suffix in (".duckdb", ".wal"):
            continue
        if path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            text = "\n".join(
                str(v)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for v in row
                if v
            )
        else:
            text = path.read_bytes().decode("latin-1")
        found += [f"{path.relative_to(home)}: {n}" for n in lowered if n in text.lower()]
    return found


def test_forget_leaves_no_trace_and_a_relanded_lead_is_suppressed(
    built_demo, tmp_path, monkeypatch, capsys
):
    home = copy_of(built_demo, tmp_path / "ws")
    without_send_gap(home)
    chosen = sql(
        home,
        f"""select q.review_token, p.prospect_id, p.email, p.first_name, p.last_name, p.phone
        from marts.review_queue as q join marts.prospects as p using (prospect_id)
        where q.campaign_id = '{CAMPAIGN}' and q.lint_passed and p.phone is not null
          -- landed in a CSV lead file (re-landed below)
          and exists (
              select 1 from raw.leads as l
              where lower(l.email_normalised) = lower(p.email) and l._source_file like '%.csv'
          )
          and p.first_name is not null and p.last_name is not null
          -- a name nobody else has: the trace search below looks for it everywhere
          and not exists (
              select 1 from intermediate.int_lead_records_keyed as k
              where k.name_key = lower(p.first_name || ' ' || p.last_name)
                and k.email_key <> lower(p.email)
          )
        order by q.review_token limit 1""",
    ).to_dicts()[0]
    email, name = chosen["email"], f"{chosen['first_name']} {chosen['last_name']}"
    # the person's lead rows as they landed (raw phone format included), for re-landing
    landed_rows, header = [], None
    for path in sorted((home / "landing" / "leads").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                if (row.get("email") or "").strip().lower() == email.lower():
                    landed_rows.append(row)
                    header = reader.fieldnames
    assert landed_rows, "the chosen prospect came from a lead file"
    needles = sorted(
        {email, name, chosen["phone"], *(r["phone"] for r in landed_rows if r["phone"])}
    )

    # drafted, approved, sent over SMTP, replied to; exports and report written
    approve(home, [chosen["review_token"]], AS_OF, at="2026-11-24T09:00:00")
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    with SmtpServer() as server:
        assert send_live(home, server, monkeypatch, AS_OF, AT) == 0
        assert any(email.lower() in str(m["To"]).lower() for m in server.received)
    sent = sql(
        home,
        "select r.message_id, h.subject from send.records as r join drafting.draft_history as h "
        f"using (communication_id) where r.prospect_id = '{chosen['prospect_id']}' limit 1",
    ).to_dicts()[0]
    reply = EmailMessage()
    reply["From"] = f"{name} <{email}>"
    reply["To"] = "alex.morgan@mwms.example"
    reply["Subject"] = "Re: " + sent["subject"]
    reply["Date"] = format_datetime(datetime(2026, 11, 24, 11, 0, tzinfo=UTC))
    reply["Message-ID"] = "<reply-1@reply.example>"
    reply["In-Reply-To"] = sent["message_id"]
    reply.set_content(f"Thanks, yes please. Call me on {chosen['phone']}.\n{name}\n")
    (home / "mailbox" / "reply-1.eml").write_bytes(bytes(reply))
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    assert main(["queue", "export", "--home", str(home), "--as-of", AS_OF]) == 0
    assert main(["report", "--home", str(home), "--as-of", AS_OF]) == 0
    assert traces(home, needles), "before the request the person is in the warehouse and files"

    capsys.readouterr()
    assert main(["forget", email, "--home", str(home), "--as-of", AS_OF, "--ref", "DSR-1"]) == 0
    assert "erasure request DSR-1 honoured" in capsys.readouterr().out
    assert traces(home, needles) == []
    request = sql(home, "select * from privacy.requests").to_dicts()
    assert len(request) == 1 and request[0]["request_id"] == "DSR-1"
    assert request[0]["honoured_at"] is not None and request[0]["key_hash"] == email_hash(email)
    assert request[0]["prospects"] >= 1 and request[0]["rows_erased"] >= 1
    keys = sql(home, "select key_hash, key_type from privacy.erased_keys").to_dicts()
    assert {"key_hash": email_hash(email), "key_type": "email"} in keys
    # the audit trail stays: the send record is there, without who it went to
    record = sql(
        home,
        f"select recipient, sent_status from send.records where prospect_id = "
        f"'{chosen['prospect_id']}'",
    ).to_dicts()
    assert record == [{"recipient": "[erased]", "sent_status": "sent"}]
    # asked again: nothing to do
    assert main(["forget", email, "--home", str(home), "--as-of", AS_OF, "--ref", "DSR-1"]) == 0
    assert "honoured before" in capsys.readouterr().out

    # a new lead file with them again (and one new person) arrives the next run
    relanded = home / "landing" / "leads" / "relanded.csv"
    with relanded.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(landed_rows[0] | {"source_record": "RELAND-1"})
        writer.writerow(
            landed_rows[0]
            | {
                "source_record": "RELAND-2",
                "first_name": "Nadia",
                "last_name": "Quist",
                "email": "nadia.quist@newco.example",
                "phone": "",
            }
        )
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    quarantined = sql(
        home,
        "select reason, original_row from raw.quarantine where source_file like '%relanded.csv'",
    ).to_dicts()
    assert len(quarantined) == 1
    assert "asked to be forgotten (erasure request DSR-1)" in quarantined[0]["reason"]
    assert (
        sql(home, "select count(*) as n from raw.leads where source_record = 'RELAND-2'")["n"][0]
        == 1
    )
    assert (
        sql(
            home,
            f"select count(*) as n from marts.prospects where prospect_id = "
            f"'{chosen['prospect_id']}'",
        )["n"][0]
        == 0
    )
    # the lead file is the team's: the pipeline read it and keeps nothing of the person
    relanded.unlink()
    assert traces(home, needles) == []
