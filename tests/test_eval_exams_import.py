"""The exam-scores import (shared/spec/exam-scores.md): every bad row named, all or nothing,
a re-import replaces the exam's results and recomputes the awards and the later counts,
with history; the two commands."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from evaluation import rules
from evaluation.models import Award, AwardKind, CountyAverage, Exam, ExamResult
from evaluation.services import exams as exam_services

from .exams_world import EXAM, book, county, excellent_exam, run, score, teachers
from .factories import StaffFactory


@pytest.fixture
def three(school, other_school):
    a, b = teachers(school, 2)
    c = StaffFactory(school=other_school, name="东张语文", subject="语文")
    return a, b, c


def errors(result):
    return {(e.sheet, e.row, e.column): e.reason for e in result.plan.errors}


def test_a_good_workbook_imports_results_and_awards(township, office_user, three):
    a, b, c = three
    result = run(office_user, township, [
        score(a, "92", takers=40), score(b, 78.5, takers=40, class_name="2班"),
        score(c, "80", takers=20, class_name="1班"),
        score(a, "60", subject="数学"), score(b, "61", subject="数学", class_name="2班")],
        [county("75")])
    assert result.ok, result.error_lines
    exam = Exam.objects.get(township=township, name=EXAM)
    assert exam.date == date(2026, 6, 28) and exam.level == "县统考"
    assert exam.results.count() == 5
    assert CountyAverage.objects.get(exam=exam).average == Decimal("75")
    got = {(x.staff.name, x.subject): x.kind for x in Award.objects.select_related("staff")}
    # 语文: township (92×40 + 78.5×40 + 80×20)/100 = 84.2, county 75: a is 17 above the
    # county → excellence; b 3.5 above the county → standard; c 5 above → standard.
    assert got == {("语文老师1", "语文"): AwardKind.EXCELLENCE,
                   ("语文老师2", "语文"): AwardKind.STANDARD,
                   ("东张语文", "语文"): AwardKind.STANDARD,
                   ("语文老师2", "数学"): AwardKind.STANDARD}
    award = Award.objects.get(staff=a, subject="语文")
    assert award.township_average == Decimal("84.2") and award.county_average == 75
    assert award.excellence_count == 1
    assert award.history.order_by("history_id").first().history_type == "+"


def test_a_dry_run_writes_nothing(township, office_user, three):
    result = run(office_user, township, [score(three[0], "80")], dry_run=True)
    assert result.ok and result.written is None
    assert not Exam.objects.exists()


def test_every_bad_row_is_named_and_nothing_is_imported(township, office_user, three,
                                                        foreign_school):
    a, b, c = three
    stranger = StaffFactory(school=foreign_school, name="外镇老师")
    rows = [
        score(a, "80"),  # 2: good
        score(a, "80", school="不存在小学", class_name="9班"),  # 3
        score(stranger, "80", class_name="3班"),  # 4: another township's staff
        score(a, "80", class_name="4班", level="乡统考"),  # 5
        score(a, "80", class_name="5班", grade="十年级"),  # 6
        score(a, "80", class_name="6班", day="2026-13-01"),  # 7
        score(a, "80", class_name="7班", takers=0),  # 8
        score(a, "80", class_name="8班", takers="1e1000000"),  # 9
        score(a, "80", class_name="10班", takers=2.5),  # 10
        score(a, "80.123", class_name="11班"),  # 11
        score(a, "151", class_name="12班"),  # 12
        score(a, "80", class_name="13班", day="2026-06-29"),  # 13: another date
        score(a, "80"),  # 14: the class of row 2 again
        score(a, "八十", class_name="14班"),  # 15
        [EXAM, "2026-06-28", "县统考", "三年级", "语文", a.school.name, "15班",
         "123", 40, 80],  # 16: not an ID number
    ]
    result = run(office_user, township, rows, [county("75"), county("70", exam="别的考试")])
    assert not result.ok
    found = errors(result)
    S, C = rules.SCORES_SHEET, rules.COUNTY_SHEET
    assert (S, 2, "学校") not in found
    assert "不存在小学" in found[(S, 3, "学校")]
    assert found[(S, 4, "任课教师身份证号")] == "查无此教职工"
    assert "乡统考" in found[(S, 5, "考试级别")]
    assert "十年级" in found[(S, 6, "年级")]
    assert (S, 7, "考试日期") in found
    assert (S, 8, "参考人数") in found and (S, 9, "参考人数") in found
    assert (S, 10, "参考人数") in found
    assert found[(S, 11, "平均分")] == "最多两位小数"
    assert (S, 12, "平均分") in found
    assert "第 2 行" in found[(S, 13, "考试日期")]
    assert "第 2 行" in found[(S, 14, "班级")]
    assert (S, 15, "平均分") in found
    assert (S, 16, "任课教师身份证号") in found
    assert "别的考试" in found[(C, 3, "考试名称")]
    assert (C, 2, "考试名称") not in found
    assert not Exam.objects.exists() and not ExamResult.objects.exists()


def test_the_reasons_are_in_chinese(township, office_user, three):
    with translation.override("zh-hans"):
        result = run(office_user, township, [score(three[0], "80.123")])
    assert result.plan.errors[0].reason == "最多两位小数"


def test_a_missing_sheet_or_column_is_one_error(township, office_user):
    data = book([["x"]], headers=["考试名称"])
    result = exam_services.scores_import(by=office_user, township=township, data=data)
    assert {e.column for e in result.plan.errors} >= {"考试日期", "平均分"}


def test_a_reimport_replaces_the_results_and_recomputes_with_history(township, office_user,
                                                                      three):
    a, b, c = three
    run(office_user, township, [score(a, "95"), score(b, "70", class_name="2班")])
    award = Award.objects.get(staff=a)
    assert award.kind == AwardKind.EXCELLENCE
    # The correction: a's class scored 84, not 95; b's second class is added.
    result = run(office_user, township, [score(a, "84"), score(b, "70", class_name="2班"),
                                         score(b, "76", class_name="3班")])
    assert result.ok and result.written.replaced == 1
    exam = Exam.objects.get()
    assert exam.results.count() == 3
    award.refresh_from_db()  # township (84×40 + 70×40 + 76×40)/120 = 76.67: a is 7.33 above
    assert award.kind == AwardKind.STANDARD and award.excellence_count == 0
    kinds = [(h.history_type, h.kind, h.history_change_reason)
             for h in award.history.order_by("history_id")]
    assert kinds[0][:2] == ("+", AwardKind.EXCELLENCE)
    assert ("~", AwardKind.STANDARD, exam_services.CORRECTION_REASON) in kinds
    result = ExamResult.objects.get(teacher=a)
    assert [h.average for h in result.history.order_by("history_id")] == [95, 84]


def test_a_correction_moves_every_later_count_and_the_model_teacher(township, office_user,
                                                                    three):
    star, rest, _c = three
    for number in range(1, 7):
        excellent_exam(office_user, township, star, rest, number=number,
                       day=date(2020 + number, 6, 1))
    sixth = Award.objects.get(staff=star, exam__name="第6次统考")
    assert sixth.excellence_count == 6 and sixth.model_teacher
    # The second exam is corrected: star was level with the rest.
    run(office_user, township, [score(star, "70", exam="第2次统考", day="2022-06-01"),
                                score(rest, "70", exam="第2次统考", day="2022-06-01",
                                      class_name="2班")])
    counts = dict(Award.objects.filter(staff=star).values_list("exam__name",
                                                               "excellence_count"))
    assert "第2次统考" not in counts
    assert counts["第6次统考"] == 5
    sixth.refresh_from_db()
    assert not sixth.model_teacher
    assert not Award.objects.filter(model_teacher=True).exists()


def test_import_order_does_not_matter(township, office_user, three):
    star, rest, _c = three
    for number in (6, 3, 1, 5, 2, 4):  # imported out of date order
        excellent_exam(office_user, township, star, rest, number=number,
                       day=date(2020 + number, 6, 1))
    model = Award.objects.get(staff=star, model_teacher=True)
    assert model.exam.name == "第6次统考" and model.excellence_count == 6


def test_a_locked_award_list_refuses_a_correction(township, office_user, three):
    a, b, _c = three
    run(office_user, township, [score(a, "95"), score(b, "70", class_name="2班")])
    exam = Exam.objects.get()
    exam_services.awards_publish(by=office_user, exam=exam, on=date(2026, 7, 1))
    exam_services.awards_lock(by=office_user, exam=exam, on=date(2026, 8, 1))
    result = run(office_user, township, [score(a, "60"), score(b, "70", class_name="2班")])
    assert "锁定" in errors(result)[(rules.SCORES_SHEET, 2, "考试名称")]
    assert Award.objects.get(staff=a).kind == AwardKind.EXCELLENCE


def test_the_commands(township, office_user, three, tmp_path, capsys):
    a, b, _c = three
    path = tmp_path / "成绩.xlsx"
    path.write_bytes(book([score(a, "95"), score(b, "70", class_name="2班")], [county("80")]))
    call_command("import_exam_scores", str(path), "--dry-run")
    assert not Exam.objects.exists()
    call_command("import_exam_scores", str(path), "--township", township.name)
    assert Award.objects.count() == 1
    out = tmp_path / "奖励.xlsx"
    call_command("export_awards", str(out), "--exam", EXAM)
    sheet = load_workbook(out)[rules.AWARDS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(rules.AWARDS_COLUMNS)
    assert list(rows[1]) == [EXAM, a.resident_id, a.name, "三年级", "语文", 95, 82.5, 80,
                             "教学优胜奖", 1, "否"]


def test_the_import_command_fails_on_a_bad_row(township, office_user, three, tmp_path,
                                               capsys):
    path = tmp_path / "成绩.xlsx"
    path.write_bytes(book([score(three[0], "80", takers=-1)]))
    with pytest.raises(SystemExit):
        call_command("import_exam_scores", str(path))
    assert "参考人数" in capsys.readouterr().err
    assert not Exam.objects.exists()


def test_another_townships_school_is_unknown(township, office_user, three, foreign_school):
    result = run(office_user, township, [score(three[0], "80", school=foreign_school.name)])
    assert (rules.SCORES_SHEET, 2, "学校") in errors(result)
