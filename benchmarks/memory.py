"""Resident memory of this process and every process it started (dbt runs as a child),
sampled on a thread, so a stage's peak can be read back for any time window."""

import contextlib
import threading
import time
from bisect import bisect_left, bisect_right

import psutil


class MemorySampler:
    """`with MemorySampler() as m: ...` then `m.peak_between(t0, t1)` in bytes, where
    the times are `time.time()` seconds (Dagster event and dbt timings use the same clock)."""

    def __init__(self, every: float = 0.05):
        self.every = every
        self.times: list[float] = []
        self.rss: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._me = psutil.Process()

    def _tree_rss(self) -> int:
        total = self._me.memory_info().rss
        for child in self._me.children(recursive=True):
            # a child that ended between listing and reading counts nothing
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.times.append(time.time())
            self.rss.append(self._tree_rss())
            self._stop.wait(self.every)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, start: float, end: float) -> int:
        lo, hi = bisect_left(self.times, start), bisect_right(self.times, end)
        window = self.rss[lo:hi]
        if not window:  # shorter than one sample: the sample nearest before it
            window = self.rss[max(0, lo - 1) : lo] or [0]
        return max(window)

    @property
    def peak(self) -> int:
        return max(self.rss, default=0)
