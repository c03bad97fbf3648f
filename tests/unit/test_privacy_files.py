"""Scrubbing one person out of workspace files, by what each file is: their own file is
removed, their CSV and XLSX rows lose personal and free-text columns, the HTML blocks the
exports mark as theirs are replaced, any text still quoting them is rewritten, and other
people's rows are left exactly as they were."""

from openpyxl import Workbook, load_workbook

from assets.privacy.file_scrub import scrub_files
from assets.privacy.person import Person

PERSON = Person(
    emails={"ann.lee@shop.example"},
    phones={"+447700900123", "07700 900123"},
    names={"Ann Lee"},
    prospect_ids={"pr_ann"},
    review_tokens={"cm_ann.abc"},
)


def test_each_kind_of_file_loses_the_person_and_keeps_everyone_else(tmp_path):
    (tmp_path / "pr_ann.html").write_text("<p>Ann Lee brief</p>")
    (tmp_path / "queue.csv").write_text(
        "review_token,prospect_name,body,campaign_id\n"
        "cm_ann.abc,Ann Lee,Hi Ann,c1\n"
        "cm_bob.def,Bob Ray,Hi Bob,c1\n"
    )
    (tmp_path / "queue.html").write_text(
        "<table><!-- person cm_ann.abc --><tr><td>Hi Ann, from the shop</td></tr><!-- /person -->"
        "<!-- person cm_bob.def --><tr><td>Hi Bob</td></tr><!-- /person --></table>"
    )
    (tmp_path / "log.txt").write_text("called 07700 900123 and wrote to ANN.LEE@shop.example\n")
    (tmp_path / "reply.eml").write_text("From: Ann Lee <ann.lee@shop.example>\n\nhello\n")
    (tmp_path / "other.eml").write_text("From: bob@ray.example\n\nhello\n")
    book = Workbook()
    sheet = book.active
    sheet.append(["review_token", "prospect_name", "recipient", "step"])
    sheet.append(["cm_ann.abc", "Ann Lee", "ann.lee@shop.example", 1])
    sheet.append(["cm_bob.def", "Bob Ray", "bob@ray.example", 1])
    book.save(tmp_path / "queue.xlsx")

    done = scrub_files(tmp_path, PERSON)

    assert sorted(p.name for p in done.removed) == ["pr_ann.html", "reply.eml"]
    assert (tmp_path / "queue.csv").read_text().splitlines() == [
        "review_token,prospect_name,body,campaign_id",
        "cm_ann.abc,[erased],[erased],c1",
        "cm_bob.def,Bob Ray,Hi Bob,c1",
    ]
    page = (tmp_path / "queue.html").read_text()
    assert "Hi Ann" not in page and "<td>[erased]</td>" in page and "Hi Bob" in page
    assert (tmp_path / "log.txt").read_text() == "called [erased] and wrote to [erased]\n"
    assert (tmp_path / "other.eml").exists()
    rows = list(load_workbook(tmp_path / "queue.xlsx").active.iter_rows(values_only=True))
    assert rows[1] == ("cm_ann.abc", "[erased]", "[erased]", 1)
    assert rows[2] == ("cm_bob.def", "Bob Ray", "bob@ray.example", 1)
    assert sorted(p.name for p in done.rewritten) == [
        "log.txt",
        "queue.csv",
        "queue.html",
        "queue.xlsx",
    ]


def _mail(sender: str, body: str, encoding: str = "base64", subject: str = "hello") -> bytes:
    import base64
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = sender
    message["To"] = "sales@mwms.example"
    message["Subject"] = "=?utf-8?b?" + base64.b64encode(subject.encode()).decode() + "?="
    message.set_content(body, cte=encoding)
    return bytes(message)


def test_the_person_is_found_however_a_file_spells_them(tmp_path):
    """UTF-16 text, JSON with \\u escapes, Parquet, mail with an encoded body and subject (a
    .eml, a Maildir entry, an mbox): each loses the person, in its own format; other
    people stay."""
    import codecs
    import mailbox

    import polars as pl

    landing = tmp_path / "landing" / "leads"
    landing.mkdir(parents=True)
    utf16 = "source_id,email,first_name\ncrm,ann.lee@shop.example,Ann\ncrm,bob@ray.example,Bob\n"
    (landing / "excel.csv").write_bytes(codecs.BOM_UTF16_LE + utf16.encode("utf-16-le"))
    (landing / "crm.jsonl").write_text(
        '{"email": "\\u0061nn.lee\\u0040shop.example", "note": "met Ann Lee"}\n'
        '{"email": "bob@ray.example", "note": "met Bob"}\n'
    )
    pl.DataFrame(
        {"email": ["ann.lee@shop.example", "bob@ray.example"], "first_name": ["Ann", "Bob"]}
    ).write_parquet(landing / "crm.parquet")
    mail = tmp_path / "mailbox"
    for sub in ("cur", "new", "tmp"):
        (mail / "Maildir" / sub).mkdir(parents=True)
    (mail / "Maildir" / "new" / "1700000000.1.host").write_bytes(
        _mail("someone@else.example", "Please contact ann.lee@shop.example instead.")
    )
    (mail / "Maildir" / "new" / "1700000000.2.host").write_bytes(
        _mail("bob@ray.example", "Not interested.")
    )
    (mail / "Maildir" / "cur" / "1700000000.3.host:2,S").write_bytes(
        _mail("bob@ray.example", "fine", subject="Re: about Ann Lee")
    )
    (mail / "qp.eml").write_bytes(
        _mail("x@y.example", "Forwarding: ann.lee@shop.example said stop", "quoted-printable")
    )
    box = mailbox.mbox(mail / "archive.mbox")
    box.add(_mail("ann.lee@shop.example", "hello"))
    box.add(_mail("bob@ray.example", "hello"))
    box.flush()
    box.close()

    done = scrub_files(tmp_path, PERSON)

    text = codecs.decode((landing / "excel.csv").read_bytes()[2:], "utf-16-le")
    assert (landing / "excel.csv").read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert "ann.lee" not in text and "bob@ray.example" in text
    jsonl = (landing / "crm.jsonl").read_text()
    assert "\\u0061nn" not in jsonl and "Ann Lee" not in jsonl and "bob@ray.example" in jsonl
    import json

    assert [json.loads(line)["email"] for line in jsonl.splitlines()] == [
        "[erased]",
        "bob@ray.example",
    ]
    frame = pl.read_parquet(landing / "crm.parquet")
    assert frame["email"].to_list() == ["[erased]", "bob@ray.example"]
    assert sorted(p.name for p in done.removed) == [
        "1700000000.1.host",
        "1700000000.3.host:2,S",
        "qp.eml",
    ]
    assert (mail / "Maildir" / "new" / "1700000000.2.host").exists()
    senders = [m["From"] for m in mailbox.mbox(mail / "archive.mbox")]
    assert senders == ["bob@ray.example"]
    assert done.not_rewritten == []


def test_raw_mail_kept_in_the_warehouse_is_cleared_when_it_quotes_them():
    """A reply from someone else forwarding the person's address, base64 in the raw bytes:
    the raw message is cleared; another person's raw message stays."""
    import duckdb

    from assets.privacy.warehouse_scrub import scrub_warehouse

    con = duckdb.connect()
    con.execute("create schema inbound")
    con.execute("create table inbound.messages (content_hash varchar, sender varchar, raw blob)")
    con.execute(
        "insert into inbound.messages values (?, ?, ?), (?, ?, ?)",
        [
            "h1",
            "someone@else.example",
            _mail("someone@else.example", "write to ann.lee@shop.example"),
            "h2",
            "bob@ray.example",
            _mail("bob@ray.example", "no thanks"),
        ],
    )
    scrub_warehouse(con, PERSON)
    kept = con.execute("select content_hash, raw is null from inbound.messages order by 1")
    assert kept.fetchall() == [("h1", True), ("h2", False)]
