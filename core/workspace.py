"""The workspace: one folder a user points the pipeline at (OUTREACH_HOME)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LANDING_KINDS: tuple[str, ...] = ("leads", "intelligence", "signals", "suppressions", "events")
DEFAULT_HOME = Path("workspace")


@dataclass(frozen=True)
class Workspace:
    """Paths inside one workspace; creating it never touches files already there."""

    home: Path
    warehouse_path: Path | None = None

    @classmethod
    def resolve(cls, home: str | Path | None = None) -> Workspace:
        """`home`, else OUTREACH_HOME, else ./workspace; OUTREACH_WAREHOUSE overrides the file."""
        chosen = Path(home or os.environ.get("OUTREACH_HOME") or DEFAULT_HOME).resolve()
        warehouse = os.environ.get("OUTREACH_WAREHOUSE") if home is None else None
        return cls(chosen, Path(warehouse).resolve() if warehouse else None)

    @property
    def warehouse(self) -> Path:
        return self.warehouse_path or self.home / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        """The workspace's Dagster instance (run history), unless DAGSTER_HOME says otherwise."""
        return self.home / "dagster"

    @property
    def read_copy(self) -> Path:
        """The marts as the last finished run left them, for analysts to open at any time
        (`warehouse.read.duckdb` beside the warehouse; exports/warehouse_read_copy)."""
        return read_copy_of(self.warehouse)

    @property
    def config_dir(self) -> Path:
        return self.home / "config"

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    def landing(self, kind: str) -> Path:
        if kind not in LANDING_KINDS:
            raise ValueError(f"unknown landing kind {kind!r}; expected one of {LANDING_KINDS}")
        return self.landing_dir / kind

    @property
    def mailbox(self) -> Path:
        return self.home / "mailbox"

    @property
    def decisions(self) -> Path:
        return self.home / "decisions"

    @property
    def exports(self) -> Path:
        return self.home / "exports"

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def truth(self) -> Path:
        return self.home / "truth"

    def create(self) -> Workspace:
        for folder in (
            self.config_dir,
            *(self.landing(kind) for kind in LANDING_KINDS),
            self.mailbox,
            self.decisions,
            self.exports,
            self.outbox,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    def environment(self) -> dict[str, str]:
        """The variables that point Dagster resources and dbt's profile at this workspace."""
        return {"OUTREACH_HOME": str(self.home), "OUTREACH_WAREHOUSE": str(self.warehouse)}


def read_copy_of(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.read.duckdb")
