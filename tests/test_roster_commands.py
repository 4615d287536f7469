"""import_roster / export_roster as spec/roster.md describes them."""

import pytest
from django.core.management import CommandError, call_command

from schools.models import Staff, Township

from .factories import TownshipFactory
from .rosters import an_id, roster, staff_row

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def roster_file(tmp_path):
    def write(data, name="roster.xlsx"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def test_import_into_a_new_named_township_creates_it(db, roster_file, capsys):
    call_command("import_roster", str(roster_file(roster())), "--township", "葛石镇")
    assert Township.objects.get().name == "葛石镇"
    assert Staff.objects.count() == 1
    assert "staff 1 created" in capsys.readouterr().out


def test_without_township_the_only_township_is_used(township, roster_file):
    call_command("import_roster", str(roster_file(roster())))
    assert Staff.objects.get().school.township == township


@pytest.mark.parametrize("townships", [0, 2])
def test_without_township_none_or_several_exit_2(db, roster_file, townships):
    for _ in range(townships):
        TownshipFactory()
    with pytest.raises(CommandError, match="--township") as caught:
        call_command("import_roster", str(roster_file(roster())))
    assert caught.value.returncode == 2


def test_wrong_rows_print_one_line_each_and_exit_1(township, roster_file, capsys):
    data = roster(staff=[staff_row(name=""), staff_row("李娜", rid=an_id(2), school="火星完小")])
    with pytest.raises(SystemExit) as caught:
        call_command("import_roster", str(roster_file(data)))
    assert caught.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "教职工 row 2, 姓名: required",
        "教职工 row 3, 所在学校: “火星完小” is not a school of this township",
    ]
    assert not Staff.objects.exists()


def test_a_file_that_is_not_a_workbook_exits_1(township, roster_file, capsys):
    with pytest.raises(SystemExit) as caught:
        call_command("import_roster", str(roster_file(b"a,b\n", "roster.csv")))
    assert caught.value.code == 1
    assert "not an Excel workbook" in capsys.readouterr().err


def test_dry_run_writes_nothing(township, roster_file, capsys):
    call_command("import_roster", str(roster_file(roster())), "--dry-run")
    assert not Staff.objects.exists()
    assert "dry run" in capsys.readouterr().out


def test_export_then_import_round_trips_through_the_commands(township, roster_file, tmp_path,
                                                             capsys):
    call_command("import_roster", str(roster_file(roster(staff=[staff_row(position="校长")]))))
    out = tmp_path / "out.xlsx"
    call_command("export_roster", str(out), "--township", "葛石镇")
    capsys.readouterr()
    call_command("import_roster", str(out))
    assert "staff 0 created, 0 updated, 1 unchanged; positions 0 opened" in capsys.readouterr().out


def test_export_of_an_unknown_township_exits_2(township, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export_roster", str(tmp_path / "x.xlsx"), "--township", "无此镇")
    assert caught.value.returncode == 2
