"""Helpers for tests that play the reviewer and the sender through the real CLI: a returned
decisions file approving review tokens, imported; and `outreach send --live` over SMTP."""

import csv
from collections.abc import Iterable
from pathlib import Path

from assets.exports.review_queue import REVIEWER_COLUMNS
from core.workspace import Workspace
from dagster_project.cli import main


def decide(
    home: Path, decisions: dict[str, str], as_of: str, name: str, at: str | None = None
) -> Path:
    """Write `decisions/<name>.csv` with one decision per token (reviewer rita), import it."""
    path = home / "decisions" / f"{name}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_token", *REVIEWER_COLUMNS])
        for token, decision in decisions.items():
            writer.writerow([token, decision, "rita", "", "", ""])
    imported = ["queue", "import", str(path), "--home", str(home), "--as-of", as_of]
    assert main([*imported, "--at", at] if at else imported) == 0
    return path


def approve(
    home: Path, tokens: Iterable[str], as_of: str, name: str = "approve", at: str | None = None
) -> Path:
    """Write `decisions/<name>.csv` approving each token (reviewer rita) and import it."""
    return decide(home, dict.fromkeys(tokens, "Approve"), as_of, name, at)


def without_send_gap(home: Path) -> None:
    """The demo's campaigns wait 20 s between two sends; a test sends them at once."""
    campaigns = home / "config" / "campaigns.yml"
    campaigns.write_text(campaigns.read_text().replace("min_gap_seconds: 20", "min_gap_seconds: 0"))


def live_send_args(home: Path, as_of: str, at: str, *extra: str) -> list[str]:
    """`outreach send` live over SMTP at a fixed moment."""
    return [
        "send",
        "--home",
        str(home),
        "--transport",
        "smtp",
        "--live",
        "--at",
        at,
        "--as-of",
        as_of,
        *extra,
    ]


def send_live(home: Path, server, monkeypatch, as_of: str, at: str, *extra: str) -> int:
    """Run the send job against `server` (a tests.smtp_server.SmtpServer); its exit code."""
    environment = {**Workspace.resolve(home).environment(), **server.environment(timeout=2.0)}
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return main(live_send_args(home, as_of, at, *extra))
