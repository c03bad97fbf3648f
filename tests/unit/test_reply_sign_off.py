"""A reply's sign-off: opt-outs below it are still read; the rest of a reply is read without it."""

from email.message import EmailMessage

import pytest

from assets.inbound.classify import classify
from assets.inbound.reply_text import new_text, strip_reply, without_sign_off
from tests.conftest import CORPORA

QUOTED = "On Tue, 24 Nov 2026 at 09:30, Alex <alex@mwms.example> wrote:\n> Would it help?\n"


def reply(body: str, sender: str = "Sam Taylor <sam@harbourphysio.example>") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Alex Morgan <alex@mwms.example>"
    message["Subject"] = "Re: A thought on your booking page"
    message["Message-ID"] = "<r1@harbourphysio.example>"
    message["In-Reply-To"] = "<cm_1@mwms.example>"
    message.set_content(f"{body}\n\n{QUOTED}")
    return bytes(message)


@pytest.mark.parametrize(
    "body",
    [
        "Interesting, thanks.\n\nThanks,\nSam\n\nPS - please take me off your list.",
        "Happy to look.\n\nSam Taylor\nHarbour Physio Clinic\n\nP.S. unsubscribe my colleague "
        "and me from these emails",
        "Sounds good\n\nSent from my iPhone\n\nActually no - stop emailing me.",
    ],
)
def test_an_opt_out_after_the_sign_off_stops_contact(body):
    # before, the sign-off was cut first: the first of these was read as Interested
    result = classify(reply(body))
    assert result.reply_class == "Unsubscribe"
    assert result.creates_suppression and result.stops_sequence


def test_a_footer_below_the_signature_delimiter_is_not_an_opt_out():
    # an SNS delivery notification: "to unsubscribe from this topic" is the sender's footer
    raw = (CORPORA / "bounces-sisimai" / "eml" / "lhost-amazonses-12.eml").read_bytes()
    assert "unsubscribe" in raw.decode("utf-8", "replace").lower()
    result = classify(raw)
    assert result.reply_class != "Unsubscribe" and not result.creates_suppression


def test_the_senders_own_name_ends_what_they_said():
    body = "Yes, send it over please.\n\nSam Taylor\nHarbour Physio Clinic\n07700 900123"
    assert classify(reply(body)).reply_text == "Yes, send it over please."
    # their first name alone, with a dash, also signs
    assert without_sign_off("Send it over.\n- Sam", "Sam Taylor") == "Send it over."
    # a display name written surname first
    assert without_sign_off("Send it over.\nSam\nHarbour Physio", "Taylor, Sam") == (
        "Send it over."
    )


def test_a_name_is_only_a_sign_off_on_a_line_of_its_own_and_never_the_first_line():
    assert without_sign_off("Sam here, send it over.", "Sam Taylor") == "Sam here, send it over."
    assert without_sign_off("Sam", "Sam Taylor") == "Sam"
    assert without_sign_off("Ask Sam Taylor about it.\nThanks", "Sam Taylor") == (
        "Ask Sam Taylor about it."
    )
    # no display name: nothing is cut by name, and a one-letter name is no name
    assert without_sign_off("Send it.\nS", "") == "Send it.\nS"
    assert without_sign_off("Send it.\nS", "S") == "Send it.\nS"


def test_what_a_person_wrote_keeps_the_sign_off_and_drops_the_quote():
    text = "No thanks.\n\nCheers,\nSam\n\n" + QUOTED
    assert new_text(text) == "No thanks.\n\nCheers,\nSam"
    assert strip_reply(text, sender_name="Sam Taylor") == "No thanks."
