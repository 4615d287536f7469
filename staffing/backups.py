"""Backups of the whole database, and their restore (issue 14, item 7).

SQLite through its online backup API (``sqlite3.Connection.backup``), which copies a
consistent snapshot while the product runs and writes the destination in one step;
PostgreSQL through ``pg_dump -Fc`` and ``pg_restore --single-transaction``, so a restore
that fails midway is rolled back. The connection parameters come from
``settings.DATABASES``; a password goes to the client programs in ``PGPASSWORD``, never
on their command line (which every user of the machine can read).

A backup is written beside its destination and renamed into place when complete, so a
backup that fails never leaves a truncated file under the name asked for.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

SQLITE = "SQLite"
POSTGRESQL = "PostgreSQL"
# The first bytes of each engine's file: SQLite's database header, pg_dump's custom format.
MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass(frozen=True)
class Target:
    """The database of one alias of ``settings.DATABASES``, as the backups see it."""

    alias: str
    engine: str  # SQLITE or POSTGRESQL
    name: str  # the SQLite file, or the PostgreSQL database

    def __str__(self):
        return f"{self.engine} database {self.name!r}"


def target(alias: str = "default") -> Target:
    vendor = connections[alias].vendor
    engines = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
    if vendor not in engines:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return Target(alias, engines[vendor], str(connections[alias].settings_dict["NAME"]))


def file_engine(path: Path) -> str | None:
    """The engine whose backup ``path`` is, from its first bytes; None for anything else."""
    with open(path, "rb") as file:
        head = file.read(16)
    return next((engine for engine, magic in MAGIC.items() if head.startswith(magic)), None)


def database_backup(*, path: Path, alias: str = "default") -> Target:
    """Write a backup of the database of ``alias`` to ``path`` (replaced if it exists)."""
    db = target(alias)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if db.engine == SQLITE:
            _sqlite_backup(db, partial)
        else:
            _pg_run(db, ["pg_dump", "--format=custom", f"--file={partial}"])
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return db


def database_restore(*, path: Path, alias: str = "default") -> Target:
    """Replace the database of ``alias`` with the backup at ``path``.

    Refuses a file that is not a backup of the same engine before touching anything."""
    db = target(alias)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    engine = file_engine(path)
    if engine is None:
        raise BackupError(f"{path} is not a backup: neither a SQLite database nor a pg_dump "
                          f"custom-format file.")
    if engine != db.engine:
        raise BackupError(f"{path} is a backup of a {engine} database; this is a {db}. "
                          f"Restore it into a {engine} database.")
    # Our own connection is closed first, so it neither holds locks the restore waits for
    # nor keeps a view of the database from before it.
    connections[alias].close()
    if db.engine == SQLITE:
        _sqlite_restore(db, path)
    else:
        _pg_run(db, ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                     "--single-transaction", "--exit-on-error", str(path)])
    return db


def _sqlite_backup(db: Target, destination: Path) -> None:
    connection = connections[db.alias]
    connection.ensure_connection()
    copy = sqlite3.connect(destination)
    try:
        connection.connection.backup(copy)
        # One self-contained file: the copy leaves write-ahead logging (WAL needs its
        # -wal and -shm files beside it), and is checked before it counts as a backup.
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy, destination)
    finally:
        copy.close()


def _sqlite_restore(db: Target, source_path: Path) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        _sqlite_check(source, source_path)
        destination = sqlite3.connect(db.name, timeout=20)
        try:
            # pages=-1 (the default): the whole copy in one step, under the destination's
            # write lock, so other connections see the old database or the new, never half.
            source.backup(destination)
        except sqlite3.Error as exc:
            raise BackupError(f"restoring {source_path} failed: {exc}") from exc
        finally:
            destination.close()
    finally:
        source.close()


def _sqlite_check(connection: sqlite3.Connection, path: Path) -> None:
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")


def _pg_run(db: Target, command: list[str]) -> None:
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install "
                          f"postgresql-client).")
    params = connections[db.alias].settings_dict
    env = {**os.environ, "PGDATABASE": db.name}
    for key, variable in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")]:
        if params.get(key):
            env[variable] = str(params[key])
    if sslmode := params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    # pg_restore needs the database named as an option; pg_dump reads PGDATABASE.
    if program == "pg_restore":
        command = [command[0], f"--dbname={db.name}", *command[1:]]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")
