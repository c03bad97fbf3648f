"""Inbound mail, structure before words, on real messages from the public corpora; the
action each class creates comes from the Reply Action Map seed."""

import csv
import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from assets.inbound.classify import CONTINUES_CONTACT, action_map, classify
from assets.inbound.reply_classes import CLASSES
from tests.conftest import CORPORA

pytestmark = pytest.mark.integration

BOUNCES = CORPORA / "bounces-sisimai"
AUTOREPLIES = CORPORA / "autoreplies-sisimai"
REPLIES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "replies.jsonl"
# the reply sets the rules were never tuned on (benchmarks/make_replies.py)
NOT_TUNED_ON = frozenset({"holdout9", "taught10", "holdout10", "holdout11"})
OPT_OUT = 'If you would rather not hear from us again, reply "stop" and we will not contact you.'


def corpus(name: str, folder: Path = BOUNCES) -> bytes:
    if not (folder / "eml" / name).exists():
        folder = AUTOREPLIES
    return (folder / "eml" / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "bounce_type", "reason", "action"),
    [
        ("lhost-sendmail-01.eml", "hard", "userunknown", "suppress_address"),  # RFC 3464, 5.1.1
        ("lhost-exim-02.eml", "hard", "userunknown", "suppress_address"),  # Exim text bounce
        ("lhost-exchange2007-05.eml", "soft", "expired", "hold_and_retry"),
        (
            "lhost-einsundeins-03.eml",
            "soft",
            "spamdetected",
            "hold_and_retry",
        ),  # carries Auto-Submitted
    ],
)
def test_bounces_are_bounces_with_type_reason_and_action(name, bounce_type, reason, action):
    result = classify(corpus(name))
    assert result.reply_class == "Bounce"
    assert (result.bounce_type, result.bounce_reason, result.next_action) == (
        bounce_type,
        reason,
        action,
    )
    assert result.creates_suppression is (bounce_type == "hard")
    assert result.bounced_recipient and "@" in result.bounced_recipient


@pytest.mark.parametrize(
    ("name", "bounce_type", "reason"),
    [
        # Amazon SES through SNS: the bounce is an escaped JSON string inside the notification
        ("lhost-amazonses-10.eml", "hard", "userunknown"),
        # KDDI (au one net): no DSN, no telling subject, the sentence in Japanese or English
        ("lhost-kddi-01.eml", "soft", "mailboxfull"),
        ("lhost-kddi-02.eml", "soft", "mailboxfull"),
        # Exchange 2003: "did not reach the following recipient(s)", subject of one letter
        ("lhost-exchange2003-03.eml", "hard", "userunknown"),
    ],
)
def test_bounces_without_a_report_part_or_a_telling_subject_are_found(name, bounce_type, reason):
    result = classify(corpus(name))
    assert (result.reply_class, result.bounce_type, result.bounce_reason) == (
        "Bounce",
        bounce_type,
        reason,
    )


@pytest.mark.parametrize(
    ("name", "bounce_type", "reason", "recipient"),
    [
        # one report, two recipients, each with its own words: the unknown one is hard
        ("lhost-qmail-17.eml", "hard", "userunknown", "userunknown@libsisimai.net"),
        ("lhost-gmx-03.eml", "hard", "userunknown", "mikeneko@example.co.jp"),
        ("lhost-opensmtpd-17.eml", "hard", "userunknown", "userunknown@libsisimai.net"),
        # Office 365: the curly apostrophe, and the original's headers (SPF, TLS) not read
        ("lhost-office365-01.eml", "hard", "userunknown", "kijitora@example.com"),
        # a report whose MIME boundary never comes: its body is still read
        ("rhost-google-02.eml", "hard", "userunknown", None),
        # a generic 5.0.0 gives way to the server's own 5.1.0 in its words
        ("rhost-gsuite-01.eml", "hard", "userunknown", None),
        # the sender's domain refused: nothing wrong with the recipient's address
        ("lhost-postfix-10.eml", "soft", "rejected", None),
        # "Security Suite" in a product's name is no security error
        ("lhost-interscanmss-02.eml", "hard", "userunknown", None),
    ],
)
def test_each_recipients_own_words_decide_and_the_sender_is_not_the_recipient(
    name, bounce_type, reason, recipient
):
    result = classify(corpus(name))
    assert (result.reply_class, result.bounce_type, result.bounce_reason) == (
        "Bounce",
        bounce_type,
        reason,
    )
    assert result.creates_suppression is (bounce_type == "hard")
    if recipient:
        assert result.bounced_recipient == recipient


def postfix_report(reply: str, command: str, status: str = "5.0.0") -> bytes:
    """A Postfix delivery status report, written by hand: the remote server's reply and the
    SMTP command it answered."""
    boundary = "B1A2C3.1764547200/mx.example.org"
    return (
        "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
        "To: sales@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"'
        f"\r\n\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.example.org.\r\n\r\n"
        "<ada@example.net>: host mx.example.net[192.0.2.9] said: "
        f"{reply} (in reply to {command} command)\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; ada@example.net\r\nAction: failed\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; {reply}\r\n\r\n--{boundary}--\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("reply", "command", "status", "bounce_type", "reason"),
    [
        # refused at RCPT TO: the address is unknown; the same words after the message was
        # read (end of DATA) are a refusal of the content, unless a 5.1.x status says more
        ("550 Unknown user ada@example.net", "RCPT TO", "5.0.0", "hard", "userunknown"),
        ("550 Unknown user ada@example.net", "end of DATA", "5.0.0", "soft", "filtered"),
        ("550 5.1.1 Unknown user ada@example.net", "end of DATA", "5.1.1", "hard", "userunknown"),
        # Postfix's "Recipient address rejected:" is followed by the reason that counts
        (
            "554 5.3.0 <ada@example.net>: Recipient address rejected: Mailer error",
            "RCPT TO",
            "5.3.0",
            "soft",
            "mailererror",
        ),
        (
            "550 5.4.1 <ada@example.net>: Recipient address rejected: Access denied",
            "RCPT TO",
            "5.4.1",
            "hard",
            "userunknown",
        ),
        (
            "550 <ada@example.net>: Recipient address rejected: User unknown in local recipient "
            "table",
            "RCPT TO",
            "5.1.1",
            "hard",
            "userunknown",
        ),
        (
            "521 5.3.2 System not accepting network messages",
            "RCPT TO",
            "5.3.2",
            "hard",
            "notaccept",
        ),
        # "inactive" beside a bad-mailbox status: gone for good (iCloud's wording); beside
        # a mailbox-disabled status it may come back
        (
            "550 5.1.1 <ada@example.net>: inactive email address",
            "RCPT TO",
            "5.1.1",
            "hard",
            "userunknown",
        ),
        (
            "550 5.2.1 <ada@example.net>: inactive email address",
            "RCPT TO",
            "5.2.1",
            "soft",
            "suspend",
        ),
        # a bare domain said not to exist is the host, even after DATA; an address said
        # not to exist after DATA is still a refusal of the content
        ("553 mx.example.net does not exist", "end of DATA", "5.0.0", "hard", "hostunknown"),
        ("553 ada@example.net does not exist", "end of DATA", "5.0.0", "soft", "filtered"),
    ],
)
def test_the_smtp_command_refused_and_the_words_after_rejected_decide_hard_or_soft(
    reply, command, status, bounce_type, reason
):
    result = classify(postfix_report(reply, command, status))
    assert (result.reply_class, result.bounce_type, result.bounce_reason) == (
        "Bounce",
        bounce_type,
        reason,
    )
    assert result.bounced_recipient == "ada@example.net"
    assert result.creates_suppression is (bounce_type == "hard")


def test_a_plain_report_with_only_a_reply_code_is_a_bounce_of_the_rcpt_to_address():
    """A gateway's notice (Verizon's, Apache James's) with no DSN part, no telling subject
    and no RFC 3463 status: from a bounce sender, a line opening with an SMTP failure code
    makes it a report, and the address it failed is the RCPT TO, never the MAIL FROM."""
    raw = (
        b"From: post_master@sms.example.net\r\nTo: sales@example.com\r\n"
        b"Subject: Re:Harbour Physio booking\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        b"Error: Invalid user address\r\nError message below:\r\n"
        b"550 - Requested action not taken: no such user here\r\nMessage details:\r\n"
        b"  MAIL FROM: sales@example.com\r\n  RCPT TO: ada@sms.example.net\r\n"
    )
    result = classify(raw)
    assert (result.reply_class, result.bounce_type, result.bounced_recipient) == (
        "Bounce",
        "hard",
        "ada@sms.example.net",
    )
    # the same words from a person are a reply, not a report
    person = raw.replace(b"post_master@sms.example.net", b"ada@sms.example.net")
    assert classify(person).reply_class != "Bounce"


def test_a_session_transcript_is_read_by_the_reply_that_failed_not_the_oks_before_it():
    """Postfix's report to a postmaster of a session that failed: the transcript's 250 2.1.0
    and 2.1.5 replies come before the 451 4.3.0 that failed; the report is a soft bounce
    (the server could not write its queue file), never a delivery."""
    raw = (
        b"From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
        b"To: postmaster@mx.example.org (Postmaster)\r\n"
        b"Subject: Postfix SMTP server: errors from localhost[127.0.0.1]\r\n"
        b"Date: Tue, 01 Dec 2026 09:00:00 +0000\r\n\r\n"
        b"Transcript of session follows.\r\n\r\n"
        b" Out: 220 mx.example.org ESMTP\r\n In:  EHLO relay.example.com\r\n"
        b" Out: 250 mx.example.org\r\n In:  MAIL FROM:<sales@example.com>\r\n"
        b" Out: 250 2.1.0 Ok\r\n In:  RCPT TO:<ada@example.net>\r\n"
        b" Out: 250 2.1.5 Ok\r\n In:  DATA\r\n Out: 354 End data with <CR><LF>.<CR><LF>\r\n"
        b" Out: 451 4.3.0 Error: queue file write error\r\n In:  QUIT\r\n"
    )
    result = classify(raw)
    assert (result.reply_class, result.bounce_type, result.bounce_reason) == (
        "Bounce",
        "soft",
        "systemerror",
    )
    assert (result.bounce_status, result.bounced_recipient) == ("4.3.0", "ada@example.net")
    assert not result.creates_suppression


def test_an_address_check_report_that_says_deliverable_is_not_a_bounce():
    """Postfix's `sendmail -bv` report: Action deliverable, status 2.1.5."""
    result = classify(corpus("rfc3464-28.eml"))
    assert result.reply_class != "Bounce" and not result.creates_suppression


@pytest.mark.parametrize("name", ["lhost-fml-02.eml", "lhost-fml-03.eml"])
def test_a_mailing_list_programs_notice_is_for_a_reviewer_not_a_reply(name):
    """fml's "you are not a member" and "loop alert": no person wrote them (one was read
    as Interested before)."""
    result = classify(corpus(name))
    assert result.reply_class == "Unknown"
    assert result.reply_class not in CONTINUES_CONTACT
    assert "mailing list" in result.evidence


def test_no_bounce_in_the_corpus_is_taken_for_an_auto_reply():
    """Many Exim bounces carry Auto-Submitted: auto-replied; a bounce is a bounce."""
    labels = list(csv.DictReader((BOUNCES / "labels.csv").open()))
    classes = [classify(corpus(row["filename"])).reply_class for row in labels]
    assert "Out Of Office" not in classes
    assert classes.count("Bounce") / len(classes) > 0.95


def test_feedback_reports_are_complaints_and_suppress():
    labels = [
        r
        for r in csv.DictReader((AUTOREPLIES / "labels.csv").open())
        if r["category"] == "feedback_report"
    ]
    for row in labels:
        result = classify(corpus(row["filename"]))
        assert result.reply_class in ("Complaint", "Unsubscribe"), row["filename"]
        assert result.creates_suppression and result.stops_sequence


def test_vacation_replies_delay_to_their_return_date():
    result = classify(corpus("rfc3834-01.eml"))
    assert (result.reply_class, result.next_action) == ("Out Of Office", "delay_until_return")
    assert not result.creates_suppression and not result.stops_sequence
    for name in ("is-not-bounce-01.eml", "is-not-bounce-02.eml"):
        assert classify(corpus(name)).reply_class not in ("Bounce", "Out Of Office", "Complaint")


def test_every_vacation_reply_in_the_corpus_is_out_of_office_never_an_opt_out():
    """ "***Please stop and read this message.***" opens one of them: stopping to read is
    no request to stop the messages (the words of a clause meet; "and" ends one)."""
    rows = list(csv.DictReader((AUTOREPLIES / "labels.csv").open()))
    vacations = [r["filename"] for r in rows if r["category"] == "auto_reply"]
    assert len(vacations) >= 6
    for name in vacations:
        result = classify(corpus(name, AUTOREPLIES))
        assert result.reply_class == "Out Of Office", name
        assert not result.creates_suppression


def reply(text: str, *, quoted: bool = True, **headers) -> bytes:
    message = EmailMessage()
    message["From"] = "Sam Taylor <sam@clinic.example>"
    message["To"] = "alex.morgan@mwms.example"
    message["Subject"] = headers.pop("subject", "Re: A thought on your booking page")
    message["Date"] = "Tue, 24 Nov 2026 10:00:00 +0000"
    message["Message-ID"] = "<r1@clinic.example>"
    message["In-Reply-To"] = "<cm_abc@mwms.example>"
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    original = f"Would it be useful if I sent over the checklist?\n\n{OPT_OUT}"
    body = text + (
        "\n\nOn Tue, 24 Nov 2026 at 09:30, Alex <alex.morgan@mwms.example> wrote:\n> "
        + original.replace("\n", "\n> ")
        if quoted
        else ""
    )
    message.set_content(body)
    return bytes(message)


def test_the_quoted_original_is_not_read_as_the_reply():
    """Our opt-out line ('reply stop') and CTA sit in the quote: 'yes please' is Interested."""
    result = classify(reply("Yes please, send it over."))
    assert result.reply_class == "Interested"
    assert result.next_action == "route_to_owner" and result.in_reply_to == "<cm_abc@mwms.example>"
    plain = classify(
        reply(
            "Yes please, send it over.\n\n-----Original Message-----\nFrom: Alex\n\n" + OPT_OUT,
            quoted=False,
        )
    )
    assert plain.reply_class == "Interested"


@pytest.mark.parametrize(
    ("text", "expected", "action"),
    [
        ("stop", "Unsubscribe", "suppress"),
        ("Sounds good, but please remove me from your list.", "Unsubscribe", "suppress"),
        ("This is spam. How did you get my email?", "Complaint", "suppress_and_review"),
        (
            "Please speak to our practice manager, jo@clinic.example.",
            "Referral",
            "create_verify_contact_task",
        ),
        ("Not right now, try me again in March.", "Not Now", "park_until_review_date"),
        ("We don't take bookings online.", "Not A Fit", "close_not_a_fit"),
        ("How much does the diagnostic cost?", "Question", "route_to_owner"),
        ("It's too expensive for us.", "Objection", "route_to_owner"),
        ("I've booked a slot for Thursday at 10.", "Booked", "record_booking"),
        ("Thanks", "Unknown", "human_review"),
    ],
)
def test_human_replies_get_a_class_and_the_action_map_action(text, expected, action):
    result = classify(reply(text))
    assert (result.reply_class, result.next_action) == (expected, action)
    assert result.creates_suppression is (expected in ("Unsubscribe", "Complaint"))


def test_what_the_action_needs_is_extracted():
    assert (
        classify(reply("Please speak to our practice manager, jo@clinic.example.")).referred_contact
        == "jo@clinic.example"
    )
    assert str(classify(reply("Not right now, try me again in March.")).review_on) == "2027-03-01"
    ooo = classify(
        reply(
            "I am out of the office until 3 December.",
            subject="Automatic reply",
            Auto_Submitted="auto-replied",
        )
    )
    assert (ooo.reply_class, str(ooo.return_on)) == ("Out Of Office", "2026-12-03")


def test_an_accepted_calendar_reply_is_booked():
    message = EmailMessage()
    message["From"] = "sam@clinic.example"
    message["Subject"] = "Accepted: Booking diagnostic"
    message["Message-ID"] = "<cal@clinic.example>"
    message.set_content("Sam accepted.")
    message.add_alternative(
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nSUMMARY:Booking diagnostic\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@clinic.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        subtype="calendar",
        params={"method": "REPLY"},
    )
    result = classify(bytes(message))
    assert (result.reply_class, result.next_action) == ("Booked", "record_booking")


def test_malformed_mail_is_classified_as_far_as_it_goes_never_raised():
    for raw in (
        b"",
        b"\x00\xff garbage",
        b"Subject: =?bogus?Q?x?=\n\nno headers end",
        b"From: \n\n" + b"\xc3" * 10,
    ):
        result = classify(raw)
        assert result.reply_class == "Unknown" and result.next_action == "human_review"
        assert result.content_hash


def test_the_action_map_covers_every_class_and_opt_outs_never_continue():
    classes = {name for name, _ in CLASSES} | {"Unsubscribe", "Complaint", "Bounce", "Unknown"}
    mapped = {reply_class for reply_class, _ in action_map()}
    assert classes <= mapped
    items = [json.loads(line) for line in REPLIES.read_text().splitlines()]
    assert len(items) >= 150 and {i["label"] for i in items} >= classes
    leaks = [
        i["id"]
        for i in items
        if i["label"] in ("Unsubscribe", "Complaint")
        and classify(i["raw"].encode()).reply_class in CONTINUES_CONTACT
    ]
    assert leaks == []


def test_every_reply_the_rules_were_tuned_on_keeps_its_class():
    """The labelled replies the rules were written or tuned on keep their class: a new rule
    that breaks an old phrasing fails here, not in a reviewer's queue. Not among them: the
    fourth set (its one miss left: an objection without telling words), the fifth
    set's "Could be useful, what does it involve?", left a Question (interest that asks
    is answered by a person either way), and five of the eighth set's (an objection and
    a not-a-fit without telling words, a closing "at the end of the year" read as Not
    Now, and two questions without a question word that opens them, left Unknown: a
    question mark alone does not make a question, "Wer sind Sie?" is for a person). The
    rules alone (the meaning model off); not the sets held out of all tuning, nor the
    examples written for the meaning model alone."""
    items = [json.loads(line) for line in REPLIES.read_text().splitlines()]
    left_as_they_are = {258, 275, 407, 408, 412, 414, 416}
    tuned = [
        i
        for i in items
        if i["id"] not in left_as_they_are
        and "bounce_type" not in i
        and i.get("split") not in NOT_TUNED_ON
    ]
    wrong = [
        (i["id"], i["label"], got)
        for i in tuned
        if (got := classify(i["raw"].encode(), use_model=False).reply_class) != i["label"]
    ]
    assert len(tuned) >= 200 and wrong == []
