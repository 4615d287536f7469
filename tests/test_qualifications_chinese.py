"""Teacher-qualification certification's pages in Chinese (zh-hans, the default): no
English word on the lists, an application (certified, failed), the entry form, the import
and its preview, the bulk confirmation, the reveals and the county office's home."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import rules
from evaluation.models import QualificationImport
from evaluation.services import qualifications as services
from staffing.workbook import SheetSpec, workbook_bytes

from . import qualifications_world, titles_world
from .page_text import english_words
from .qualifications_world import applicant_id, application

county, county_user = titles_world.county, titles_world.county_user
applications = qualifications_world.applications


def english_of(response):
    assert response.status_code == 200
    return english_words(response.content.decode())


@pytest.mark.usefixtures("media_root")
def test_the_pages_are_in_chinese(login, county, county_user, applications):
    certified = application(county, county_user, 7, passed=3)
    failed = application(county, county_user, 8)
    services.check_record(by=county_user, application=failed, step="certificates",
                          passed=False, note="学历不符")
    client = login(county_user)
    base = reverse("evaluation:qualification_list", args=[county.pk])
    for path in [f"{base}?state={s}" for s in ("certificates", "physical", "decision",
                                                "certified", "failed", "")] + [
            reverse("home"), reverse("evaluation:qualification", args=[certified.pk]),
            reverse("evaluation:qualification", args=[failed.pk]),
            reverse("evaluation:qualification", args=[applications[0].pk]),
            reverse("evaluation:qualification_new", args=[county.pk]),
            reverse("evaluation:qualification_import", args=[county.pk]),
            reverse("evaluation:qualification_id_views", args=[county.pk])]:
        assert english_of(client.get(path)) == set(), path
    assert english_of(client.post(reverse("evaluation:qualification_bulk", args=[county.pk]),
                                  {"step": "certificates", "outcome": "fail", "note": "缺证",
                                   "ids": [applications[0].pk]})) == set()
    assert english_of(client.post(reverse("evaluation:qualification_full_id",
                                          args=[certified.pk]))) == set()
    data = workbook_bytes([SheetSpec(rules.QUALIFICATION_SHEET,
                                     list(rules.QUALIFICATION_COLUMNS.values()),
                                     [["甲", applicant_id(20), "13800000000", "小学", "数学",
                                       "2026-03-01"], ["乙", "12", "x", "大学", "", "明天"]])])
    client.post(reverse("evaluation:qualification_import", args=[county.pk]),
                {"workbook": SimpleUploadedFile("申请.xlsx", data)})
    record = QualificationImport.objects.get()
    assert english_of(client.get(reverse("evaluation:qualification_import_preview",
                                         args=[record.pk]))) == set()
