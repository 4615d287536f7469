"""Issue 10 item 10: the township-wide staff search, the proposals' search and filters,
the xlsx exports of a school's rankings and of the unhired, and a school's printable
hiring result (no resident IDs)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recruitment.phases import SELECTION, UNHIRED
from recruitment.services import allocation as allocation_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services
from schools.models import FullIdView, Staff
from schools.resident_id import mask

from .factories import HireFactory, SchoolFactory, StaffFactory, adopted_cycle
from .helpers import close_phase, open_phase, person, school_url, text, url

pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


def rows_of(response, sheet):
    return list(load_workbook(io.BytesIO(response.content))[sheet].values)


# --- the township-wide staff search -------------------------------------------------------


def test_the_office_searches_every_schools_staff(login, office_user, township, school,
                                                 other_school, teacher, foreign_school):
    music = StaffFactory(school=other_school, name="音乐丁", subject="音乐")
    StaffFactory(school=foreign_school, name="音乐外")
    client = login(office_user)
    search = reverse("schools:staff_search")

    by_name = client.get(search, {"q": "音乐"})
    by_tail = client.get(search, {"q": teacher.resident_id[-4:]})
    by_school = client.get(search, {"school": other_school.pk})
    by_subject = client.get(search, {"subject": "音乐"})

    assert [s.name for s in by_name.context["page"]] == ["音乐丁"]
    assert teacher in list(by_tail.context["page"])
    assert {s.school for s in by_school.context["page"]} == {other_school}
    assert list(by_subject.context["page"]) == [music]
    assert mask(music.resident_id) in text(by_name)
    assert music.resident_id not in text(by_name)


def test_a_teacher_may_not_search_the_staff(login, teacher_user):
    assert login(teacher_user).get(reverse("schools:staff_search")).status_code == 403


def test_the_staff_search_has_a_bounded_query_count(login, office_user, township,
                                                    django_assert_max_num_queries):
    for n in range(4):
        StaffFactory.create_batch(60, school=SchoolFactory(township=township, name=f"校{n}"))
    client = login(office_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("schools:staff_search"), {"q": "", "page": 2})

    assert response.context["page"].paginator.count == 240
    assert len(response.context["page"]) == 50


# --- a school's rankings, its printable result ------------------------------------------


@pytest.fixture
def hired(selecting, office_user, principal_user, posts, school, mover):
    """Phase 6, the layer closed: 青年丙 of 东张完小 is ranked 1 'hire' for 夏庄完小's
    post 1 (conftest's ``selecting``)."""
    selection_services.first_layer_close(by=office_user, cycle=selecting)
    return selecting


def test_the_rankings_export_masks_ids_for_the_committee_and_records_the_offices(
        login, office_user, principal_user, hired, school, mover):
    principal = login(principal_user).get(
        school_url(hired, school, "selection_rankings_export"))

    rows = rows_of(principal, "排序")
    assert rows[0][:4] == ("岗位序号", "岗位", "姓名", "身份证号")
    assert rows[1][2:4] == ("青年丙", mask(mover.resident_id))
    assert rows[1][10] == "聘用"
    assert not FullIdView.objects.exists()

    office = login(office_user).get(school_url(hired, school, "selection_rankings_export"))

    assert rows_of(office, "排序")[1][3] == mover.resident_id
    assert FullIdView.objects.get().viewer == office_user


def test_the_printable_result_lists_the_hires_without_ids(login, principal_user, hired,
                                                          school, teacher, posts):
    hire_teacher = Staff.objects.get(pk=teacher.pk)
    HireFactory(cycle=hired, staff=hire_teacher, post=posts["here"][1])

    response = login(principal_user).get(school_url(hired, school, "selection_print"))

    page = text(response)
    assert "Hiring result of 夏庄完小" in page
    assert "教师乙" in page and "data-print" in page and "js/print.js" in page
    assert hire_teacher.resident_id not in page and mask(hire_teacher.resident_id) not in page


# --- the unhired export, the proposals' filters -----------------------------------------


def test_the_unhired_export_holds_the_list_as_filtered(login, office_user, selecting, mover,
                                                       teacher):
    close_phase(selecting, office_user, SELECTION)
    open_phase(selecting, office_user, UNHIRED)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=selecting, staff=mover)
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=75)

    response = login(office_user).get(url("unhired_export", selecting), {"status": "passed"})

    rows = rows_of(response, "未聘人员")
    assert rows[1:] == [("青年丙", mover.resident_id, "东张完小", mover.subject, mover.title,
                         mover.age, "已参加", 75, "合格")]
    assert FullIdView.objects.get().rows == 1


def test_the_proposals_are_searched_and_filtered(login, office_user, layer_closed, posts,
                                                 other_school):
    selecting = layer_closed
    idle = person(other_school, "待岗戊", born=date(1980, 1, 1))
    allocation_services.dispatch_propose(by=office_user, cycle=selecting, staff=idle,
                                         post=posts["there"][0])
    client = login(office_user)

    by_name = client.get(url("proposals", selecting), {"q": "待岗"})
    by_source = client.get(url("proposals", selecting), {"source": "allocation"})

    assert [p.staff for p in by_name.context["page"]] == [idle]
    assert idle not in [p.staff for p in by_source.context["page"]]
