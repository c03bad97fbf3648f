"""A value that a spreadsheet would run as a formula goes out as text and comes back as it was."""

import pytest

from assets.exports.spreadsheet_safety import neutralise, restore

PAYLOADS = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x.example","y")',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_triggers_are_prefixed_and_restored(payload):
    safe = neutralise(payload)
    assert safe == "'" + payload
    assert restore(safe) == payload


@pytest.mark.parametrize("value", ["Hello", "O'Brien", "'quoted", 42, None, "a=b"])
def test_ordinary_values_are_untouched(value):
    assert neutralise(value) == value
    assert restore(value) == value
