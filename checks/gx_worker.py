"""Great Expectations in a process of its own, beside the run.

GX takes ~2 s to import (a third of it SciPy) and ~0.2 s to rewrite its Data Docs after
each suite. `outreach run` starts this worker first thing: GX imports on the other core
while the run's process imports Dagster and ingests; each suite is then validated here
and its result returned at once, and the Data Docs pages are written after the answer,
while the run goes on (`settle` waits for them at the end of the run). One worker per
process, kept for the process's life (the test suite runs many runs in one process); it
ends with the process that started it (its pipe closes; on Linux the kernel also stops
it when that process is killed). Where it cannot start, or dies, validation runs in the
calling process as before: the same function, the same answers.

A frame of more than `LARGEST_SENT_ROWS` rows is validated where it is: its copy in the
worker would cost more memory than the import saves time (at 1M leads the raw leads
frame's copy put the run's peak ~0.6 GiB higher).

`OUTREACH_GX_WORKER=0` keeps validation in the calling process.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from checks.gx_validation import (
    Expectations,
    Outcome,
    data_docs_wanted,
    update_docs,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
SETTLE_SECONDS = 120
LARGEST_SENT_ROWS = 100_000


class ValidationError(RuntimeError):
    """Great Expectations raised while validating a suite (in the worker)."""


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        env.setdefault("GX_ANALYTICS_ENABLED", "false")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "checks.gx_worker", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )

    def ask(self, message: tuple) -> tuple:
        pickle.dump(message, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.flush()
        return pickle.load(self.process.stdout)  # noqa: S301 - our own child, over its pipe

    def close(self, wait: float) -> None:
        try:
            self.process.stdin.close()  # the worker finishes what it has, then ends
            self.process.wait(timeout=wait)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


_LOCK = threading.Lock()
_worker: _Worker | None = None
_unavailable = False


def start() -> None:
    """Start the worker if this process has none (a run calls this as early as it can)."""
    global _worker, _unavailable
    with _LOCK:
        if _worker is not None or _unavailable:
            return
        if os.environ.get("OUTREACH_GX_WORKER", "1").strip().lower() in {"0", "false", "no"}:
            _unavailable = True
            return
        try:
            _worker = _Worker()
        except OSError as error:
            print(f"Great Expectations runs in this process: {error}", file=sys.stderr)
            _unavailable = True


def _ask(message: tuple) -> tuple | None:
    """The worker's answer, or None when there is no worker or it died (then dropped)."""
    global _worker
    if _worker is None:
        return None
    try:
        return _worker.ask(message)
    except BaseException as error:  # a half-sent or half-read message leaves it unusable
        _worker.close(wait=0)
        _worker = None
        if not isinstance(error, (EOFError, OSError, pickle.UnpicklingError)):
            raise
        print("Great Expectations worker ended; validating in this process", file=sys.stderr)
        return None


def run_validation(name: str, expectations: Expectations, frame, home: Path) -> Outcome:
    """Validate `frame` against the suite `name`, in the worker when there is one, and
    have its Data Docs pages updated (after the answer, when in the worker)."""
    start()
    docs = data_docs_wanted()
    if len(frame) > LARGEST_SENT_ROWS:
        settle()  # the worker's pages first: one writer of the Data Docs at a time
        answer = None
    else:
        with _LOCK:
            answer = _ask(("validate", name, expectations, frame, str(home), docs))
    if answer is not None:
        kind, value = answer
        if kind == "error":
            # the worker's exception as itself where it travels (a full disk is an OSError
            # here as it was there), its traceback attached
            error, trace = value
            remote = ValidationError(f"Great Expectations failed on suite {name}:\n{trace}")
            raise (error or remote) from (remote if error else None)
        return value
    outcome = validate(name, expectations, frame, home)
    if docs:
        update_docs(home, outcome.docs_targets)
    return dataclasses.replace(outcome, docs_targets=())


def settle() -> None:
    """Wait until the worker has written every Data Docs page it was given."""
    with _LOCK:
        _ask(("settle",))


def _close_at_exit() -> None:
    global _worker
    with _LOCK:
        if _worker is not None:
            _worker.close(wait=SETTLE_SECONDS)
            _worker = None


# --- the worker process -------------------------------------------------------------


def _end_with(parent: int) -> None:
    """Be stopped by the kernel when the process that started this one dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed pipe still ends it
        pass
    if os.getppid() != parent:  # it died before the line above
        sys.exit(0)


def _travelling(error: Exception) -> Exception | None:
    """The exception itself if it is Python's own (OSError, ValueError, ...) and survives
    the pipe; a library's would make the run's process import the library to read it."""
    if type(error).__module__ != "builtins":
        return None
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001
        return None
    return error


def serve(parent: int) -> None:
    _end_with(parent)
    # answers go to a private copy of stdout; anything GX prints goes to stderr
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    questions = sys.stdin.buffer
    import great_expectations  # noqa: F401 - why this process exists: imported before it is asked

    def answer(value: tuple) -> None:
        pickle.dump(value, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()

    while True:
        try:
            message = pickle.load(questions)  # noqa: S301 - the parent that started us
        except EOFError:
            return
        if message[0] == "settle":
            answer(("ok", None))
            continue
        _, name, expectations, frame, home, docs = message
        try:
            outcome = validate(name, expectations, frame, Path(home))
        except Exception as error:  # noqa: BLE001 - reported to the run, which fails the check
            answer(("error", (_travelling(error), traceback.format_exc())))
            continue
        answer(("ok", dataclasses.replace(outcome, docs_targets=())))
        if docs:
            try:
                update_docs(Path(home), outcome.docs_targets)
            except Exception:  # noqa: BLE001 - the pages are a view; the check has its answer
                traceback.print_exc()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
else:
    import atexit

    atexit.register(_close_at_exit)
