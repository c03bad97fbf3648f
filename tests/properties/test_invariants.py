"""Invariants with a simple statement, checked on many generated cases (hypothesis)."""

import threading
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.exports.spreadsheet_safety import TRIGGERS, neutralise, restore
from assets.inbound.reply_text import strip_reply
from core.send_ledger import SendLedger
from dagster_project.sending import gate

AS_OF = date(2026, 11, 24)
PROSPECT = {"email": "ann@acme.example", "domain": "acme.example", "phone": "+442079460958"}
suppression = st.fixed_dictionaries(
    {
        "key": st.sampled_from(["email", "domain", "phone", "other_email", "other_domain"]),
        "scope": st.sampled_from(
            ["global", "channel:email", "channel:linkedin", "client:harbour", "client:other"]
        ),
        "days_before": st.integers(min_value=-3, max_value=30),
    }
)


def applies(event: dict) -> bool:
    matches = event["key"] in ("email", "domain", "phone")
    scope_ok = event["scope"] in ("global", "channel:email", "client:harbour")
    return matches and scope_ok and event["days_before"] >= 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=st.lists(suppression, max_size=6))
def test_suppression_always_wins_at_the_moment_of_sending(events):
    con = duckdb.connect()
    con.execute("create schema raw; create schema intermediate")
    # the gate reads raw suppressions directly (one arrived a minute ago counts)
    con.execute(
        "create table raw.suppressions (suppression_record_id varchar, suppression_ref varchar, "
        "email_key varchar, domain_key varchar, phone_key varchar, reason varchar, scope varchar, "
        "scope_value varchar, effective_at varchar, _ingested_at timestamp default now())"
    )
    con.execute(
        "create table intermediate.int_lead_records_resolved as select 'pr_1' as prospect_id, "
        "'ann@acme.example' as email_address_key, 'acme.example' as email_domain, "
        "'acme.example' as company_domain, '+442079460958' as phone_e164"
    )
    for i, event in enumerate(events):
        value = {
            "email": PROSPECT["email"],
            "domain": PROSPECT["domain"],
            "phone": PROSPECT["phone"],
            "other_email": "bob@other.example",
            "other_domain": "other.example",
        }[event["key"]]
        column = {
            "email": "email_key",
            "other_email": "email_key",
            "domain": "domain_key",
            "other_domain": "domain_key",
            "phone": "phone_key",
        }[event["key"]]
        scope, _, scope_value = event["scope"].partition(":")
        con.execute(
            f"insert into raw.suppressions (suppression_ref, {column}, reason, scope, scope_value,"
            f" effective_at) values (?, ?, 'unsubscribe', ?, ?, ?)",
            [
                f"S{i}",
                value,
                scope,
                scope_value or None,
                str(
                    datetime.combine(
                        AS_OF - timedelta(days=event["days_before"]), datetime.min.time()
                    )
                ),
            ],
        )
    row = {
        "communication_id": "cm_1",
        "recipient": PROSPECT["email"],
        "prospect_id": "pr_1",
        "campaign_id": "pilot",
    }
    held = gate.suppressed(con, [row], {"pilot": "harbour"}, AS_OF).get("cm_1")
    assert (held is not None) == any(applies(e) for e in events), (events, held)


@settings(max_examples=40, deadline=None)
@given(
    attempts=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(["cm_a", "cm_b", "cm_c"])),
        min_size=1,
        max_size=20,
    )
)
def test_the_ledger_never_allows_two_sends_of_one_communication(tmp_path_factory, attempts):
    path = tmp_path_factory.mktemp("ledger") / "w.sends.sqlite"
    SendLedger(path).close()
    wins: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        ledger = SendLedger(path)  # its own connection to the same file, as a second run has
        for who, communication in attempts:
            row = {
                "communication_id": communication,
                "content_hash": "h",
                "campaign_id": "c",
                "prospect_id": "p",
                "recipient": "r@x.example",
                "claimed_at": datetime.now(UTC).replace(tzinfo=None),
                "run_id": f"run{n}",
                "transport": "outbox",
            }
            if who == n and ledger.claim(row, step=1) is not None:
                with lock:
                    wins.append(communication)
        ledger.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == sorted({c for _, c in attempts})  # each attempted one: exactly one claim


@given(st.text())
def test_no_exported_cell_starts_a_formula_and_the_value_comes_back(value):
    out = neutralise(value)
    assert not out.startswith(TRIGGERS)
    assert restore(out) == value or (value.startswith("'") and value[1:].startswith(TRIGGERS))


ORIGINAL = (
    "Would it be useful if I sent over the checklist?\n\nIf you would rather not hear from us "
    'again, reply "stop".'
)
reply_words = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters=".,!'"),
    min_size=1,
    max_size=200,
)


@settings(max_examples=200)
@given(words=reply_words, style=st.sampled_from(["gmail", "outlook", "plain"]))
def test_the_quoted_original_never_survives_stripping(words, style):
    if style == "gmail":
        quoted = "On Tue, 24 Nov 2026 at 09:30, Alex <a@mwms.example> wrote:\n" + "\n".join(
            "> " + line for line in ORIGINAL.split("\n")
        )
    elif style == "outlook":
        quoted = "From: Alex <a@mwms.example>\nSent: Tuesday\nSubject: hi\n\n" + ORIGINAL
    else:
        quoted = "-----Original Message-----\n" + ORIGINAL
    stripped = strip_reply(f"{words}\n\n{quoted}")
    assert 'reply "stop"' not in stripped and "checklist?" not in stripped


pytestmark = pytest.mark.integration


def test_a_domain_suppression_covers_its_subdomains_and_nothing_else():
    from core.suppression_rule import suppression_in_effect

    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(
        "create table raw.suppressions (suppression_record_id varchar, suppression_ref varchar, "
        "email_key varchar, domain_key varchar, phone_key varchar, reason varchar, scope varchar, "
        "scope_value varchar, effective_at varchar, _ingested_at timestamp default now())"
    )
    con.execute(
        "insert into raw.suppressions (suppression_ref, domain_key, reason, scope, effective_at) "
        "values ('D1', 'acme.example', 'client_exclusion', 'global', '2026-11-01 00:00:00')"
    )
    for recipient, held in (
        ("ann@acme.example", True),
        ("ann@uk.acme.example", True),
        ("ann@notacme.example", False),
        ("ann@acme.example.org", False),
    ):
        found = suppression_in_effect(con, None, recipient, "email", None, AS_OF)
        assert (found is not None) == held, recipient
