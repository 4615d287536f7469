"""The office's roster import page: upload → preview → confirm, the error workbook, the
export and the template (spec/roster.md), through the views as a clerk uses them."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from schools.demo import SCHOOLS, roster_workbook
from schools.models import RosterImport, School, Staff

from .factories import StaffFactory
from .helpers import messages_of
from .helpers import roster_upload as upload
from .rosters import an_id, bad_id, roster, school_row, staff_row

pytestmark = pytest.mark.usefixtures("english_pages", "media_root")

DEMO_STAFF = sum(establishment for *_rest, establishment in SCHOOLS)


@pytest.fixture
def office(login, office_user):
    return login(office_user)


def test_a_valid_roster_is_previewed_then_imported_on_confirm(office, township):
    uploaded = upload(office, township, roster_workbook())
    record = RosterImport.objects.get()
    preview = office.get(uploaded["Location"])

    assert uploaded["Location"] == reverse("schools:roster_preview", args=[record.pk])
    assert record.status == RosterImport.Status.PREVIEWED
    assert record.original_name == "花名册.xlsx"
    assert preview.context["summary"]["schools_created"] == len(SCHOOLS)
    assert preview.context["summary"]["staff_created"] == DEMO_STAFF
    assert f'<td class="num" id="staff-created">{DEMO_STAFF}</td>' in preview.text
    assert "Confirm and import" in preview.text
    assert Staff.objects.count() == 0  # nothing written before the confirm

    confirmed = office.post(reverse("schools:roster_confirm", args=[record.pk]), follow=True)

    assert confirmed.redirect_chain[-1][0] == reverse("schools:roster_import")
    assert messages_of(confirmed) == [
        f"Roster imported into 葛石镇. Schools created: {len(SCHOOLS)}; "
        f"staff created: {DEMO_STAFF}; staff updated: 0."
    ]
    assert Staff.objects.filter(school__township=township).count() == DEMO_STAFF
    record.refresh_from_db()
    assert record.status == RosterImport.Status.COMMITTED
    assert "imported" in confirmed.text  # the past uploads list shows the status


def test_a_second_confirm_is_refused_and_changes_nothing(office, township):
    upload(office, township, roster_workbook())
    record = RosterImport.objects.get()
    office.post(reverse("schools:roster_confirm", args=[record.pk]))
    staff_before = Staff.objects.count()

    again = office.post(reverse("schools:roster_confirm", args=[record.pk]), follow=True)

    assert messages_of(again)[-1] == "This upload was already imported."
    assert Staff.objects.count() == staff_before
    assert "Confirm and import" not in again.text


def test_preview_lists_at_most_200_changes_and_counts_the_rest(office, township):
    upload(office, township, roster_workbook())

    preview = office.get(reverse("schools:roster_preview", args=[RosterImport.objects.get().pk]))

    assert len(preview.context["changes"]) == 200
    more = len(SCHOOLS) + DEMO_STAFF - 200
    assert f"and {more} more changes" in preview.text


def test_preview_shows_each_changed_value(office, township, school):
    person = StaffFactory(school=school, resident_id=an_id(7), name="张伟", title="一级教师")
    data = roster(staff=[staff_row(rid=person.resident_id, title="高级教师")])

    upload(office, township, data)
    preview = office.get(reverse("schools:roster_preview", args=[RosterImport.objects.get().pk]))

    assert "职称: <del>一级教师</del> → <ins>高级教师</ins>" in preview.text
    assert preview.context["summary"]["staff_updated"] == 1


def test_a_bad_row_is_listed_with_its_row_and_column_and_cannot_be_confirmed(office, township):
    data = roster(
        staff=[staff_row(name="张伟", rid=an_id(1)), staff_row(name="李娜", rid=bad_id(), sex="男")]
    )

    uploaded = upload(office, township, data)
    record = RosterImport.objects.get()
    preview = office.get(uploaded["Location"])

    assert record.status == RosterImport.Status.REJECTED
    assert "has 1 wrong row; nothing will be imported" in messages_of(preview)[0]
    [error] = preview.context["errors"]
    assert (error.sheet, error.row, error.column) == ("教职工", 3, "身份证号")
    assert '<td>教职工</td><td class="num">3</td><td>身份证号</td>' in preview.text
    assert "Confirm and import" not in preview.text

    refused = office.post(reverse("schools:roster_confirm", args=[record.pk]), follow=True)

    assert messages_of(refused) == ["This upload has errors and cannot be imported."]
    assert not Staff.objects.exists() and not School.objects.filter(name="夏庄完小").exists()


def test_a_rejected_upload_downloads_its_rows_with_an_error_column(office, township):
    data = roster(
        staff=[staff_row(name="张伟", rid=an_id(1)), staff_row(name="李娜", rid=bad_id(), sex="男")]
    )
    upload(office, township, data)
    record = RosterImport.objects.get()

    response = office.get(reverse("schools:roster_errors", args=[record.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["教职工"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "错误"
    assert rows[1][0] == "张伟" and not rows[1][-1]
    assert rows[2][0] == "李娜" and rows[2][-1].startswith("身份证号: ")


def test_a_clean_upload_has_no_error_workbook(office, township):
    upload(office, township, roster())

    response = office.get(reverse("schools:roster_errors", args=[RosterImport.objects.get().pk]))

    assert response.status_code == 404


def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(office, township, media_root):
    response = upload(office, township, "姓名,身份证号\n张伟,1\n".encode(), name="roster.csv")

    assert response.status_code == 200
    assert "This is not an Excel workbook (.xlsx)" in response.text
    assert messages_of(response) == ["The file was not uploaded; see the reason below."]
    assert not RosterImport.objects.exists()
    assert list(media_root.rglob("*")) == []


def test_a_file_that_is_too_large_is_refused_with_a_clear_message(
    office, township, settings, media_root
):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1024

    response = upload(office, township, roster_workbook())

    assert "the largest accepted is" in response.text
    assert not RosterImport.objects.exists()
    assert list(media_root.rglob("*")) == []


def test_the_import_page_lists_past_uploads_with_who_when_and_status(office, township, office_user):
    upload(office, township, roster(), name="九月.xlsx")
    upload(office, township, roster(staff=[staff_row(rid=bad_id(), sex="男")]), name="十月.xlsx")

    page = office.get(reverse("schools:roster_import"))

    assert [(r.original_name, r.status, r.uploaded_by) for r in page.context["imports"]] == [
        ("十月.xlsx", RosterImport.Status.REJECTED, office_user),
        ("九月.xlsx", RosterImport.Status.PREVIEWED, office_user),
    ]
    assert "has errors, nothing imported" in page.text
    assert "previewed, not yet imported" in page.text


def test_export_downloads_the_townships_roster_named_by_township_and_date(office, township, school):
    StaffFactory(school=school, name="张伟", phone="=1+2")

    response = office.get(reverse("schools:roster_export", args=[township.pk]))

    today = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert (
        f"filename*=UTF-8''{quote(f'花名册-葛石镇-{today}.xlsx')}"
        in response["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["学校", "教职工"]
    staff_rows = list(book["教职工"].iter_rows(values_only=True))
    assert staff_rows[1][0] == "张伟"
    assert staff_rows[1][-1] == "=1+2"
    assert book["教职工"].cell(row=2, column=11).data_type == "s"  # text, not a formula


def test_the_export_imports_back_unchanged(office, township, school):
    StaffFactory.create_batch(3, school=school)
    exported = office.get(reverse("schools:roster_export", args=[township.pk])).content

    upload(office, township, exported)

    summary = RosterImport.objects.get().summary
    changed = summary["staff_created"] + summary["staff_updated"]
    assert (changed, summary["staff_unchanged"]) == (0, 3)


def test_the_template_has_the_roster_headers_and_no_rows(office):
    response = office.get(reverse("schools:roster_template"))

    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["学校"][1]] == ["学校名称", "学校类型", "是否偏远", "编制数"]
    assert [c.value for c in book["教职工"][1]][:3] == ["姓名", "身份证号", "性别"]
    assert book["教职工"].max_row == 1
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_a_preview_of_a_committed_upload_shows_what_was_imported(office, township):
    upload(office, township, roster(schools=[school_row()], staff=[staff_row()]))
    record = RosterImport.objects.get()
    office.post(reverse("schools:roster_confirm", args=[record.pk]))

    preview = office.get(reverse("schools:roster_preview", args=[record.pk]))

    assert preview.context["summary"]["staff_created"] == 1
    assert "Confirm and import" not in preview.text
    assert "imported by office" in preview.text
