"""Nothing in English on the title year's zh-hans pages (issue 10, item 16): the county
office's pages and the public page, with every record of the part shown."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import TitleDocument, TitleTableImport
from evaluation.services import title_years as services

from . import titles_world
from .page_text import english_words
from .titles_world import candidate, quota, scores, table
from .titles_world import table_workbook as workbook

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = pytest.mark.django_db


def test_the_title_year_pages_in_chinese(client, county_user, year, school, login):
    the_table = table(year)
    the_quota = quota(year, school, recommended=1, posts=3)
    person = candidate(year, school=school, lesson="80")
    scores(person, the_table, A1="5")
    services.ratios_set(by=county_user, year=year, ratios={"一级教师": None})
    extra = services.extra_create(by=county_user, year=year, level=the_quota.level, count=1,
                                  document_number="市职改〔2027〕12号", date=date(2027, 4, 8))
    services.extra_allocate(by=county_user, extra=extra, counts={the_quota.pk: 1})
    document = services.document_save(by=county_user, year=year, document=TitleDocument(
        year=year, title="实施方案", number="县职改〔2027〕3号", date=date(2027, 3, 5),
        text="正文", published=True))
    services.summary_save(by=county_user, year=year, candidate=person, text="主要业绩",
                          published=True)
    services.publication_set(by=county_user, year=year, quotas=True, method=True, results=True)
    objection = services.objection_submit(year=year, text="异议")
    services.objection_answer(by=county_user, objection=objection, answer="答复",
                              published=True)
    office = login(county_user)
    wrong = workbook(items=[["A1", "师德", "x", "y", None]])
    office.post(reverse("evaluation:titles_table_import", args=[year.pk]),
                {"workbook": SimpleUploadedFile("细则.xlsx", wrong)})
    record = TitleTableImport.objects.get()
    pages = [reverse(name, args=args) for name, args in [
        ("evaluation:titles", []), ("evaluation:titles_year", [year.pk]),
        ("evaluation:titles_year_history", [year.pk]), ("evaluation:titles_table", [year.pk]),
        ("evaluation:titles_table_import", [year.pk]),
        ("evaluation:titles_table_preview", [year.pk, record.pk]),
        ("evaluation:titles_quotas", [year.pk]),
        ("evaluation:titles_quota", [year.pk, the_quota.pk]),
        ("evaluation:titles_extras", [year.pk]), ("evaluation:titles_extra", [year.pk, extra.pk]),
        ("evaluation:titles_extra_history", [year.pk, extra.pk]),
        ("evaluation:titles_documents", [year.pk]),
        ("evaluation:titles_document", [year.pk, document.pk]),
        ("evaluation:titles_summaries", [year.pk]),
        ("evaluation:titles_summary", [year.pk, person.pk]),
        ("evaluation:titles_publication", [year.pk]), ("evaluation:titles_objections", [year.pk]),
        ("evaluation:titles_objection", [year.pk, objection.pk]),
        ("evaluation:titles_close", [year.pk]), ("evaluation:titles_public", [year.pk])]]
    found = {}
    for path in pages:
        response = office.get(path)
        assert response.status_code == 200, path
        words = english_words(response.content.decode())
        if words:
            found[path] = words
    assert found == {}
