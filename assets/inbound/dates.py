"""Dates in free text ("back on 3 December", "until Monday 7th", "2026-12-03", "next
quarter"), resolved against the message's own date, never the wall clock."""

import email.policy
import re
from datetime import UTC, date, datetime, timedelta
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan", "januar", "janvier", "enero", "gennaio"),
            ("february", "feb", "februar", "février", "fevrier", "febrero", "febbraio"),
            ("march", "mar", "märz", "maerz", "mars", "marzo"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio"),
            ("june", "jun", "juni", "juin", "junio", "giugno"),
            ("july", "jul", "juli", "juillet", "julio", "luglio"),
            ("august", "aug", "août", "aout", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre", "settembre"),
            ("october", "oct", "oktober", "octobre", "octubre", "ottobre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "dezember", "décembre", "decembre", "diciembre", "dicembre"),
        ],
        start=1,
    )
    for m in names
}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:(?:of|de)\s+)?({MONTH})\.?\b(?:,?\s+(20\d\d))?", re.I
)
MONTH_DAY = re.compile(rf"\b({MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(20\d\d))?", re.I)
NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](20\d\d|\d\d)\b")
IN_PERIOD = re.compile(r"\bin (a|one|two|three|four|six|\d+) (week|month)s?\b", re.I)
NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
MONTH_ONLY = re.compile(rf"\b(?:in|after|until|from|by|around|early|late|mid)[- ]({MONTH})\b", re.I)


def _future(day: int, month: int, year: int | None, reference: date) -> date | None:
    try:
        found = date(year or reference.year, month, day)
    except ValueError:
        return None
    if year is None and found < reference - timedelta(days=7):
        found = found.replace(year=found.year + 1)
    return found


def find_date(text: str, reference: date) -> date | None:
    """The first date the text names, on or after the reference (roughly); None if none."""
    if m := ISO.search(text):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    if m := DAY_MONTH.search(text):
        return _future(int(m[1]), MONTHS[m[2].lower()], int(m[3]) if m[3] else None, reference)
    if m := MONTH_DAY.search(text):
        return _future(int(m[2]), MONTHS[m[1].lower()], int(m[3]) if m[3] else None, reference)
    if m := NUMERIC.search(text):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        # day first (the framework's markets are GB and IE first); fall back to month first
        return _future(int(m[1]), int(m[2]), year, reference) or _future(
            int(m[2]), int(m[1]), year, reference
        )
    return None


def find_review_date(text: str, reference: date) -> date | None:
    """When a Not Now reply says to come back: a date, a month, a period, next quarter/year."""
    lowered = text.lower()
    if found := find_date(text, reference):
        return found
    if m := MONTH_ONLY.search(text):
        month = MONTHS[m[1].lower()]
        year = reference.year + (1 if month <= reference.month else 0)
        return date(year, month, 1)
    if m := IN_PERIOD.search(text):
        n = NUMBERS.get(m[1].lower()) or int(m[1])
        return reference + (
            timedelta(weeks=n) if m[2].lower() == "week" else timedelta(days=30 * n)
        )
    if "next quarter" in lowered or "new quarter" in lowered:
        quarter_start = (reference.month - 1) // 3 * 3 + 1
        month = quarter_start + 3
        return date(reference.year + (month > 12), (month - 1) % 12 + 1, 1)
    if "next year" in lowered or "new year" in lowered or "after christmas" in lowered:
        return date(reference.year + 1, 1, 15)
    if "next month" in lowered:
        return date(reference.year + (reference.month == 12), reference.month % 12 + 1, 1)
    return None


def received_at(raw: bytes, day: date) -> datetime | None:
    """When the message arrived, in UTC: the time our server stamped on it (the top
    `Received:` header, after its last `;`), else its `Date:` header; None when neither
    parses or the time is not on or before `day` (the run date: a clock set in the
    future does not move a reply ahead of what happened after it)."""
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    stamps = [r.rsplit(";", 1)[1] for r in headers.get_all("Received", []) if ";" in r]
    for text in [*stamps[:1], headers.get("Date")]:
        if not text:
            continue
        try:
            moment = parsedate_to_datetime(str(text).strip())
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC).replace(tzinfo=None)
        if date(2000, 1, 1) <= moment.date() <= day:
            return moment
    return None
