"""The send job against a real SMTP server on loopback (aiosmtpd), counting what the
server actually received: once each, with the headers; stopped by a late suppression;
never twice across crashes or concurrent runs; 4xx retried within the bound, 5xx
recorded, a hanging server an unknown outcome; void approvals send nothing."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime

import duckdb
import pytest

from assets.ingestion.ingest import ingest_kind
from core.config import load_config
from core.schema import ensure_operational_tables
from core.send_ledger import SendLedger
from core.workspace import Workspace
from dagster_project.cli import main
from tests.conftest import copy_of
from tests.review_and_send import approve, live_send_args, send_live, without_send_gap
from tests.smtp_server import Behaviour, SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.integration

AS_OF = "2026-11-24"
AT = "2026-11-24T10:00:00+00:00"  # a Tuesday, 10:00 in London: inside the send window


@pytest.fixture(scope="module")
def approved(built_demo, tmp_path_factory):
    """A workspace whose send queue holds six approved pilot emails (no gap between sends)."""
    home = copy_of(built_demo, tmp_path_factory.mktemp("send") / "ws")
    without_send_gap(home)
    queue = sql(
        home,
        "select review_token, campaign_id, lint_passed from marts.review_queue order by "
        "review_token",
    )
    pilot = queue.filter(
        (queue["campaign_id"] == "diag_uk_email_pilot") & queue["lint_passed"]
    ).head(6)
    approve(home, pilot["review_token"], AS_OF)
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    assert sql(home, "select count(*) as n from marts.send_queue")["n"][0] == 6
    return home


@pytest.fixture
def home(approved, tmp_path):
    copy = tmp_path / "ws"
    shutil.copytree(approved, copy)
    return copy


def env(home, server) -> dict[str, str]:
    return {**Workspace.resolve(home).environment(), **server.environment(timeout=2.0)}


def send_args(home, as_of: str = AS_OF, *extra: str) -> list[str]:
    """`outreach send` live over SMTP at the fixed send moment."""
    return live_send_args(home, as_of, AT, *extra)


def send(home, server, monkeypatch, *extra: str, as_of: str = AS_OF) -> int:
    return send_live(home, server, monkeypatch, as_of, AT, *extra)


def queued(home) -> list[dict]:
    return sql(
        home, "select communication_id, recipient from marts.send_queue order by communication_id"
    ).to_dicts()


def unknown(home) -> set[str]:
    from dagster_project.sending.ledger import OUTCOME_UNKNOWN_SQL

    return {r[0] for r in sql(home, OUTCOME_UNKNOWN_SQL).rows()}


def test_approved_messages_arrive_once_each_with_their_headers(home, monkeypatch):
    expected = queued(home)
    with SmtpServer() as server:
        assert send(home, server, monkeypatch) == 0
        assert send(home, server, monkeypatch) == 0  # again: nothing more
    ids = server.message_ids()
    assert sorted(ids) == sorted(f"<{r['communication_id']}@mwms.example>" for r in expected)
    for message in server.received:
        unsubscribe = message["List-Unsubscribe"]
        assert "<mailto:unsubscribe@mwms.example?subject=unsubscribe%20cm_" in unsubscribe
        assert "<https://mwms.example/unsubscribe?c=cm_" in unsubscribe
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["From"] == "Alex Morgan <alex.morgan@mwms.example>"
        assert "1 Harbour Street" in message.get_payload(decode=True).decode()
    records = sql(
        home, "select sent_status, provider_message_id, approved_by, evidence_id from send.records"
    )
    assert set(records["sent_status"]) == {"sent"} and records.height == len(expected)
    assert (
        records["provider_message_id"].str.starts_with("Q").all()
        and records["evidence_id"].is_not_null().all()
    )


def test_a_suppression_landing_after_the_queue_was_built_stops_that_message(home, monkeypatch):
    first, *rest = queued(home)
    ws = Workspace.resolve(home)
    # landed after the morning run and not ingested by anyone: the send takes it in
    (ws.landing("suppressions") / "late.csv").write_text(
        "suppression_ref,email,domain,phone,reason,scope,scope_value,effective_at,requested_by\n"
        f"LATE-1,{first['recipient']},,,unsubscribe,global,,{AS_OF}T09:59:00Z,prospect\n"
    )
    with SmtpServer() as server:
        # one late stop signal holds one message, not the whole job: the rest go
        assert send(home, server, monkeypatch) == 0
        assert first["recipient"] not in {m["To"] for m in server.received}
        assert len(server.received) == len(rest)
        # the next send holds it again; nothing is sent twice
        assert send(home, server, monkeypatch) == 0
    assert len(server.received) == len(rest)


def test_a_suppression_file_still_being_copied_in_holds_every_send(home, monkeypatch):
    """Fail closed: a stop list half written may name anyone in the queue, so nothing goes
    until it is complete; then it is read and the rest go."""
    import threading

    first, *rest = queued(home)
    path = Workspace.resolve(home).landing("suppressions") / "big_list.csv"
    path.write_text("email,reason,effective_at\n" + f"{first['recipient']},unsubscribe,{AS_OF}\n")
    copying = threading.Event()
    copying.set()

    def copier():  # the rest of a long list still arriving
        n = 0
        while copying.is_set():
            with path.open("a") as handle:
                handle.write(f"someone{n}@elsewhere.example,unsubscribe,{AS_OF}\n")
            n += 1
            copying.wait(0) and __import__("time").sleep(0.2)

    thread = threading.Thread(target=copier)
    thread.start()
    try:
        with SmtpServer() as server:
            send(home, server, monkeypatch)
            assert server.received == []
    finally:
        copying.clear()
        thread.join()
    with SmtpServer() as server:
        assert send(home, server, monkeypatch) == 0
    assert first["recipient"] not in {m["To"] for m in server.received}
    assert len(server.received) == len(rest)


def test_a_queue_built_despite_a_suppression_it_saw_fails_the_opening_check(home, monkeypatch):
    first = queued(home)[0]
    ws = Workspace.resolve(home)
    (ws.landing("suppressions") / "seen.csv").write_text(
        f"email,reason,effective_at\n{first['recipient']},unsubscribe,{AS_OF}\n"
    )
    with duckdb.connect(str(ws.warehouse)) as con:
        ingest_kind(
            con,
            "suppressions",
            ws.landing("suppressions"),
            ws.home,
            date.fromisoformat(AS_OF),
            load_config(ws.config_dir),
            "seen",
        )
        # a wrong mart: as if the build had seen the suppression and still queued the message
        con.execute(
            "update marts.send_queue set suppressions_seen_through = "
            "(select max(_ingested_at) from raw.suppressions)"
        )
    with SmtpServer() as server:
        assert send(home, server, monkeypatch) == 1
    assert server.received == []


def test_future_dated_and_other_client_suppressions_do_not_fail_the_job(home, monkeypatch):
    """The opening check and the gate read one rule: a suppression that takes effect
    tomorrow, or one for a channel the campaign does not use, stops nobody today."""
    first, second, *_ = queued(home)
    ws = Workspace.resolve(home)
    (ws.landing("suppressions") / "later.csv").write_text(
        "email,reason,scope,scope_value,effective_at\n"
        f"{first['recipient']},unsubscribe,global,,2026-11-25T08:00:00Z\n"
        f"{second['recipient']},unsubscribe,channel,sms,{AS_OF}\n"
    )
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    with SmtpServer() as server:
        assert send(home, server, monkeypatch) == 0
    assert {first["recipient"], second["recipient"]} <= {m["To"] for m in server.received}


def test_stop_signals_arriving_during_a_send_are_taken_in(home):
    """The send looks for new stop signals before every message: a suppression file that
    lands after the first message stops a later one in the same run."""
    from dagster_project.sending import send as send_module
    from dagster_project.sending.transports import OutboxTransport

    rows = queued(home)
    last = rows[-1]["recipient"]
    ws = Workspace.resolve(home)

    class LandsAStopAfterTheFirst(OutboxTransport):
        def send(self, message, ready=lambda: None):
            sent = super().send(message, ready)
            (ws.landing("suppressions") / "mid_run.csv").write_text(f"email\n{last}\n")
            return sent

    report = send_module.run_sends(
        ws,
        load_config(ws.config_dir),
        LandsAStopAfterTheFirst(ws.outbox),
        live=True,
        run_id="midrun00",
        clock=send_module.Clock(datetime.fromisoformat(AT)),
        as_of=date.fromisoformat(AS_OF),
        log=lambda _: None,
    )
    held = dict(report.held)
    assert len(report.sent) == len(rows) - 1
    assert any("suppressed" in reason for reason in held.values()), held


@pytest.mark.parametrize("offered", [False, True], ids=["no-smtputf8", "smtputf8"])
def test_a_non_ascii_recipient_goes_only_where_smtputf8_is_offered(home, monkeypatch, offered):
    """RFC 6531: held before it is claimed where the server does not offer SMTPUTF8 (no
    'outcome unknown' for a message never sent, the rest of the queue still sent)."""
    rows = queued(home)
    target = rows[0]["communication_id"]
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "update marts.send_queue set recipient = 'jörg.müller@bücher.example' "
            "where communication_id = ?",
            [target],
        )
    with SmtpServer(smtputf8=offered) as server:
        assert send(home, server, monkeypatch) == 0
    received = {m["Message-ID"].strip("<>").split("@")[0]: m for m in server.received}
    claims = {r[0] for r in sql(home, "select communication_id from send.claims").rows()}
    assert not unknown(home)
    if offered:
        # the envelope carries the address as UTF-8, its domain as IDNA
        assert any(rcpt == ["jörg.müller@xn--bcher-kva.example"] for _, rcpt in server.envelopes), (
            server.envelopes
        )
        assert len(received) == len(rows)
    else:
        assert target not in received and target not in claims
        assert len(received) == len(rows) - 1


def run_in_subprocess(home, server) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dagster_project.cli", *send_args(home)],
        env={**os.environ, **env(home, server), "GX_ANALYTICS_ENABLED": "false"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize(
    "moment", ["after the claim, before the send", "after the send, before the outcome"]
)
def test_a_killed_send_never_resends_and_waits_for_a_human(home, monkeypatch, moment):
    release = threading.Event()
    behaviour = (
        Behaviour(hold_at_mail=release)
        if moment.startswith("after the claim")
        else Behaviour(hold_after_data=release)
    )
    with SmtpServer(behaviour) as server:
        process = run_in_subprocess(home, server)
        seen = (
            server.handler.mail_seen
            if moment.startswith("after the claim")
            else server.handler.data_seen
        )
        assert seen.wait(90), process.communicate()[0]
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        release.set()
        received_before = len(server.received)
    # the claim is in the send ledger, committed before the message was handed over, and
    # the warehouse takes it in as soon as anything opens it to write
    ledger = SendLedger.of(home / "warehouse.duckdb")
    claims = sorted(ledger.claimed())
    ledger.close()
    assert len(claims) == 1
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        ensure_operational_tables(con)
    assert sql(home, "select communication_id from send.claims")["communication_id"].to_list() == (
        claims
    )
    with SmtpServer() as again:
        assert send(home, again, monkeypatch) == 0
    all_ids = server.message_ids() + again.message_ids()
    assert len(all_ids) == len(set(all_ids))  # nothing twice
    assert f"<{claims[0]}@mwms.example>" not in again.message_ids()
    assert received_before == (0 if moment.startswith("after the claim") else 1)
    assert unknown(home) == {claims[0]}  # for a human, never resent
    assert len(again.received) == 5  # the other five, once each


def test_two_runs_at_the_same_moment_send_each_message_once(home):
    with SmtpServer() as server:
        runs = [run_in_subprocess(home, server) for _ in range(2)]
        outputs = [r.communicate(timeout=180)[0].decode() for r in runs]
    assert all(r.returncode == 0 for r in runs), outputs
    ids = server.message_ids()
    assert len(ids) == 6 and len(set(ids)) == 6, outputs


def test_4xx_is_retried_within_the_bound_and_5xx_is_permanent(home, monkeypatch):
    first, second, *_ = queued(home)
    with SmtpServer(
        Behaviour(data_replies=["451 4.3.0 Try again later", "421 4.7.0 Too busy"])
    ) as server:
        assert send(home, server, monkeypatch) == 0
    records = sql(
        home,
        "select communication_id, sent_status, attempts from send.records order by "
        "communication_id",
    )
    assert set(records["sent_status"]) == {"sent"} and len(server.received) == 6
    assert (
        records.filter(records["communication_id"] == first["communication_id"])["attempts"][0] == 3
    )


def test_a_refusing_server_is_transient_then_permanent_with_a_hard_bounce(
    approved, tmp_path, monkeypatch
):
    transient, permanent = tmp_path / "t", tmp_path / "p"
    shutil.copytree(approved, transient)
    shutil.copytree(approved, permanent)
    with SmtpServer(Behaviour(always="451 4.3.0 Try again later")) as server:
        assert send(transient, server, monkeypatch) == 0
    records = sql(transient, "select sent_status, attempts from send.records")
    assert set(records["sent_status"]) == {"transient_failure"} and set(records["attempts"]) == {
        4
    }  # 1 + 3 retries
    with SmtpServer(
        Behaviour(always="550 5.1.1 <x>: Recipient address rejected: User unknown")
    ) as server:
        assert send(permanent, server, monkeypatch) == 0
    assert set(sql(permanent, "select sent_status from send.records")["sent_status"]) == {
        "permanent_failure"
    }
    bounced = sql(
        permanent, "select reason from raw.suppressions where suppression_ref like 'SEND-%'"
    )
    assert bounced.height == 6 and set(bounced["reason"]) == {"hard_bounce"}


def test_a_hanging_server_times_out_without_a_resend(home, monkeypatch):
    with SmtpServer(Behaviour(hang_seconds=4)) as server:
        assert send(home, server, monkeypatch) == 0
        time.sleep(4.5)  # let the server finish what it took
    statuses = sql(home, "select sent_status from send.records")["sent_status"].to_list()
    assert set(statuses) == {"outcome_unknown"}
    with SmtpServer() as again:
        assert send(home, again, monkeypatch) == 0
    assert again.received == []
    assert len(unknown(home)) == 6


def test_void_approvals_send_nothing(approved, tmp_path, monkeypatch):
    # expired: approval_valid_days is 5
    expired = tmp_path / "expired"
    shutil.copytree(approved, expired)
    with SmtpServer() as server:
        assert send(expired, server, monkeypatch, as_of="2026-11-30") == 0
    assert server.received == []
    # a draft edited after approval
    edited = tmp_path / "edited"
    shutil.copytree(approved, edited)
    with duckdb.connect(str(edited / "warehouse.duckdb")) as con:
        con.execute("update drafting.drafts set body = body || ' P.S.', content_hash = 'changed'")
    with SmtpServer() as server:
        assert send(edited, server, monkeypatch) == 0
    assert server.received == []
    # a campaign that is Draft Only by the time of sending
    draft_only = tmp_path / "draft_only"
    shutil.copytree(approved, draft_only)
    campaigns = draft_only / "config" / "campaigns.yml"
    campaigns.write_text(
        campaigns.read_text().replace(
            "send_authority: Human Approved Send", "send_authority: Draft Only"
        )
    )
    with SmtpServer() as server:
        assert send(draft_only, server, monkeypatch) == 0
    assert server.received == []


def test_approved_non_email_messages_become_tasks_not_sends(home, monkeypatch):
    """A LinkedIn note approved in a campaign allowed to send is a task for a person; and
    one person gets one first touch a day whatever the channel: their approved pilot email
    waits for the next day once the LinkedIn note was handed over."""
    campaigns = home / "config" / "campaigns.yml"
    text = campaigns.read_text()
    linkedin = text.index("campaign_id: diag_linkedin_manual")
    campaigns.write_text(
        text[:linkedin]
        + text[linkedin:].replace(
            "send_authority: Draft Only", "send_authority: Human Approved Send", 1
        )
    )
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    both = sql(
        home,
        "select e.review_token as email, l.review_token as linkedin, e.prospect_id "
        "from marts.review_queue as e join marts.review_queue as l using (prospect_id) "
        "where e.campaign_id = 'diag_uk_email_pilot' and e.lint_passed and l.channel = "
        "'linkedin' and l.lint_passed order by e.review_token limit 1",
    ).to_dicts()[0]
    token = both["linkedin"]
    returned = home / "decisions" / "linkedin.csv"
    returned.write_text(
        "review_token,decision,reviewer,edited_subject,edited_body,notes\n"
        f"{token},Approve,rita,,,\n{both['email']},Approve,rita,,,\n"
    )
    assert main(["queue", "import", str(returned), "--home", str(home), "--as-of", AS_OF]) == 0
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    email = both["email"].split(".")[0]
    assert email in {r["communication_id"] for r in queued(home)}  # 7 approved emails
    with SmtpServer() as server:
        assert send(home, server, monkeypatch) == 0
        assert send(home, server, monkeypatch) == 0  # once only
        # six emails; the LinkedIn note is a task, and that person's email waits
        assert len(server.received) == 6
        assert f"<{email}@mwms.example>" not in server.message_ids()
        tasks = sql(
            home,
            "select kind, task_id from review.tasks where kind = 'send_linkedin_message_by_hand'",
        )
        assert tasks.height == 1 and tasks["task_id"][0] == "tk_send_" + token.split(".")[0]
        # the next day the budget is fresh: the email goes
        next_day = live_send_args(home, "2026-11-25", "2026-11-25T10:00:00+00:00")
        assert main(next_day) == 0
        assert server.message_ids()[-1] == f"<{email}@mwms.example>"
    assert len(server.received) == 7


def send_in_process(home, transport) -> "object":
    """One live send run in this process, at the fixed moment, through `transport`."""
    from dagster_project.sending import send as send_module

    ws = Workspace.resolve(home)
    return send_module.run_sends(
        ws,
        load_config(ws.config_dir),
        transport,
        live=True,
        run_id="inproc00",
        clock=send_module.Clock(datetime.fromisoformat(AT)),
        as_of=date.fromisoformat(AS_OF),
        log=lambda _: None,
    )


def test_between_messages_the_warehouse_is_free_for_another_process(home):
    """A send run opens the warehouse only to look (at the start, when something changed,
    at the end): while it sends, another process (the daily run, an import) can write."""
    from dagster_project.sending.transports import OutboxTransport

    ws = Workspace.resolve(home)
    opened: list[int] = []

    class OpensTheWarehouseElsewhere(OutboxTransport):
        def send(self, message, ready=lambda: None):
            sent = super().send(message, ready)
            if not opened:
                probe = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                        "con.execute('create table if not exists main.touched (n integer)')",
                        str(ws.warehouse),
                    ],
                    capture_output=True,
                    timeout=60,
                )
                opened.append(probe.returncode)
                assert probe.returncode == 0, probe.stderr.decode()
            return sent

    report = send_in_process(home, OpensTheWarehouseElsewhere(ws.outbox))
    assert opened == [0]
    assert len(report.sent) == len(queued(home))


def test_a_decision_imported_during_a_send_holds_the_message_it_rejects(home):
    """The gate's facts are read for the whole queue at once, and read again when the
    warehouse changes: a reviewer who rejects a queued message while the send runs stops it."""
    from dagster_project.sending.transports import OutboxTransport
    from tests.review_and_send import decide

    rows = queued(home)
    last = rows[-1]["communication_id"]
    token = sql(
        home, f"select review_token from review.decisions where communication_id = '{last}'"
    )["review_token"][0]
    ws = Workspace.resolve(home)
    rejected: list[str] = []

    class AReviewerRejectsTheLast(OutboxTransport):
        def send(self, message, ready=lambda: None):
            sent = super().send(message, ready)
            if not rejected:
                rejected.append(str(decide(home, {token: "Reject"}, AS_OF, "late_reject")))
            return sent

    report = send_in_process(home, AReviewerRejectsTheLast(ws.outbox))
    held = dict(report.held)
    assert last not in report.sent
    assert "Reject" in held[last], held
    assert len(report.sent) == len(rows) - 1


def test_claims_reach_the_warehouse_and_leave_no_address_behind(home, monkeypatch):
    """The ledger beside the warehouse keeps each claim's key for good, and its address only
    until the warehouse has the row (an erasure then finds it in one place)."""
    import sqlite3

    from core.schema import ensure_operational_tables
    from core.send_ledger import ledger_of

    with SmtpServer() as server:
        assert send(home, server, monkeypatch) == 0
    ledger = sqlite3.connect(ledger_of(home / "warehouse.duckdb"))
    kept = ledger.execute(
        "select count(*), count(recipient), (select count(*) from journal) from claims"
    ).fetchone()
    ledger.close()
    assert kept == (len(queued(home)), 0, 0)
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        ensure_operational_tables(con)  # nothing left to copy: nothing twice
        claims, records = con.execute(
            "select (select count(*) from send.claims), (select count(*) from send.records)"
        ).fetchone()
    assert claims == records == len(queued(home))


def test_a_workspace_whose_ledger_file_is_lost_still_sends_nothing_twice(home, monkeypatch):
    """The warehouse's claims are claims too: a ledger file deleted (or a workspace from
    before it) takes them in again before the first message."""
    from core.send_ledger import ledger_of

    with SmtpServer() as first:
        assert send(home, first, monkeypatch) == 0
    assert len(first.received) == len(queued(home))
    path = ledger_of(home / "warehouse.duckdb")
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    with SmtpServer() as again:
        assert send(home, again, monkeypatch) == 0
    assert again.received == []
