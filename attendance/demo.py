"""The demo township carried into September (seed_demo): contracts, two weeks of
attendance, leave requests."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from attendance import rules
from attendance.models import AttendanceRecord, AttendanceStatus, Contract, CopyKind, LeaveRequest
from attendance.selectors import days as days_selectors
from attendance.services import contracts as contract_services
from attendance.services import days as days_services
from attendance.services import leave as leave_services
from attendance.services import month as month_services
from recruitment.models import Cycle, PhaseState
from recruitment.phases import ATTENDANCE, CONTRACTS
from recruitment.selectors import common as common_selectors
from schools.models import Membership, Role, Staff, Township


def _working_start(day: date, weeks: int) -> date:
    """A Monday ``weeks`` weeks from ``day``'s week (negative: before)."""
    return day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)


def seed_leave(township: Township, office_user) -> list[LeaveRequest]:
    """R8's demo: teachers of the township's schools with a login ask for leave through
    the service: three waiting (two for their principal, one of four days past its
    principal and waiting for the office), one approved (its days marked), one rejected
    with its reason. Schools without a principal's login are passed over."""
    principals = {m.school_id: m.user for m in Membership.objects.filter(
        role=Role.PRINCIPAL, school__township=township).select_related("user")}
    staff = list(Staff.objects.filter(school__township=township, school_id__in=principals,
                                      user__isnull=False)
                 .exclude(user_id__in=[u.pk for u in principals.values()])
                 .select_related("school__township", "user").order_by("school_id", "pk")[:5])
    today = timezone.localdate()
    plans = [  # (weeks ahead, working days, kind, reason, then)
        (1, 1, "personal_leave", "孩子开家长会", None),
        (1, 2, "sick_leave", "感冒发烧，需就医", None),
        (2, 4, "official", "参加县教研室组织的培训", "principal"),
        (2, 2, "sick_leave", "牙科复诊", "approve"),
        (3, 3, "personal_leave", "回老家办事", "reject"),
    ]
    made = []
    for person, (weeks, days, kind, reason, then) in zip(staff, plans, strict=False):
        start = _working_start(today, weeks)
        leave = leave_services.leave_ask(
            by=person.user, staff=person, kind=kind,
            start_date=start, end_date=start + timedelta(days=days - 1), reason=reason)
        principal = principals[person.school_id]
        if then in ("principal", "approve"):
            leave = leave_services.leave_decide(by=principal, leave=leave, approve=True)
        if then == "approve" and leave.status == LeaveRequest.Status.PENDING:
            leave = leave_services.leave_decide(by=office_user, leave=leave, approve=True)
        if then == "reject":
            leave = leave_services.leave_decide(by=principal, leave=leave, approve=False,
                                                reason="本周有期中考试，请改期")
        made.append(leave)
    return made



# A realistic few exceptions a day: most are present; now and then someone is late,
# leaves early, is off sick or on official duty; absence without leave is rare.
_EXCEPTIONS = [
    (AttendanceStatus.LATE, 0.02, "路上堵车"),
    (AttendanceStatus.LEFT_EARLY, 0.008, "家中有事"),
    (AttendanceStatus.SICK_LEAVE, 0.01, "感冒发烧"),
    (AttendanceStatus.PERSONAL_LEAVE, 0.005, "处理家事"),
    (AttendanceStatus.OFFICIAL, 0.01, "参加县教研活动"),
    (AttendanceStatus.ABSENT, 0.002, ""),
]


def seed_days(township: Township, first_day: date, last_day: date, office_user,
              *, seed: int = 11) -> days_services.Written:
    """Every working day from ``first_day`` to ``last_day`` for every staff member of the
    township, through ``records_put`` (as the day pages would), recorded by
    ``office_user``. Deterministic for a seed."""
    rng = random.Random(seed)
    staff = list(Staff.objects.filter(school__township=township)
                 .order_by("pk").values_list("pk", "school_id"))
    marks = []
    for day in days_selectors.working_days(township, first_day, last_day):
        for staff_id, school_id in staff:
            status, note = AttendanceStatus.PRESENT, ""
            roll = rng.random()
            for state, share, why in _EXCEPTIONS:
                if roll < share:
                    status, note = state, why
                    break
                roll -= share
            marks.append(days_services.Mark(staff_id, school_id, day, status, note))
    return days_services.records_put(by=office_user, marks=marks,
                                     reason=days_services.DAY_REASON)


TERM_WEEKS = 2  # the weeks of records at the ``term`` stage


def seed_term(township: Township, *, stage: str | None = None) -> list:
    """``seed_demo``'s Step 3 (settings.DEMO_SEED_STEPS): once the demo cycle's phase 9
    is open (the ``term`` stage), the term's working days up to yesterday are recorded,
    the contracts drawn up and partly signed and filed, and a few leave requests asked
    (some waiting). Skipped at the earlier stages, and once the township has records."""
    cycle = Cycle.objects.filter(township=township).order_by("-school_year").first()
    if cycle is None or common_selectors.phase_of(cycle, ATTENDANCE).state != PhaseState.OPEN:
        return []
    if AttendanceRecord.objects.filter(school__township=township).exists():
        return []
    office = get_user_model().objects.get(username="office")
    term_start = common_selectors.phase_of(cycle, CONTRACTS).start_date
    # The term's first two weeks, none of them after yesterday.
    last_day = min(term_start + timedelta(days=TERM_WEEKS * 7 - 1),
                   timezone.localdate() - timedelta(days=1))
    seed_days(township, term_start, last_day, office)
    seed_weeks(township, term_start, last_day, office)
    seed_contracts(cycle, office)
    seed_leave(township, office)
    return []


def seed_contracts(cycle, office_user) -> dict[str, int]:
    """Phase 8 in the demo township: every hire's contract drawn up from the default
    template; at each school about two thirds signed in all three copies, and of those
    about three quarters filed in all three (recorded by ``office_user``), so the office's
    overview shows signed, filed and past-the-deadline contracts side by side. Needs
    phase 7 closed. Returns how many contracts it drew up and copies it
    recorded signed and filed."""
    drawn = contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    contracts = list(Contract.objects.filter(cycle=cycle).order_by("school_id", "pk"))
    signed = [c for i, c in enumerate(contracts) if i % 3 != 2]
    filed = [c for i, c in enumerate(signed) if i % 4 != 3]
    done = {}
    for action, chosen in ((contract_services.SIGN, signed), (contract_services.FILE, filed)):
        done[action] = contract_services.copies_mark(
            by=office_user, contracts=chosen, kinds=CopyKind.values, action=action,
            office=True).done if chosen else 0
    # Copies recorded now (a second run records none).
    return {"drawn_up": drawn, "signed": done[contract_services.SIGN],
            "filed": done[contract_services.FILE]}


def seed_weeks(township: Township, first_day: date, last_day: date, office_user) -> int:
    """Each school's weeks from ``first_day`` to ``last_day`` published to its staff and
    reported to the office (周公示) by its principal (the office where a school has no
    principal's login), except the last week at every third school, so the office's
    board shows some not yet published. Returns how many were published."""
    heads = {m.school_id: m.user for m in Membership.objects.filter(
        role=Role.PRINCIPAL, school__township=township).select_related("user")}
    mondays = []
    monday = rules.week_start(first_day)
    while monday <= last_day:
        mondays.append(monday)
        monday += timedelta(days=7)
    published = 0
    for index, school in enumerate(township.schools.order_by("name")):
        weeks = mondays[:-1] if index % 3 == 2 else mondays
        for monday in weeks:
            month_services.week_publish(by=heads.get(school.pk, office_user), school=school,
                                        monday=monday, on=last_day + timedelta(days=1))
            published += 1
    return published
