import polars as pl
import pytest

from core.normalise import (
    ascii_domains,
    normalise_emails,
    normalise_phones,
    website_domain,
)
from core.phone_numbers import many_to_e164, to_e164


def _emails(*values):
    frame = normalise_emails(
        pl.DataFrame({"email": list(values)}, schema={"email": pl.String}), "email"
    )
    return frame.select("email_normalised", "email_domain", "email_issue").rows()


def test_email_trimmed_display_name_removed_domain_lowercased():
    assert _emails(" Ann Lee <Ann.Lee@Example.CO.UK> ", "mailto:bob@X.example")[0][:2] == (
        "Ann.Lee@example.co.uk",
        "example.co.uk",
    )
    assert _emails("mailto:bob@X.example")[0][0] == "bob@x.example"


def test_internationalised_domain_becomes_punycode():
    [(email, domain, issue)] = _emails("anna@bücher.example")
    assert issue is None
    assert domain == "xn--bcher-kva.example"
    assert email == "anna@xn--bcher-kva.example"


@pytest.mark.parametrize(
    "bad", ["bob@", "a@@b.example", "no-at-sign", "x@-bad-.example", "a..b@c.example"]
)
def test_invalid_email_is_flagged_with_a_reason_not_dropped(bad):
    [(email, _, issue)] = _emails(bad)
    assert email is None
    assert issue


def test_null_email_has_no_issue():
    assert _emails(None) == [(None, None, None)]


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0) 20 7946 0958", "GB", "+442079460958"),
        ("(312) 555-0142", "US", "+13125550142"),
        ("+353 87 123 4567", None, "+353871234567"),
    ],
)
def test_phone_to_e164(raw, country, expected):
    assert to_e164(raw, country) == (expected, None)


def test_invalid_phone_has_reason():
    e164, issue = to_e164("12345", "GB")
    assert e164 is None and "not a valid number" in issue
    frame = normalise_phones(
        pl.DataFrame({"phone": ["12345", None], "country": ["GB", "GB"]}), "phone", "country"
    )
    assert frame["phone_e164"].to_list() == [None, None]
    assert frame["phone_issue"][0] and frame["phone_issue"][1] is None


def test_website_domain_and_idna():
    sites = pl.DataFrame(
        {
            "w": [
                "https://www.Acme.co.uk/about?x=1",
                "ACME.EXAMPLE",
                "http://shop.acme.example:8080/",
                "münchen.example",
                "not a site",
                None,
            ]
        }
    )
    hosts = sites.select(website_domain(pl.col("w")))["w"]
    assert ascii_domains(hosts).to_list() == [
        "acme.co.uk",
        "acme.example",
        "shop.acme.example",
        "xn--mnchen-3ya.example",
        None,
        None,
    ]


def test_many_numbers_across_processes_give_the_serial_answers():
    """The pool (spawned workers, chunks in order) returns exactly what one process does."""
    pairs = [(f"+44 7700 9{i:05d}", "GB") for i in range(300)] + [("12345", "GB"), ("n/a", None)]
    pairs *= 2
    serial = [to_e164(raw, region) for raw, region in pairs]
    import core.phone_numbers as phones

    original = phones.PARALLEL_FROM, phones.CHUNK
    phones.PARALLEL_FROM, phones.CHUNK = 10, 97
    try:
        assert many_to_e164(pairs, workers=2) == serial
    finally:
        phones.PARALLEL_FROM, phones.CHUNK = original
    assert serial[-2] == (None, "phone is not a valid number for its country")
