"""A real PostgreSQL server (Debian's `postgresql` package) in a private cluster on
loopback: `initdb` into a temp folder, `pg_ctl start` on a free port, stopped and removed
after. When the tests run as root the cluster belongs to the `postgres` user, as initdb
refuses root."""

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.smtp_server import free_port

PASSWORD = "outreach-test"  # noqa: S105 - a throwaway cluster on loopback


def pg_bin() -> Path | None:
    """Folder of the newest installed server binaries, or None when none is installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    def connect(self):
        import psycopg2

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=self.dbname,
        )

    def environment(self) -> dict[str, str]:
        """What the project reads to reach the warehouse (see dbt_project/profiles.yml)."""
        return {
            "OUTREACH_DBT_TARGET": "postgres",
            "OUTREACH_PG_HOST": self.host,
            "OUTREACH_PG_PORT": str(self.port),
            "OUTREACH_PG_USER": self.user,
            "OUTREACH_PG_PASSWORD": self.password,
            "OUTREACH_PG_DATABASE": self.dbname,
        }


def _as_owner(args: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *args] if owner else args


@contextmanager
def running_postgres():
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    owner = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="outreach_pg_"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD)
    if owner:
        shutil.chown(root, owner)
        shutil.chown(sock, owner)
        shutil.chown(pwfile, owner)
    port = free_port()
    run = dict(check=True, capture_output=True, text=True)
    subprocess.run(
        _as_owner(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "outreach",
                "--pwfile",
                str(pwfile),
                "-A",
                "scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            owner,
        ),
        **run,
    )
    options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_owner(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "log"),
                "-w",
                "start",
            ],
            owner,
        ),
        **run,
    )
    try:
        server = Postgres("127.0.0.1", port, "outreach", PASSWORD, "postgres")
        _wait_ready(server)
        yield server
    finally:
        subprocess.run(
            _as_owner(
                [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner
            ),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(server: Postgres, seconds: float = 20) -> None:
    import psycopg2

    deadline = time.monotonic() + seconds
    while True:
        try:
            server.connect().close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
