"""Values that go into a spreadsheet cell must stay text: no formula, no DDE.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return can be run as a
formula by Excel, LibreOffice or Google Sheets (CSV/formula injection). Such a value is
prefixed with an apostrophe on the way out, and the prefix comes off on the way back."""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def restore(value: object) -> object:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value
