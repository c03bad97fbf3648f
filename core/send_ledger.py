"""The send ledger's fast half: a SQLite file beside the warehouse
(`warehouse.sends.sqlite`), where a send run claims a message and records its outcome in
transactions of tens of microseconds, where DuckDB takes milliseconds (one writer per file,
a catalog read on every open). SQLite in WAL mode is built for many small concurrent
transactions: two send runs claim in turn, and the daily run is never locked out of the
warehouse while a send runs.

It holds two tables:
- `claims`: one row per claimed communication, for good (the unique key that makes a
  second send impossible, and what caps and the contact budget count: the campaign, the
  prospect id, the recipient's domain, the step and the moment), with the rest of the
  warehouse's send.claims row (the address among it) until the warehouse has it;
- `journal`: the send.records rows, until the warehouse has them.
Anything that opens the warehouse to write (`ensure_operational_tables`) copies them in
first (`mirror_into`), so dbt, the reports and an erasure see every claim and outcome;
once copied, the address leaves the claim and the record leaves the journal (an erased
address is left nowhere here).

A claim is committed at once and reaches the disk while the transport tells the server
who the message is for (`Claim.durable`, an fsync of the write-ahead log in a thread of
its own): the message itself is handed over only after. An application crash never
loses a committed claim (SQLite's WAL); a power cut cannot lose one whose message went.
An outcome is committed without waiting for the disk: a power cut may lose it, leaving
the claim without an outcome, "outcome unknown", for a human, never a resend."""

from __future__ import annotations

import json
import os
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

BUSY_WAIT_SECONDS = 120

CLAIM_COLUMNS = (
    "communication_id",
    "content_hash",
    "campaign_id",
    "prospect_id",
    "recipient",
    "claimed_at",
    "run_id",
    "transport",
)

SCHEMA = (
    """create table if not exists claims (
        communication_id text primary key, campaign_id text not null,
        prospect_id text not null, recipient_domain text not null, step integer,
        claimed_at text not null, claimed_on text not null, run_id text not null,
        content_hash text, recipient text, transport text, in_warehouse integer not null)""",
    "create index if not exists claims_by_campaign on claims (campaign_id, claimed_on)",
    "create index if not exists claims_by_prospect on claims (prospect_id, claimed_on)",
    "create index if not exists claims_to_copy on claims (in_warehouse) where in_warehouse = 0",
    """create table if not exists journal (
        seq integer primary key autoincrement, kind text not null, row text not null)""",
)


def ledger_of(warehouse: Path) -> Path:
    """The send ledger that belongs to a warehouse file: beside it, named after it."""
    return warehouse.with_name(f"{warehouse.stem}.sends.sqlite")


def domain_of(recipient: str | None) -> str:
    return (recipient or "").rsplit("@", 1)[-1].strip().lower() if "@" in (recipient or "") else ""


def _json(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class Claim:
    """A committed claim on its way to the disk."""

    def __init__(self, synced: Future):
        self._synced = synced

    def durable(self) -> None:
        """Wait until the claim is on the disk; raise if the disk refused it."""
        self._synced.result()


class SendLedger:
    """One process's connection to the send ledger (autocommit; every write its own
    transaction)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(str(path), timeout=BUSY_WAIT_SECONDS, isolation_level=None)
        self.con.execute("pragma journal_mode=wal")
        # every commit is written to the log at once; Claim.durable syncs it to the disk
        self.con.execute("pragma synchronous=normal")
        for statement in SCHEMA:
            self.con.execute(statement)
        self._log: int | None = None
        self._syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="send-ledger-sync")

    @classmethod
    def of(cls, warehouse: Path) -> SendLedger:
        return cls(ledger_of(warehouse))

    def close(self) -> None:
        self._syncer.shutdown()
        if self._log is not None:
            os.close(self._log)
        self.con.close()

    def _sync(self) -> None:
        if self._log is None:
            # the write-ahead log exists from the first commit and stays while a
            # connection is open (this one)
            self._log = os.open(f"{self.path}-wal", os.O_RDONLY)
        os.fsync(self._log)

    # -- writes ---------------------------------------------------------------------------

    def claim(self, row: dict, step: int | None) -> Claim | None:
        """Claim a communication for sending (one statement, committed at once); None if
        anyone (this run, another run, any earlier day) claimed it before. `row`: the
        send.claims columns. Hand the message over only once `Claim.durable()` returns."""
        at: datetime = row["claimed_at"]
        try:
            self.con.execute(
                "insert into claims values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (
                    row["communication_id"],
                    row["campaign_id"],
                    row["prospect_id"],
                    domain_of(row["recipient"]),
                    step,
                    at.isoformat(),
                    at.date().isoformat(),
                    row["run_id"],
                    row["content_hash"],
                    row["recipient"],
                    row["transport"],
                ),
            )
        except sqlite3.IntegrityError:
            return None
        return Claim(self._syncer.submit(self._sync))

    def record(self, row: dict) -> None:
        """An outcome (the send.records columns), in the journal until mirrored."""
        self.con.execute(
            "insert into journal (kind, row) values ('record', ?)",
            (json.dumps({k: _json(v) for k, v in row.items()}),),
        )

    # -- what the gate counts -------------------------------------------------------------

    def is_claimed(self, communication_id: str) -> bool:
        return (
            self.con.execute(
                "select 1 from claims where communication_id = ?", (communication_id,)
            ).fetchone()
            is not None
        )

    def campaign_counts(
        self, campaign_id: str, day: date, domain: str, pilot_size: int
    ) -> tuple[int, int, int]:
        """(claims today, claims ever but counted no further than the pilot size, claims
        today to this domain) for one campaign."""
        today, to_domain = self.con.execute(
            "select count(*), count(*) filter (where recipient_domain = ?) from claims "
            "where campaign_id = ? and claimed_on = ?",
            (domain, campaign_id, day.isoformat()),
        ).fetchone()
        (total,) = self.con.execute(
            "select count(*) from (select 1 from claims where campaign_id = ? limit ?)",
            (campaign_id, pilot_size),
        ).fetchone()
        return today, total, to_domain

    def first_touches(self, prospect_id: str, day: date, other_than: str) -> list[str]:
        """The campaigns of this prospect's first-step claims on this day (one per claim)."""
        return [
            campaign
            for (campaign,) in self.con.execute(
                "select campaign_id from claims where prospect_id = ? and claimed_on = ? "
                "and step = 1 and communication_id <> ?",
                (prospect_id, day.isoformat(), other_than),
            )
        ]

    def last_claimed_at(self, campaign_id: str) -> datetime | None:
        (last,) = self.con.execute(
            "select max(claimed_at) from claims where campaign_id = ?", (campaign_id,)
        ).fetchone()
        return datetime.fromisoformat(last) if last else None

    def claimed(self) -> set[str]:
        """Every communication ever claimed, whether or not the warehouse has it yet."""
        return {c for (c,) in self.con.execute("select communication_id from claims")}

    # -- the warehouse side ---------------------------------------------------------------

    def take_in_claims_from(self, con: duckdb.DuckDBPyConnection) -> int:
        """Claims the warehouse holds that this file does not (a workspace from before the
        ledger, or a ledger file deleted): a claim known anywhere is a claim."""
        (ours,) = self.con.execute("select count(*) from claims").fetchone()
        [(theirs,)] = con.execute("select count(*) from send.claims").fetchall()
        if theirs <= ours:
            return 0
        rows = con.execute(
            """
            select c.communication_id, c.campaign_id, c.prospect_id, c.recipient, h.step,
                c.claimed_at, c.run_id
            from send.claims as c
            left join (
                select communication_id, min(step) as step from drafting.draft_history
                group by 1
            ) as h on c.communication_id = h.communication_id
            """
        ).fetchall()
        self.con.execute("begin immediate")
        self.con.executemany(
            "insert or ignore into claims values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null, 1)",
            [
                (c, campaign, prospect, domain_of(recipient), step, at.isoformat(),
                 at.date().isoformat(), run)
                for c, campaign, prospect, recipient, step, at, run in rows
            ],
        )  # fmt: skip
        self.con.execute("commit")
        return len(rows)

    def mirror_into(self, con: duckdb.DuckDBPyConnection) -> int:
        """Copy the claims and outcomes the warehouse lacks into send.claims and
        send.records (idempotent: a row already there is left as it is), commit, then
        forget the copied addresses and records here."""
        claims = self.con.execute(
            f"select {', '.join(CLAIM_COLUMNS)} from claims where in_warehouse = 0"
        ).fetchall()
        journal = self.con.execute("select seq, row from journal order by seq").fetchall()
        if not claims and not journal:
            return 0
        copies = (
            ("claims", [dict(zip(CLAIM_COLUMNS, c, strict=True)) for c in claims]),
            ("records", [json.loads(row) for _, row in journal]),
        )
        con.execute("begin transaction")
        try:
            for table, copied in copies:
                if copied:
                    con.register("ledger_rows", pl.DataFrame(copied, infer_schema_length=None))
                    con.execute(
                        f"insert or ignore into send.{table} by name select * from ledger_rows"
                    )
                    con.unregister("ledger_rows")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        self.con.execute("begin immediate")
        self.con.executemany(
            "update claims set recipient = null, content_hash = null, in_warehouse = 1 "
            "where communication_id = ?",
            [(c[0],) for c in claims],
        )
        if journal:
            self.con.execute("delete from journal where seq <= ?", (journal[-1][0],))
        self.con.execute("commit")
        return len(claims) + len(journal)


def mirror_send_ledger(con: duckdb.DuckDBPyConnection) -> int:
    """Bring send.claims and send.records up to date with the ledger beside this
    warehouse, if it has one (called wherever the warehouse is opened to write)."""
    found = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    if not found or not found[0][0]:
        return 0
    path = ledger_of(Path(found[0][0]))
    if not path.exists():
        return 0
    ledger = SendLedger(path)
    try:
        return ledger.mirror_into(con)
    finally:
        ledger.close()
