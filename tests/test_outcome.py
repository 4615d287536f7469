"""The outcome pages: the per-school and township figures, the charts drawn on the
server, the workbook, and each staff member's own result — as each role sees them.

The world, built through the services: at 夏庄完小 a teacher of its own is kept and
becomes a middle-level cadre, and a young teacher of 东张完小 moves in through the
office's allocation; 东张完小's vice principal, hired nowhere, loses the position when
the selection closes (R3); the rest of the staff are unhired."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recruitment.phases import INTENTIONS, SELECTION, UNHIRED
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services

from . import outcome_world
from .factories import StaffFactory
from .helpers import apply, close_phase, open_phase, person, url

# The outcome world's fixtures (tests/outcome_world.py).
cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done

pytestmark = pytest.mark.usefixtures("english_pages")


def figures(text, row_id):
    row = text.split(f'id="{row_id}"')[1].split("</tr>")[0]
    return [cell.split(">")[1].split("<")[0].strip() for cell in row.split('class="num')[1:]]


def unhired_at(cycle, school):
    return unhired_selectors.unhired(cycle).filter(school=school).count()


# --- the figures ------------------------------------------------------------------------------


def test_the_office_sees_every_school_and_the_township(login, office_user, done, school,
                                                       other_school):
    response = login(office_user).get(url("outcome", done))

    # staff, seats, filled, of which after training, own kept, moved in, moved out,
    # new cadres, cadres lost, appointed heads (none in this world: no 校长 position is on
    # its roster), explained, unhired
    here, there = school.staff.count(), other_school.staff.count()
    assert figures(response.text, f"outcome-{school.pk}") == [
        str(here), "5", "2", "0", "1", "1", "0", "1", "0", "0", "0",
        str(unhired_at(done, school))]
    assert figures(response.text, f"outcome-{other_school.pk}") == [
        str(there), "4", "0", "0", "0", "0", "1", "0", "1", "0", "0",
        str(unhired_at(done, other_school))]
    assert figures(response.text, "outcome-township") == [
        str(here + there), "9", "2", "0", "1", "1", "1", "1", "1", "0", "0",
        str(unhired_selectors.unhired(done).count())]
    assert 'id="provisional"' in response.text  # phase 7 has not closed


def test_a_principal_sees_their_school_and_the_township_only(login, principal_user, done,
                                                             school, other_school):
    response = login(principal_user).get(url("outcome", done))

    assert f'id="outcome-{school.pk}"' in response.text
    assert f'id="outcome-{other_school.pk}"' not in response.text
    assert figures(response.text, "outcome-township")[1:3] == ["9", "2"]


@pytest.mark.parametrize("who", ["teacher_user"])
def test_a_teacher_does_not_see_the_outcome_of_schools(request, login, done, who):
    client = login(request.getfixturevalue(who))

    assert client.get(url("outcome", done)).status_code == 403
    assert client.get(url("outcome_export", done)).status_code == 403


def test_another_township_does_not_find_the_outcome(login, foreign_office, done):
    assert login(foreign_office).get(url("outcome", done)).status_code == 404
    assert login(foreign_office).get(url("outcome_export", done)).status_code == 404


# --- the charts -------------------------------------------------------------------------------


def bars(svg: str) -> dict[str, str]:
    """Each bar's title ("After · <30") → its value, from the chart's markup."""
    found = {}
    for part in svg.split("<rect ")[1:]:
        if "<title>" in part.split("</rect>")[0]:
            title = part.split("<title>")[1].split("</title>")[0]
            label, value = title.rsplit(": ", 1)
            found[label.replace("&lt;", "<")] = value
    return found


def test_the_charts_are_inline_svg_with_the_right_bars(login, office_user, done, school,
                                                       people):
    response = login(office_user).get(url("outcome", done) + f"?school={school.pk}")

    charts = response.text.split('id="charts"')[1].split("</section>")[0]
    # No script at all on the page, and nothing fetched from another host (a CDN):
    # every src and href is a path on this server.
    assert "<script" not in response.text
    assert not re.search(r'(?:src|href)="(?:https?:)?//', response.text)
    figures_ = charts.split("<figure")[1:]
    assert [f.split("<figcaption>")[1].split("</figcaption>")[0] for f in figures_] == [
        "the township", "夏庄完小"]
    school_ages, school_subjects = figures_[1].split("</svg>")[:2]
    assert school_ages.count("<svg") == 1 and 'role="img"' in school_ages
    assert "Age structure, 夏庄完小" in school_ages
    ages = bars(school_ages)
    assert (ages["After · <30"], ages["After · 40–49"], ages["After · 30–39"]) == ("1", "1", "0")
    subjects = bars(school_subjects)
    assert (subjects["After · 语文"], subjects["Before · 语文"]) == (
        "2", str(school.staff.filter(subject="语文").count()))


def test_a_principal_sees_the_charts_of_their_school(login, principal_user, done):
    response = login(principal_user).get(url("outcome", done))

    charts = response.text.split('id="charts"')[1]
    assert charts.count("<svg") == 4  # the township's two, the school's two


# --- the workbook -----------------------------------------------------------------------------


def workbook(response):
    return load_workbook(io.BytesIO(response.content), read_only=True)


def test_the_office_exports_the_outcome(login, office_user, done, people):
    response = login(office_user).get(url("outcome_export", done))

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="outcome-2026.xlsx"; filename*=UTF-8\'\'')
    assert "%E7%AB%9E%E8%81%98%E7%BB%93%E6%9E%9C" in disposition  # 竞聘结果
    book = workbook(response)
    assert book.sheetnames == ["结果", "人数", "人员"]
    rows = list(book["结果"].iter_rows(values_only=True))
    assert rows[0][:4] == ("学校", "教职工", "岗位数", "已聘")
    assert rows[-1][2:] == (9, 2, 0, 1, 1, 1, 1, 1, 0, 0, unhired_selectors.unhired(done).count())
    people_rows = {r[0]: r for r in list(book["人员"].iter_rows(values_only=True))[1:]}
    assert people_rows["青年丙"][1:] == (people["mover"].resident_id, "东张完小", "夏庄完小", 3,
                                       "数学", "镇教办统一调配")
    assert people_rows["本校丁"][6] == "学校选聘"


def test_a_principals_export_masks_resident_ids(login, principal_user, done, people):
    response = login(principal_user).get(url("outcome_export", done))

    book = workbook(response)
    rows = list(book["结果"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["夏庄完小", "合计"]
    mover = {r[0]: r for r in book["人员"].iter_rows(values_only=True)}["青年丙"]
    assert mover[1] == people["mover"].masked_id != people["mover"].resident_id


def test_the_outcome_page_query_count_does_not_grow_with_rows(
        login, office_user, done, school, other_school, django_assert_max_num_queries):
    StaffFactory.create_batch(150, school=school)
    StaffFactory.create_batch(150, school=other_school)
    client = login(office_user)

    with django_assert_max_num_queries(17):  # with the schools before (home_schools)
        response = client.get(url("outcome", done) + f"?school={school.pk}")
    with django_assert_max_num_queries(19):  # with the full-ID export's record (2)
        client.get(url("outcome_export", done))

    assert response.context["result"].township.unhired >= 300


# --- a staff member's own result -------------------------------------------------------------


def test_a_teacher_sees_their_own_result_and_no_one_elses(login, done, people, posts):
    client = login(people["keeper"].user)

    response = client.get(url("my_result", done) + f"?staff={people['mover'].pk}")

    result = response.text.split('id="result"')[1].split("</section>")[0]
    assert "Hired at 夏庄完小" in result and "本校丁" in result
    assert "#1" in result and "值班" in result and "selected by the school" in result
    assert "青年丙" not in response.text


def test_a_mover_sees_how_they_got_there(login, done, people):
    response = login(people["mover"].user).get(url("my_result", done))

    result = response.text.split('id="result"')[1].split("</section>")[0]
    assert "Hired at 夏庄完小" in result and "allocated by the office" in result
    assert "数学" in result


def test_the_unhired_see_their_training_or_explained_status(login, office_user, done,
                                                            people, school):
    open_phase(done, office_user, UNHIRED)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=done, staff=people["vice"])
    client = login(people["vice"].user)

    enrolled = client.get(url("my_result", done))
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=72)
    scored = client.get(url("my_result", done))
    retiring = person(school, "退休辛")
    unhired_services.unhired_explain(by=office_user, cycle=done, staff=retiring, reason="年底退休")
    explained = login(retiring.user).get(url("my_result", done))

    assert "In the training class" in enrolled.text and "not recorded yet" in enrolled.text
    assert "Test score 72 (pass mark 60)." in scored.text and "You passed" in scored.text
    assert "Explained status: 年底退休" in explained.text


def test_a_proposal_awaiting_the_school_is_shown(login, office_user, cycle, posts, people,
                                                 principal_user, school):
    apply(people["mover"], cycle, school, posts["here"][0], posts["here"][1])
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.ranking_record(
        by=principal_user, post=posts["here"][0], staff=people["mover"], rank=1, decision="hire"
    )
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle, own_staff_first=False)
    allocation_services.allocation_send(by=office_user, run=run)

    response = login(people["mover"].user).get(url("my_result", cycle))

    assert "Proposed, awaiting the school" in response.text
    assert "post 1 at 夏庄完小" in response.text


def test_a_login_not_on_the_staff_has_no_result(login, liaison_user, done):
    response = login(liaison_user).get(url("my_result", done))

    assert "You are not on this township" in response.text
    assert reverse("recruitment:outcome", args=[done.pk]) in response.text  # a leader's link
