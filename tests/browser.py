"""A page as a real browser leaves it: Debian's chromium, headless, offline (every host
name resolves to nothing), scripts allowed to run if the page lets them."""

import shutil
import subprocess
from pathlib import Path

import pytest

# what a payload in tests/adversarial/corpus.py writes into the page if it ever runs
RAN = ('data-pwned="1"', "<title>PWNED</title>")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: `apt-get install chromium` (.ci/run does)")
    return found


def dom_after_scripts(page: Path) -> str:
    """The page's DOM after load and two seconds of (virtual) time for scripts."""
    done = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def scripts_ran(page: Path) -> bool:
    dom = dom_after_scripts(page)
    assert "<body" in dom, f"chromium rendered nothing for {page}"
    return any(marker in dom for marker in RAN)
