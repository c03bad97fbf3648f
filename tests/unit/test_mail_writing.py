"""The send writes most messages directly (core/mail_headers.write_email): byte for byte
what the standard library's builder writes, checked on many generated messages, and
anything it cannot write plainly (non-ASCII, quoting, folding) goes the standard way."""

from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy

from hypothesis import given, settings
from hypothesis import strategies as st

from core.mail_headers import UnsafeHeader, _plain, build_email, write_email

PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
ODD = st.sampled_from(list('"(),.:;<>@[\\]=? ') + ["é", "ü", "日", "\u00a0"])
phrase = st.one_of(
    st.text(st.one_of(PRINTABLE, ODD), max_size=40),
    st.from_regex(r"[A-Za-z]{1,8}( [A-Za-z0-9']{1,8}){0,6}", fullmatch=True),
    st.just("=?utf-8?q?x?= hello"),
)
local = st.one_of(
    st.from_regex(r"[a-z][a-z0-9._+-]{0,20}[a-z0-9]", fullmatch=True),
    st.sampled_from(['"john doe"', "jörg.müller", "a..b", ".lead", "o'brien", "x!y#z"]),
)
domain = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,12}\.(example|co\.uk|com)", fullmatch=True),
    st.sampled_from(["bücher.example", "EXAMPLE.COM", "a_b.example"]),
)
line = st.one_of(
    st.text(PRINTABLE, max_size=120),
    st.text(st.one_of(PRINTABLE, ODD), max_size=60),
    st.just("x" * 1200),
    st.just("From the start of a line"),
    st.just(""),
)
body = st.lists(line, max_size=8).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda sep: sep.join(lines))
)
moment = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
) | st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 1, 1),
    timezones=st.just(timezone(timedelta(hours=-5, minutes=-30))),
)


def fields(**overrides) -> dict:
    return {
        "communication_id": "cm_0001",
        "sender_name": "Alex Morgan",
        "sender_email": "alex.morgan@mwms.example",
        "recipient": "jo.smith@acme.example",
        "subject": "A question about your lab",
        "body": "Hello Jo,\n\nA short note.\n\nAlex\n1 Harbour Street",
        "unsubscribe_email": "unsubscribe@mwms.example",
        "unsubscribe_url": "https://mwms.example/unsubscribe",
        "at": datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        "in_reply_to": None,
    } | overrides


@settings(max_examples=400, deadline=None)
@given(
    name=phrase,
    subject=phrase,
    to_local=local,
    to_domain=domain,
    text=body,
    at=moment,
    communication=st.from_regex(r"cm_[a-z0-9 %/]{1,12}", fullmatch=True),
    reply=st.sampled_from([None, "<abc.123@mail.example>"]),
)
def test_written_directly_or_not_a_message_is_what_the_standard_builder_writes(
    name, subject, to_local, to_domain, text, at, communication, reply
):
    given_fields = fields(
        sender_name=name,
        subject=subject,
        recipient=f"{to_local}@{to_domain}",
        body=text,
        at=at,
        communication_id=communication,
        in_reply_to=reply,
    )
    try:
        standard = build_email(**given_fields)
        expected = standard.as_bytes()
    except (UnsafeHeader, ValueError, UnicodeError):
        return
    written = write_email(**given_fields)
    assert written.data == expected
    assert written.sender == standard["From"].addresses[0].addr_spec
    assert written.recipient == standard["To"].addresses[0].addr_spec
    assert written.message_id == standard["Message-ID"]


def test_a_plain_message_is_written_directly_and_reads_back():
    assert _plain(**fields()) is not None
    written = write_email(**fields(in_reply_to="<r1@mail.example>"))
    assert written.data == build_email(**fields(in_reply_to="<r1@mail.example>")).as_bytes()
    message = message_from_bytes(written.data, policy=policy.default)
    assert message["From"].addresses[0].addr_spec == written.sender == "alex.morgan@mwms.example"
    assert message["References"] == "<r1@mail.example>"
    text = message.get_content().replace("\r\n", "\n")
    assert text == "Hello Jo,\n\nA short note.\n\nAlex\n1 Harbour Street\n"


def test_what_needs_encoding_or_quoting_goes_the_standard_way():
    for odd in (
        {"sender_name": "Morgan, Alex"},
        {"subject": "Grüße aus Köln"},
        {"recipient": "jörg@bücher.example"},
        {"body": "Prix : 12 €"},
        {"subject": "=?utf-8?q?hello?="},
        {"body": "x" * 1200},
    ):
        assert _plain(**fields(**odd)) is None, odd
        assert write_email(**fields(**odd)).data == build_email(**fields(**odd)).as_bytes()
