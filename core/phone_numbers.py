"""Phone numbers to E.164 with `phonenumbers`, in bulk. Parsing and validating a number
costs ~60 µs of pure Python (it was two thirds of ingesting 1M leads), so a long list of
distinct numbers is split across a pool of forked processes, one per core (Linux)."""

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from multiprocessing import get_context

import phonenumbers

# below this many distinct numbers starting workers costs more than it saves
PARALLEL_FROM = 40_000
CHUNK = 20_000


@lru_cache(maxsize=1_000_000)
def to_e164(raw: str, region: str | None) -> tuple[str | None, str | None]:
    """E.164 form and None, or None and why the number is not valid."""
    try:
        parsed = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException as exc:
        return None, f"phone not parseable: {exc._msg}"
    if not phonenumbers.is_valid_number(parsed):
        return None, "phone is not a valid number for its country"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None


def _chunk_to_e164(pairs: list[tuple[str, str | None]]) -> list[tuple[str | None, str | None]]:
    return [to_e164(raw, region) for raw, region in pairs]


def many_to_e164(
    pairs: list[tuple[str, str | None]], workers: int | None = None
) -> list[tuple[str | None, str | None]]:
    """`to_e164` of each (number, region) pair, in order."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(pairs) < PARALLEL_FROM or sys.platform != "linux":
        return _chunk_to_e164(pairs)
    chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    # fork: a worker runs only phonenumbers' pure Python (never the parent's DuckDB
    # connection or polars' threads); spawn would re-run the caller's __main__ module,
    # which breaks any script without a main guard
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        return [result for chunk in pool.map(_chunk_to_e164, chunks) for result in chunk]
