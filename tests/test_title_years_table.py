"""The scoring table as data (shared/spec/title-scoring.md): ``import_title_table`` and the
same in the browser, all or nothing, row errors, versions replaced before scores and
refused after; the 职数 sheet sets each unit's recommendation quota."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import TitleItem, TitleLevel, TitleQuota, TitleTable, TitleTableImport
from evaluation.services import title_years as services
from staffing import workbook as wb

from . import titles_world
from .factories import CountyFactory, TownshipFactory
from .titles_world import QUOTA_HEADERS, candidate, scores
from .titles_world import table_workbook as workbook

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(tmp_path, year_number, data, *args):
    path = tmp_path / "table.xlsx"
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    try:
        call_command("import_title_table", str(year_number), str(path), *args,
                     stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_the_command_imports_items_caps_and_quotas(tmp_path, year, school):
    code, out, _err = run(tmp_path, year.year, workbook(quotas=[
        [school.name, "高级教师", 2], [school.name, "一级教师", 0]]))
    assert code == 0, _err
    assert "3 items" in out and "version 1" in out
    table = TitleTable.objects.get(year=year)
    items = {i.code: (i.group, i.item_cap, i.group_cap, i.position) for i in table.items.all()}
    assert items == {"A1": ("师德", D("10.00"), None, 0),
                     "B1": ("教学业绩", D("20.00"), D("30.00"), 1),
                     "B2": ("教学业绩", D("12.50"), D("30.00"), 2)}
    assert dict(TitleQuota.objects.filter(year=year).values_list("level", "recommended")) == {
        TitleLevel.SENIOR: 2, TitleLevel.FIRST: 0}


def test_wrong_rows_are_each_named_exit_1_and_nothing_is_written(tmp_path, year, school):
    items = [["A1", "师德", "师德考核", 10, None],
             ["A1", "师德", "重复编号", 5, None],  # the same code twice
             ["B1", "教学业绩", "质量奖", "十", 30],  # not a number
             ["B2", "教学业绩", "公开课", "1.234", 30],  # three decimals
             ["B3", "教学业绩", "论文", -1, 30],  # negative
             ["B4", "教学业绩", "示范课", 5, 25],  # the group's cap differs
             ["", "荣誉", "", 5, None]]  # code and text missing
    quotas = [["没有的学校", "高级教师", 1], [school.name, "特级教师", 1],
              [school.name, "高级教师", "x"], [school.name, "一级教师", 1],
              [school.name, "一级教师", 2]]
    code, _out, err = run(tmp_path, year.year, workbook(items, quotas))
    assert code == 1
    lines = err.splitlines()
    for row, column in [(3, "项目编号"), (4, "单项上限"), (5, "单项上限"), (6, "单项上限"),
                        (7, "类别上限"), (8, "项目编号"), (8, "项目")]:
        assert any(line.startswith(f"评分细则 row {row},") and column in line
                   for line in lines), (row, column, err)
    for row, column in [(2, "单位"), (3, "申报级别"), (4, "推荐职数"), (6, "单位")]:
        assert any(line.startswith(f"职数 row {row},") and column in line for line in lines), (
            row, column, err)
    assert not any(line.startswith(("评分细则 row 2,", "职数 row 5,")) for line in lines)
    assert not TitleTable.objects.exists()
    assert not TitleQuota.objects.exists()


def test_a_quota_below_the_units_extra_places_is_a_row_error(tmp_path, county_user, year,
                                                              school):
    held = TitleQuota.objects.create(year=year, school=school, level=TitleLevel.SENIOR,
                                     recommended=1)
    extra = services.extra_create(by=county_user, year=year, level=TitleLevel.SENIOR, count=2,
                                  document_number="市职改〔2027〕12号", date=year.created_at.date())
    services.extra_allocate(by=county_user, extra=extra, counts={held.pk: 2})

    code, _out, err = run(tmp_path, year.year, workbook(quotas=[[school.name, "高级教师", 1]]))
    assert code == 1
    assert "职数 row 2, 推荐职数" in err and "holds 2 places of extra quotas" in err
    held.refresh_from_db()
    assert held.recommended == 3  # as the extra places left it: nothing written
    assert run(tmp_path, year.year, workbook(quotas=[[school.name, "高级教师", 2]]))[0] == 0


def test_a_missing_sheet_or_column_is_an_error(tmp_path, year):
    code, _out, err = run(tmp_path, year.year, workbook(sheets={"评分细则"}))
    assert code == 1 and "职数" in err
    data = wb.workbook_bytes([
        wb.SheetSpec("评分细则", ["项目编号", "类别", "项目"], [["A", "b", "c"]]),
        wb.SheetSpec("职数", QUOTA_HEADERS, [])])
    code, _out, err = run(tmp_path, year.year, data)
    assert code == 1 and "单项上限" in err


def test_a_file_that_is_not_a_workbook_exits_1(tmp_path, year):
    code, _out, err = run(tmp_path, year.year, b"not a workbook")
    assert code == 1 and "xlsx" in err


def test_the_county_is_named_only_when_there_are_several(tmp_path, year):
    other = CountyFactory(name="别的县")
    TownshipFactory(county=other)
    with pytest.raises(Exception, match="--county"):
        run(tmp_path, year.year, workbook())
    code, _out, _err = run(tmp_path, year.year, workbook(), "--county", year.county.name)
    assert code == 0
    with pytest.raises(Exception, match="no title year"):
        run(tmp_path, 1999, workbook(), "--county", year.county.name)


def test_dry_run_writes_nothing(tmp_path, year):
    code, out, _err = run(tmp_path, year.year, workbook(), "--dry-run")
    assert code == 0 and "dry run" in out
    assert not TitleTable.objects.exists()


def test_importing_again_before_scores_replaces_the_table_and_keeps_the_old_version(
        tmp_path, year):
    run(tmp_path, year.year, workbook())
    code, out, _err = run(tmp_path, year.year, workbook(items=[["Z1", "荣誉", "新表", 8, None]]))
    assert code == 0 and "replaces version 1" in out
    assert list(year.tables.values_list("version", flat=True)) == [2, 1]
    assert list(TitleItem.objects.filter(table__version=1).values_list("code", flat=True)) == [
        "A1", "B1", "B2"]
    from evaluation.selectors import titles as title_selectors
    assert [i.code for i in title_selectors.items_of(title_selectors.current_table(year))] == [
        "Z1"]


def test_importing_after_a_score_is_refused_with_a_clear_message(tmp_path, year, school):
    run(tmp_path, year.year, workbook())
    table = TitleTable.objects.get(year=year)
    scores(candidate(year, school=school), table, A1="5")
    code, _out, err = run(tmp_path, year.year, workbook())
    assert code == 1
    assert "Scores have been entered for this year" in err
    assert year.tables.count() == 1


def upload(client, year, data, name="细则.xlsx"):
    return client.post(reverse("evaluation:titles_table_import", args=[year.pk]),
                       {"workbook": SimpleUploadedFile(name, data)}, follow=True)


def test_the_browser_upload_previews_then_confirms_once(
        county_user, year, school, login, english_pages):
    client = login(county_user)
    page = upload(client, year, workbook(quotas=[[school.name, "高级教师", 1]]))
    record = TitleTableImport.objects.get()
    assert record.status == TitleTableImport.Status.PREVIEWED
    assert "Review it below" in page.content.decode()
    assert "教学质量奖" in page.content.decode()
    assert not TitleTable.objects.exists()
    confirm = reverse("evaluation:titles_table_confirm", args=[year.pk, record.pk])
    page = client.post(confirm, follow=True)
    assert "version 1 imported" in page.content.decode()
    page = client.post(confirm, follow=True)  # a double submit
    assert "already imported" in page.content.decode()
    assert year.tables.count() == 1
    assert TitleQuota.objects.get(year=year, school=school).recommended == 1


def test_the_browser_upload_shows_row_errors_and_imports_nothing(
        county_user, year, login, english_pages):
    client = login(county_user)
    page = upload(client, year, workbook(items=[["A1", "师德", "x", "abc", None]]))
    record = TitleTableImport.objects.get()
    assert record.status == TitleTableImport.Status.REJECTED
    body = page.content.decode()
    assert 'id="errors"' in body and "单项上限" in body
    errors = client.get(reverse("evaluation:titles_table_errors", args=[year.pk, record.pk]))
    assert errors.status_code == 200
    assert client.post(reverse("evaluation:titles_table_confirm", args=[year.pk, record.pk]),
                       follow=True).status_code == 200
    assert not TitleTable.objects.exists()


def test_a_score_entered_between_preview_and_confirm_refuses_the_import(
        county_user, year, school, login, english_pages):
    client = login(county_user)
    services.table_import(by=county_user, year=year, data=workbook())
    upload(client, year, workbook())
    record = TitleTableImport.objects.get()
    scores(candidate(year, school=school), year.tables.get(), A1="5")
    page = client.post(reverse("evaluation:titles_table_confirm", args=[year.pk, record.pk]),
                       follow=True)
    assert "can no longer be replaced" in page.content.decode()
    assert year.tables.count() == 1


def test_the_table_page_shows_groups_caps_and_old_versions(
        county_user, year, login, english_pages):
    services.table_import(by=county_user, year=year, data=workbook())
    services.table_import(by=county_user, year=year,
                          data=workbook(items=[["Z1", "荣誉", "新表", 8, None]]))
    client = login(county_user)
    body = client.get(reverse("evaluation:titles_table", args=[year.pk])).content.decode()
    assert "新表" in body and "教学质量奖" not in body
    old = client.get(reverse("evaluation:titles_table", args=[year.pk]) + "?version=1")
    assert "教学质量奖" in old.content.decode() and "at most 30.00 points" in old.content.decode()
    assert client.get(reverse("evaluation:titles_table", args=[year.pk]) + "?version=9"
                      ).status_code == 404


def test_a_closed_year_takes_no_table(tmp_path, county_user, year):
    services.year_close(by=county_user, year=year, document_number="x", reason="")
    code, _out, err = run(tmp_path, year.year, workbook())
    assert code == 1 and "closed this year" in err
    assert not TitleTable.objects.exists()
