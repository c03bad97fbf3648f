"""The validation worker (`checks/gx_worker.py`): Great Expectations runs in a process of
its own, gives the answers the run's process would, and goes when the run does."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checks import gx_worker
from checks.expectations import SUITES, run_suite
from tests.integration.test_gx_suites import candidates
from tests.processes import alive

pytestmark = pytest.mark.integration
CANDIDATES = next(s for s in SUITES if s.name == "marts.draft_candidates")
ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def test_the_run_process_never_imports_great_expectations(tmp_path):
    run = _python(
        f"""
        import sys
        from checks.expectations import SUITES, run_suite
        from tests.integration.test_gx_suites import candidates
        suite = next(s for s in SUITES if s.name == "marts.draft_candidates")
        passed = run_suite(suite, candidates(), __import__("pathlib").Path({str(tmp_path)!r}))
        bad = run_suite(suite, candidates(priority="Parked"), __import__("pathlib").Path(
            {str(tmp_path)!r}))
        print(passed.passed, bad.passed, "great_expectations" in sys.modules)
        """
    )
    out, _ = run.communicate(timeout=120)
    assert out.split() == ["True", "False", "False"]
    assert (tmp_path / "gx" / "expectations").is_dir()  # validated in the workspace's context


def test_a_large_frame_is_validated_where_it_is_not_copied_to_the_worker(tmp_path):
    run = _python(
        f"""
        import sys
        from pathlib import Path
        from checks import gx_worker
        from checks.expectations import SUITES, run_suite
        from tests.integration.test_gx_suites import candidates
        suite = next(s for s in SUITES if s.name == "marts.draft_candidates")
        small = run_suite(suite, candidates(priority="Parked"), Path({str(tmp_path)!r}))
        in_worker = "great_expectations" in sys.modules
        gx_worker.LARGEST_SENT_ROWS = len(candidates()) - 1
        large = run_suite(suite, candidates(priority="Parked"), Path({str(tmp_path)!r}))
        print(small.passed, in_worker, large.passed, "great_expectations" in sys.modules,
              gx_worker._worker.process.poll() is None)
        """
    )
    out, _ = run.communicate(timeout=120)
    # the same answer, the second from this process's own GX; the worker still there
    assert out.split() == ["False", "False", "False", "True", "True"]


def test_the_worker_and_this_process_give_the_same_answers(tmp_path, monkeypatch):
    changes = [{}, {"priority": "Parked"}, {"lawful_basis": None, "evidence_id": None}]
    in_worker = [run_suite(CANDIDATES, candidates(**c), tmp_path / "a") for c in changes]
    monkeypatch.setattr(gx_worker, "_worker", None)
    monkeypatch.setattr(gx_worker, "_unavailable", True)  # as where it cannot start
    here = [run_suite(CANDIDATES, candidates(**c), tmp_path / "b") for c in changes]
    assert [r.passed for r in in_worker] == [True, False, False]
    for a, b in zip(in_worker, here, strict=True):
        assert a.passed == b.passed and a.severity == b.severity
        assert {k: v for k, v in a.metadata.items() if k != "data_docs"} == {
            k: v for k, v in b.metadata.items() if k != "data_docs"
        }


def test_a_worker_that_dies_is_replaced_by_validation_here(tmp_path):
    assert run_suite(CANDIDATES, candidates(), tmp_path).passed
    worker = gx_worker._worker
    assert worker is not None
    worker.process.kill()
    worker.process.wait()
    # the next suite notices, validates in this process, and answers the same
    assert not run_suite(CANDIDATES, candidates(priority="Parked"), tmp_path).passed
    assert gx_worker._worker is None
    gx_worker._unavailable = False  # later tests in this process get a new worker
    gx_worker.start()
    assert gx_worker._worker is not None and gx_worker._worker.process.poll() is None


def test_the_worker_goes_when_its_run_is_killed():
    run = _python(
        """
        import time
        from checks import gx_worker
        gx_worker.start()
        print(gx_worker._worker.process.pid, flush=True)
        time.sleep(600)
        """
    )
    worker_pid = int(run.stdout.readline())
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(worker_pid):
        time.sleep(0.1)
    assert not alive(worker_pid)
