"""Issue 8, items 1–4: one cell or one file must not take the server down.

1. numbers from cells are parsed with bounded work and range-checked (a row error);
2. rows per sheet and wrong rows per file are capped, the unpacked-size and ratio limits
   fit a real roster, a preview is kept at upload (the file is not parsed per view) and
   shows a page of errors, the error workbook has them all;
3. an upload over the limit is refused before it is read, giving its real size;
4. a parser's exception text is never shown; the posts page says 岗位表, not 花名册.
"""

import io
import os
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.http import multipartparser
from django.test import Client
from django.urls import resolve, reverse
from openpyxl import load_workbook

from recruitment.models import Post
from recruitment.services import posts as posts_services
from schools import services
from schools.models import RosterImport, School, Staff
from staffing import workbook as wb
from tests.rosters import an_id, bad_id, roster, school_row, staff_row

from .factories import adopted_cycle
from .helpers import messages_of, posts_upload, roster_upload, url
from .helpers import posts_sheet as sheet

# English messages for the direct calls; a page is in the language its request asks for.
pytestmark = pytest.mark.usefixtures("media_root", "english")

PLACEHOLDER = 987654321  # a number cell whose XML a test rewrites



@pytest.fixture
def cycle(office_user, township, school, other_school):
    """Phase 5 open; 夏庄完小 (``school``) may set 4 seats (as on the posts pages)."""
    return adopted_cycle(office=office_user, township=township, quotas={school.pk: 4})

@pytest.fixture
def office(login, office_user, english_pages):
    return login(office_user)


@pytest.fixture
def principal(login, principal_user, english_pages):
    return login(principal_user)


def rewrite(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with ``old`` replaced by ``new`` in every worksheet's XML: a cell
    value no spreadsheet program would write but a hand-made file may hold."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                content = content.replace(old, new)
            target.writestr(entry, content)
    return out.getvalue()


def number_cell(data: bytes, text: str) -> bytes:
    return rewrite(data, f"<v>{PLACEHOLDER}</v>".encode(), f"<v>{text}</v>".encode())


def inflated(data: bytes, *, unpacked: int, ratio: int) -> bytes:
    """``data`` with a worksheet of about ``unpacked`` bytes of repeated rows (it
    compresses to almost nothing) and random bytes stored as they are, enough to bring
    the file's unpacked size to ``ratio`` times its own."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet_xml = row * (unpacked // len(row))

    def build(padding: int) -> bytes:
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in source.infolist():
                target.writestr(entry, source.read(entry))
            target.writestr("xl/worksheets/big.xml", sheet_xml)
            target.writestr(zipfile.ZipInfo("xl/media/padding.bin"), os.urandom(padding),
                            compress_type=zipfile.ZIP_STORED)
        return out.getvalue()

    bare = build(0)
    padding = max((unpacked_size(bare) - ratio * len(bare)) // (ratio - 1), 0)
    return build(padding)


def unpacked_size(data: bytes) -> int:
    return sum(e.file_size for e in zipfile.ZipFile(io.BytesIO(data)).infolist())


def record_of(response):
    return RosterImport.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


# --- 1. numbers: bounded work, range-checked -------------------------------------------


@pytest.mark.parametrize("value", ["1e1000000", "1E6", "9" * 21, float("nan"), True, "12.5",
                                   "１２x", "inf"])
def test_a_number_cell_that_is_not_plain_digits_is_not_a_whole_number(value):
    with pytest.raises(wb.ValueProblem, match="is not a whole number"):
        wb.parse_whole_number(value, maximum=100)


@pytest.mark.parametrize("value, expected", [("12", 12), (" 12.0 ", 12), (12, 12), (12.0, 12),
                                             ("１２", 12), ("+7", 7)])
def test_whole_numbers_in_the_spellings_cells_give_them(value, expected):
    assert wb.parse_whole_number(value, maximum=100) == expected


@pytest.mark.parametrize("value", [1e300, float("inf"), "10001", 10_001])
def test_a_whole_number_above_the_columns_maximum_is_refused(value):
    with pytest.raises(wb.ValueProblem, match="must be at most 10,000"):
        wb.parse_whole_number(value, maximum=10_000)


@pytest.mark.parametrize("cell", ["text", "number"])
def test_an_establishment_of_1e1000000_is_a_row_error_and_never_a_500(office, township, cell):
    value = "1e1000000" if cell == "text" else PLACEHOLDER
    data = roster(schools=[school_row(establishment=value)], staff=[])
    if cell == "number":  # read by openpyxl as the float inf
        data = number_cell(data, "1e1000000")

    uploaded = roster_upload(office, township, data)
    record = record_of(uploaded)
    preview = office.get(uploaded["Location"])
    confirmed = office.post(reverse("schools:roster_confirm", args=[record.pk]), follow=True)

    [error] = preview.context["errors"]
    assert (error.sheet, error.row, error.column) == ("学校", 2, "编制数")
    assert error.reason == {"text": "“1e1000000” is not a whole number",
                            "number": "must be at most 10,000"}[cell]
    assert record.status == RosterImport.Status.REJECTED
    assert confirmed.status_code == 200
    assert messages_of(confirmed) == ["This upload has errors and cannot be imported."]
    assert not School.objects.filter(name="夏庄完小").exists()


def test_an_establishment_above_10000_is_a_row_error(office, township):
    data = roster(schools=[school_row(establishment=20_000)], staff=[])

    preview = office.get(roster_upload(office, township, data)["Location"])

    [error] = preview.context["errors"]
    assert (error.column, error.reason) == ("编制数", "must be at most 10,000")


@pytest.mark.parametrize("column, position", [("岗位序号", 0), ("周课时", 4), ("岗位数", 7)])
@pytest.mark.parametrize("cell", ["text", "number"])
def test_a_post_number_of_1e1000000_is_a_row_error(principal, cycle, school,
                                                   column, position, cell):
    row = [1, "教学岗", "三年级", "语文", 12, "", "", 1]
    row[position] = "1e1000000" if cell == "text" else PLACEHOLDER
    data = sheet(row)
    if cell == "number":
        data = number_cell(data, "1e1000000")

    uploaded = posts_upload(principal, cycle, school, data)
    preview = principal.get(uploaded["Location"])

    assert preview.status_code == 200
    [error] = preview.context["errors"]
    assert (error.row, error.column) == (2, column)
    largest = {"岗位序号": "9,999", "周课时": "60", "岗位数": "200"}[column]
    assert error.reason == {"text": "“1e1000000” is not a whole number",
                            "number": f"must be at most {largest}"}[cell]
    assert not Post.objects.exists()


def test_post_numbers_keep_the_forms_bounds(principal, cycle, school):
    client = principal
    data = sheet([10_000, "教学岗", "三年级", "语文", 61, "", "", 201])

    preview = client.get(posts_upload(client, cycle, school, data)["Location"])

    assert {(e.column, e.reason) for e in preview.context["errors"]} == {
        ("岗位序号", "must be at most 9,999"),
        ("周课时", "must be at most 60"),
        ("岗位数", "must be at most 200"),
    }


# --- 2. rows, errors and unpacked size capped; the preview kept ---------------------


def test_the_unpacked_size_limit_fits_a_roster_not_190_mib(settings):
    """A file that unpacks to 80 MiB at 120 times its size: well over a 50,000-row
    roster (30 MiB at 9 times), under the old limits (200 MiB, 200 times)."""
    data = inflated(roster(), unpacked=80 * 2**20, ratio=120)
    assert 64 * 2**20 < unpacked_size(data) < 200 * 2**20
    assert 100 < unpacked_size(data) / len(data) < 200

    with pytest.raises(wb.WorkbookError, match="far larger once unpacked than any roster"):
        wb.check_upload(data, kind="roster")


def test_the_ratio_limit_refuses_a_small_file_that_unpacks_150_times(settings):
    data = inflated(roster(), unpacked=30 * 2**20, ratio=150)
    assert 100 < unpacked_size(data) / len(data) < 200

    with pytest.raises(wb.WorkbookError, match="far larger once unpacked"):
        wb.check_upload(data)


def test_a_sheet_over_the_row_cap_is_refused_whole(office, township, settings, media_root):
    settings.WORKBOOK_MAX_ROWS = 5
    data = roster(staff=[staff_row(name=f"教师{n}", rid=an_id(2 * n - 1)) for n in range(1, 7)])

    response = roster_upload(office, township, data)

    assert response.status_code == 200
    assert ("Sheet 教职工 has more than 5 rows, more than any import needs; nothing was "
            "read. Split it or remove the rows below row 6.") in response.text
    assert not RosterImport.objects.exists()


def test_a_sheet_at_the_row_cap_is_read(office, township, settings):
    settings.WORKBOOK_MAX_ROWS = 5
    data = roster(staff=[staff_row(name=f"教师{n}", rid=an_id(2 * n - 1)) for n in range(1, 6)])

    record = record_of(roster_upload(office, township, data))

    assert record.status == RosterImport.Status.PREVIEWED
    assert record.summary["staff_created"] == 5


def test_checking_stops_at_the_error_cap_and_says_so(office, township, settings):
    settings.WORKBOOK_MAX_ERRORS = 3
    staff = [staff_row(name=f"教师{n}", rid=bad_id(n), sex="男") for n in range(1, 7)]

    uploaded = roster_upload(office, township, roster(staff=staff))
    preview = office.get(uploaded["Location"])

    assert preview.context["summary"]["wrong_rows"] == 3
    assert [e.row for e in preview.context["errors"]] == [2, 3, 4]
    assert ("Checking stopped after 3 wrong rows: from sheet 教职工 row 5 on, rows were not "
            "checked and there may be more errors.") in preview.text


def test_posts_checking_stops_at_the_error_cap(principal, cycle, school, settings):
    settings.WORKBOOK_MAX_ERRORS = 2
    client = principal
    data = sheet(*[[n, "值班岗", "", "", "", "", "", 1] for n in range(1, 6)])

    preview = client.get(posts_upload(client, cycle, school, data)["Location"])

    assert [e.row for e in preview.context["errors"]] == [2, 3]
    assert "Checking stopped after 2 wrong rows: from sheet 岗位 row 4 on" in preview.text


def test_the_preview_lists_a_page_of_errors_and_the_workbook_has_them_all(office, township):
    staff = [staff_row(name=f"教师{n}", rid=bad_id(n), sex="男") for n in range(1, 131)]

    uploaded = roster_upload(office, township, roster(staff=staff))
    preview = office.get(uploaded["Location"])
    download = office.get(reverse("schools:roster_errors", args=[record_of(uploaded).pk]))

    assert len(preview.context["errors"]) == wb.ERRORS_SHOWN == 100
    assert preview.text.count("checksum digit is wrong") == 100
    assert "and 30 more errors, all in the workbook of rows with their errors" in preview.text
    rows = list(load_workbook(io.BytesIO(download.content))["教职工"].iter_rows(values_only=True))
    assert sum("checksum digit is wrong" in (r[-1] or "") for r in rows[1:]) == 130


@pytest.fixture
def no_parsing(monkeypatch):
    """``no_parsing()``: from then on, opening a workbook fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed again")

    def start():
        monkeypatch.setattr(wb, "open_workbook", refuse)

    return start


def test_the_roster_preview_and_error_workbook_do_not_parse_the_file_again(
    office, township, no_parsing
):
    staff = [staff_row(name="张伟", rid=an_id(1)), staff_row(name="李娜", rid=bad_id(2), sex="男")]
    uploaded = roster_upload(office, township, roster(staff=staff))
    no_parsing()

    preview = office.get(uploaded["Location"])
    again = office.get(uploaded["Location"])
    download = office.get(reverse("schools:roster_errors", args=[record_of(uploaded).pk]))

    assert [(e.row, e.column) for e in preview.context["errors"]] == [(3, "身份证号")]
    assert again.status_code == download.status_code == 200


def test_a_clean_roster_preview_shows_its_changes_without_parsing(office, township, no_parsing):
    uploaded = roster_upload(office, township, roster(staff=[staff_row(name="张伟")]))
    no_parsing()

    preview = office.get(uploaded["Location"])

    assert [c["label"] for c in preview.context["changes"]] == ["夏庄完小", "张伟"]
    assert "Confirm and import" in preview.text


def test_the_posts_preview_and_error_workbook_do_not_parse_the_sheet_again(
    principal, cycle, school, no_parsing
):
    client = principal
    clean = posts_upload(client, cycle, school, sheet([1, "教学岗", "三年级", "语文", 12, "",
                                                         "", 1]))
    wrong = posts_upload(client, cycle, school, sheet([1, "值班岗", "", "", "", "", "", 1]))
    no_parsing()

    clean_preview = client.get(clean["Location"])
    wrong_preview = client.get(wrong["Location"])
    download = client.get(url("posts_import_errors", cycle, school.pk,
                              wrong_preview.context["token"]))

    assert "1 posts to add, 0 to change." in clean_preview.text
    assert [(e.row, e.column) for e in wrong_preview.context["errors"]] == [(2, "类别")]
    assert download.status_code == 200


# --- 3. an upload over the limit is refused before it is read --------------------------


@pytest.fixture
def no_import(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(services, "roster_import", refuse)
    monkeypatch.setattr(posts_services, "posts_import", refuse)


def test_a_roster_over_the_limit_is_refused_with_its_real_size(
    office, township, settings, media_root, no_import
):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024
    data = roster()
    assert 2 * 1024 < len(data) < 64 * 1024  # within the request's allowance: read by size

    response = roster_upload(office, township, data)

    size = wb.size_text(len(data), up=True)
    assert f"The file is {size}; the largest accepted is 1 KiB." in response.text
    assert not RosterImport.objects.exists()
    assert list(media_root.rglob("*")) == []


def test_a_request_far_over_the_limit_is_refused_before_its_body_is_parsed(
    office, township, settings, media_root, monkeypatch
):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024

    def refuse(self):
        raise AssertionError("the request's body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", refuse)

    response = roster_upload(office, township, os.urandom(200 * 1024))

    assert response.status_code == 200
    assert "The file is larger than 1 KiB, the largest accepted." in response.text
    assert messages_of(response) == ["The file was not uploaded; see the reason below."]
    assert not RosterImport.objects.exists()


def test_a_posts_sheet_over_the_limit_is_refused_before_it_is_read(
    principal, cycle, school, settings, media_root, no_import
):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024
    client = principal
    data = sheet([1, "教学岗", "三年级", "语文", 12, "", "", 1])

    small = posts_upload(client, cycle, school, data)
    large = posts_upload(client, cycle, school, os.urandom(100 * 1024))

    assert f"The file is {wb.size_text(len(data), up=True)}; the largest accepted is 1 KiB." in (
        small.text)
    assert "The file is larger than 1 KiB, the largest accepted." in large.text
    assert list(media_root.rglob("*")) == []


@pytest.fixture
def csrf_client(settings):
    """``csrf_client(user, page)``: a client that checks CSRF as a browser meets it (the
    test client does not), logged in as ``user``, holding the token ``page`` set; its
    pages in English."""

    def start(user, page):
        client = Client(enforce_csrf_checks=True)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        client.get(page)
        return client, client.cookies["csrftoken"].value

    return start


@pytest.fixture
def body_never_parsed(monkeypatch):
    def refuse(self):
        raise AssertionError("the request's body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", refuse)


def test_with_csrf_checked_a_roster_far_over_the_limit_is_refused_before_its_body_is_read(
    csrf_client, office_user, township, settings, media_root, body_never_parsed
):
    """CsrfViewMiddleware reads the POST before any view: the upload view checks the
    size before its own CSRF check."""
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024
    page = reverse("schools:roster_import")
    client, token = csrf_client(office_user, page)

    response = client.post(page, {"csrfmiddlewaretoken": token, "township": township.pk,
                                  "workbook": ContentFile(os.urandom(200 * 1024), name="a.xlsx")})

    assert response.status_code == 200
    assert "The file is larger than 1 KiB, the largest accepted." in response.text
    assert not RosterImport.objects.exists()


def test_with_csrf_checked_a_posts_sheet_far_over_the_limit_is_refused_before_it_is_read(
    csrf_client, principal_user, cycle, school, settings, media_root, body_never_parsed
):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024
    client, token = csrf_client(principal_user, url("school_posts", cycle, school.pk))

    response = client.post(url("posts_upload", cycle, school.pk), {
        "csrfmiddlewaretoken": token,
        "workbook": ContentFile(os.urandom(200 * 1024), name="a.xlsx")})

    assert response.status_code == 200
    assert "The file is larger than 1 KiB, the largest accepted." in response.text


def test_an_upload_within_the_limit_still_needs_its_csrf_token(csrf_client, office_user,
                                                                 township):
    page = reverse("schools:roster_import")
    client, token = csrf_client(office_user, page)
    upload = {"township": township.pk}

    refused = client.post(page, {**upload, "workbook": ContentFile(roster(), name="a.xlsx")})
    accepted = client.post(page, {**upload, "csrfmiddlewaretoken": token,
                                  "workbook": ContentFile(roster(), name="a.xlsx")})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert RosterImport.objects.count() == 1


@pytest.mark.parametrize("name, args", [
    ("schools:roster_import", []), ("recruitment:posts_upload", [1, 1]),
    ("recruitment:scores_upload", [1]), ("attendance:import", []),
    ("evaluation:exams_import", [1]),
])
def test_every_workbook_upload_checks_the_size_before_csrf(name, args):
    view = resolve(reverse(name, args=args)).func

    assert view.csrf_exempt
    assert view.__code__ is wb.upload_view(lambda request: None).__code__


@pytest.mark.parametrize("size, text", [(10 * 2**20, "10 MiB"), (10 * 2**20 + 1, "10.1 MiB"),
                                        (1536, "1.5 KiB"), (900, "900 bytes")])
def test_sizes_are_shown_in_binary_units_rounded_up(size, text):
    assert wb.size_text(size, up=True) == text


# --- 4. no parser text; the posts page names its own file ---------------------------


def broken_sheet_xml(data: bytes) -> bytes:
    """The workbook with its first worksheet's XML cut off halfway."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(entry, content)
    return out.getvalue()


def broken_workbook_xml(data: bytes) -> bytes:
    return rewrite_entry(data, "xl/workbook.xml", b"<workbook><sheets><sheet name=")


def rewrite_entry(data: bytes, name: str, content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, content if entry.filename == name else source.read(entry))
    return out.getvalue()


@pytest.mark.parametrize("damage", [broken_workbook_xml, broken_sheet_xml])
def test_a_file_openpyxl_cannot_read_is_refused_in_chinese_without_its_error_text(
    login, office_user, township, damage, caplog, media_root
):
    office = login(office_user)  # zh-hans pages

    response = roster_upload(office, township, damage(roster()))

    assert response.status_code == 200
    assert "工作簿中有无法读取的内容" in response.text
    assert "无法读取工作簿：" not in response.text
    assert "Error" not in response.text and "line 1" not in response.text
    assert not RosterImport.objects.exists()
    assert "workbook_unreadable" in caplog.text


def test_the_posts_page_refusal_names_the_posts_sheet_not_the_roster(
    login, principal_user, cycle, school, media_root
):
    client = login(principal_user)  # zh-hans pages
    data = inflated(sheet([1, "教学岗", "三年级", "语文", 12, "", "", 1]),
                    unpacked=30 * 2**20, ratio=150)

    response = posts_upload(client, cycle, school, data)

    assert "该工作簿解压后远大于任何岗位表可能的大小" in response.text
    assert "花名册" not in response.text


def test_the_roster_page_refusal_names_the_roster(login, office_user, township, media_root):
    office = login(office_user)
    data = inflated(roster(), unpacked=30 * 2**20, ratio=150)

    response = roster_upload(office, township, data)

    assert "该工作簿解压后远大于任何花名册可能的大小" in response.text


def test_a_clean_roster_still_imports(office, township):
    uploaded = roster_upload(office, township, roster(staff=[staff_row(name="张伟")]))
    office.post(reverse("schools:roster_confirm", args=[record_of(uploaded).pk]))

    assert Staff.objects.filter(name="张伟").exists()


def test_an_upload_kept_before_previews_were_is_checked_once_then_read_from_its_preview(
    office, township, office_user, no_parsing
):
    record = RosterImport(township=township, original_name="roster.xlsx",
                          status=RosterImport.Status.REJECTED, uploaded_by=office_user)
    record.file.save("roster.xlsx", ContentFile(roster(staff=[staff_row(rid=bad_id(),
                                                                        sex="男")])))
    page = reverse("schools:roster_preview", args=[record.pk])

    first = office.get(page)
    no_parsing()
    again = office.get(page)
    download = office.get(reverse("schools:roster_errors", args=[record.pk]))

    assert [(e.row, e.column) for e in first.context["errors"]] == [(2, "身份证号")]
    assert [(e.row, e.column) for e in again.context["errors"]] == [(2, "身份证号")]
    assert download.status_code == 200
