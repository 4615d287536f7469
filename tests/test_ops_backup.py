"""backup and restore (issue 14, item 7): a backup restored into an empty database holds
every record and every history row; restore refuses another engine's file, asks before
overwriting, and a damaged backup changes nothing.

On SQLite the empty database is a new file; on PostgreSQL a database of its own, named
after the test database (``test_staffing`` → ``staffing_restore``), dropped afterwards.
The tests commit (``transaction=True``): pg_dump reads from a connection of its own.
"""

import sqlite3
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections

from schools.models import Township
from staffing.backups import MAGIC, POSTGRESQL, SQLITE

from .factories import TownshipFactory, adopted_cycle

pytestmark = pytest.mark.django_db(transaction=True)

RESTORED = "restored"


@pytest.fixture
def cycle(office_user, township, school, other_school, centre):
    """A cycle past its vote, for the ``selecting`` world: posts, intentions, rankings."""
    return adopted_cycle(office=office_user, township=township, first_step=[centre])


@pytest.fixture
def empty_database(tmp_path):
    """The alias of a new, empty database of the test database's engine."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = connection.settings_dict["NAME"].removeprefix("test_") + "_restore"
        create = f'CREATE DATABASE "{settings_dict["NAME"]}"'
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(create)
    connections.settings[RESTORED] = settings_dict
    yield RESTORED
    connections[RESTORED].close()
    del connections[RESTORED]
    del connections.settings[RESTORED]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{settings_dict["NAME"]}" WITH (FORCE)')


def every_table(alias):
    """Each model's table (history tables and many-to-many tables included): its rows."""
    # The test case lets its test reach only the default database through
    # ensure_connection; the restore closes the connection, which is opened again here.
    if connections[alias].connection is None:
        connections[alias].connect()
    return {
        model._meta.db_table: list(model._base_manager.using(alias).order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def test_a_backup_restored_into_an_empty_database_holds_every_record_and_history_row(
        selecting, teacher, foreign_office, empty_database, tmp_path):
    backup = tmp_path / "staffing.backup"
    call_command("backup", str(backup), verbosity=0)
    call_command("restore", str(backup), database=empty_database, interactive=False, verbosity=0)

    before, after = every_table("default"), every_table(empty_database)
    history = [table for table in before if "historical" in table]
    assert sum(len(before[table]) for table in history) > 30  # a world with history
    assert sum(1 for rows in before.values() if rows) > 20
    assert {table: len(rows) for table, rows in after.items()} == {
        table: len(rows) for table, rows in before.items()}
    assert after == before


def test_a_damaged_backup_changes_nothing(township, empty_database, tmp_path):
    backup, damaged = tmp_path / "good.backup", tmp_path / "damaged.backup"
    call_command("backup", str(backup), verbosity=0)
    call_command("restore", str(backup), database=empty_database, interactive=False, verbosity=0)
    TownshipFactory.create(name="备份后的镇")  # not in the backup
    call_command("backup", str(tmp_path / "later.backup"), verbosity=0)
    content = (tmp_path / "later.backup").read_bytes()
    # A pg_dump file holds its table of contents first and the tables' rows after: cut
    # off its end, the restore has replaced the tables when it finds the last rows
    # missing. A SQLite file cut short is damaged anywhere.
    damaged.write_bytes(content[:-20] if connection.vendor == "postgresql"
                        else content[: len(content) * 2 // 3])
    restored = every_table(empty_database)

    with pytest.raises(CommandError):
        call_command("restore", str(damaged), database=empty_database, interactive=False)
    assert every_table(empty_database) == restored


def test_restore_refuses_a_backup_of_the_other_engine(township, tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(MAGIC[POSTGRESQL] + b"\x01\x0e\x00\x04\x08\x01\x01")
        expected = "is a backup of a PostgreSQL database; this is a SQLite database"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        expected = "is a backup of a SQLite database; this is a PostgreSQL database"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), interactive=False)
    assert Township.objects.get() == township


def test_restore_refuses_a_file_that_is_no_backup(township, tmp_path):
    junk = tmp_path / "roster.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(CommandError, match="is not a backup"):
        call_command("restore", str(junk), interactive=False)
    assert Township.objects.get() == township


def test_restore_asks_first_and_does_nothing_on_no(township, tmp_path, capsys):
    backup = tmp_path / "staffing.backup"
    call_command("backup", str(backup), verbosity=0)
    later = TownshipFactory.create(name="备份后的镇")

    with mock.patch("builtins.input", return_value="no") as ask:
        call_command("restore", str(backup))
    assert "Type 'yes' to continue" in ask.call_args.args[0]
    assert str(backup) in ask.call_args.args[0]
    assert "nothing changed" in capsys.readouterr().out
    assert set(Township.objects.all()) == {township, later}


def test_backup_never_leaves_a_partial_file(township, tmp_path):
    backup = tmp_path / "staffing.backup"
    backup.write_bytes(b"an older backup")
    engine = SQLITE if connection.vendor == "sqlite" else POSTGRESQL
    failing = "staffing.backups._sqlite_check" if engine == SQLITE else "subprocess.run"
    with mock.patch(failing, side_effect=OSError("disk full")), pytest.raises(CommandError):
        call_command("backup", str(backup), verbosity=0)
    assert backup.read_bytes() == b"an older backup"
    assert list(tmp_path.iterdir()) == [backup]
