import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from staffing import workbook as wb

pytestmark = pytest.mark.usefixtures("english")


def test_text_that_is_not_a_workbook_is_refused():
    with pytest.raises(wb.WorkbookError, match="not an Excel workbook"):
        wb.check_upload(b"name,id\n")


def test_a_csv_renamed_zip_without_workbook_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(wb.WorkbookError, match="not an Excel workbook"):
        wb.check_upload(buffer.getvalue())


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(wb.WorkbookError, match="largest accepted"):
        wb.check_upload(b"PK\x03\x04" + b"0" * 2048, max_bytes=1024)


def test_a_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 2**20))
    with pytest.raises(wb.WorkbookError, match="far larger once unpacked"):
        wb.check_upload(buffer.getvalue())


def test_headers_match_after_trimming_half_and_full_width_spaces():
    headers = [" 姓名\u3000", "\u3000身份证号 "]
    data = wb.workbook_bytes([wb.SheetSpec("表", headers, [["甲", "1"]])])
    rows = wb.read_sheet(wb.open_workbook(data), "表", {"name": "姓名", "id": "身份证号"}, ["id"])
    assert rows.errors == []
    assert rows.rows == [(2, {"name": "甲", "id": "1"})]


def test_a_missing_required_header_is_one_error_on_row_one():
    data = wb.workbook_bytes([wb.SheetSpec("表", ["姓名"], [["甲"]])])
    rows = wb.read_sheet(wb.open_workbook(data), "表", {"name": "姓名", "id": "身份证号"}, ["id"])
    assert [(e.row, e.column) for e in rows.errors] == [(1, "身份证号")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2001-09-01", date(2001, 9, 1)),
        ("2001.9.1", date(2001, 9, 1)),
        ("2001/9/1", date(2001, 9, 1)),
        ("2001年9月1日", date(2001, 9, 1)),
        ("20010901", date(2001, 9, 1)),
        ("2001-09", date(2001, 9, 1)),
        ("2001.09", date(2001, 9, 1)),
        ("2001/9", date(2001, 9, 1)),
        ("2001年9月", date(2001, 9, 1)),
    ],
)
def test_dates_in_the_spellings_offices_use(text, expected):
    assert wb.parse_date(text, month_ok=True) == expected


@pytest.mark.parametrize("text", ["2001-13-01", "去年", "2001-02-30", "2001-09"])
def test_unreadable_dates_say_so(text):
    with pytest.raises(wb.ValueProblem, match="not a date"):
        wb.parse_date(text)


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx"])
def test_formula_looking_cells_are_written_as_text_and_read_back_unchanged(value):
    data = wb.workbook_bytes([wb.SheetSpec("表", ["备注"], [[value]])])
    sheet = load_workbook(io.BytesIO(data))["表"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix
    assert sheet["A2"].value == value


def test_id_columns_are_text_formatted():
    data = wb.workbook_bytes(
        [wb.SheetSpec("表", ["身份证号"], [["110105194912310021"]],
                      text_columns=frozenset({"身份证号"}))]
    )
    cell = load_workbook(io.BytesIO(data))["表"]["A2"]
    assert cell.number_format == "@"
    assert cell.value == "110105194912310021"


def test_error_lines_give_one_line_per_wrong_row():
    errors = [
        wb.RowError("教职工", 3, "身份证号", "checksum digit is wrong"),
        wb.RowError("教职工", 3, "性别", "does not agree"),
        wb.RowError("学校", 2, "编制数", "required"),
    ]
    lines = wb.error_lines(errors)
    assert lines == [
        "学校 row 2, 编制数: required",
        "教职工 row 3, 身份证号: checksum digit is wrong; 性别: does not agree",
    ]
