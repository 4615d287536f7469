"""Issue 10, item 11: the outcome counts everyone on the township's staff — hired (by how),
placed after training, each explained status, the unhired — and its totals add up to the
staff; the page and the workbook use the same words (落聘, never 未聘).

The outcome world of tests/outcome_world.py, taken on into phase 7: two staff retire, one
is seconded, 东张完小's vice principal passes the training and is assigned to a short
school's free seat."""

import io

import pytest
from openpyxl import load_workbook

from recruitment.phases import UNHIRED
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import unhired as unhired_services
from schools.models import Staff

from . import outcome_world
from .helpers import open_phase, person, text, url

cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done


@pytest.fixture
def phase7(done, office_user, people, posts, school, other_school):
    open_phase(done, office_user, UNHIRED)
    for name, reason in (("退休甲", "退休"), ("退休乙", " 退休 "), ("借调丙", "借调")):
        unhired_services.unhired_explain(by=office_user, cycle=done,
                                         staff=person(other_school, name), reason=reason)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=done, staff=people["vice"])
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=75)
    unhired_services.trainee_assign(by=office_user, enrolment=enrolment,
                                    post=posts["there"][1])
    return done


def headcount(page: str) -> dict[str, str]:
    table = page.split('id="headcount"')[1].split("</section>")[0]
    lines = {}
    for row in table.split("<tr")[1:]:
        label = row.split("<th")[1].split(">", 1)[1].split("</th>")[0].strip()
        lines[label] = row.split('class="num">')[1].split("<")[0].strip()
    return lines


def test_the_headcount_adds_up_to_the_township_staff(login, office_user, phase7, township):
    page = text(login(office_user).get(url("outcome", phase7)))  # zh-hans, the default

    lines = headcount(page)
    staff = Staff.objects.filter(school__township=township).count()
    unhired = unhired_selectors.unhired(phase7).count()
    assert lines == {
        "学校选聘": "1", "镇教办统一调配": "1", "调度会调配": "0", "培训合格后分配": "1",
        "任命": "0",
        "情况说明：退休": "2", "情况说明：借调": "1", "落聘": str(unhired),
        "合计：全镇教职工": str(staff),
    }
    assert 1 + 1 + 1 + 2 + 1 + unhired == staff
    assert "未聘" not in page


def test_each_school_row_adds_up_to_its_roster(login, office_user, phase7, school,
                                               other_school):
    result = login(office_user).get(url("outcome", phase7)).context["result"]

    for row in [*result.schools, result.township]:
        assert row.staff == row.own_kept + row.moved_out + row.explained + row.unhired
        assert row.filled == row.own_kept + row.moved_in
    there = next(r for r in result.schools if r.school == other_school)
    assert (there.staff, there.explained, there.filled, there.trained) == (
        other_school.staff.count(), 3, 1, 1)


def test_the_workbook_counts_everyone_with_the_pages_words(login, office_user, phase7):
    client = login(office_user)
    page = headcount(text(client.get(url("outcome", phase7))))
    book = load_workbook(io.BytesIO(client.get(url("outcome_export", phase7)).content),
                         read_only=True)

    rows = list(book["人数"].iter_rows(values_only=True))
    assert rows[0] == ("类别", "人数")
    sheet = {label: str(count) for label, count in rows[1:-1]}
    assert sheet == {k: v for k, v in page.items() if not k.startswith("合计")}
    assert rows[-1] == ("合计", int(page["合计：全镇教职工"]))
    headers = next(book["结果"].iter_rows(values_only=True))
    assert headers[-2:] == ("情况说明", "落聘") and "未聘" not in headers
    township = list(book["结果"].iter_rows(values_only=True))[-1]
    assert township[1] == int(page["合计：全镇教职工"])
