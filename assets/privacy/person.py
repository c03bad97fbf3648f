"""Who a request is about: every lead record of every prospect any of the given
addresses resolves to, and what identifies that person in text (addresses, numbers,
full names) and in rows (prospect, record and communication ids, review tokens)."""

from dataclasses import dataclass, field

import duckdb

from core.keys import email_hash
from core.schema import table_exists


@dataclass
class Person:
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    prospect_ids: set[str] = field(default_factory=set)
    record_ids: set[str] = field(default_factory=set)
    communication_ids: set[str] = field(default_factory=set)
    review_tokens: set[str] = field(default_factory=set)

    def keys(self) -> dict[str, str]:
        """{key_hash: key_type}: what suppresses them for good. Addresses only: a phone
        number is often shared (a switchboard) and would keep colleagues out too."""
        return {email_hash(e): "email" for e in self.emails if "@" in e}

    def strings(self) -> set[str]:
        """What must not be left anywhere in text: addresses, numbers, full names."""
        return {s for s in self.emails | self.phones | self.names if s and len(s) >= 5}

    def ids(self) -> set[str]:
        return self.prospect_ids | self.record_ids | self.communication_ids | self.review_tokens

    def merge(self, other: "Person") -> "Person":
        for name in self.__dataclass_fields__:
            getattr(self, name).update(getattr(other, name))
        return self


def _column(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> set[str]:
    return {r[0] for r in con.execute(sql, params).fetchall() if r[0]}


def find_person(
    con: duckdb.DuckDBPyConnection,
    emails: list[str],
    phones: list[str] = (),
    prospect_ids: list[str] = (),
) -> Person:
    """The person behind these addresses (or prospect ids), from the raw lead records, the
    identity resolution of the last build, and what was drafted and sent to them."""
    person = Person(
        emails={e.strip().lower() for e in emails if e},
        phones={p.strip() for p in phones if p},
        prospect_ids=set(prospect_ids),
    )
    # before the first ingestion and build these are not there yet; the operational
    # tables (drafts, decisions, sends) are: the caller ensures them
    resolved = table_exists(con, "intermediate", "int_lead_records_resolved")
    has_leads = table_exists(con, "raw", "leads")
    # addresses -> their records -> the prospects identity resolution made of them -> all
    # of those prospects' records. No further: a phone number or address found on those
    # records may be shared (a switchboard, an info@ mailbox) and is not a reason to
    # treat someone else's records as this person's.
    keys = [email_hash(e) for e in person.emails]
    if has_leads:
        person.record_ids |= _column(
            con,
            "select lead_record_id from raw.leads where sha256(lower(email_normalised)) in (select "
            "unnest(?)) or phone_e164 in (select unnest(?))",
            [keys, sorted(person.phones)],
        )
    if resolved:
        person.prospect_ids |= _column(
            con,
            "select prospect_id from intermediate.int_lead_records_resolved "
            "where lead_record_id in (select unnest(?))",
            [sorted(person.record_ids)],
        )
        person.record_ids |= _column(
            con,
            "select lead_record_id from intermediate.int_lead_records_resolved "
            "where prospect_id in (select unnest(?))",
            [sorted(person.prospect_ids)],
        )
    if has_leads and person.record_ids:
        rows = con.execute(
            "select email, email_normalised, phone, phone_e164, first_name, last_name "
            "from raw.leads where lead_record_id in (select unnest(?))",
            [sorted(person.record_ids)],
        ).fetchall()
        for email, normalised, phone, e164, first, last in rows:
            person.emails |= {x.strip().lower() for x in (email, normalised) if x}
            person.phones |= {x.strip() for x in (phone, e164) if x}
            if first and last:
                person.names.add(f"{first.strip()} {last.strip()}")
    person.prospect_ids |= _column(
        con,
        "select prospect_id from send.records where lower(recipient) in (select unnest(?))",
        [sorted(person.emails)],
    )
    person.communication_ids |= _column(
        con,
        "select communication_id from drafting.draft_history where prospect_id in (select "
        "unnest(?))",
        [sorted(person.prospect_ids)],
    )
    person.review_tokens |= _column(
        con,
        "select review_token from drafting.drafts where communication_id in (select unnest(?)) "
        "union select review_token from review.decisions where communication_id in (select "
        "unnest(?))",
        [sorted(person.communication_ids)] * 2,
    )
    return person
