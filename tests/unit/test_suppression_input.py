"""Reading suppression rows as their writers meant them, failing closed on doubt."""

import csv
from pathlib import Path

import polars as pl
import pytest

from assets.ingestion.suppression_input import (
    AT_ONCE,
    REASONS,
    effective_of,
    interpret,
    reason_of,
    scope_of,
)

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "suppression_reasons.csv"


def test_every_reason_read_is_a_reason_in_the_seed():
    with SEED.open() as handle:
        assert set(REASONS) == {row["reason"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("unsubscribe", "unsubscribe"),
        ("Unsubscribed", "unsubscribe"),
        ("opt-out", "unsubscribe"),
        ("OPT_OUT", "unsubscribe"),
        ("Opt Out", "unsubscribe"),
        ("DNC", "do_not_contact"),
        ("Do Not Contact", "do_not_contact"),
        ("do-not-call", "do_not_contact"),
        ("Do Not Call", "do_not_contact"),
        ("spam", "complaint"),
        ("Hard Bounce", "hard_bounce"),
        ("bounced", "hard_bounce"),
        ("GDPR", "legal_restriction"),
        ("customer asked to opt out of everything", "unsubscribe"),
    ],
)
def test_reasons_in_common_spellings(written, reason):
    read, _, doubt = reason_of(written)
    assert (read, doubt) == (reason, False)


@pytest.mark.parametrize("written", ["because", "???", "see note 4"])
def test_an_unrecognised_reason_still_suppresses_and_goes_to_a_human(written):
    read, note, doubt = reason_of(written)
    assert read == "do_not_contact" and doubt and "not recognised" in note


@pytest.mark.parametrize(
    ("scope", "value", "expected", "doubt"),
    [
        ("global", None, ("global", None), False),
        ("all", None, ("global", None), False),
        ("Everything", None, ("global", None), False),
        ("", None, ("global", None), False),
        ("email", None, ("channel", "email"), False),
        ("channel", "E-Mail", ("channel", "email"), False),
        ("channel", "carrier pigeon", ("global", None), True),
        ("channel", "", ("global", None), False),
        ("Client", "harbour_clinics", ("client", "harbour_clinics"), False),
        ("client", "nobody_we_know", ("global", None), True),
        ("galaxy", None, ("global", None), True),
    ],
)
def test_scopes_widen_never_narrow(scope, value, expected, doubt):
    read_scope, read_value, _, read_doubt = scope_of(scope, value, frozenset({"harbour_clinics"}))
    assert ((read_scope, read_value), read_doubt) == (expected, doubt)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-11-24T09:00:00Z", "2026-11-24 09:00:00"),
        ("2026-11-24T10:00:00+01:00", "2026-11-24 09:00:00"),
        ("2026-11-24 09:00", "2026-11-24 09:00:00"),
        ("2026-11-24", "2026-11-24 00:00:00"),
        ("24/11/2026", "2026-11-24 00:00:00"),
        ("24.11.2026 09:00", "2026-11-24 09:00:00"),
        ("11/24/2026", "2026-11-24 00:00:00"),
        ("03/04/2026", "2026-03-04 00:00:00"),  # 3 April or 4 March: the earlier
        ("24 Nov 2026", "2026-11-24 00:00:00"),
        ("November 24, 2026", "2026-11-24 00:00:00"),
        ("Tue, 24 Nov 2026 09:00:00 +0000", "2026-11-24 09:00:00"),
        ("46350", "2026-11-24 00:00:00"),  # an Excel serial date
        ("", AT_ONCE),
    ],
)
def test_dates_in_common_spellings(written, expected):
    assert effective_of(written)[0] == expected


def test_an_unreadable_date_is_in_effect_at_once_and_goes_to_a_human():
    effective, note, doubt = effective_of("yesterday")
    assert effective == AT_ONCE and doubt and "not a date" in note


def test_keys_are_cleaned_and_a_domain_written_as_an_address_is_a_domain():
    frame = pl.DataFrame(
        {
            "email": [
                "*@acme.example",
                "\ufeff a\u200bb@x.example ",
                "@beta.example",
                "no address",
            ],
            "domain": [None, None, None, None],
            "phone": [None, None, None, None],
            "reason": ["spam", None, "unsubscribe", "unsubscribe"],
            "scope": [None, None, None, None],
            "scope_value": [None, None, None, None],
            "effective_at": [None, None, None, None],
        },
        schema_overrides=dict.fromkeys(
            ("email", "domain", "phone", "reason", "scope", "scope_value", "effective_at"),
            pl.String,
        ),
    )
    out = interpret(frame, frozenset())
    assert out["email"].to_list() == [None, "ab@x.example", None, "no address"]
    assert out["domain"].to_list() == ["acme.example", None, "beta.example", None]
    assert out["needs_review"].to_list() == [False, False, False, True]


@pytest.mark.parametrize(
    ("written", "domain", "doubt"),
    [
        ("acme.example", "acme.example", False),
        ("https://www.acme.example/contact", "https://www.acme.example/contact", False),
        ("bücher.example", "bücher.example", False),
        # a wildcard or a leading dot means the domain and what is under it: the domain
        ("*.acme.example", "acme.example", False),
        (".acme.example", "acme.example", False),
        # a space typed into a domain: read without it, a human checks
        ("acme .example", "acme.example", True),
        # no domain at all: it would match nobody, so a human checks it (before: silently
        # kept, and the company it meant was never suppressed)
        ("Acme Ltd", "Acme Ltd", True),
        ("acme", "acme", True),
        ("bob@acme.example", "bob@acme.example", True),
    ],
)
def test_a_domain_is_read_as_written_meant_and_a_non_domain_goes_to_a_human(written, domain, doubt):
    columns = ("email", "domain", "phone", "reason", "scope", "scope_value", "effective_at")
    row = dict.fromkeys(columns) | {"domain": written, "reason": "dnc"}
    out = interpret(pl.DataFrame([row], schema=dict.fromkeys(columns, pl.String)), frozenset())
    assert out["domain"].to_list() == [domain]
    assert out["needs_review"].to_list() == [doubt]
    if doubt:
        assert repr(written) in out["interpretation"][0]
