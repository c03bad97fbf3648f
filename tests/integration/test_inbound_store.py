"""Mail in: Maildir, mbox and .eml folders read alike; each message stored once with its raw
bytes; threaded to the communication it answers; Unsubscribe, Complaint and hard Bounce
land suppression events in raw at once; malformed mail is stored and marked."""

import mailbox
import shutil
from datetime import date
from email.message import EmailMessage

import duckdb
import pytest

from assets.inbound.mailbox import read_mail
from assets.inbound.store import ingest_mailbox
from assets.ingestion.ingest import ensure_tables
from core.schema import ensure_operational_tables
from tests.conftest import CORPORA

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 24)


def message(
    n: int, text: str, sender: str, in_reply_to: str | None = None, **headers
) -> EmailMessage:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "alex.morgan@mwms.example"
    m["Subject"] = headers.pop("subject", "Re: A thought")
    m["Date"] = "Tue, 24 Nov 2026 10:00:00 +0000"
    m["Message-ID"] = f"<m{n}@example.org>"
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
    for key, value in headers.items():
        m[key.replace("_", "-")] = value
    m.set_content(text)
    return m


def test_maildir_mbox_and_eml_folders_read_alike(tmp_path):
    messages = [message(i, f"hello {i}", f"p{i}@example.org") for i in range(3)]
    maildir = mailbox.Maildir(tmp_path / "maildir", create=True)
    for m in messages:
        maildir.add(m)
    box = mailbox.mbox(tmp_path / "box.mbox", create=True)
    for m in messages:
        box.add(m)
    box.flush()
    (tmp_path / "eml").mkdir()
    for i, m in enumerate(messages):
        (tmp_path / "eml" / f"{i}.eml").write_bytes(bytes(m))
    for source in ("maildir", "box.mbox", "eml"):
        read = list(read_mail(tmp_path / source))
        assert len(read) == 3, source
        assert {b"hello 0", b"hello 1", b"hello 2"} == {
            next(x for x in (b"hello 0", b"hello 1", b"hello 2") if x in r.raw) for r in read
        }


@pytest.fixture
def warehouse(workspace):
    con = duckdb.connect(str(workspace.warehouse))
    ensure_tables(con)
    ensure_operational_tables(con)
    con.execute(
        "insert into drafting.draft_history (communication_id, prospect_id, campaign_id, step, "
        "content_hash, subject, body, drafted_on) values ('cm_0123456789abcdef0123', 'pr_1', "
        "'diag', 1, 'h', 's', 'b', ?)",
        [AS_OF],
    )
    yield con
    con.close()


def test_mail_is_stored_once_threaded_and_suppresses_at_once(workspace, warehouse, config):
    box = workspace.mailbox
    box.mkdir(parents=True, exist_ok=True)
    (box / "unsubscribe.eml").write_bytes(
        bytes(
            message(
                1,
                "Please remove me from your list.",
                "Sam <sam@clinic.example>",
                "<cm_0123456789abcdef0123@mwms.example>",
            )
        )
    )
    (box / "interested.eml").write_bytes(
        bytes(message(2, "Yes please, send it.", "kim@studio.example"))
    )
    shutil.copyfile(
        CORPORA / "bounces-sisimai" / "eml" / "lhost-sendmail-01.eml", box / "bounce.eml"
    )
    shutil.copyfile(CORPORA / "autoreplies-sisimai" / "eml" / "arf-01.eml", box / "complaint.eml")
    (box / "broken.eml").write_bytes(b"\x00\xff\xfe not a message at all")
    new = ingest_mailbox(warehouse, workspace, config, AS_OF)
    assert new.height == 5
    rows = {
        r[0]: r
        for r in warehouse.execute(
            "select regexp_extract(source, '[^/]+$'), reply_class, communication_id, threaded_by, "
            "defects, octet_length(raw) from inbound.messages"
        ).fetchall()
    }
    assert rows["unsubscribe.eml"][1:4] == ("Unsubscribe", "cm_0123456789abcdef0123", "in_reply_to")
    assert rows["bounce.eml"][1] == "Bounce" and rows["complaint.eml"][1] == "Complaint"
    assert rows["broken.eml"][1] == "Unknown" and "MissingMessageId" in rows["broken.eml"][4]
    assert all(r[5] > 0 for r in rows.values())  # the raw bytes are kept
    suppressed = dict(
        warehouse.execute(
            "select email_normalised, reason from raw.suppressions where suppression_ref like "
            "'INBOUND-%'"
        ).fetchall()
    )
    assert suppressed["sam@clinic.example"] == "unsubscribe"
    assert suppressed["userunknown@bouncehammer.jp"] == "hard_bounce"
    assert "complaint" in suppressed.values()
    assert "kim@studio.example" not in suppressed
    # the same mailbox again stores nothing twice and suppresses nothing twice
    assert ingest_mailbox(warehouse, workspace, config, AS_OF).height == 0
    assert warehouse.execute("select count(*) from inbound.messages").fetchall()[0][0] == 5
    assert warehouse.execute(
        "select count(*) from raw.suppressions where suppression_ref like 'INBOUND-%'"
    ).fetchall()[0][0] == len(suppressed)
