"""Plain-text bounces as MTAs without a DSN part write them, written by hand for this
project (not copied from a corpus): qmail-send's failure notice, Novell GroupWise's
undeliverable notice, a sendmail relay's returned mail and its four-hour warning. Each
must be a bounce of the right recipient, hard or soft as the words say."""

import pytest

from assets.inbound.classify import classify

# qmail-send's opening, the same in every failure notice; each notice goes on with the
# addresses it failed and what the remote host said
QMAIL_NOTICE = (
    "From: MAILER-DAEMON@mail.example.org\n"
    "To: sales@example.com\n"
    "Subject: failure notice\n"
    "Date: Tue, 01 Dec 2026 09:00:00 +0000\n"
    "\n"
    "Hi. This is the qmail-send program at mail.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
)
BOUNCES = {
    "qmail_unknown": QMAIL_NOTICE
    + (
        "<ada@example.net>:\n"
        "192.0.2.10 does not like recipient.\n"
        "Remote host said: 550 5.1.1 <ada@example.net>... User unknown\n"
        "Giving up on 192.0.2.10.\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
        "\n"
        "Return-Path: <sales@example.com>\n"
        "Subject: Harbour Physio booking\n"
    ),
    "qmail_nohost": QMAIL_NOTICE
    + (
        "<ada@example.invalid>:\n"
        "Sorry, I couldn't find any host named example.invalid. (#5.1.2)\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
    ),
    "qmail_full": QMAIL_NOTICE
    + (
        "<ada@example.net>:\n"
        "192.0.2.10 failed after I sent the message.\n"
        "Remote host said: 552 5.2.2 Mailbox full\n"
        "Giving up on 192.0.2.10.\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
    ),
    "groupwise": (
        "From: Mail Delivery System <postmaster@gw.example.net>\n"
        "To: sales@example.com\n"
        "Subject: Undeliverable: Harbour Physio booking\n"
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "The message that you sent was undeliverable to the following:\n"
        "\tada@example.net (user not found)\n"
        "\n"
        "Possibly truncated original message follows:\n"
        "\n"
        "Subject: Harbour Physio booking\n"
    ),
    "sendmail_relay": (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>\n"
        "To: sales@example.com\n"
        "Subject: Returned mail: see transcript for details\n"
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "The original message was received at Tue, 1 Dec 2026 09:00:00 GMT\n"
        "from out.example.com [192.0.2.4]\n"
        "\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "<ada@example.net>\n"
        "    (reason: 550 5.1.1 <ada@example.net>... User unknown)\n"
        "    (expanded from: <ada.lovelace@example.org>)\n"
        "\n"
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.net.:\n"
        ">>> RCPT To:<ada@example.net>\n"
        "<<< 550 5.1.1 <ada@example.net>... User unknown\n"
        "550 5.1.1 <ada@example.net>... User unknown\n"
        "\n"
        "   ----- Original message follows -----\n"
    ),
    "sendmail_deferred": (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>\n"
        "To: sales@example.com\n"
        "Subject: Warning: could not send message for past 4 hours\n"
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "    **********************************************\n"
        "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
        "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
        "    **********************************************\n"
        "\n"
        "The original message was received at Tue, 1 Dec 2026 05:00:00 GMT\n"
        "\n"
        "   ----- Transcript of session follows -----\n"
        "<ada@example.net>... Deferred: Connection timed out with mx.example.net.\n"
        "Warning: message still undelivered after 4 hours\n"
        "Will keep trying until message is 5 days old\n"
    ),
}


@pytest.mark.parametrize(
    ("name", "bounce_type", "reason", "status", "recipient"),
    [
        ("qmail_unknown", "hard", "userunknown", "5.1.1", "ada@example.net"),
        ("qmail_nohost", "hard", "hostunknown", "5.1.2", "ada@example.invalid"),
        ("qmail_full", "soft", "mailboxfull", "5.2.2", "ada@example.net"),
        ("groupwise", "hard", "userunknown", None, "ada@example.net"),
        ("sendmail_relay", "hard", "userunknown", "5.1.1", "ada@example.net"),
        ("sendmail_deferred", "soft", "expired", None, "ada@example.net"),
    ],
)
def test_a_plain_text_bounce_of_each_mta_is_read(name, bounce_type, reason, status, recipient):
    result = classify(BOUNCES[name].encode())
    assert (result.reply_class, result.bounce_type, result.bounce_reason) == (
        "Bounce",
        bounce_type,
        reason,
    )
    assert (result.bounce_status, result.bounced_recipient) == (status, recipient)
    # a hard bounce suppresses the address; a soft one holds it for a retry
    assert result.creates_suppression is (bounce_type == "hard")
