"""Title candidates' pages (R12): the teacher reads the table and declares, the unit checks
and scores, the county imports and reads every ranking; who may see what (a unit only its
candidates, a township office only its units, the county all, a teacher only their own);
bounded queries with hundreds of candidates; the home card."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from evaluation.models import (
    CandidateState,
    TitleCandidate,
    TitleLevel,
    TitleScore,
    TitleScoreImport,
)
from schools.models import Role
from staffing.ids import search_text

from . import titles_world
from .factories import (
    CountyFactory,
    SchoolFactory,
    StaffFactory,
    TownshipFactory,
    UserFactory,
    membership,
)
from .titles_world import candidate, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year


@pytest.fixture
def the_table(year):
    return table(year)


@pytest.fixture
def client_as(english_pages):
    def _as(user):
        english_pages.force_login(user)
        return english_pages
    return _as


def page_text(response):
    return response.content.decode()


# ---- the teacher ------------------------------------------------------------------------------


def test_the_teacher_reads_the_table_then_declares_once(client_as, teacher_user, teacher, year,
                                                        the_table):
    client = client_as(teacher_user)
    url = reverse("evaluation:title_declare", args=[year.pk])
    text = page_text(client.get(url))
    assert "师德考核优秀" in text and "group cap 30.00" in text and "up to 20.00" in text
    assert "高级教师</strong>: 一级教师 held 5 years" in text
    data = {"level": "高级教师", "current_title": "一级教师", "title_since": "2015-09-01"}
    response = client.post(url, data, follow=True)
    assert "Your declaration for 高级教师 is sent to your unit" in page_text(response)
    assert "declared, waiting for the unit" in page_text(response)
    client.post(url, data)  # the double submit
    assert TitleCandidate.objects.filter(year=year, staff=teacher).count() == 1


def test_the_teacher_sees_the_units_refusal_and_may_withdraw_only_before(client_as, teacher,
                                                                         year, the_table):
    refused = candidate(year, teacher, state=CandidateState.REFUSED, refusal="任现职年限不足")
    client = client_as(teacher.user)
    text = page_text(client.get(reverse("evaluation:title_declare", args=[year.pk])))
    assert "任现职年限不足" in text and "Withdraw" not in text
    response = client.post(reverse("evaluation:title_withdraw", args=[refused.pk]), follow=True)
    assert "already checked" in page_text(response)
    refused.refresh_from_db()
    assert refused.state == CandidateState.REFUSED


def test_withdrawing_asks_first(client_as, teacher, year, the_table):
    declared = candidate(year, teacher, state=CandidateState.DECLARED)
    client = client_as(teacher.user)
    url = reverse("evaluation:title_withdraw", args=[declared.pk])
    assert "Withdraw the declaration?" in page_text(client.get(url))
    client.post(url)
    declared.refresh_from_db()
    assert declared.state == CandidateState.WITHDRAWN


def test_a_teacher_sees_no_list_and_no_one_elses_candidacy(client_as, teacher, year, the_table,
                                                           school):
    other = candidate(year, school=school)
    own = candidate(year, teacher)
    client = client_as(teacher.user)
    assert client.get(reverse("evaluation:title_units", args=[year.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_unit", args=[year.pk, school.pk])
                      ).status_code == 403
    assert client.get(reverse("evaluation:title_rankings", args=[year.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_candidate", args=[other.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_withdraw", args=[other.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_refuse", args=[own.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_candidate", args=[999999])).status_code == 404


def test_a_teacher_of_another_county_cannot_declare(client_as, year, the_table):
    stranger = StaffFactory(user=UserFactory(), school=SchoolFactory(
        township=TownshipFactory(county=CountyFactory(name="汶上县"))))
    response = client_as(stranger.user).get(reverse("evaluation:title_declare", args=[year.pk]))
    assert response.status_code == 403


# ---- the unit -----------------------------------------------------------------------------------


def test_the_principal_checks_with_the_facts_and_accepts_in_bulk(client_as, principal_user,
                                                                 school, year, the_table):
    good = candidate(year, school=school, state=CandidateState.DECLARED,
                     title_since=date(2015, 1, 1))
    short = candidate(year, school=school, state=CandidateState.DECLARED,
                      title_since=date(2025, 3, 1))
    client = client_as(principal_user)
    url = reverse("evaluation:title_unit", args=[year.pk, school.pk])
    text = page_text(client.get(url))
    assert "held 2 years at 2027-12-31; 5 required" in text
    response = client.post(reverse("evaluation:title_accept", args=[year.pk, school.pk]),
                           {"candidate": [good.pk, short.pk]}, follow=True)
    assert "1 declaration accepted as eligible." in page_text(response)
    assert "Not accepted" in page_text(response)
    refuse_url = reverse("evaluation:title_refuse", args=[short.pk])
    assert "held 2 years at 2027-12-31; 5 required" in page_text(client.get(refuse_url))
    assert "required" in page_text(client.post(refuse_url, {"reason": ""}))
    client.post(refuse_url, {"reason": "任一级教师不满5年"})
    short.refresh_from_db()
    assert (short.state, short.refusal) == (CandidateState.REFUSED, "任一级教师不满5年")


def test_the_principal_scores_one_candidate_in_the_browser(client_as, principal_user, school,
                                                           year, the_table):
    quota(year, school)
    c = candidate(year, school=school)
    items = {i.code: i for i in the_table.items.all()}
    client = client_as(principal_user)
    url = reverse("evaluation:title_candidate", args=[c.pk])
    bad = client.post(url, {f"score_{items['A1'].pk}": "10.5", "lesson": "80"})
    assert "less than or equal to 10" in page_text(bad)
    response = client.post(url, {f"score_{items['A1'].pk}": "9.5",
                                 f"evidence_{items['A1'].pk}": "县师德标兵",
                                 f"score_{items['B1'].pk}": "", "lesson": "88"}, follow=True)
    assert "scores are saved: 2 values changed" in page_text(response)
    assert TitleScore.objects.get(candidate=c).evidence == "县师德标兵"
    assert "rank 1 · Q 9.50 · L 88.00 · T 33.05 · 是" in page_text(response)


def test_a_unit_sees_only_its_candidates(client_as, other_principal, school, other_school, year,
                                         the_table):
    ours = candidate(year, school=school)
    client = client_as(other_principal)
    assert client.get(reverse("evaluation:title_unit", args=[year.pk, school.pk])
                      ).status_code == 403
    assert client.get(reverse("evaluation:title_candidate", args=[ours.pk])).status_code == 403
    assert client.post(reverse("evaluation:title_candidate", args=[ours.pk]),
                       {"lesson": "1"}).status_code == 403
    assert client.get(reverse("evaluation:title_tie", args=[ours.pk])).status_code == 403
    assert client.post(reverse("evaluation:title_accept", args=[year.pk, school.pk]),
                       {"candidate": [ours.pk]}).status_code == 403
    foreign = SchoolFactory(township=TownshipFactory(county=CountyFactory(name="汶上县")))
    assert client.get(reverse("evaluation:title_unit", args=[year.pk, foreign.pk])
                      ).status_code == 404
    own = page_text(client.get(reverse("evaluation:title_rankings", args=[year.pk])))
    assert ours.staff.name not in own


def test_a_township_office_reads_its_units_but_acts_for_none(client_as, office_user,
                                                             foreign_office, school, year,
                                                             the_table):
    ours = candidate(year, school=school, state=CandidateState.DECLARED)
    client = client_as(office_user)
    assert ours.staff.name in page_text(client.get(
        reverse("evaluation:title_unit", args=[year.pk, school.pk])))
    assert client.post(reverse("evaluation:title_accept", args=[year.pk, school.pk]),
                       {"candidate": [ours.pk]}).status_code == 403
    assert client.get(reverse("evaluation:title_refuse", args=[ours.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_import", args=[year.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_eligibility", args=[year.pk])
                      ).status_code == 403
    stranger = client_as(foreign_office)  # another township of another county
    assert stranger.get(reverse("evaluation:title_unit", args=[year.pk, school.pk])
                        ).status_code in (403, 404)


def test_a_township_office_of_the_county_does_not_see_another_townships_units(
        client_as, county, year, the_table, school):
    neighbour = TownshipFactory(county=county, name="邻镇")
    office = UserFactory(username="neighbour-office")
    membership(office, Role.TOWNSHIP_OFFICE, neighbour)
    client = client_as(office)
    assert client.get(reverse("evaluation:title_unit", args=[year.pk, school.pk])
                      ).status_code == 403
    assert school.name not in page_text(client.get(
        reverse("evaluation:title_units", args=[year.pk])))


# ---- the county office ---------------------------------------------------------------------------


def test_the_county_sets_the_years_eligibility_with_history(client_as, county_user, year):
    client = client_as(county_user)
    url = reverse("evaluation:title_eligibility", args=[year.pk])
    data = {"reference_date": "2027-08-31", "first_requires": "二级教师", "first_years": 4,
            "senior_requires": "一级教师", "senior_years": 6, "full_senior_requires": "高级教师",
            "full_senior_years": 5, "award_required": "on", "award_window_years": 3}
    response = client.post(url, data, follow=True)
    assert "eligibility settings" in page_text(response)
    year.refresh_from_db()
    assert year.senior_years == 6 and year.award_required
    assert year.history.first().history_user == county_user
    assert "Write one of" in page_text(client.post(url, {**data, "senior_requires": "教授"}))


def scores_file(rows, lessons):
    book = Workbook()
    sheet = book.active
    sheet.title = "评分"
    sheet.append(["身份证号", "申报级别", "项目编号", "得分", "依据"])
    for row in rows:
        sheet.append(row)
    other = book.create_sheet("说课")
    other.append(["身份证号", "说课得分"])
    for row in lessons:
        other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "评分.xlsx"
    return buffer


def test_the_county_imports_in_the_browser_preview_then_confirm(client_as, county_user, year,
                                                                the_table, school):
    quota(year, school)
    staff = StaffFactory(school=school, name="甲")
    client = client_as(county_user)
    url = reverse("evaluation:title_import", args=[year.pk])
    assert client.get(reverse("evaluation:title_import_template", args=[year.pk])
                      ).status_code == 200
    wrong = client.post(url, {"workbook": scores_file([[staff.resident_id, "高级教师", "A1", 50,
                                                        ""]], [])}, follow=True)
    assert "must be from 0 to 10.00" in page_text(wrong) and "Confirm" not in page_text(wrong)
    response = client.post(url, {"workbook": scores_file(
        [[staff.resident_id, "高级教师", "A1", 7, "证书"]], [[staff.resident_id, 80]])},
        follow=True)
    assert "Review it below, then confirm" in page_text(response)
    record = TitleScoreImport.objects.get(status=TitleScoreImport.Status.PREVIEWED)
    confirm = reverse("evaluation:title_import_confirm", args=[record.pk])
    done = client.post(confirm, follow=True)
    assert "Title scores imported: 1 item scores written" in page_text(done)
    assert "already imported" in page_text(client.post(confirm, follow=True))
    assert TitleScore.objects.count() == 1


def test_the_county_sees_every_unit_and_exports(client_as, county_user, year, the_table, school,
                                                other_school):
    quota(year, school)
    quota(year, other_school)
    a = candidate(year, school=school, lesson="80")
    b = candidate(year, school=other_school, lesson="70")
    client = client_as(county_user)
    text = page_text(client.get(reverse("evaluation:title_rankings", args=[year.pk])))
    assert a.staff.name in text and b.staff.name in text
    assert "waiting for the acknowledgement of" in text
    export = client.get(reverse("evaluation:title_rankings_export", args=[year.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def sheet_rows(response, name) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content))[name].iter_rows(values_only=True))


def test_the_unit_exports_its_declarations_as_filtered(client_as, principal_user, school, year,
                                                       the_table):
    good = candidate(year, school=school, state=CandidateState.DECLARED,
                     title_since=date(2015, 1, 1))
    short = candidate(year, school=school, state=CandidateState.DECLARED,
                      title_since=date(2025, 3, 1))
    client = client_as(principal_user)
    client.post(reverse("evaluation:title_refuse", args=[short.pk]),
                {"reason": "任一级教师不满5年"})
    short.refresh_from_db()
    url = reverse("evaluation:title_unit_export", args=[year.pk, school.pk])
    page = page_text(client.get(reverse("evaluation:title_unit", args=[year.pk, school.pk]),
                                {"state": "refused"}))
    assert f'href="{url}?state=refused"' in page

    header, *rows = sheet_rows(client.get(url), "职称申报")
    assert header[:3] == ("单位", "姓名", "申报级别")
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {good.staff.name, short.staff.name}
    assert by_name[short.staff.name]["不合格理由"] == "任一级教师不满5年"
    assert by_name[short.staff.name]["状态"] == short.get_state_display()
    assert by_name[short.staff.name]["审核人"]  # who refused it
    assert by_name[good.staff.name]["按规则"] == "合格"

    _header, *refused = sheet_rows(client.get(url, {"state": "refused", "q": "x" * 500}),
                                   "职称申报")
    assert refused == []  # the name filter applies too (and is cut to 50 characters)
    _header, *refused = sheet_rows(client.get(url, {"state": "refused"}), "职称申报")
    assert [row[1] for row in refused] == [short.staff.name]


@pytest.mark.parametrize("q", ["\x00", "张\x00", " " * 80, "x" * 5000])
def test_a_junk_search_is_a_search_never_an_error(client_as, principal_user, school, year,
                                                  the_table, q):
    """A NUL byte cannot reach PostgreSQL's text (a DataError, a 500 before): dropped."""
    candidate(year, school=school)
    client = client_as(principal_user)
    for name in ("evaluation:title_unit", "evaluation:title_unit_export"):
        assert client.get(reverse(name, args=[year.pk, school.pk]), {"q": q}).status_code == 200


def test_search_text_drops_nul_bytes_and_space_and_cuts():
    assert search_text("\x00 张\x00伟 ") == "张伟"
    assert search_text(None) == "" and len(search_text("x" * 5000)) == 50


def test_the_declarations_export_is_the_units_own(client_as, other_principal, teacher_user,
                                                  school, year, the_table):
    candidate(year, school=school)
    url = reverse("evaluation:title_unit_export", args=[year.pk, school.pk])
    assert client_as(other_principal).get(url).status_code == 403
    assert client_as(teacher_user).get(url).status_code == 403
    assert client_as(teacher_user).get(
        reverse("evaluation:title_units_export", args=[year.pk])).status_code == 403


def test_the_units_export_has_every_unit_the_login_sees(client_as, county_user, office_user,
                                                        school, other_school, year, the_table):
    candidate(year, school=school, state=CandidateState.DECLARED)
    candidate(year, school=school, lesson="80")
    candidate(year, school=other_school, state=CandidateState.WITHDRAWN)
    neighbour = SchoolFactory(township=TownshipFactory(county=year.county, name="邻镇"))
    candidate(year, school=neighbour)
    url = reverse("evaluation:title_units_export", args=[year.pk])
    assert f'href="{url}"' in page_text(client_as(county_user).get(
        reverse("evaluation:title_units", args=[year.pk])))

    header, *rows = sheet_rows(client_as(county_user).get(url), "申报单位")
    lines = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert {school.name, other_school.name, neighbour.name} <= set(lines)
    assert (lines[school.name]["待审核"], lines[school.name]["合格"]) == (1, 1)
    assert lines[other_school.name]["撤回"] == 1
    _header, *own = sheet_rows(client_as(office_user).get(url), "申报单位")
    assert neighbour.name not in {row[1] for row in own}  # a township office: its own units


def test_only_the_county_office_imports(client_as, principal_user, year, the_table):
    client = client_as(principal_user)
    assert client.get(reverse("evaluation:title_import", args=[year.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_import_preview", args=[99999])
                      ).status_code == 404


def test_the_tie_page_settles_with_a_reason(client_as, principal_user, school, year, the_table):
    quota(year, school, recommended=1)
    tied = [candidate(year, school=school, lesson="50") for _ in range(2)]
    client = client_as(principal_user)
    ranking = page_text(client.get(reverse("evaluation:title_unit_ranking",
                                           args=[year.pk, school.pk])))
    assert ranking.count("待定") >= 2 and "Settle…" in ranking
    url = reverse("evaluation:title_tie", args=[tied[0].pk])
    client.post(url, {"decision": "recommend", "reason": "年度考核优秀次数多"})
    refused = client.post(url.replace(str(tied[0].pk), str(tied[1].pk)),
                          {"decision": "recommend", "reason": "x"})
    assert "no seat left" in page_text(refused)
    after = page_text(client.get(reverse("evaluation:title_unit_ranking",
                                         args=[year.pk, school.pk])))
    assert "年度考核优秀次数多" in after


# ---- bounded queries ----------------------------------------------------------------------------


def test_the_unit_and_ranking_pages_stay_bounded_with_hundreds(client_as, principal_user,
                                                               county_user, school, year,
                                                               the_table,
                                                               django_assert_max_num_queries):
    quota(year, school, recommended=20)
    quota(year, school, level=TitleLevel.FIRST, recommended=10)
    for i in range(300):
        c = candidate(year, school=school, lesson=str(50 + i % 40),
                      level=TitleLevel.SENIOR if i % 3 else TitleLevel.FIRST,
                      state=CandidateState.ELIGIBLE if i % 5 else CandidateState.DECLARED)
        if i % 5:
            scores(c, the_table, A1=str(i % 10), B1=str(i % 20))
    principal = client_as(principal_user)
    with django_assert_max_num_queries(20):
        response = principal.get(reverse("evaluation:title_unit", args=[year.pk, school.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = principal.get(reverse("evaluation:title_unit_ranking",
                                         args=[year.pk, school.pk]))
    assert page_text(response).count('class="verdict wrap"') == 240
    county = client_as(county_user)
    with django_assert_max_num_queries(20):
        assert county.get(reverse("evaluation:title_rankings", args=[year.pk])
                          ).status_code == 200
    with django_assert_max_num_queries(20):
        assert county.get(reverse("evaluation:title_units", args=[year.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert county.get(reverse("evaluation:title_rankings_export", args=[year.pk])
                          ).status_code == 200
    with django_assert_max_num_queries(20):
        assert county.get(reverse("evaluation:title_units_export", args=[year.pk])
                          ).status_code == 200
    with django_assert_max_num_queries(20):
        assert principal.get(reverse("evaluation:title_unit_export", args=[year.pk, school.pk])
                             ).status_code == 200


# ---- the home card -------------------------------------------------------------------------------


def test_the_home_card_tells_the_teacher_and_the_principal(client_as, teacher, principal_user,
                                                           school, year, the_table):
    client = client_as(teacher.user)
    assert "read the scoring table and declare" in page_text(client.get("/"))
    candidate(year, teacher, state=CandidateState.DECLARED)
    assert "Your title declaration 2027: 高级教师" in page_text(client.get("/"))
    text = page_text(client_as(principal_user).get("/"))
    assert "Title declarations of 夏庄完小" in text and "1 to check" in text


# ---- the grid ---------------------------------------------------------------------------------


def test_the_unit_scores_many_candidates_in_a_grid_all_or_nothing(
        client_as, principal_user, other_principal, school, year, the_table,
        django_assert_max_num_queries):
    quota(year, school)
    people = [candidate(year, school=school) for _ in range(30)]
    first = sorted(people, key=lambda c: (c.staff.name, c.pk))[:25]
    scores(first[0], the_table, A1="3")
    TitleScore.objects.filter(candidate=first[0]).update(evidence="原有依据")
    items = {i.code: i for i in the_table.items.all()}
    client = client_as(principal_user)
    url = reverse("evaluation:title_grid", args=[year.pk, school.pk]) + "?level=高级教师"
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page_text(page).count('<tr><th scope="row">') == 25  # a page of 25
    data = {f"s_{c.pk}_{items['B1'].pk}": "12.5" for c in first}
    data[f"l_{first[0].pk}"] = "101"
    wrong = client.post(url, data)
    assert "Nothing was saved" in page_text(wrong)
    assert not TitleScore.objects.filter(item=items["B1"]).exists()
    del data[f"l_{first[0].pk}"]
    data[f"s_{first[0].pk}_{items['A1'].pk}"] = "4"
    response = client.post(url, data, follow=True)
    assert "The scores are saved: 26 values changed." in page_text(response)
    assert TitleScore.objects.filter(item=items["B1"], score=D("12.5")).count() == 25
    kept = TitleScore.objects.get(candidate=first[0], item=items["A1"])
    assert (kept.score, kept.evidence) == (D("4"), "原有依据")
    assert client_as(other_principal).get(url).status_code == 403
