"""A quiet logger for the CLI: one line per stage, not a wall of debug logs.

Off unless a run's config enables it (`outreach run` does), so the UI's logs are
unchanged.
"""

from __future__ import annotations

import logging
import sys
import time

from dagster import Field, InitLoggerContext, logger

_EVENT = "dagster_event"
_META = "dagster_meta"


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.started: dict[str, float] = {}
        self.failed_checks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, _META, None) or {}
        event = meta.get(_EVENT)
        if event is None:
            return
        kind = event.event_type_value
        step = event.step_key or ""
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            self._print(f"  ... {step}")
        elif kind == "STEP_SUCCESS":
            took = time.monotonic() - self.started.get(step, time.monotonic())
            self._print(f"  ok  {step} ({took:.1f}s)")
        elif kind == "STEP_FAILURE":
            failure = event.step_failure_data
            error = failure.error if failure else None
            while error is not None and error.cause is not None:
                error = error.cause  # the user's error, not Dagster's wrapper
            detail = error.message.strip() if error else ""
            self._print(f"  FAILED {step}: {detail}")
        elif kind == "ASSET_MATERIALIZATION":
            key = event.asset_key.to_user_string() if event.asset_key else ""
            self._print(f"        materialised {key}")
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if data is not None and not data.passed:
                name = f"{data.asset_key.to_user_string()}:{data.check_name}"
                self.failed_checks.append(name)
                self._print(f"        check FAILED {name}")

    @staticmethod
    def _print(line: str) -> None:
        print(line, file=sys.stderr, flush=True)


@logger(
    config_schema={"enabled": Field(bool, default_value=False, is_required=False)},
    description="Stage-by-stage progress on stderr, for the outreach CLI.",
)
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger(f"outreach.progress.{id(init_context)}")
    log.propagate = False
    log.setLevel(logging.DEBUG)
    log.handlers.clear()
    if init_context.logger_config["enabled"]:
        log.addHandler(_ProgressHandler())
    return log
