"""The month's pure rules (attendance/rules.py): counts in the spec's order, deductions
against hand-counted cases, the objection window on the calendar, month texts."""

from datetime import date
from decimal import Decimal

import pytest

from attendance import rules
from attendance.models import AttendanceStatus

RATES = rules.DeductionRates(absent=Decimal("100"), free_late_early=2, late_early=Decimal("20"),
                             sick_allowance=2, sick=Decimal("30"), personal_allowance=1,
                             personal=Decimal("50"))


def test_the_rules_keep_the_spec_s_order_of_states():
    assert tuple(AttendanceStatus.values) == rules.STATE_ORDER


def test_counts_in_the_spec_s_order_then_the_days_recorded():
    assert rules.month_counts({"absent": 2, "present": 18, "late": 1}) == (18, 1, 0, 0, 0, 0,
                                                                          2, 21)


@pytest.mark.parametrize(("counts", "expected"), [
    # 2 旷工 × 100; 3 late + 1 early − 2 free = 2 × 20; 3 sick − 2 = 1 × 30; 1 personal free
    ({"absent": 2, "late": 3, "left_early": 1, "sick_leave": 3, "personal_leave": 1},
     ("200", "40", "30", "0", "270")),
    # within every allowance: nothing
    ({"present": 20, "late": 1, "left_early": 1, "sick_leave": 2, "personal_leave": 1},
     ("0", "0", "0", "0", "0")),
    # 公假 never costs; 4 personal − 1 = 3 × 50
    ({"official": 5, "personal_leave": 4}, ("0", "0", "0", "150", "150")),
])
def test_deductions_against_hand_counted_months(counts, expected):
    d = rules.deductions(counts, RATES)

    assert tuple(str(v) for v in (d.absent, d.late_early, d.sick, d.personal, d.total)) == expected


def test_the_window_counts_working_days_on_the_calendar():
    holiday = {date(2026, 10, d): False for d in range(1, 8)} | {date(2026, 10, 10): True}

    assert rules.objection_window_closes(date(2026, 9, 30), 3, {}) == date(2026, 10, 5)
    assert rules.objection_window_closes(date(2026, 9, 30), 3, holiday) == date(2026, 10, 10)


@pytest.mark.parametrize("text", ["2026-13", "2026-9", "26-09", "２０２６-09", "2026/09", "",
                                  "1e10-01"])
def test_a_month_text_is_yyyy_mm_or_nothing(text):
    assert rules.parse_month(text) is None


def test_months_and_weeks():
    assert rules.parse_month("2026-09") == (2026, 9)
    assert rules.month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
    assert rules.months_before(2026, 2, 3) == [(2025, 12), (2026, 1), (2026, 2)]
    assert rules.month_shift(2026, 12, 1) == (2027, 1)
    assert rules.week_start(date(2026, 9, 13)) == date(2026, 9, 7)
