"""Identity fields normalised at the edge, in bulk.

Emails: trimmed, display names and `mailto:` removed, domain lower-cased and
IDNA-encoded; a strict ASCII pattern accepts most addresses in one polars pass
and `email-validator` judges only the rest (it knows the RFC corner cases better
than a regex). Phones: `phonenumbers` to E.164, once per distinct (number,
country), across a process per core for long lists (core/phone_numbers.py).
Company domains come from the website, else from a non-free-mail email.
"""

from __future__ import annotations

import re
from functools import lru_cache

import idna
import polars as pl
from email_validator import EmailNotValidError, validate_email

from core.phone_numbers import many_to_e164

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ASCII_EMAIL = rf"^{_LOCAL}@(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$"
_DOMAIN = rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$"


@lru_cache(maxsize=65_536)
def idna_domain(domain: str) -> str | None:
    """ASCII (punycode) form of a domain, or None when it is not a valid IDNA name."""
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None
    except UnicodeError:
        return None


def _judge_email(address: str) -> dict[str, object]:
    try:
        checked = validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        return {"email": None, "email_issue": str(exc)}
    domain = checked.ascii_domain or idna_domain(checked.domain)
    return {"email": f"{checked.local_part}@{domain}", "email_issue": None}


# characters that change nothing a reader sees but every comparison: the byte-order mark,
# zero-width and bidi marks, the soft hyphen, and control characters
INVISIBLE = (
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# what may reorder or hide text a reviewer reads (bidi overrides and isolates, zero-width
# characters, the byte-order mark): removed from every draft and export, kept in raw
HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """`text` without the characters that make what a reader sees differ from what it says
    (`\u202egnp.exe` reads as `exe.png`)."""
    return HIDDEN.sub("", text)


def clean_text(col: pl.Expr) -> pl.Expr:
    """Unicode NFKC (full-width `＠` is `@`, NBSP a space), invisible characters removed,
    surrounding space trimmed; empty becomes null."""
    text = col.str.normalize("NFKC").str.replace_all(INVISIBLE, "").str.strip_chars()
    return pl.when(text != "").then(text)


def _strip_address(col: pl.Expr) -> pl.Expr:
    """`Name <a@b>` -> `a@b`; `mailto:a@b?subject=x` -> `a@b`; invisible characters,
    surrounding space, quotes and trailing dots removed."""
    # a no-break space inside an address is a typing slip, not a separator
    text = clean_text(col.str.replace_all(r"[\u00a0\u2007\u202f]", ""))
    bracketed = text.str.extract(r"<([^<>]*)>[\s.]*$", 1)
    last_word = text.str.extract(r"\s([^\s<>\"']+@[^\s<>\"']+)[\s.]*$", 1)
    text = pl.coalesce(bracketed, last_word, text).str.strip_chars().str.strip_chars("'\"")
    text = text.str.replace(r"(?i)^mailto:([^?]*)\?.*$", "$1").str.replace(r"(?i)^mailto:", "")
    return text.str.strip_chars().str.strip_chars_end(".")


def normalise_emails(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Add `<column>_normalised`, `<column>_domain` and `<column>_issue`."""
    stripped = frame.select(_strip_address(pl.col(column)).alias("addr"))["addr"]
    local = stripped.str.extract(r"^(.*)@[^@]*$", 1)
    domain = stripped.str.extract(r"@([^@]*)$", 1).str.to_lowercase().str.strip_chars_end(".")
    work = pl.DataFrame({"addr": stripped, "local": local, "domain": domain}).with_columns(
        fast=pl.concat_str([pl.col("local"), pl.lit("@"), pl.col("domain")])
    )
    work = work.with_columns(
        is_fast=(
            pl.col("fast").str.contains(_ASCII_EMAIL) & (pl.col("local").str.len_chars() <= 64)
        ).fill_null(False)
    )
    slow_values = work.filter(pl.col("addr").is_not_null() & ~pl.col("is_fast"))["addr"].unique()
    judged = pl.DataFrame(
        [{"addr": a, **_judge_email(a)} for a in slow_values.to_list()],
        schema={"addr": pl.String, "email": pl.String, "email_issue": pl.String},
    )
    work = work.join(judged, on="addr", how="left", maintain_order="left")
    email = pl.when(pl.col("is_fast")).then(pl.col("fast")).otherwise(pl.col("email"))
    issue = (
        pl.when(pl.col("addr").is_null() | pl.col("is_fast"))
        .then(None)
        .otherwise(pl.col("email_issue"))
    )
    out = work.select(email.alias("email"), issue.alias("email_issue"))
    out = out.with_columns(email_domain=pl.col("email").str.extract(r"@([^@]*)$", 1))
    return frame.with_columns(
        out["email"].alias(f"{column}_normalised"),
        out["email_domain"].alias(f"{column}_domain"),
        out["email_issue"].alias(f"{column}_issue"),
    )


def normalise_phones(frame: pl.DataFrame, column: str, country_column: str | None) -> pl.DataFrame:
    """Add `<column>_e164` and `<column>_issue`; one call per distinct (number, country)."""
    country = (
        pl.col(country_column).str.strip_chars().str.to_uppercase()
        if country_column and country_column in frame.columns
        else pl.lit(None, pl.String)
    )
    keys = frame.select(pl.col(column).str.strip_chars().alias("raw"), country.alias("region"))
    distinct = keys.filter(pl.col("raw").is_not_null()).unique()
    results = many_to_e164(list(distinct.iter_rows()))
    lookup = distinct.with_columns(
        pl.Series(f"{column}_e164", [r[0] for r in results], pl.String),
        pl.Series(f"{column}_issue", [r[1] for r in results], pl.String),
    )
    joined = keys.join(
        lookup, on=["raw", "region"], how="left", nulls_equal=True, maintain_order="left"
    )
    return frame.with_columns(joined[f"{column}_e164"], joined[f"{column}_issue"])


def website_domain(col: pl.Expr) -> pl.Expr:
    """`https://www.Example.co.uk/about?x` -> `example.co.uk`; IDNs are left to `ascii_domains`."""
    host = (
        col.str.strip_chars()
        .str.to_lowercase()
        .str.replace(r"^[a-z][a-z0-9+.-]*://", "")
        .str.replace(r"^[^/@]*@", "")
        .str.replace(r"[/?#].*$", "")
        .str.replace(r":\d+$", "")
        .str.strip_chars_end(".")
        .str.replace(r"^www\d?\.", "")
    )
    return pl.when(host != "").then(host)


def ascii_domains(values: pl.Series) -> pl.Series:
    """IDNA-encode the non-ASCII domains in `values`; invalid names become null."""
    frame = pl.DataFrame({"d": values})
    needs = frame.filter(pl.col("d").is_not_null() & ~pl.col("d").str.contains(r"^[\x00-\x7f]*$"))
    mapping = {d: idna_domain(d) for d in needs["d"].unique().to_list()}
    if not mapping:
        return frame.select(
            pl.when(pl.col("d").str.contains(_DOMAIN)).then(pl.col("d")).otherwise(None)
        )["d"]
    encoded = pl.col("d").replace_strict(mapping, default=pl.col("d"), return_dtype=pl.String)
    return frame.select(
        pl.when(encoded.str.contains(_DOMAIN)).then(encoded).otherwise(None).alias("d")
    )["d"]
