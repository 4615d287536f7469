"""The demo township carried into September (seed_demo): contracts, two weeks of
attendance, leave requests."""

from __future__ import annotations

import random
from datetime import date

from attendance.models import AttendanceStatus
from attendance.selectors import days as days_selectors
from attendance.services import days as days_services
from schools.models import Staff, Township

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
