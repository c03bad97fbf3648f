"""Memory of this process and every process it started (the phone workers and the Great
Expectations worker), sampled on a thread, so a stage's peak can be read back for any
time window. Two sums: resident sets (RSS: a page shared by a forked worker and its parent
counts in both, so the sum overstates) and proportional sets (PSS: each shared page split
between the processes that share it, so the sum is what the tree holds)."""

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
        self.pss: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._me = psutil.Process()

    def _tree(self) -> tuple[int, int]:
        rss = pss = 0
        for process in (self._me, *self._me.children(recursive=True)):
            # a child that ended between listing and reading counts nothing
            with contextlib.suppress(psutil.Error):
                full = process.memory_full_info()  # smaps_rollup: 0.1-0.3 ms a process
                rss += full.rss
                pss += full.pss
        return rss, pss

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = self._tree()
            self.times.append(time.time())
            self.rss.append(rss)
            self.pss.append(pss)
            self._stop.wait(self.every)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, start: float, end: float) -> int:
        """Peak RSS sum in the window (a stage's figure; the run's PSS is `peak_pss`)."""
        lo, hi = bisect_left(self.times, start), bisect_right(self.times, end)
        window = self.rss[lo:hi]
        if not window:  # shorter than one sample: the sample nearest before it
            window = self.rss[max(0, lo - 1) : lo] or [0]
        return max(window)

    @property
    def peak(self) -> int:
        return max(self.rss, default=0)

    @property
    def peak_pss(self) -> int:
        return max(self.pss, default=0)
