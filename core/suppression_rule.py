"""The one rule for "which suppression is in effect for this recipient, channel, client and
moment", for Python: the dbt macros in `dbt_project/macros/suppression_rule.sql` rendered
with plain Jinja, so the marts, the send queue's opening check, the per-message gate and
the review import read the same text. It reads `raw.suppressions` directly: a suppression
landed a minute ago counts without a dbt build."""

from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import jinja2

from core.schema import tables_present

MACROS = Path(__file__).resolve().parents[1] / "dbt_project" / "macros" / "suppression_rule.sql"


@cache
def _macros():
    # SQL, not HTML: escaping would corrupt the quotes the macros write
    return jinja2.Environment(autoescape=False).from_string(MACROS.read_text()).module  # noqa: S701


def in_effect_sql(effective_at: str, as_of: str) -> str:
    return str(_macros().suppression_in_effect(effective_at, as_of)).strip()


def applies_sql(scope: str, scope_value: str, channel: str, client_id: str) -> str:
    return str(_macros().suppression_applies(scope, scope_value, channel, client_id)).strip()


def covers_domain_sql(domain: str, suppressed_domain: str) -> str:
    return str(_macros().suppression_covers_domain(domain, suppressed_domain)).strip()


def _rule_sql(alias: str) -> str:
    """Parameters in order: as_of, channel, client_id."""
    return (
        in_effect_sql(f"cast({alias}.effective_at as timestamp)", "cast(? as date)")
        + " and "
        + applies_sql(f"{alias}.scope", f"{alias}.scope_value", "?", "?")
    )


# what the rule reads: the suppressions, and the addresses each prospect's records carry
RULE_TABLES = frozenset({("raw", "suppressions"), ("intermediate", "int_lead_records_resolved")})


def suppression_in_effect(
    con: duckdb.DuckDBPyConnection,
    prospect_id: str | None,
    recipient_email: str | None,
    channel: str,
    client_id: str | None,
    as_of: date,
    ingested_through: object = None,
    known_tables: frozenset[tuple[str, str]] = frozenset(),
) -> str | None:
    """The first suppression in effect for this prospect on this channel and client: by the
    recipient's address or domain, or any address, domain or phone the prospect's records
    carry (as of the last build). `ingested_through`: only suppressions ingested by then.
    `known_tables`: the tables a caller already saw (a send run asks once, not per message;
    tables are never dropped while it runs); the catalog is read for any not among them."""
    present = known_tables if known_tables >= RULE_TABLES else tables_present(con, *RULE_TABLES)
    if ("raw", "suppressions") not in present:
        return None
    recipient = (recipient_email or "").strip().lower() or None
    domain = recipient.rsplit("@", 1)[1] if recipient and "@" in recipient else None
    records = ("intermediate", "int_lead_records_resolved") in present and prospect_id
    by_records = (
        f"""or exists (
               select 1 from intermediate.int_lead_records_resolved as r
               where r.prospect_id = ? and (r.email_address_key = s.email_key
                   or {covers_domain_sql("r.email_domain", "s.domain_key")}
                   or {covers_domain_sql("r.company_domain", "s.domain_key")}
                   or r.phone_e164 = s.phone_key))"""
        if records
        else ""
    )
    found = con.execute(
        f"""
        select coalesce(s.suppression_ref, s.suppression_record_id) || ' (' || s.reason || ', '
            || s.scope || coalesce(': ' || s.scope_value, '') || ')'
        from raw.suppressions as s
        where {_rule_sql("s")}
          and (? is null or s._ingested_at <= ?)
          and (s.email_key = ? or {covers_domain_sql("?", "s.domain_key")} {by_records})
        order by s.effective_at, 1 limit 1
        """,
        [
            as_of,
            channel,
            client_id,
            ingested_through,
            ingested_through,
            recipient,
            domain,
            domain,
            *([prospect_id] if records else []),
        ],
    ).fetchall()
    return found[0][0] if found else None
