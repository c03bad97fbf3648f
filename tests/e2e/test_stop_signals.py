"""Stop signals from the real world, in both paths, over a real SMTP server on loopback.

A corpus written here (not the generator, not the adversarial corpus): hand-made and
exported suppression files (aliased headers, BOM, UTF-16, mailto:, display names,
zero-width and full-width characters, reasons, scopes and dates in other spellings, an
unrecognised reason), opt-out mail (German with an RFC 2047 display name holding a comma,
Japanese, a colleague's alias, a List-Unsubscribe mail, a bounce quoting our Message-ID
for a forwarded address, a third party's opt-out), an erasure request, and reviewer
decisions (the same token approved and suppressed; a Suppress without a reviewer), a
semicolon-separated Excel export, an XLSX workbook, a UTF-16 erasure request with its own
header names, and an unclear reply that holds its sender until a human decides.

(a) everything lands after the morning run and the send takes it in, with no daily run
in between; (b) the daily run comes first. Either way every target is not emailed, and
every other approved person is: a future-dated suppression and an address that appears
only inside a display name stop nobody."""

import csv
import shutil
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from openpyxl import Workbook

from dagster_project.cli import main
from tests.conftest import copy_of
from tests.review_and_send import approve, send_live, without_send_gap
from tests.smtp_server import SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

AS_OF = "2026-11-24"
AT = "2026-11-24T10:00:00+00:00"
APPROVED = 24


@pytest.fixture(scope="module")
def morning(built_demo, tmp_path_factory):
    """The morning run done: APPROVED pilot emails to distinct domains in the send queue."""
    home = copy_of(built_demo, tmp_path_factory.mktemp("stops") / "ws")
    without_send_gap(home)
    queue = sql(
        home,
        "select review_token, recipient from marts.review_queue where campaign_id = "
        "'diag_uk_email_pilot' and lint_passed and recipient is not null qualify row_number() over "
        "(partition by split_part(recipient, '@', 2) order by review_token) = 1 order by "
        "review_token",
    ).head(APPROVED + 2)
    # approved early in the morning, before any of the stop signals below arrives
    approve(home, queue["review_token"].head(APPROVED), AS_OF, at=f"{AS_OF}T07:00:00")
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    rows = sql(
        home,
        "select q.communication_id, q.recipient, q.prospect_id, d.review_token "
        "from marts.send_queue as q inner join review.decisions as d using (communication_id) "
        "order by communication_id",
    ).to_dicts()
    assert len(rows) == APPROVED
    return home, rows


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _mail(path, *, sender: str, to: str, subject: str, body: str, **headers: str) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    message["Message-ID"] = f"<{path.stem}@client.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    path.write_bytes(message.as_bytes())


def _bounce(path, *, original_id: str, final_recipient: str) -> None:
    """A DSN (RFC 3464) for an address our message was forwarded to, quoting our headers."""
    raw = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.forward.example>\r\n"
        "To: diagnostics@harbourgrowth.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))}\r\n"
        f"Message-ID: <{path.stem}@mx.forward.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\n"
        "Your message could not be delivered: the mailbox does not exist.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.forward.example\r\n\r\n"
        f"Final-Recipient: rfc822; {final_recipient}\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "From: Diagnostics <diagnostics@harbourgrowth.example>\r\n"
        f"Message-ID: {original_id}\r\n"
        "Subject: a question\r\n\r\n"
        "--b1--\r\n"
    )
    path.write_bytes(raw.encode())


def land_stop_signals(home, rows) -> tuple[set[str], set[str]]:
    """Land the corpus; return (targets that must not be emailed, controls that must be)."""
    r = [row["recipient"] for row in rows]
    cm = [row["communication_id"] for row in rows]
    our_id = [f"<{c}@harbourgrowth.example>" for c in cm]
    targets: set[str] = set()
    landing = home / "landing" / "suppressions"
    landing.mkdir(parents=True, exist_ok=True)

    # 0-2: an Excel export: BOM, its own header names, mailto:, case, dd/mm/yyyy, "Unsubscribed"
    (landing / "crm_export.csv").write_bytes(
        "\ufeffEmail Address,Status,Date\r\n".encode()
        + f"  MAILTO:{r[0].upper()}  ,Unsubscribed,24/11/2026\r\n".encode()
        + f'"""Smith, Ann"" <{r[1]}>.",opt-out,2026-11-24 09:00\r\n'.encode()
        + f"{r[2][:2]}\u200b{r[2][2:]}\u00a0,weird reason nobody wrote down,\r\n".encode()
    )
    targets |= {r[0], r[1], r[2]}
    # 3: a file with only the column that must have a value
    (landing / "just_emails.csv").write_text(f"email\n{r[3]}\n")
    targets.add(r[3])
    # 4: UTF-16 with a BOM (Excel's "Unicode text"), full-width characters, scope "all"
    (landing / "unicode.csv").write_bytes(
        f"email,reason,scope\r\n{_fullwidth(r[4])},DNC,all\r\n".encode("utf-16")
    )
    targets.add(r[4])
    # 5: scoped to this campaign's client, spelt "Client"; 6: an ambiguous date (either
    # reading is past); 7: future-dated: stops nobody today (a control), and does not fail
    # the send job; 8: a client no campaign has: suppressed globally until a human decides
    (landing / "scoped.csv").write_text(
        "suppression_ref,email,reason,scope,scope_value,effective_at\n"
        f"C1,{r[5]},client_exclusion,Client,harbour_clinics,2026-11-01\n"
        f"C2,{r[6]},unsubscribe,global,,03/04/2026\n"
        f"C3,{r[7]},unsubscribe,global,,2026-12-30T00:00:00Z\n"
        f"C4,{r[8]},client_exclusion,client,another_client,2026-11-01\n"
    )
    targets |= {r[5], r[6], r[8]}
    controls = {r[7]}

    mailbox = home / "mailbox"
    mailbox.mkdir(exist_ok=True)
    # 9: German opt-out, display name "Müller, Jörg" (RFC 2047, with a comma), threaded
    _mail(
        mailbox / "de.eml",
        sender=f"=?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?= <{r[9]}>",
        to="diagnostics@harbourgrowth.example",
        subject="AW: a question",
        body="Bitte keine weiteren E-Mails.\n",
        In_Reply_To=our_id[9],
    )
    targets.add(r[9])
    # 10: a colleague's alias at the same organisation replies "remove me" on our thread
    local, domain = r[10].split("@")
    _mail(
        mailbox / "alias.eml",
        sender=f"Office <office.{local}@{domain}>",
        to="diagnostics@harbourgrowth.example",
        subject="Re: a question",
        body="Please remove us from your list.\n",
        In_Reply_To=our_id[10],
    )
    targets.add(r[10])
    # 11: the List-Unsubscribe mailto, sent from a personal address
    _mail(
        mailbox / "list_unsubscribe.eml",
        sender="someone.private@freemail.example",
        to="unsubscribe@harbourgrowth.example",
        subject=f"unsubscribe {cm[11]}",
        body="",
    )
    targets.add(r[11])
    # 12: a hard bounce for the address our message was forwarded to, quoting our Message-ID
    _bounce(mailbox / "bounce.eml", original_id=our_id[12], final_recipient="old@forward.example")
    targets.add(r[12])
    # 13: Japanese opt-out, threaded by References only
    _mail(
        mailbox / "ja.eml",
        sender=r[13],
        to="diagnostics@harbourgrowth.example",
        subject="Re: a question",
        body="配信停止をお願いします。\n",
        References=our_id[13],
    )
    targets.add(r[13])
    # 14: a third party at another organisation, on a thread sent to r[14]: they are
    # suppressed, r[14] goes to a human and is held meanwhile
    _mail(
        mailbox / "third_party.eml",
        sender="consultant@elsewhere.example",
        to="diagnostics@harbourgrowth.example",
        subject="Re: a question",
        body="Unsubscribe me from this please.\n",
        In_Reply_To=our_id[14],
    )
    targets.add(r[14])
    # 15: an address inside a display name only: the real sender is a stranger (control)
    _mail(
        mailbox / "display_name.eml",
        sender=f'"{r[15]}" <stranger@nowhere.example>',
        to="diagnostics@harbourgrowth.example",
        subject="unsubscribe",
        body="unsubscribe\n",
    )
    controls.add(r[15])

    # 16: an erasure request file
    requests = home / "landing" / "requests"
    requests.mkdir(parents=True, exist_ok=True)
    (requests / "dsar.csv").write_text(
        f"request_ref,email,request_type,received_at\nR1,{r[16]},erasure,2026-11-24T07:30:00\n"
    )
    targets.add(r[16])

    # 17: the same token approved and suppressed ("suppress" in lower case); 18: a Suppress
    # with no reviewer named; both in one returned queue
    decisions = home / "decisions" / "second_look.csv"
    with decisions.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["review_token", "decision", "reviewer", "edited_subject", "edited_body", "notes"]
        )
        writer.writerow([rows[17]["review_token"], "Approve", "rita", "", "", ""])
        writer.writerow([rows[17]["review_token"], "suppress", "sam", "", "", "asked us to stop"])
        writer.writerow([rows[18]["review_token"], "Suppress", "", "", "", ""])
    targets |= {r[17], r[18]}
    assert main(["queue", "import", str(decisions), "--home", str(home), "--as-of", AS_OF]) in (
        0,
        1,
    )
    # 19: a European Excel export: `sep=;` first line, semicolons, a dotted date
    (landing / "excel_semicolons.csv").write_bytes(
        f"sep=;\r\nE-Mail;Grund;Datum\r\n{r[19]};Abgemeldet / opt-out;24.11.2026\r\n".encode(
            "utf-8-sig"
        )
    )
    targets.add(r[19])
    # 20: an XLSX workbook dropped in as it came from the CRM
    book = Workbook()
    book.active.append(["Email Address", "Reason", "Suppressed At"])
    book.active.append([r[20].upper(), "Unsubscribed", datetime(2026, 11, 23, 15, 30)])
    book.save(landing / "crm_optouts.xlsx")
    targets.add(r[20])
    # 21: an erasure request exported as UTF-16 with its own header names and wording
    (requests / "privacy_inbox.csv").write_bytes(
        (
            f"E-mail,Type,Date\r\n<{r[21]}>,"
            "Please delete my data (right to be forgotten),24/11/2026\r\n"
        ).encode("utf-16")
    )
    targets.add(r[21])
    # 22: a reply with nothing clearer than doubt, not threaded: held until a human decides
    _mail(
        mailbox / "unclear.eml",
        sender=r[22],
        to="diagnostics@harbourgrowth.example",
        subject="?",
        body="Hmm.\n",
    )
    targets.add(r[22])
    controls |= set(r) - targets
    return targets, controls


def _received(server) -> set[str]:
    return {m["To"].lower() for m in server.received}


def _assert_emailed(home, server, targets, controls) -> None:
    received = _received(server)
    assert not received & targets, sorted(received & targets)
    assert received == controls, (sorted(controls - received), sorted(received - controls))


@pytest.mark.parametrize("daily_run_between", [False, True], ids=["send-time", "daily"])
def test_stop_signals_stop_their_targets_and_nobody_else(
    morning, tmp_path, monkeypatch, daily_run_between
):
    source, rows = morning
    home = tmp_path / "ws"
    shutil.copytree(source, home)
    targets, controls = land_stop_signals(home, rows)
    assert len(targets) == 21 and len(controls) == APPROVED - 21
    if daily_run_between:
        assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    with SmtpServer() as server:
        assert send_live(home, server, monkeypatch, AS_OF, AT) == 0
    _assert_emailed(home, server, targets, controls)
    # doubt went to a human: the unrecognised reason and the third party's opt-out
    kinds = sql(home, "select kind, detail from review.tasks").to_dicts()
    assert any(
        t["kind"] == "review_suppression" and "weird reason" in t["detail"] for t in kinds
    ), kinds
    assert any(
        t["kind"] == "review_third_party_opt_out" and rows[14]["recipient"] in t["detail"]
        for t in kinds
    ), kinds
    # the suppression file's rows were read as meant, not quarantined
    assert (
        sql(home, "select count(*) as n from raw.quarantine where kind = 'suppressions'")["n"][0]
        == 0
    )
