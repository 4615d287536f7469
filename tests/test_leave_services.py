"""R8 through the services: the authority at its edges and the office's settings,
several steps, nobody deciding their own leave, overlapping requests, approved days
marked, and cancelling restores them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from attendance import demo
from attendance.models import AttendanceRecord, CalendarDay, LeaveDecision, LeaveRequest
from attendance.services import days as days_services
from attendance.services import leave as leave_services
from schools.models import Role

from .factories import StaffFactory, UserFactory, membership
from .leave_world import ask, monday

pytestmark = pytest.mark.usefixtures("english")


def approve(by, leave):
    return leave_services.leave_decide(by=by, leave=leave, approve=True)


def test_three_days_go_to_the_principal_four_to_the_principal_then_the_office(
        teacher, principal_user):
    three = ask(teacher, monday(1), 3)
    four = ask(teacher, monday(2), 4)
    assert (three.steps, three.waiting_for, three.working_days) == (
        ["principal"], "principal", 3)
    assert (four.steps, four.waiting_for, four.working_days) == (
        ["principal", "township_office"], "principal", 4)


def test_weekends_and_holidays_are_not_leave(teacher, township):
    start = monday(1)
    CalendarDay.objects.create(township=township, date=start + timedelta(days=1),
                               working=False, name="节日")
    leave = leave_services.leave_ask(by=teacher.user, staff=teacher, kind="sick_leave",
                                     start_date=start, end_date=start + timedelta(days=7),
                                     reason="病")
    assert leave.working_days == 5  # Mon, Wed–Fri, next Mon, Tue: 6 minus the holiday
    assert leave.steps == ["principal", "township_office"]


def test_a_weekend_only_request_is_refused(teacher):
    saturday = monday(1) + timedelta(days=5)
    with pytest.raises(ValidationError, match="no working day"):
        leave_services.leave_ask(by=teacher.user, staff=teacher, kind="personal_leave",
                                 start_date=saturday, end_date=saturday + timedelta(days=1),
                                 reason="x")


def test_the_offices_settings_and_a_schools_override(teacher, office_user, township, school):
    leave_services.authority_set(by=office_user, township=township, school=None,
                                 up_to_days=1, steps=["principal"])
    leave_services.authority_set(by=office_user, township=township, school=school,
                                 up_to_days=2, steps=["township_office", "principal"])
    assert township.leave_authority.count() == 4  # the default written out, plus two
    assert ask(teacher, monday(1), 1).steps == ["township_office", "principal"]
    assert ask(teacher, monday(2), 3).steps == ["principal"]  # the default row for 3
    assert ask(teacher, monday(3), 5).steps == ["principal", "township_office"]


def test_the_same_row_is_replaced_and_bad_steps_refused(office_user, township):
    leave_services.authority_set(by=office_user, township=township, school=None,
                                 up_to_days=3, steps=["township_office"])
    row = township.leave_authority.get(school=None, up_to_days=3)
    assert row.steps == ["township_office"]
    assert row.history.count() == 2
    for steps, message in (([], "at least one"), (["principal", "principal"], "twice"),
                           (["teacher"], "not the school")):
        with pytest.raises(ValidationError, match=message):
            leave_services.authority_set(by=office_user, township=township, school=None,
                                         up_to_days=2, steps=steps)


def test_a_school_of_another_township_is_refused(office_user, township, foreign_school):
    with pytest.raises(ValidationError, match="not in this township"):
        leave_services.authority_set(by=office_user, township=township,
                                     school=foreign_school, up_to_days=2, steps=["principal"])


def test_two_steps_then_the_days_are_marked(teacher, principal_user, office_user):
    leave = ask(teacher, monday(1), 4, kind="sick_leave")
    leave = approve(principal_user, leave)
    assert (leave.status, leave.step, leave.waiting_for) == ("pending", 1, "township_office")
    assert not AttendanceRecord.objects.exists()
    leave = approve(office_user, leave)
    assert (leave.status, leave.waiting_for) == ("approved", "")
    records = AttendanceRecord.objects.filter(staff=teacher)
    assert [r.date for r in records] == [monday(1) + timedelta(days=i) for i in range(4)]
    assert {(r.status, r.leave_id) for r in records} == {("sick_leave", leave.pk)}
    decisions = list(leave.decisions.values_list("step", "approver", "decided_by__username"))
    assert decisions == [(0, "principal", "principal"), (1, "township_office", "office")]


def test_the_wrong_approver_is_refused(teacher, principal_user, office_user, other_principal):
    leave = ask(teacher, monday(1), 4)
    with pytest.raises(ValidationError, match="not yours"):
        approve(office_user, leave)  # the principal's step comes first
    with pytest.raises(ValidationError, match="not yours"):
        approve(other_principal, leave)


def test_a_rejection_says_why(teacher, principal_user):
    leave = ask(teacher, monday(1), 2)
    with pytest.raises(ValidationError, match="Say why"):
        leave_services.leave_decide(by=principal_user, leave=leave, approve=False, reason=" ")
    leave = leave_services.leave_decide(by=principal_user, leave=leave, approve=False,
                                        reason="期末考试周")
    assert leave.status == "rejected"
    assert leave.decisions.get().reason == "期末考试周"
    assert not AttendanceRecord.objects.exists()


def test_a_principals_own_leave_goes_to_the_office(principal_user, office_user, school):
    own = principal_user.staff_profile
    leave = ask(own, monday(1), 2)
    assert (leave.steps, leave.waiting_for) == (["township_office"], "township_office")
    with pytest.raises(ValidationError, match="Nobody decides their own"):
        approve(principal_user, leave)
    assert approve(office_user, leave).status == "approved"


def test_nobody_approves_their_own_leave_at_the_office(township, school, principal_user):
    clerk = UserFactory(username="clerk")
    membership(clerk, Role.TOWNSHIP_OFFICE, township)
    staff = StaffFactory(school=school, user=clerk)
    leave = approve(principal_user, ask(staff, monday(1), 4))
    assert leave.waiting_for == "township_office"
    with pytest.raises(ValidationError, match="Nobody decides their own"):
        approve(clerk, leave)
    assert LeaveRequest.objects.get(pk=leave.pk).status == "pending"


def test_a_step_is_decided_once(teacher, principal_user):
    leave = ask(teacher, monday(1), 1)
    approve(principal_user, leave)
    with pytest.raises(ValidationError, match="already been decided"):
        approve(principal_user, leave)  # the stale copy of a double submit
    assert LeaveDecision.objects.count() == 1


def test_overlapping_requests_are_refused(teacher, principal_user):
    first = ask(teacher, monday(1), 3)
    with pytest.raises(ValidationError, match="share a day"):
        ask(teacher, monday(1) + timedelta(days=2), 2)
    leave_services.leave_decide(by=principal_user, leave=first, approve=False, reason="不行")
    assert ask(teacher, monday(1) + timedelta(days=2), 2).status == "pending"


def test_several_at_once_each_reported(teacher, principal_user, school):
    other = StaffFactory(school=school, user=UserFactory(username="t2"))
    a, b = ask(teacher, monday(1), 1), ask(other, monday(1), 2)
    approve(principal_user, b)  # decided meanwhile
    outcomes = leave_services.leaves_decide(by=principal_user, ids=[a.pk, b.pk, 999999],
                                            leaves={a.pk: a, b.pk: b}, approve=True)
    assert [o.refusal is None for o in outcomes] == [True, False, False]
    assert "already been decided" in outcomes[1].refusal
    assert "not waiting for you" in outcomes[2].refusal


def test_cancelling_approved_leave_restores_the_days(teacher, principal_user, school):
    start = monday(1)
    days_services.records_put(by=principal_user, marks=[days_services.Mark(
        staff_id=teacher.pk, school_id=school.pk, date=start, status="absent", note="未到")])
    leave = approve(principal_user, ask(teacher, start, 3))
    assert AttendanceRecord.objects.filter(leave=leave).count() == 3
    leave_services.leave_cancel(by=teacher.user, leave=leave)
    records = list(AttendanceRecord.objects.filter(staff=teacher))
    assert [(r.date, r.status, r.note, r.leave_id) for r in records] == [
        (start, "absent", "未到", None)]  # the two days nobody had recorded are removed
    assert LeaveRequest.objects.get(pk=leave.pk).status == "cancelled"
    removed = AttendanceRecord.history.filter(history_type="-")
    assert removed.count() == 2 and {h.history_user for h in removed} == {teacher.user}


def test_a_day_recorded_again_since_is_kept(teacher, principal_user, school):
    start = monday(1)
    leave = approve(principal_user, ask(teacher, start, 2))
    days_services.records_put(by=principal_user, marks=[days_services.Mark(
        staff_id=teacher.pk, school_id=school.pk, date=start, status="present")])
    leave_services.leave_cancel(by=teacher.user, leave=leave)
    assert list(AttendanceRecord.objects.values_list("date", "status")) == [
        (start, "present")]


def test_cancelling_refused_once_the_leave_started(teacher, principal_user):
    leave = approve(principal_user, ask(teacher, monday(1), 1))
    LeaveRequest.objects.filter(pk=leave.pk).update(
        start_date=monday(-1), end_date=monday(-1))
    with pytest.raises(ValidationError, match="has started"):
        leave_services.leave_cancel(by=teacher.user, leave=leave)
    with pytest.raises(ValidationError, match="nothing to cancel"):
        leave_services.leave_cancel(
            by=teacher.user, leave=leave_services.leave_decide(
                by=principal_user, leave=ask(teacher, monday(2), 1), approve=False,
                reason="不"))


def test_a_pending_request_is_cancelled_without_days(teacher):
    leave = leave_services.leave_cancel(by=teacher.user, leave=ask(teacher, monday(1), 2))
    assert (leave.status, leave.waiting_for) == ("cancelled", "")
    assert leave.history.count() == 2


def test_the_demo_leave(township, school, other_school, office_user, principal_user,
                        other_principal):
    for n in range(3):
        StaffFactory(school=school, user=UserFactory(username=f"demo-a{n}"))
        StaffFactory(school=other_school, user=UserFactory(username=f"demo-b{n}"))
    made = demo.seed_leave(township, office_user)
    assert [leave.status for leave in made] == [
        "pending", "pending", "pending", "approved", "rejected"]
    assert made[2].waiting_for == "township_office"
    assert AttendanceRecord.objects.filter(leave=made[3]).count() == 2
    assert made[4].decisions.get().reason
