"""The exam and award pages: the office's exams, import (preview kept, error workbook,
confirm), ranking with its chart and bounded queries, export, settings, grounds; a
principal's school; a teacher's awards and the published list with objections; who may
see what (anonymous, teacher, another school's principal, another township's office)."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation import rules
from evaluation.models import Award, AwardKind, Exam, ExamImport, GroundKind, OtherGround
from evaluation.selectors import exams as exam_selectors
from evaluation.services import exams as exam_services
from staffing.models import Objection

from .exams_world import EXAM, book, county, excellent_exam, run, score, teachers
from .factories import StaffFactory, UserFactory
from .helpers import messages_of, text


@pytest.fixture
def world(township, school, other_school, office_user, teacher):
    """teacher (教师乙, 夏庄完小) excellent in 三年级语文; two more at each school."""
    a, b = teachers(school, 2)
    c, d = teachers(other_school, 2, prefix="东张语文")
    rows = [score(teacher, "92"), score(a, "78", class_name="2班"),
            score(b, "75", class_name="3班"), score(c, "80", class_name="1班"),
            score(d, "70", class_name="2班")]
    assert run(office_user, township, rows, [county("79")]).ok
    return Exam.objects.get()


def test_the_office_sees_the_exam_list_and_the_ranking(login, world, office_user, township):
    client = login(office_user)
    page = text(client.get(reverse("evaluation:exams_office", args=[township.pk])))
    assert EXAM in page and "县统考" in page
    response = client.get(reverse("evaluation:exam", args=[world.pk]))
    body = response.content.decode()
    assert "<svg" in body and "教师乙" in body
    page = text(response)
    assert "79.00" in page  # the county average
    assert "教学优胜奖" in page
    found = text(client.get(reverse("evaluation:exam", args=[world.pk]), {"q": "东张"}))
    assert "东张语文1" in found and "教师乙" not in found


def test_the_ranking_page_makes_bounded_queries(login, township, school, other_school,
                                                office_user, django_assert_max_num_queries):
    staff = teachers(school, 60) + teachers(other_school, 60, prefix="东张")
    rows = []
    for i, person in enumerate(staff):
        for grade in ("三年级", "四年级", "五年级"):
            rows.append(score(person, f"{60 + i % 35}.5", grade=grade, class_name=f"{i}班"))
    assert run(office_user, township, rows).ok
    exam = Exam.objects.get()
    assert exam.results.count() == 360
    client = login(office_user)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("evaluation:exam", args=[exam.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("evaluation:exam", args=[exam.pk]),
                          {"page": 3, "q": "东张"}).status_code == 200
    star = staff[34]
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:staff_awards",
                                  args=[star.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:exams_office",
                                  args=[township.pk])).status_code == 200


def test_the_browser_import_previews_then_confirms(login, township, office_user, teacher,
                                                   media_root):
    client = login(office_user)
    other = StaffFactory(school=teacher.school, name="同校")
    data = book([score(teacher, "95"), score(other, "70", class_name="2班")])
    url = reverse("evaluation:exams_import", args=[township.pk])
    response = client.post(url, {"workbook": SimpleUploadedFile("成绩.xlsx", data)})
    record = ExamImport.objects.get()
    assert response.url == reverse("evaluation:exams_import_preview", args=[record.pk])
    assert not Exam.objects.exists()
    preview = text(client.get(response.url))
    assert EXAM in preview
    confirm = reverse("evaluation:exams_import_confirm", args=[record.pk])
    response = client.post(confirm, follow=True)
    assert any("1 awards" in m or "1 个奖项" in m or "奖" in m for m in messages_of(response))
    assert Award.objects.get().staff == teacher
    again = client.post(confirm, follow=True)  # a double submit imports once
    assert Award.objects.count() == 1 and messages_of(again)


def test_a_wrong_upload_gives_an_error_workbook(login, township, office_user, teacher,
                                                media_root):
    client = login(office_user)
    data = book([score(teacher, "95"), score(teacher, "95")])  # the same class twice
    client.post(reverse("evaluation:exams_import", args=[township.pk]),
                {"workbook": SimpleUploadedFile("成绩.xlsx", data)})
    record = ExamImport.objects.get()
    assert record.status == ExamImport.Status.REJECTED
    page = text(client.get(reverse("evaluation:exams_import_preview", args=[record.pk])))
    assert "班级" in page
    assert client.post(reverse("evaluation:exams_import_confirm", args=[record.pk])
                       ).status_code == 302
    assert not Exam.objects.exists()
    response = client.get(reverse("evaluation:exams_import_errors", args=[record.pk]))
    sheet = load_workbook(io.BytesIO(response.content))[rules.SCORES_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == rules.ERROR_HEADER and rows[2][-1] and not rows[1][-1]


def test_not_a_workbook_is_refused(login, township, office_user, media_root):
    client = login(office_user)
    response = client.post(reverse("evaluation:exams_import", args=[township.pk]),
                           {"workbook": SimpleUploadedFile("成绩.xlsx", b"not a zip")})
    assert response.status_code == 200 and not ExamImport.objects.exists()


def test_the_browser_export_has_the_spec_columns(login, world, office_user, township):
    response = login(office_user).get(reverse("evaluation:exams_export", args=[township.pk]),
                                      {"exam": world.pk})
    sheet = load_workbook(io.BytesIO(response.content))[rules.AWARDS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == rules.AWARDS_COLUMNS
    assert len(rows) == 1 + Award.objects.count()


def test_the_settings_margin_recomputes(login, world, office_user, township, teacher):
    client = login(office_user)
    response = client.post(reverse("evaluation:exams_settings", args=[township.pk]),
                           {"margin": "20", "objection_days": "5"}, follow=True)
    assert messages_of(response)
    assert Award.objects.get(staff=teacher).kind == AwardKind.STANDARD
    bad = client.post(reverse("evaluation:exams_settings", args=[township.pk]),
                      {"margin": "-1", "objection_days": "5"})
    assert bad.status_code == 200


def test_grounds_entered_listed_and_shown_on_the_teachers_page(login, world, office_user,
                                                                township, teacher,
                                                                teacher_user):
    client = login(office_user)
    response = client.post(reverse("evaluation:exam_ground_new", args=[township.pk]), {
        "staff": teacher.pk, "kind": GroundKind.ARTS_SPORTS, "title": "县运动会团体一等奖",
        "date": "2026-05-20", "note": ""}, follow=True)
    assert messages_of(response)
    ground = OtherGround.objects.get()
    assert ground.entered_by == office_user
    listing = text(client.get(reverse("evaluation:exam_grounds", args=[township.pk]),
                              {"q": "运动会"}))
    assert "县运动会团体一等奖" in listing
    mine = text(login(teacher_user).get(reverse("evaluation:staff_awards", args=[teacher.pk])))
    assert "县运动会团体一等奖" in mine
    client = login(office_user)
    delete = reverse("evaluation:exam_ground_delete", args=[township.pk, ground.pk])
    assert client.get(delete).status_code == 200  # asks first
    client.post(delete)
    assert not OtherGround.objects.exists()


def test_the_teachers_page_counts_toward_model_teacher(login, township, office_user, teacher,
                                                       teacher_user):
    rest = StaffFactory(school=teacher.school, name="同校")
    for number in range(1, 5):
        excellent_exam(office_user, township, teacher, rest, number=number,
                       day=date(2021 + number, 6, 1))
    page = text(login(teacher_user).get(reverse("evaluation:my_awards"), follow=True))
    assert "还差 2 次" in page
    home = text(login(teacher_user).get("/"))
    assert "还差 2 次" in home


def test_a_principal_sees_their_school(login, world, principal_user, school, other_school,
                                       other_principal):
    page = text(login(principal_user).get(reverse("evaluation:exam_school",
                                                  args=[world.pk, school.pk])))
    assert "教师乙" in page and "东张语文1" not in page
    assert login(principal_user).get(reverse("evaluation:exam_school",
                                             args=[world.pk, other_school.pk])).status_code == 403


@pytest.mark.parametrize("name", ["exam", "exams_office", "staff_awards", "exam_grounds",
                                  "exams_import", "exams_export"])
def test_who_may_not_see(client, login, world, name, teacher, teacher_user, other_principal,
                         foreign_office, township):
    args = {"exam": [world.pk], "staff_awards": [teacher.pk]}.get(name, [township.pk])
    url = reverse(f"evaluation:{name}", args=args)
    assert client.get(url).status_code == 302  # anonymous: to the login
    for user in (foreign_office, other_principal) + ((teacher_user,)
                                                     if name != "staff_awards" else ()):
        assert login(user).get(url).status_code == 403, user
    assert login(foreign_office).get(reverse("evaluation:exam", args=[999999])).status_code \
        == 404


def test_another_teachers_awards_are_not_shown(login, world, teacher_user, school):
    other = StaffFactory(school=school, name="别人")
    assert login(teacher_user).get(reverse("evaluation:staff_awards",
                                           args=[other.pk])).status_code == 403


def test_publication_objection_answer_lock_reopen(login, world, office_user, teacher,
                                                  teacher_user, foreign_office):
    client = login(office_user)
    client.post(reverse("evaluation:exam_publish", args=[world.pk]))
    pub = exam_selectors.award_publication(world)
    assert pub.window_closes == timezone.localdate() + timedelta(days=7)
    teacher_client = login(teacher_user)
    url = reverse("evaluation:exam_published", args=[world.pk])
    page = text(teacher_client.get(url))
    assert "教师乙" in page and "东张语文1" in page
    response = teacher_client.post(url, {"item": "三年级语文", "reason": "漏了一个班"},
                                   follow=True)
    assert messages_of(response)
    objection = Objection.objects.get()
    assert objection.staff_id == teacher.pk
    # Not another's row: the choices are the teacher's own grades and subjects.
    teacher_client.post(url, {"item": "四年级数学", "reason": "x"})
    assert Objection.objects.count() == 1
    client = login(office_user)
    lock = client.post(reverse("evaluation:exam_lock", args=[world.pk]), follow=True)
    assert messages_of(lock)  # refused: the window is open
    answer = reverse("evaluation:exam_objection_answer", args=[world.pk, objection.pk])
    assert login(foreign_office).post(answer, {"corrected": "no", "answer": "x"}
                                      ).status_code == 403
    client = login(office_user)
    client.post(answer, {"corrected": "no", "answer": "成绩无误"})
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DECLINED
    exam_services.awards_lock(by=office_user, exam=world, on=pub.window_closes + timedelta(1))
    assert exam_selectors.is_locked(world)
    assert client.get(reverse("evaluation:exam_reopen", args=[world.pk])).status_code == 200
    client.post(reverse("evaluation:exam_reopen", args=[world.pk]), {"reason": "更正成绩"})
    assert not exam_selectors.is_locked(world)


def test_an_unpublished_list_is_not_shown_to_teachers(login, world, teacher_user):
    assert login(teacher_user).get(reverse("evaluation:exam_published",
                                           args=[world.pk])).status_code == 404


def test_another_townships_teacher_does_not_see_the_list(login, world, office_user,
                                                         foreign_school):
    exam_services.awards_publish(by=office_user, exam=world)
    user = UserFactory(username="外镇教师")
    StaffFactory(school=foreign_school, user=user)
    assert login(user).get(reverse("evaluation:exam_published",
                                   args=[world.pk])).status_code == 403
