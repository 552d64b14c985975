"""The databases the store tests run against: a SQLite file, and PostgreSQL when there is one.

PostgreSQL comes from GRADER_TEST_DB_URL (a server of yours; each test gets a database of its
own there when the role may create one, else the given database itself, emptied of the store's
tables before each test: give a database for tests only), or else from a
throwaway cluster this module starts with the machine's `initdb` and `pg_ctl`: in a temporary
folder, listening on 127.0.0.1 only, on a free port, with a random password, stopped and
deleted at the end of the session. GRADER_DB_URL is never used: that is a team's real store.
Without either, the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

EXTERNAL_URL_VARIABLE = "GRADER_TEST_DB_URL"
UNPRIVILEGED_USER = "nobody"  # initdb refuses to run as root: the cluster runs as this user then


@dataclass
class PostgresServer:
    admin_url: str  # a database the tests may connect to and create databases from
    creates_databases: bool


def _postgres_binaries() -> tuple[str, str] | None:
    """initdb and pg_ctl from PATH, or from Debian's /usr/lib/postgresql/<version>/bin."""
    found = [shutil.which("initdb"), shutil.which("pg_ctl")]
    if all(found):
        return found[0], found[1]  # type: ignore[return-value]
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):  # newest first
        initdb, pg_ctl = Path(folder, "initdb"), Path(folder, "pg_ctl")
        if initdb.is_file() and pg_ctl.is_file():
            return str(initdb), str(pg_ctl)
    return None


def _as_cluster_owner() -> list[str] | None:
    """The command prefix that runs the cluster's programs as a user PostgreSQL accepts:
    nothing for an ordinary user; for root, `runuser`/`setpriv` to an unprivileged user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", UNPRIVILEGED_USER, "--"]
    if shutil.which("setpriv"):
        import pwd

        entry = pwd.getpwnam(UNPRIVILEGED_USER)
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        extra = f"\n{log.read_text(errors='replace')[-2000:]}" if log and log.exists() else ""
        pytest.fail(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}{extra}")


@dataclass
class _Cluster:
    pg_ctl: str
    prefix: list[str]
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def stop(self) -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def _start_cluster(initdb: str, pg_ctl: str, prefix: list[str]) -> tuple[_Cluster, str]:
    # Not under pytest's tmp_path: that is private to root, and the cluster's owner may not be.
    root = Path(tempfile.mkdtemp(prefix="grader-postgres-"))
    password = secrets.token_hex(16)
    (root / "pwfile").write_text(password + "\n")
    if prefix:  # hand the folder to the unprivileged user the cluster runs as
        import pwd

        owner = pwd.getpwnam(UNPRIVILEGED_USER)
        for path in (root, root / "pwfile"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    cluster = _Cluster(pg_ctl, prefix, root)
    port = _free_port()
    log = root / "server.log"
    try:
        _run([*prefix, initdb, "-D", str(cluster.data), "-U", "grader", f"--pwfile={root / 'pwfile'}",
              "--auth=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"], "initdb")
        # Loopback only, no Unix socket; fsync off: the server is not what the tests crash.
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off"
        _run([*prefix, pg_ctl, "-D", str(cluster.data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
             "pg_ctl start", log)
    except BaseException:
        cluster.stop()
        raise
    return cluster, f"postgresql+psycopg://grader:{password}@127.0.0.1:{port}/postgres"


def _driver_missing() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the PostgreSQL driver is not installed: pip install 'sdp-grader[postgres]'"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server the tests use (see the module docstring), or a skip saying why not."""
    missing = _driver_missing()
    if missing:
        pytest.skip(missing)
    external = os.environ.get(EXTERNAL_URL_VARIABLE)
    if external:
        yield PostgresServer(admin_url=external, creates_databases=_may_create_databases(external))
        return
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip(f"no PostgreSQL here: neither initdb/pg_ctl (PATH, /usr/lib/postgresql/*/bin) "
                    f"nor {EXTERNAL_URL_VARIABLE}")
    prefix = _as_cluster_owner()
    if prefix is None:
        pytest.skip("running as root, and neither runuser nor setpriv is here to start PostgreSQL "
                    f"as an unprivileged user; set {EXTERNAL_URL_VARIABLE} instead")
    cluster, url = _start_cluster(*binaries, prefix)
    try:
        yield PostgresServer(admin_url=url, creates_databases=True)
    finally:
        cluster.stop()


def _may_create_databases(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.scalar(text("select rolcreatedb or rolsuper from pg_roles "
                                               "where rolname = current_user")))
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A SQLAlchemy URL of an empty PostgreSQL database for this test, dropped afterwards (or the
    given database itself, when the given role may not create databases)."""
    if not postgres_server.creates_databases:
        engine = create_engine(postgres_server.admin_url)
        try:
            with engine.begin() as connection:
                connection.execute(text("drop table if exists overrides, attachments, assessments"))
        finally:
            engine.dispose()
        yield postgres_server.admin_url
        return
    name = f"grader_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'create database "{name}"'))
        yield make_url(postgres_server.admin_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'assessments.sqlite'}"
    return request.getfixturevalue("postgres_url")
