"""`outreach-dbt`: dbt as the pipeline runs it, ended with the run that started it.

dagster-dbt starts `dbt build` as a child process. A run killed outright (kill -9, the
OOM killer, a closed terminal) cannot end its children, so dbt would go on writing the
warehouse and hold its lock for the next run. Before dbt starts, this asks Linux to kill
it the moment its parent dies (prctl PR_SET_PDEATHSIG), and exits at once if the parent
is already gone. Elsewhere it is plain dbt."""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: no such call
        return
    if os.getppid() != parent or parent == 1:  # orphaned before the request took effect
        sys.exit(f"outreach-dbt: the run that started dbt (pid {parent}) is gone")


def main() -> None:
    die_with_parent()
    from dbt.cli.main import cli

    sys.exit(cli())


if __name__ == "__main__":
    main()
