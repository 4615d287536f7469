"""Title candidates (R12, shared/spec/title-scoring.md): declaring, the eligibility check
(title, years, the R9 award threshold), the unit's scores, the scores import's every error
kind and all or nothing, re-import with history, the ranking export's exact columns, ties
at the quota's edge."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from evaluation import rules
from evaluation.models import (
    Award,
    AwardKind,
    CandidateState,
    Exam,
    TieDecision,
    TitleCandidate,
    TitleLevel,
    TitleQuota,
    TitleScore,
)
from evaluation.selectors import title_candidates as selectors
from evaluation.services import title_candidates as services
from staffing.workbook import WorkbookError

from . import titles_world
from .factories import StaffFactory, UserFactory
from .titles_world import candidate, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def the_table(year):
    return table(year)


def staff_login(school, **extra):
    user = UserFactory()
    return StaffFactory(school=school, user=user, **extra)


# ---- declaring --------------------------------------------------------------------------------


def declare(staff, year, **extra):
    values = {"level": TitleLevel.SENIOR, "current_title": "一级教师",
              "title_since": date(2018, 9, 1)}
    values.update(extra)
    return services.declare(by=staff.user, year=year, staff=staff, **values)


def test_a_staff_member_declares_once_and_a_second_submit_is_refused(year, the_table, school):
    staff = staff_login(school)
    first = declare(staff, year)
    assert first.state == CandidateState.DECLARED and first.school == school
    with pytest.raises(ValidationError, match="already declared"):
        declare(staff, year)
    assert TitleCandidate.objects.filter(year=year, staff=staff).count() == 1
    assert first.history.count() == 1


def test_declaring_needs_the_table_and_an_open_year(year, school):
    staff = staff_login(school)
    with pytest.raises(ValidationError, match="scoring table"):
        declare(staff, year)


def test_declaring_for_a_title_already_held_or_without_the_date_is_refused(year, the_table,
                                                                           school):
    staff = staff_login(school)
    with pytest.raises(ValidationError, match="already hold"):
        declare(staff, year, level=TitleLevel.FIRST, current_title="高级教师")
    with pytest.raises(ValidationError, match="date you obtained"):
        declare(staff, year, title_since=None)
    with pytest.raises(ValidationError, match="exceptional"):
        declare(staff, year, exceptional=True, reason=" ")


def test_nobody_declares_for_someone_else(year, the_table, school):
    staff, other = staff_login(school), staff_login(school)
    with pytest.raises(PermissionDenied):
        services.declare(by=other.user, year=year, staff=staff, level=TitleLevel.SENIOR,
                         current_title="一级教师", title_since=date(2015, 1, 1))


def test_withdrawing_is_possible_until_the_unit_checks_and_one_may_declare_again(
        year, the_table, school, principal_user):
    staff = staff_login(school)
    services.withdraw(by=staff.user, candidate=declare(staff, year))
    again = declare(staff, year, level=TitleLevel.SENIOR)
    assert again.state == CandidateState.DECLARED
    services.accept(by=principal_user, year=year, school=school, candidate_ids=[again.pk])
    with pytest.raises(ValidationError, match="already checked"):
        services.withdraw(by=staff.user, candidate=again)


# ---- eligibility -------------------------------------------------------------------------------


def test_years_held_are_whole_years_at_the_reference_date():
    assert rules.years_held(date(2022, 12, 31), date(2027, 12, 31)) == 5
    assert rules.years_held(date(2023, 1, 1), date(2027, 12, 31)) == 4
    assert rules.years_held(None, date(2027, 12, 31)) == 0


def test_the_check_refuses_the_wrong_title_too_few_years_and_a_missing_award(year, school):
    year.award_required = True
    year.save()
    wrong_title = candidate(year, StaffFactory(school=school, title="二级教师"),
                            state=CandidateState.DECLARED, title_since=date(2010, 1, 1))
    too_new = candidate(year, school=school, state=CandidateState.DECLARED,
                        title_since=date(2024, 1, 1))
    exceptional = candidate(year, school=school, state=CandidateState.DECLARED,
                            title_since=date(2024, 1, 1), exceptional=True)
    awarded = candidate(year, school=school, state=CandidateState.DECLARED,
                        title_since=date(2015, 1, 1))
    exam = Exam.objects.create(township=school.township, name="期末", date=date(2027, 1, 10),
                               level="县统考")
    Award.objects.create(exam=exam, staff=awarded.staff, grade="三年级", subject="语文",
                         kind=AwardKind.EXCELLENCE, teacher_score=90, township_average=70,
                         computed_at=timezone.now())
    rows = {r.candidate.pk: r for r in selectors.check_rows(
        year, [wrong_title, too_new, exceptional, awarded])}
    assert rows[wrong_title.pk].refusal.startswith("Requires the title 一级教师; holds 二级教师")
    assert "held 3 years at 2027-12-31; 5 required" in rows[too_new.pk].refusal
    assert "No teaching excellence award (last 3 years)" in rows[too_new.pk].refusal
    assert "held" not in rows[exceptional.pk].refusal  # the years are not asked of 破格
    assert "No teaching excellence award" in rows[exceptional.pk].refusal
    assert rows[awarded.pk].refusal is None


def test_bulk_accept_skips_what_the_rules_refuse_and_keeps_history(year, school,
                                                                    principal_user):
    good = [candidate(year, school=school, state=CandidateState.DECLARED,
                      title_since=date(2015, 1, 1)) for _ in range(3)]
    bad = candidate(year, school=school, state=CandidateState.DECLARED,
                    title_since=date(2026, 1, 1))
    done, skipped = services.accept(by=principal_user, year=year, school=school,
                                    candidate_ids=[c.pk for c in [*good, bad]])
    assert done == 3 and len(skipped) == 1 and bad.staff.name in skipped[0]
    good[0].refresh_from_db()
    assert good[0].state == CandidateState.ELIGIBLE and good[0].checked_by == principal_user
    assert good[0].history.first().history_user == principal_user
    bad.refresh_from_db()
    assert bad.state == CandidateState.DECLARED


def test_refusing_needs_a_reason_and_only_the_units_principal(year, school, principal_user,
                                                              other_principal):
    declared = candidate(year, school=school, state=CandidateState.DECLARED)
    with pytest.raises(ValidationError, match="Say why"):
        services.refuse(by=principal_user, candidate=declared, reason="  ")
    with pytest.raises(PermissionDenied):
        services.refuse(by=other_principal, candidate=declared, reason="x")
    refused = services.refuse(by=principal_user, candidate=declared, reason="任现职不满5年")
    assert (refused.state, refused.refusal) == (CandidateState.REFUSED, "任现职不满5年")


def test_other_principal_cannot_accept_foreign_candidates(year, school, other_school,
                                                          other_principal):
    declared = candidate(year, school=school, state=CandidateState.DECLARED,
                         title_since=date(2015, 1, 1))
    with pytest.raises(PermissionDenied):
        services.accept(by=other_principal, year=year, school=school,
                        candidate_ids=[declared.pk])
    done, _ = services.accept(by=other_principal, year=year, school=other_school,
                              candidate_ids=[declared.pk])
    assert done == 0  # another unit's id is not found in one's own unit


# ---- the unit's scores ------------------------------------------------------------------------


def test_unit_scores_go_through_score_set_with_caps_and_history(year, the_table, school,
                                                                principal_user):
    quota(year, school)
    c = candidate(year, school=school)
    items = {i.code: i for i in the_table.items.all()}
    with pytest.raises(ValidationError, match="from 0 to 10"):
        services.unit_scores_save(by=principal_user, candidate=c,
                                  items={items["A1"].pk: (D("10.5"), "")}, lesson=None)
    changed = services.unit_scores_save(
        by=principal_user, candidate=c,
        items={items["A1"].pk: (D("8"), "师德优秀证书"), items["B1"].pk: (D("20"), "")},
        lesson=D("85.5"))
    assert changed == 3
    assert TitleScore.objects.get(candidate=c, item=items["A1"]).evidence == "师德优秀证书"
    assert TitleQuota.objects.get(year=year, school=school).revision == 3
    services.unit_scores_save(by=principal_user, candidate=c,
                              items={items["A1"].pk: (None, "")}, lesson=D("85.5"))
    score = TitleScore.objects.get(candidate=c, item=items["A1"])
    assert score.score == 0 and score.history.count() == 2


def test_a_declared_candidate_is_not_scored(year, the_table, school, principal_user):
    c = candidate(year, school=school, state=CandidateState.DECLARED)
    with pytest.raises(ValidationError, match="eligible"):
        services.unit_scores_save(by=principal_user, candidate=c, items={}, lesson=D("1"))


# ---- the scores import -------------------------------------------------------------------------


def workbook(score_rows, lesson_rows, *, score_headers=None, lesson_headers=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "评分"
    sheet.append(score_headers or ["身份证号", "申报级别", "项目编号", "得分", "依据"])
    for row in score_rows:
        sheet.append(list(row))
    lessons = book.create_sheet("说课")
    lessons.append(lesson_headers or ["身份证号", "说课得分"])
    for row in lesson_rows:
        lessons.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(year, the_table, school, other_school):
    quota(year, school, recommended=1)
    quota(year, other_school, level=TitleLevel.FIRST, recommended=1)
    a = StaffFactory(school=school, name="甲")
    b = StaffFactory(school=school, name="乙")
    return {"a": a, "b": b, "other": StaffFactory(school=other_school, name="丙")}


def run(year, data, **extra):
    return services.scores_import(by=None, year=year, data=data, **extra)


def good_file(world, a_lesson="80"):
    a, b = world["a"].resident_id, world["b"].resident_id
    return workbook([(a, "高级教师", "A1", 8, "证书"), (a, "高级教师", "B1", "20", ""),
                     (b, "高级教师", "B2", 12.5, "公开课")],
                    [(a, a_lesson), (b, 70)])


def test_a_clean_import_writes_every_score_and_lesson(year, world):
    result = run(year, good_file(world))
    assert result.ok, result.error_lines
    a = TitleCandidate.objects.get(year=year, staff=world["a"])
    assert a.state == CandidateState.ELIGIBLE and a.lesson_score == D("80")
    assert {s.item.code: s.score for s in a.scores.all()} == {"A1": D("8"), "B1": D("20")}
    assert result.written.created == 2  # a candidate is whoever appears in 评分
    ranking = selectors.ranking_of(year, a)
    assert [r.candidate.staff.name for r in ranking.rows] == ["甲", "乙"]


def test_every_error_kind_is_one_line_and_nothing_is_written(year, world, school):
    a, b, other = (world[k].resident_id for k in ("a", "b", "other"))
    no_quota = StaffFactory(school=school, name="丁").resident_id
    lone = StaffFactory(school=school, name="戊").resident_id
    unknown = StaffFactory.build().resident_id
    data = workbook([
        (unknown, "高级教师", "A1", 1, ""),  # 2: unknown ID
        (a, "高级教师", "Z9", 1, ""),  # 3: unknown item
        (a, "高级教师", "A1", 11, ""),  # 4: above the item's cap
        (a, "高级教师", "B1", "很多", ""),  # 5: not a number
        (a, "高级教师", "B2", 1, ""),  # 6: fine
        (a, "高级教师", "B2", 2, ""),  # 7: the same candidate and item twice
        (a, "一级教师", "A1", 1, ""),  # 8: one candidate under two levels
        (no_quota, "一级教师", "A1", 1, ""),  # 9: no quota row for 夏庄完小 一级教师
        (b, "高级教师", "A1", "1.234", ""),  # 10: three decimals
        (other, "一级教师", "A1", 2, ""),  # 11: fine, but missing from 说课
    ], [(a, 80), (lone, 90), (b, 101), (a, 80)])
    result = run(year, data)
    assert not result.ok
    lines = result.error_lines
    expected = [
        ("评分", 2, "身份证号", "unknown staff member"),
        ("评分", 3, "项目编号", "“Z9” is not an item of this year's table"),
        ("评分", 4, "得分", "must be from 0 to 10.00"),
        ("评分", 5, "得分", "“很多” is not a number"),
        ("评分", 7, "项目编号", "the same candidate and item as row 6"),
        ("评分", 8, "申报级别", "one candidate under two levels: row 3 has 高级教师"),
        ("评分", 9, "申报级别", "夏庄完小 has no quota row for 一级教师"),
        ("评分", 10, "得分", "at most two decimals"),
        ("评分", 11, "身份证号", "no row in sheet 说课"),
        ("说课", 3, "身份证号", "no row in sheet 评分: not a candidate"),
        ("说课", 4, "说课得分", "must be from 0 to 100"),
        ("说课", 5, "身份证号", "the same candidate as row 2"),
    ]
    found = {(e.sheet, e.row, e.column, e.reason) for e in result.plan.errors}
    for error in expected:
        assert error in found, (error, sorted(found))
    assert len(lines) == len({(s, r) for s, r, *_ in expected})
    assert not TitleScore.objects.exists() and not TitleCandidate.objects.exists()


def test_a_missing_sheet_or_column_is_an_error_and_garbage_is_refused(year, world):
    result = run(year, workbook([], [], score_headers=["身份证号", "申报级别", "项目编号"]))
    assert [(e.sheet, e.column) for e in result.plan.errors] == [("评分", "得分")]
    with pytest.raises(WorkbookError):
        run(year, b"not a workbook")


def test_re_import_replaces_the_years_scores_with_history(year, world, county_user):
    assert run(year, good_file(world)).ok
    a = TitleCandidate.objects.get(year=year, staff=world["a"])
    b_id = world["b"].resident_id
    a_id = world["a"].resident_id
    data = workbook([(a_id, "高级教师", "A1", 9, "更正")], [(a_id, 81)])
    result = services.scores_import(by=county_user, year=year, data=data)
    assert result.ok, result.error_lines
    assert {s.item.code: s.score for s in a.scores.all()} == {"A1": D("9")}
    a1 = a.scores.get()
    assert [h.score for h in a1.history.order_by("history_date")] == [D("8"), D("9")]
    assert a1.history.first().history_user == county_user
    b = TitleCandidate.objects.get(year=year, staff__resident_id=b_id)
    assert not b.scores.exists() and b.lesson_score is None  # absent: scores removed
    assert b.history.first().lesson_score is None
    assert TitleScore.history.filter(history_type="-").count() == 2


def test_the_dry_run_writes_nothing(year, world):
    result = run(year, good_file(world), dry_run=True)
    assert result.ok and result.written is None and not TitleCandidate.objects.exists()


def test_a_refused_declaration_cannot_be_scored_by_import(year, world):
    candidate(year, world["a"], state=CandidateState.REFUSED)
    result = run(year, good_file(world))
    assert ("评分", 2, "身份证号", "the declaration was not eligible") in {
        (e.sheet, e.row, e.column, e.reason) for e in result.plan.errors}


def test_the_command_prints_one_line_per_wrong_row_and_exits_1(year, world, tmp_path, capsys):
    path = tmp_path / "scores.xlsx"
    a = world["a"].resident_id
    path.write_bytes(workbook([(a, "高级教师", "A1", 99, "")], [(a, 80)]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_title_scores", "2027", str(path))
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "评分 row 2, 得分: must be from 0 to 10.00"]
    path.write_bytes(good_file(world))
    call_command("import_title_scores", "2027", str(path), "--dry-run")
    assert "dry run, nothing written" in capsys.readouterr().out
    call_command("import_title_scores", "2027", str(path))
    assert TitleScore.objects.count() == 3


# ---- the ranking export and ties ----------------------------------------------------------------


def test_title_ranking_exports_the_specs_columns_in_order_with_numbers(year, the_table, school,
                                                                       other_school, tmp_path):
    quota(year, school, recommended=1)
    quota(year, other_school, recommended=1)
    first = candidate(year, school=school, lesson="90")
    scores(first, the_table, A1="8", B1="20", B2="15")  # Q = 8 + min(35, 30) = 38
    second = candidate(year, school=school, lesson="60")
    scores(second, the_table, A1="5")
    third = candidate(year, school=other_school, lesson="70")
    path = tmp_path / "ranking.xlsx"
    call_command("title_ranking", "2027", "--export", str(path))
    sheet = load_workbook(path)["排名"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("单位", "申报级别", "排名", "身份证号", "姓名", "量化得分", "说课得分",
                       "总分", "推荐", "有效")
    assert rows[1][:5] == ("东张完小", "高级教师", 1, third.staff.resident_id, third.staff.name)
    assert rows[2][0] == "夏庄完小" and rows[2][2] == 1 and rows[2][8] == "是"
    assert isinstance(rows[2][5], int | float) and rows[2][5] == 38
    assert rows[2][7] == pytest.approx(0.7 * 38 + 0.3 * 90)
    assert rows[3][8] == "否" and rows[3][9] == "否"


def test_a_tie_at_the_quota_edge_is_settled_within_the_seats_with_a_reason(
        year, the_table, school, principal_user):
    quota(year, school, recommended=2)
    top = candidate(year, school=school, lesson="90")
    tied = [candidate(year, school=school, lesson="50") for _ in range(2)]
    ranking = selectors.ranking_of(year, top)
    assert [r.recommended for r in ranking.rows] == ["是", "待定", "待定"]
    with pytest.raises(ValidationError, match="reason"):
        services.tie_settle(by=principal_user, candidate=tied[0], recommend=True, reason="")
    with pytest.raises(ValidationError, match="tied at the edge"):
        services.tie_settle(by=principal_user, candidate=top, recommend=True, reason="x")
    services.tie_settle(by=principal_user, candidate=tied[0], recommend=True,
                        reason="教龄更长（委员会2027-03-01决议）")
    with pytest.raises(ValidationError, match="no seat left"):
        services.tie_settle(by=principal_user, candidate=tied[1], recommend=True, reason="x")
    services.tie_settle(by=principal_user, candidate=tied[1], recommend=False, reason="同上")
    ranking = selectors.ranking_of(year, top)
    assert [r.recommended for r in ranking.rows].count("是") == 2
    tied[0].refresh_from_db()
    assert tied[0].tie_decision == TieDecision.RECOMMEND
    assert tied[0].history.first().tie_reason.startswith("教龄更长")
