"""Stop signals in mail and decisions, as pure functions: addresses parsed as RFC 5322
says, opt-out and complaint wording in the languages prospects write in, and the most
restrictive of a token's decisions."""

import pytest

from assets.inbound.classify import CONTINUES_CONTACT, classify
from assets.inbound.parse import parse_mail
from assets.review.decisions import decision_of, most_restrictive_first


@pytest.mark.parametrize(
    ("header", "sender"),
    [
        # RFC 2047 display name holding a comma: decoded after the split, never before
        ("=?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?= <joerg@kunde.example>", "joerg@kunde.example"),
        ('"Müller, Jörg" <joerg@kunde.example>', "joerg@kunde.example"),
        # an address inside the display name is not the sender
        ('"victim@acme.example" <stranger@nowhere.example>', "stranger@nowhere.example"),
        ("victim@acme.example <>", None),
        ("Plain@Example.COM", "plain@example.com"),
    ],
)
def test_the_sender_is_the_address_not_the_display_name(header, sender):
    raw = f"From: {header}\r\nSubject: x\r\n\r\nhi\r\n".encode()
    assert parse_mail(raw).sender == sender


OPT_OUTS = [
    "Please take me off your list.",
    "Bitte keine weiteren E-Mails.",
    "Bitte nicht mehr kontaktieren.",
    "Merci de me désinscrire de cette liste.",
    "Ne plus me contacter, merci.",
    "Por favor, darme de baja.",
    "No me contacten más.",
    "Cancellatemi dalla vostra lista.",
    "Non voglio più ricevere queste email.",
    "Graag afmelden voor deze mails.",
    "Geen e-mails meer alstublieft.",
    # a past participle ("af-ge-meld") beside a word of interest ("graag"): an opt-out
    "Ik wil graag afgemeld worden voor deze mails.",
    "Ich möchte gerne abgemeldet werden, bitte keine Mails.",
    "Não quero receber mais emails.",
    "Parem de me enviar mensagens.",
    "Proszę mnie wypisać z listy.",
    "Nie chcę otrzymywać tych wiadomości.",
    "Sluta skicka mejl till mig.",
    "Ta bort mig från listan.",
    "配信停止をお願いします。",
    "今後メールを送らないでください。",
]
COMPLAINTS = [
    "This is spam and I will report you.",
    "Woher haben Sie meine Adresse? Das ist eine Beschwerde.",
    "C'est du harcèlement, je vais porter plainte.",
    "¿De dónde sacaron mi correo? Presentaré una queja formal.",
    "Ik dien een klacht in.",
    "Vou fazer uma reclamação.",
    "To jest spam, złożę skargę.",
    "Detta är trakasserier.",
    "迷惑メールです。",
]


def _reply(body: str) -> bytes:
    return (
        "From: Someone <someone@client.example>\r\nSubject: Re: a question\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n"
    ).encode()


@pytest.mark.parametrize("body", OPT_OUTS)
def test_opt_outs_in_ten_languages(body):
    assert classify(_reply(body)).reply_class == "Unsubscribe"


@pytest.mark.parametrize("body", COMPLAINTS)
def test_complaints_in_other_languages(body):
    assert classify(_reply(body)).reply_class == "Complaint"


@pytest.mark.parametrize("body", ["Hmm.", "Wer sind Sie?", "¿Qué?", "..."])
def test_a_reply_with_nothing_clearer_stops_and_goes_to_a_human(body):
    # the rules alone call it Unknown; the meaning model may suggest a class, never one
    # a person does not read first (under the default human_first_below, 0.7)
    assert classify(_reply(body), use_model=False).reply_class == "Unknown"
    found = classify(_reply(body))
    assert found.stops_sequence
    assert found.reply_class not in CONTINUES_CONTACT or found.confidence < 0.7


def test_decisions_ignore_case_and_spacing():
    assert decision_of(" suppress ") == "Suppress"
    assert decision_of("edit  and approve") == "Edit And Approve"
    assert decision_of("route_to_sales_owner") == "Route To Sales Owner"


def test_the_most_restrictive_decision_of_a_token_wins():
    rows = [
        {"review_token": "cm_1.a", "decision": "Approve", "_row": 2},
        {"review_token": "cm_1.a", "decision": "Park", "_row": 3},
        {"review_token": "cm_1.a", "decision": "suppress", "_row": 4},
        {"review_token": "cm_2.b", "decision": "Approve", "_row": 5},
    ]
    kept, lost = most_restrictive_first(rows)
    assert [r["_row"] for r in kept] == [4, 5]
    assert [r["_row"] for r, _ in lost] == [2, 3]
    assert all("the most restrictive, Suppress (row 4), wins" in reason for _, reason in lost)


# opt-outs the rules once missed (Unknown, or Not A Fit: closed without suppression), each
# ending the way people end a reply: a bare line, a signature under it
OPT_OUTS_ONCE_MISSED = [
    "Please do not write again.",
    "Not for us, please stop this",
    "Kindly cease all communication.",
    "Do not email this address again.",
    "Remove this address from your database please.",
    "Please don't send any more of these.",
    "We are not the right fit, and please don't follow up.",
    "Please erase my personal data.",
    "I'd appreciate it if you stopped emailing me.",
    "This address shouldn't be on your list. Please remove it.",
    "Please stop.\n\nSam Taylor\nHarbour Physio Clinic",
    "Enough. No more.",
    "I don't want to receive these emails.",
]


@pytest.mark.parametrize("body", OPT_OUTS_ONCE_MISSED)
def test_opt_outs_once_missed_are_opt_outs(body):
    assert classify(_reply(body.replace("\n", "\r\n"))).reply_class == "Unsubscribe"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the same words about something else are not an opt-out
        ("Please don't follow up until March.", "Not Now"),
        ("Could you remove the second page from the proposal?", "Question"),
        ("We will stop using our current tool next year, so maybe then.", "Not Now"),
        ("Who gave you my email? Stop.", "Complaint"),
    ],
)
def test_near_misses_keep_their_class(body, expected):
    assert classify(_reply(body)).reply_class == expected
