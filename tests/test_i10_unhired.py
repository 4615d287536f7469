"""Issue 10, "the unhired" in bulk (R7): many enrolled at once, the test scores imported
from sheet 测试成绩 (template, preview, errors, all or nothing), several who passed
assigned at once; and item 5 on the same page: each placement shows whether the post is
the person's subject."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from recruitment.models import Hire, TrainingEnrolment
from recruitment.phases import SELECTION, UNHIRED
from recruitment.services import unhired as unhired_services
from schools.models import FullIdView, Staff

from .factories import adopted_cycle
from .helpers import close_phase, messages_of, open_phase, person, text, url

pytestmark = pytest.mark.usefixtures("english_pages", "media_root")


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def deadline(selecting, office_user):
    """Phase 7 open: everyone of the township is unhired."""
    close_phase(selecting, office_user, SELECTION)
    open_phase(selecting, office_user, UNHIRED)
    return selecting


@pytest.fixture
def music(school):
    """A 音乐 teacher of 夏庄完小."""
    staff = person(school, "音乐丁", born=date(1990, 2, 2))
    Staff.objects.filter(pk=staff.pk).update(subject="音乐", title="二级教师")
    return Staff.objects.get(pk=staff.pk)


def sheet(*rows, name="测试成绩", headers=("身份证号", "姓名", "成绩")) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = name
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, cycle, data):
    return client.post(url("scores_upload", cycle),
                       {"workbook": SimpleUploadedFile("成绩.xlsx", data)})


# --- enrol many at once ----------------------------------------------------------------


def test_the_office_enrols_several_at_once_and_hears_each_refusal(login, office_user, deadline,
                                                                  mover, music):
    unhired_services.training_enrol(by=office_user, cycle=deadline, staff=music)

    response = login(office_user).post(url("trainings_enrol", deadline),
                                       {"staff": [mover.pk, music.pk]}, follow=True)

    assert messages_of(response) == [
        "1 person enrolled in the training class: 青年丙.",
        "音乐丁: 音乐丁 is already enrolled."]
    assert TrainingEnrolment.objects.get(staff=mover).enrolled_by == office_user
    assert 'form="enrol-many" name="staff"' in text(response)


def test_only_the_office_enrols_several(login, principal_user, deadline, mover):
    response = login(principal_user).post(url("trainings_enrol", deadline), {"staff": [mover.pk]})

    assert response.status_code == 403
    assert not TrainingEnrolment.objects.exists()


# --- the score sheet --------------------------------------------------------------------


@pytest.fixture
def trainees(deadline, office_user, mover, music):
    return [unhired_services.training_enrol(by=office_user, cycle=deadline, staff=s)
            for s in (mover, music)]


def test_the_template_lists_the_class_and_records_the_full_ids(login, office_user, deadline,
                                                               trainees, mover):
    response = login(office_user).get(url("scores_template", deadline))

    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["测试成绩"].values)
    assert rows[0] == ("身份证号", "姓名", "成绩")
    assert {r[:2] for r in rows[1:]} == {(s.resident_id, s.name)
                                         for s in (mover, trainees[1].staff)}
    assert FullIdView.objects.get().viewer == office_user


def test_a_right_sheet_is_previewed_then_recorded_all_at_once(login, office_user, deadline,
                                                               trainees, mover, music):
    client = login(office_user)

    preview = upload(client, deadline, sheet((mover.resident_id, "青年丙", 75),
                                             (music.resident_id, "", "58")))

    assert preview.status_code == 200
    assert "2 scores to record." in text(preview)
    assert not TrainingEnrolment.objects.exclude(score=None).exists()
    checked = preview.context["checked"]

    done = client.post(url("scores_confirm", deadline), {"checked": checked}, follow=True)

    assert messages_of(done) == ["2 test scores recorded from the sheet."]
    scores = {e.staff_id: (e.score, e.scored_by) for e in TrainingEnrolment.objects.all()}
    assert scores == {mover.pk: (75, office_user), music.pk: (58, office_user)}
    enrolment = TrainingEnrolment.objects.get(staff=mover)
    assert enrolment.history.first().history_user == office_user


def test_a_wrong_row_records_nothing_and_each_error_is_shown(login, office_user, deadline,
                                                              trainees, mover, music, teacher):
    client = login(office_user)

    preview = upload(client, deadline, sheet((mover.resident_id, "青年丙", 101),
                                             (teacher.resident_id, "教师乙", 80),
                                             (music.resident_id, "", 70),
                                             (music.resident_id, "", 71)))

    errors = [str(e) for e in preview.context["errors"]]
    assert errors == [
        "测试成绩 row 2, 成绩: must be at most 100",
        "测试成绩 row 3, 身份证号: nobody in this cycle's training class has this ID",
        "测试成绩 row 5, 身份证号: the same person already appears in row 4"]
    assert preview.context["checked"] is None
    assert "Confirm and record" not in text(preview)
    assert not TrainingEnrolment.objects.exclude(score=None).exists()
    workbook = client.get(url("scores_errors", deadline, preview.context["errors_token"]))
    rows = list(load_workbook(io.BytesIO(workbook.content))["测试成绩"].values)
    assert rows[0][-1] == "错误" and rows[1][-1] == "成绩: must be at most 100"


def test_a_changed_confirmation_is_refused(login, office_user, deadline, trainees, mover):
    client = login(office_user)
    checked = upload(client, deadline, sheet((mover.resident_id, "", 75))).context["checked"]

    done = client.post(url("scores_confirm", deadline), {"checked": checked[:-2] + "xx"},
                       follow=True)

    assert messages_of(done) == ["The checked sheet is too old or was changed; upload it again."]
    assert not TrainingEnrolment.objects.exclude(score=None).exists()


# --- assign several who passed, and the subject match (item 5) -------------------------


def test_several_who_passed_are_reviewed_then_assigned(login, office_user, deadline, trainees,
                                                       posts, mover, music):
    for enrolment, score in zip(trainees, (75, 40), strict=True):
        unhired_services.training_score(by=office_user, enrolment=enrolment, score=score)
    post = posts["there"][0]  # 语文
    client = login(office_user)
    page = client.get(url("unhired", deadline))
    row = text(page).split(f'id="staff-{mover.pk}"')[1].split("</tr>")[0]
    assert f'<option value="{post.pk}">✓ 东张完小' in row

    review = client.post(url("trainees_assign", deadline),
                         {f"post-{trainees[0].pk}": post.pk, f"post-{trainees[1].pk}": post.pk})

    assert review.status_code == 200 and not Hire.objects.exists()
    assert "Assign these 2 trainees?" in text(review)
    assert "Not their subject: a 音乐 teacher for a 语文 post." in text(review)

    done = client.post(url("trainees_assign", deadline),
                       {f"post-{trainees[0].pk}": post.pk, f"post-{trainees[1].pk}": post.pk,
                        "confirmed": "1"}, follow=True)

    assert messages_of(done) == [
        "1 trainee assigned: 青年丙.",
        "音乐丁: Only trainees who passed the test (60) are assigned."]
    assert Hire.objects.get().staff == mover
