"""Teacher-qualification applications imported from a workbook (R13): the template, the
preview, the row errors and their workbook, all or nothing, a double confirm importing
once, a bounded number of queries, and only the county office."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import rules
from evaluation.models import QualificationApplication, QualificationImport
from staffing.workbook import SheetSpec, workbook_bytes

from . import titles_world
from .helpers import messages_of, text
from .qualifications_world import applicant_id, application

pytestmark = pytest.mark.usefixtures("english", "english_pages", "media_root")
county, county_user = titles_world.county, titles_world.county_user
HEADERS = list(rules.QUALIFICATION_COLUMNS.values())


def row(n, **extra):
    values = {"姓名": f"导入{n}", "身份证号": applicant_id(n), "联系电话": "13900000000",
              "资格种类": "小学", "任教学科": "数学", "申请日期": "2026-03-05", **extra}
    return [values[h] for h in HEADERS]


def sheet(*rows, headers=HEADERS):
    return workbook_bytes([SheetSpec(rules.QUALIFICATION_SHEET, headers, rows)])


def upload(client, county, data):
    return client.post(reverse("evaluation:qualification_import", args=[county.pk]),
                       {"workbook": SimpleUploadedFile("申请.xlsx", data)}, follow=True)


def test_the_template_has_the_columns(login, county, county_user):
    response = login(county_user).get(reverse("evaluation:qualification_import_template",
                                              args=[county.pk]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert next(book[rules.QUALIFICATION_SHEET].iter_rows(values_only=True)) == tuple(HEADERS)


def test_a_good_workbook_is_previewed_then_imported_once(login, county, county_user):
    client = login(county_user)
    response = upload(client, county, sheet(row(1), row(2), row(3)))
    record = QualificationImport.objects.get()
    assert record.status == "previewed"
    page = text(response)
    assert "3 applications" in " ".join(messages_of(response))
    assert "导入1" in page and applicant_id(1) not in response.content.decode()
    assert not QualificationApplication.objects.exists()
    confirm = reverse("evaluation:qualification_import_confirm", args=[record.pk])
    done = client.post(confirm, follow=True)
    assert "3 applications imported" in " ".join(messages_of(done))
    assert QualificationApplication.objects.filter(state="certificates",
                                                   entered_by=county_user).count() == 3
    again = client.post(confirm, follow=True)
    assert "already imported" in " ".join(messages_of(again))
    assert QualificationApplication.objects.count() == 3


def test_one_wrong_row_imports_nothing_and_every_error_is_named(login, county, county_user):
    application(county, county_user, 9)
    client = login(county_user)
    response = upload(client, county, sheet(
        row(1), row(2, 身份证号="421127199901011234"), row(3, 资格种类="大学"),
        row(4, 申请日期="2999-01-01"), row(5, 联系电话="无"), row(1), row(9), row(6, 姓名="")))
    record = QualificationImport.objects.get()
    assert record.status == "rejected"
    assert record.summary["wrong_rows"] == 7
    page = text(response)
    assert "checksum digit is wrong" in page
    assert "is not a certificate kind" in page
    assert "the same person and kind as row 2" in page
    assert "already has a standing application" in page
    errors = client.get(reverse("evaluation:qualification_import_errors", args=[record.pk]))
    rows = list(load_workbook(io.BytesIO(errors.content), read_only=True)[
        rules.QUALIFICATION_SHEET].iter_rows(values_only=True))
    assert rows[0][-1] == rules.QUALIFICATION_ERROR_HEADER and rows[1][-1] in ("", None)
    assert "资格种类" in rows[3][-1]
    assert QualificationApplication.objects.count() == 1
    assert client.post(reverse("evaluation:qualification_import_confirm", args=[record.pk]),
                       follow=True).status_code == 200
    assert QualificationApplication.objects.count() == 1


def test_a_missing_column_or_a_junk_file_is_refused(login, county, county_user):
    client = login(county_user)
    response = upload(client, county, sheet(row(1)[:-1], headers=HEADERS[:-1]))
    assert "required column is missing" in text(response)
    response = upload(client, county, b"not a workbook")
    assert response.status_code == 200
    assert not QualificationApplication.objects.exists()


def test_an_entry_between_preview_and_confirm_is_caught(login, county, county_user):
    client = login(county_user)
    upload(client, county, sheet(row(1), row(2)))
    record = QualificationImport.objects.get()
    application(county, county_user, 2)
    response = client.post(reverse("evaluation:qualification_import_confirm",
                                   args=[record.pk]), follow=True)
    assert "nothing was imported" in " ".join(messages_of(response))
    assert QualificationApplication.objects.count() == 1


def test_the_import_in_a_bounded_number_of_queries(login, county, county_user,
                                                  django_assert_max_num_queries):
    client = login(county_user)
    upload(client, county, sheet(*(row(n) for n in range(300))))
    record = QualificationImport.objects.get()
    with django_assert_max_num_queries(30):
        client.post(reverse("evaluation:qualification_import_confirm", args=[record.pk]))
    assert QualificationApplication.objects.count() == 300


def test_others_may_not_import(login, county, county_user, office_user, principal_user):
    login(county_user)
    upload(login(county_user), county, sheet(row(1)))
    record = QualificationImport.objects.get()
    for user in (office_user, principal_user):
        client = login(user)
        assert client.get(reverse("evaluation:qualification_import",
                                  args=[county.pk])).status_code == 403
        assert client.get(reverse("evaluation:qualification_import_preview",
                                  args=[record.pk])).status_code == 403
        assert client.post(reverse("evaluation:qualification_import_confirm",
                                   args=[record.pk])).status_code == 403
    assert not QualificationApplication.objects.exists()
