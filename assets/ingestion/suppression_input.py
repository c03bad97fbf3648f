"""Reading a suppression row as its writer meant it, and failing closed when in doubt.

A suppression file comes from people and tools that spell things their own way: an
Excel export, a CRM's opt-out list, a note typed by hand. A row that means "stop
contacting this person" must stop them even when it is malformed, so this module
interprets before anything validates:

- keys: the same cleaning as every address (`core.normalise.clean_text`); an address
  written as `@example.com` or `*@example.com` names a domain;
- reason: common spellings (`unsubscribed`, `opt-out`, `spam`, `bounced`, `DNC`) map to
  the seed's reasons; an unrecognised or missing reason still suppresses, globally;
- scope: `all`, `everything` and friends are global; a channel named as the scope
  (`email`, `sms`) is that channel; an unrecognised scope, channel or client is global;
- effective date: ISO 8601, `2026-11-24 09:00`, `24/11/2026`, `24.11.2026`, `24 Nov
  2026`, RFC 2822 and Excel serial numbers; a day/month order that could be read both
  ways takes the earlier date; a missing or unreadable date is in effect at once.

Every reading that changed what was written is said in `interpretation`; every doubt
sets `needs_review`, and the ingestion opens a review task for a human. A suppression
takes effect from its own date, whichever run first sees the file."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache

import polars as pl

from core.normalise import clean_text
from core.phone_numbers import to_e164

# in effect "since ever": a suppression without a usable date counts at once, for any run date
AT_ONCE = "1970-01-01 00:00:00"
REASONS: dict[str, tuple[str, ...]] = {
    "unsubscribe": (
        "unsubscribe",
        "unsubscribed",
        "unsub",
        "unsubscribe request",
        "opt out",
        "optout",
        "opted out",
        "list unsubscribe",
        "removal",
        "remove",
        "removed",
        "stop",
        "stopped",
        "withdrawn",
        "consent withdrawn",
    ),
    "do_not_contact": (
        "do not contact",
        "dnc",
        "donotcontact",
        "do not call",
        "donotcall",
        "no contact",
        "objection",
        "objected",
    ),
    "complaint": (
        "complaint",
        "complained",
        "spam",
        "spam complaint",
        "abuse",
        "fbl",
        "feedback loop",
    ),
    "hard_bounce": ("hard bounce", "hardbounce", "hard bounced", "bounce", "bounced"),
    "invalid_recipient": (
        "invalid recipient",
        "invalid",
        "invalid email",
        "invalid address",
        "undeliverable",
    ),
    "legal_restriction": ("legal restriction", "legal", "legal hold", "gdpr", "ccpa", "pecr"),
    "client_exclusion": ("client exclusion", "excluded by client"),
    "internal_exclusion": (
        "internal exclusion",
        "internal",
        "competitor",
        "customer",
        "existing customer",
    ),
}
# every spelling as a phrase: "Opt-Out", "opt_out" and "OPT OUT" are one spelling
_REASON_OF = {phrase: reason for reason, spellings in REASONS.items() for phrase in spellings}
GLOBAL_SCOPES = {"global", "all", "everything", "any", "*", "everywhere", "all channels", "total"}
CHANNEL_WORDS = {
    "email": "email",
    "e mail": "email",
    "mail": "email",
    "linkedin": "linkedin",
    "phone": "phone",
    "call": "phone",
    "calls": "phone",
    "telephone": "phone",
    "sms": "sms",
    "text": "sms",
    "whatsapp": "whatsapp",
    "voice note": "voice_note",
    "voice_note": "voice_note",
}
CLIENT_SCOPES = {"client", "customer", "account", "brand"}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def phrase_of(value: str) -> str:
    """Lower case, separators as single spaces: `Opt_Out.` -> `opt out`."""
    return " ".join(re.sub(r"[^a-z0-9*]+", " ", value.lower()).split())


@cache
def reason_of(value: str | None) -> tuple[str, str | None, bool]:
    """(reason, what was read, needs review)."""
    if value is None or not value.strip():
        return "do_not_contact", "no reason given: read as do_not_contact", False
    phrase = phrase_of(value)
    reason = _REASON_OF.get(phrase) or _REASON_OF.get(phrase.replace(" ", ""))
    if reason is not None:
        changed = None if value.strip() == reason else f"reason {value!r} read as {reason}"
        return reason, changed, False
    # free text: the first reason (in the seed's order, opt-outs first) it names
    for phrase_key, reason in _REASON_OF.items():
        if len(phrase_key) > 3 and re.search(rf"\b{re.escape(phrase_key)}\b", phrase):
            return reason, f"reason {value!r} read as {reason}", False
    return (
        "do_not_contact",
        f"reason {value!r} not recognised: suppressed globally until a human decides",
        True,
    )


@cache
def scope_of(
    scope: str | None, scope_value: str | None, clients: frozenset[str]
) -> tuple[str, str | None, str | None, bool]:
    """(scope, scope value, what was read, needs review). Doubt widens, never narrows."""
    raw_scope = (scope or "").strip()
    value = (scope_value or "").strip()
    phrase = phrase_of(raw_scope)
    if not raw_scope or phrase in GLOBAL_SCOPES:
        changed = None if raw_scope == "global" else f"scope {raw_scope!r} read as global"
        return "global", None, changed if raw_scope else None, False
    if phrase in CHANNEL_WORDS:  # the channel named as the scope itself
        return "channel", CHANNEL_WORDS[phrase], f"scope {raw_scope!r} read as channel", False
    if phrase == "channel":
        if not value:
            return "global", None, "scope channel names no channel: read as global", False
        channel = CHANNEL_WORDS.get(phrase_of(value))
        if channel is None:
            return (
                "global",
                None,
                f"channel {value!r} not recognised: suppressed globally until a human decides",
                True,
            )
        return (
            "channel",
            channel,
            None if channel == value else f"channel {value!r} read as {channel}",
            False,
        )
    if phrase in CLIENT_SCOPES:
        if not value:
            return "global", None, "scope client names no client: read as global", False
        if value not in clients:
            return (
                "global",
                None,
                f"client {value!r} is no campaign's client_id: suppressed globally until a human "
                f"decides",
                True,
            )
        return "client", value, None, False
    return (
        "global",
        None,
        f"scope {raw_scope!r} not recognised: suppressed globally until a human decides",
        True,
    )


def _clock(text: str) -> tuple[int, int, int] | None:
    found = re.fullmatch(
        r"(\d{1,2})[:.h](\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\.?)?", text.strip(), re.I
    )
    if not found:
        return None
    hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
    if found[4]:
        hour = hour % 12 + (12 if found[4].lower() == "p" else 0)
    return (hour, minute, second) if hour < 24 and minute < 60 and second < 60 else None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


@cache
def effective_of(value: str | None) -> tuple[str, str | None, bool]:
    """(effective_at as 'YYYY-MM-DD HH:MM:SS' UTC, what was read, needs review)."""
    if value is None or not value.strip():
        return AT_ONCE, "no effective date: in effect at once", False
    text = value.strip()
    try:  # ISO 8601 in its common forms, with or without a zone
        moment = _utc(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
        return moment.strftime("%Y-%m-%d %H:%M:%S"), None, False
    except ValueError:
        pass
    try:
        moment = _utc(parsedate_to_datetime(text))
        return (
            moment.strftime("%Y-%m-%d %H:%M:%S"),
            f"effective_at {text!r} read as {moment}",
            False,
        )
    except (TypeError, ValueError, IndexError):
        pass
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # an Excel serial date
        moment = datetime(1899, 12, 30) + timedelta(days=float(text))
        return (
            moment.strftime("%Y-%m-%d %H:%M:%S"),
            f"effective_at {text!r} (Excel serial) read as {moment}",
            False,
        )
    date_part, _, time_part = text.partition(" ")
    if "T" in date_part and not time_part:
        date_part, _, time_part = date_part.partition("T")
    clock = _clock(time_part) if time_part else (0, 0, 0)
    candidates: list[date] = []
    if clock is not None:
        numbers = re.fullmatch(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})", date_part)
        if numbers:
            a, b, c = (int(x) for x in numbers.groups())
            orders = [(a, b, c)] if len(numbers[1]) == 4 else [(c, b, a), (c, a, b)]
            for year, month, day in orders:
                year += 2000 if year < 100 else 0
                try:
                    candidates.append(date(year, month, day))
                except ValueError:
                    continue
    if clock is None or not candidates:
        worded = _worded_date(text)
        if worded is not None:
            candidates, clock = [worded[0]], worded[1]
    if not candidates or clock is None:
        return (
            AT_ONCE,
            f"effective_at {text!r} is not a date: in effect at once until a human decides",
            True,
        )
    earliest = min(candidates)
    moment = datetime.combine(earliest, datetime.min.time()).replace(
        hour=clock[0], minute=clock[1], second=clock[2]
    )
    note = f"effective_at {text!r} read as {moment}"
    if len(set(candidates)) > 1:
        note += " (day and month could be read either way: the earlier date)"
    return moment.strftime("%Y-%m-%d %H:%M:%S"), note, False


def _worded_date(text: str) -> tuple[date, tuple[int, int, int]] | None:
    """`24 Nov 2026`, `November 24, 2026`, `24-Nov-2026 09:00`."""
    words = re.sub(r"[,\-/]", " ", text.lower()).split()
    day = month = year = None
    clock = (0, 0, 0)
    for word in words:
        if word[:3] in MONTHS and word.isalpha():
            month = MONTHS.index(word[:3]) + 1
        elif re.fullmatch(r"\d{4}", word):
            year = int(word)
        elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", word):
            day = int(re.sub(r"\D", "", word))
        elif (found := _clock(word)) is not None:
            clock = found
        else:
            return None
    if None in (day, month, year):
        return None
    try:
        return date(year, month, day), clock
    except ValueError:
        return None


# a domain name: labels of letters, digits and hyphens (any script: IDNs are encoded
# later), at least two of them; a scheme, "www." or a path are taken off later too
HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^\s./:@]+\.)+[^\s./:@]+\.?(?:[:/?#].*)?$", re.I)


def domain_of(written: str | None) -> tuple[str | None, str | None]:
    """The domain a cell names, and a note when a human must check it. `*.acme.example`
    and `.acme.example` are acme.example (a domain covers its subdomains); a domain with
    a space typed in it is read without it; a cell that is no domain at all ("Acme Ltd",
    "acme": it would match nobody) is kept as written, and a human checks it."""
    if written is None:
        return None, None
    text = re.sub(r"^\*?\.", "", written)
    if HOST.match(text):
        return text, None
    joined = re.sub(r"\s+", "", text)
    if joined != text and HOST.match(joined):
        return joined, f"domain {written!r} read as {joined!r}: a human checks it"
    return written, f"domain {written!r} is not a domain name: kept as written, a human checks it"


def interpret(frame: pl.DataFrame, clients: frozenset[str]) -> pl.DataFrame:
    """Canonical reason, scope, scope value and effective date; keys cleaned; domain-only
    addresses moved to the domain; `interpretation` and `needs_review` added."""
    for name in ("email", "domain", "phone"):
        frame = frame.with_columns(clean_text(pl.col(name)).alias(name))
    # a cell that names several addresses ("a@x.example; b@y.example") stops each of them:
    # one row per address, told apart by _part (the record id stays stable for the rest)
    found = pl.col("email").str.extract_all(r"[^\s<>\"';,]+@[^\s<>\"';,]+")
    several = found.list.len().fill_null(0) > 1
    frame = (
        frame.with_row_index("_cell")
        .with_columns(
            _several=several,
            email=pl.when(several).then(found).otherwise(pl.concat_list(pl.col("email"))),
        )
        .explode("email")
        .with_columns(
            _part=pl.when(pl.col("_several")).then(
                pl.int_range(pl.len(), dtype=pl.Int64).over("_cell")
            )
        )
        .drop("_cell", "_several")
    )
    email = pl.col("email").str.replace(r"(?i)^mailto:", "")
    domain_only = email.str.extract(r"^\*?@([^@\s]+)$", 1)
    frame = frame.with_columns(
        domain=pl.coalesce(pl.col("domain"), domain_only),
        email=pl.when(domain_only.is_not_null()).then(None).otherwise(pl.col("email")),
    )
    out: dict[str, list] = {
        "reason": [],
        "scope": [],
        "scope_value": [],
        "effective_at": [],
        "interpretation": [],
        "needs_review": [],
    }
    domains = [domain_of(d) for d in frame["domain"].to_list()]
    frame = frame.with_columns(domain=pl.Series([d for d, _ in domains], dtype=pl.String))
    rows = frame.select("reason", "scope", "scope_value", "effective_at", "email").iter_rows()
    for (reason_text, scope_text, value_text, effective_text, email_text), (_, domain_note) in zip(
        rows, domains, strict=True
    ):
        reason, reason_note, reason_doubt = reason_of(reason_text)
        scope, scope_value, scope_note, scope_doubt = scope_of(scope_text, value_text, clients)
        effective, date_note, date_doubt = effective_of(effective_text)
        notes = [n for n in (reason_note, scope_note, date_note, domain_note) if n]
        email_doubt = bool(email_text) and "@" not in email_text
        if email_doubt:
            notes.append(
                f"email {email_text!r} is not an address: kept as written, a human checks it"
            )
        out["reason"].append(reason)
        out["scope"].append(scope)
        out["scope_value"].append(scope_value)
        out["effective_at"].append(effective)
        out["interpretation"].append("; ".join(notes) or None)
        domain_doubt = domain_note is not None
        out["needs_review"].append(
            reason_doubt or scope_doubt or date_doubt or email_doubt or domain_doubt
        )
    return frame.with_columns(
        pl.Series(name, values, pl.Boolean if name == "needs_review" else pl.String)
        for name, values in out.items()
    )


def phones_read_in(frame: pl.DataFrame, regions: tuple[str, ...]) -> pl.DataFrame:
    """A number written without its country ("020 7946 0000") cannot be read alone, and a
    key that matches nobody's number stops nobody. It is read in each country the
    workspace contacts (`regions`, its offers' countries): one reading is the number (said
    in `interpretation`); several are each suppressed, one row per reading, and a human
    checks them; none keeps the number as written, and a human checks it. Needs
    `phone_e164` (the reading without a country) beside `phone`."""
    is_unread = pl.col("phone").is_not_null() & pl.col("phone_e164").is_null()
    unread = frame.filter(is_unread)
    if unread.is_empty():
        return frame
    readings, notes, doubts = [], [], []
    for raw, note, doubt in unread.select("phone", "interpretation", "needs_review").iter_rows():
        found = sorted({e164 for r in regions if (e164 := to_e164(raw, r)[0])})
        said = []
        if len(found) == 1:
            said.append(f"phone {raw!r} has no country code: read as {found[0]}")
        elif found:
            said.append(
                f"phone {raw!r} has no country code and reads as a number in {len(found)} "
                f"countries we contact ({', '.join(found)}): each suppressed, a human checks it"
            )
        else:
            said.append(
                f"phone {raw!r} is not a number in any country we contact "
                f"({', '.join(regions) or 'none set'}): kept as written, a human checks it"
            )
        readings.append(found or [None])
        notes.append("; ".join([note, *said]) if note else said[0])
        doubts.append(bool(doubt) or len(found) != 1)
    read = (
        unread.with_columns(
            phone_e164=pl.Series(readings, dtype=pl.List(pl.String)),
            interpretation=pl.Series(notes, dtype=pl.String),
            needs_review=pl.Series(doubts, dtype=pl.Boolean),
        )
        .explode("phone_e164")
        .with_columns(
            phone_issue=pl.when(pl.col("phone_e164").is_null()).then(pl.col("phone_issue"))
        )
    )
    out = pl.concat(
        [frame.filter(~is_unread), read],
        how="vertical_relaxed",
    ).sort("_row_number", maintain_order=True)
    # a row that became several (addresses in one cell, a number read in several
    # countries) has a part number each; a row that stayed one has none
    several = pl.len().over("_row_number") > 1
    return out.with_columns(
        _part=pl.when(several).then(pl.int_range(pl.len(), dtype=pl.Int64).over("_row_number"))
    )
