"""Messages per second through the gated send path vs raw smtplib, to the same local
SMTP server (aiosmtpd on loopback), measured in one run.

    python -m benchmarks.send [--messages 200]

The gated path is the real one: a generated workspace, every draft approved through
`outreach queue import`, the daily run, then `outreach send --transport smtp --live`
(moment-of-send checks, claim committed before each send, outcome recorded after).
Raw smtplib sends the same messages over one connection with no checks at all."""

import argparse
import csv
import os
import smtplib
import tempfile
import time
from email import message_from_bytes
from pathlib import Path

import duckdb

from core.workspace import Workspace
from dagster_project.cli import main as outreach
from tests.review_and_send import live_send_args
from tests.smtp_server import SmtpServer

AS_OF = "2026-11-24"
AT = "2026-11-24T10:00:00+00:00"


def prepare(home: Path, messages: int) -> None:
    assert (
        outreach(
            [
                "generate",
                "--leads",
                str(messages * 12),
                "--seed",
                "21",
                "--out",
                str(home),
                "--as-of",
                AS_OF,
            ]
        )
        == 0
    )
    campaigns = home / "config" / "campaigns.yml"
    text = campaigns.read_text()
    for old, new in (
        ("min_gap_seconds: 20", "min_gap_seconds: 0"),
        ("daily_cap: 40", f"daily_cap: {messages}\n    review_queue_size: {messages}"),
        ("per_domain_daily_cap: 2", f"per_domain_daily_cap: {messages}"),
        ("pilot_size: 50", f"pilot_size: {messages}"),
    ):
        text = text.replace(old, new)
    campaigns.write_text(text)
    assert outreach(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        tokens = [
            r[0]
            for r in con.execute(
                "select review_token from marts.review_queue where campaign_id = "
                "'diag_uk_email_pilot' and lint_passed limit ?",
                [messages],
            ).fetchall()
        ]
    returned = home / "decisions" / "approve.csv"
    with returned.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["review_token", "decision", "reviewer", "edited_subject", "edited_body", "notes"]
        )
        writer.writerows([t, "Approve", "bench", "", "", ""] for t in tokens)
    outreach(["queue", "import", str(returned), "--home", str(home), "--as-of", AS_OF])
    assert outreach(["run", "--home", str(home), "--as-of", AS_OF]) == 0


def run(messages: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="bench_send_")) / "ws"
    prepare(home, messages)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        queued = con.execute("select count(*) from marts.send_queue").fetchall()[0][0]
    with SmtpServer() as server:
        os.environ.update(Workspace.resolve(home).environment() | server.environment(timeout=10))
        started = time.perf_counter()
        assert outreach(live_send_args(home, AS_OF, AT)) == 0
        gated = time.perf_counter() - started
        sent = list(server.received)
        raw = list(server.handler.raw)
        # the send loop alone: from the first message's arrival to the last's
        arrived = server.handler.arrived
        loop = (len(arrived) - 1) / (arrived[-1] - arrived[0]) if len(arrived) > 1 else 0.0
        before_first = arrived[0] - started if arrived else gated
    with SmtpServer() as server:
        started = time.perf_counter()
        client = smtplib.SMTP("127.0.0.1", server.port)
        for data in raw:
            message = message_from_bytes(data)
            client.sendmail(message["From"], [message["To"]], data)
        client.quit()
        plain = time.perf_counter() - started
        assert len(server.received) == len(raw)
    print(f"\nsend benchmark: {queued} approved emails in the send queue, {len(sent)} delivered")
    print(
        f"  gated path (outreach send, the whole command):               {gated:.2f} s = "
        f"{len(sent) / gated:.1f} msg/s ({before_first:.2f} s before the first message)"
    )
    print(f"  gated send loop alone (first arrival to last):               {loop:.1f} msg/s")
    print(
        f"  raw smtplib, one connection, no checks:                      {plain:.2f} s = "
        f"{len(raw) / plain:.1f} msg/s"
    )
    print(
        f"  gated / raw: whole command {len(sent) / gated / (len(raw) / plain):.3f}x, "
        f"send loop {loop / (len(raw) / plain):.3f}x"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    run(parser.parse_args().messages)
