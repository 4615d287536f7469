"""Reads of the weekly and monthly publications (周公示、月兑现) and of the absence chart.

``month_figures`` is the township's month in three GROUP BY queries whatever its size
(10,000 staff × 22 days is 220,000 records and at most 70,000 grouped rows); the month
page reads one page of staff at a time in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from attendance import rules, workflow
from attendance.models import AttendanceRecord, AttendanceSettings
from attendance.models.days import NOT_AT_WORK
from attendance.selectors import days as days_selectors
from schools import access as school_access
from schools import resident_id
from schools.models import School, Staff, Township
from staffing import publication
from staffing.models import Objection, Publication

PER_PAGE = 50


def rates_of(settings: AttendanceSettings) -> rules.DeductionRates:
    return rules.DeductionRates(
        absent=settings.absent_deduction, free_late_early=settings.free_late_early,
        late_early=settings.late_early_deduction, sick_allowance=settings.sick_allowance,
        sick=settings.sick_deduction, personal_allowance=settings.personal_allowance,
        personal=settings.personal_deduction)


def records_of_month(township: Township | None, year: int, month: int) -> QuerySet:
    first, last = rules.month_bounds(year, month)
    records = AttendanceRecord.objects.filter(date__range=(first, last))
    if township is not None:
        records = records.filter(school__township=township)
    return records


@dataclass
class StaffMonth:
    """One staff member's month: the spec's counts and, given the rates, deductions."""

    staff_id: int
    name: str
    resident_id: str
    masked_id: str
    school_name: str
    counts: dict[str, int]
    deductions: rules.Deductions | None = None

    @property
    def row(self) -> tuple[int, ...]:
        """The seven counts in the spec's order, then the days recorded."""
        return rules.month_counts(self.counts)


@dataclass
class SchoolMonth:
    school_id: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    staff: int = 0
    absent_staff: int = 0  # staff with at least one 旷工 day

    @property
    def row(self) -> tuple[int, ...]:
        return rules.month_counts(self.counts)


@dataclass
class MonthFigures:
    year: int
    month: int
    staff: list[StaffMonth]
    schools: list[SchoolMonth]


def _staff_rows(records: QuerySet, staff: QuerySet) -> list[StaffMonth]:
    counts: dict[int, dict[str, int]] = {}
    for staff_id, status, n in (records.values("staff_id", "status").annotate(n=Count("pk"))
                                .order_by().values_list("staff_id", "status", "n")):
        counts.setdefault(staff_id, {})[status] = n
    return [StaffMonth(staff_id=pk, name=name, resident_id=rid,
                       masked_id=resident_id.mask(rid), school_name=school,
                       counts=counts.get(pk, {}))
            for pk, name, rid, school in staff.values_list("pk", "name", "resident_id",
                                                            "school__name")]


def school_months(records: QuerySet) -> list[SchoolMonth]:
    """Per school (the school the days were recorded at): the days in each state, the
    staff recorded and the staff with a 旷工 day (two GROUP BY queries)."""
    schools: dict[int, SchoolMonth] = {}
    for pk, name, staff_n, absent_n in (
            records.values("school_id", "school__name")
            .annotate(staff_n=Count("staff_id", distinct=True),
                      absent_n=Count("staff_id", distinct=True,
                                     filter=Q(status__in=NOT_AT_WORK)))
            .order_by("school__name")
            .values_list("school_id", "school__name", "staff_n", "absent_n")):
        schools[pk] = SchoolMonth(pk, name, staff=staff_n, absent_staff=absent_n)
    for pk, status, n in (records.values("school_id", "status").annotate(n=Count("pk"))
                          .order_by().values_list("school_id", "status", "n")):
        schools[pk].counts[status] = n
    return list(schools.values())


def month_figures(township: Township | None, year: int, month: int, *,
                  rates: rules.DeductionRates | None = None) -> MonthFigures:
    """Every staff member with any record that month (the spec's sheet, 月汇总) and the
    schools' figures: four queries, whatever the number of staff and days. With
    ``rates``, each staff member's deductions too. ``township=None`` is every township
    (the command without ``--township``)."""
    records = records_of_month(township, year, month)
    staff = (Staff.objects.filter(pk__in=records.values("staff_id"))
             .order_by("school__name", "name", "pk"))
    rows = _staff_rows(records, staff)
    if rates is not None:
        for row in rows:
            row.deductions = rules.deductions(row.counts, rates)
    return MonthFigures(year, month, rows, school_months(records))


def staff_page(user, township: Township, year: int, month: int, *, query: str, page,
               rates: rules.DeductionRates) -> tuple[Page, list[StaffMonth]]:
    """One page of the month's staff (searchable by name or the ID's last four), with
    their counts and deductions: three queries per page."""
    records = records_of_month(township, year, month)
    staff = Staff.objects.filter(pk__in=records.values("staff_id"))
    query = query.strip()
    if query:
        staff = staff.filter(Q(name__icontains=query)
                             | school_access.id_search_q(user, query))
    paginator = Paginator(staff.order_by("school__name", "name", "pk").values_list(
        "pk", flat=True), PER_PAGE)
    found = paginator.get_page(page)
    ids = list(found.object_list)
    rows = _staff_rows(records.filter(staff_id__in=ids),
                       Staff.objects.filter(pk__in=ids).order_by("school__name", "name", "pk"))
    for row in rows:
        row.deductions = rules.deductions(row.counts, rates)
    return found, rows


# ---- the month's publication ------------------------------------------------------------


def month_publication(township: Township, year: int, month: int) -> Publication | None:
    return publication.publication_of(workflow.MONTH_PUBLICATION, township.pk,
                                      rules.month_key(year, month))


def last_working_day(township: Township, year: int, month: int) -> date:
    first, last = rules.month_bounds(year, month)
    days = days_selectors.working_days(township, first, last)
    return days[-1] if days else last


def window_closes(township: Township, on: date, count: int) -> date:
    """The last day of an objection window that opens ``on``: the ``count``-th working day
    after it on the township's calendar (one query)."""
    exceptions = days_selectors.calendar_exceptions(township, on,
                                                    on + timedelta(days=count * 7 + 60))
    return rules.objection_window_closes(on, count, exceptions)


def school_objections(school: School, pub: Publication | None) -> list[Objection]:
    if pub is None:
        return []
    return list(publication.objections_of(pub).filter(staff__school=school))


def records_by_day(staff: Staff, first: date, last: date) -> list[AttendanceRecord]:
    return list(AttendanceRecord.objects.filter(staff=staff, date__range=(first, last))
                .order_by("date"))


def records_at(objections: list[Objection]) -> dict[tuple[int, str], AttendanceRecord]:
    """(staff id, date text) → the record an objection is about (one query)."""
    if not objections:
        return {}
    days = [date.fromisoformat(o.item) for o in objections]
    found = AttendanceRecord.objects.filter(staff_id__in={o.staff_id for o in objections},
                                            date__range=(min(days), max(days)))
    return {(r.staff_id, r.date.isoformat()): r for r in found}


def own_objections(staff: Staff, pub: Publication | None) -> list[Objection]:
    if pub is None:
        return []
    return list(pub.objections.filter(staff=staff).select_related("answered_by"))


# ---- the week (周公示) --------------------------------------------------------------------


def recent_weeks(on: date, count: int) -> list[date]:
    """The Mondays of the last ``count`` weeks that have begun, latest first."""
    monday = rules.week_start(on)
    return [monday - timedelta(weeks=i) for i in range(count)]


@dataclass
class WeekRow:
    school: School
    published: list[Publication | None]


def week_board(township: Township, mondays: list[date]) -> list[WeekRow]:
    """Each school of the township and, for each week, its publication or None (two
    queries)."""
    found = publication.school_publications(workflow.WEEK_PUBLICATION, township.pk,
                                            [m.isoformat() for m in mondays])
    return [WeekRow(school, [found.get((school.pk, m.isoformat())) for m in mondays])
            for school in township.schools.order_by("name")]


def school_weeks(school: School, mondays: list[date]) -> list[tuple[date, Publication | None]]:
    found = publication.school_publications(workflow.WEEK_PUBLICATION, school.township_id,
                                            [m.isoformat() for m in mondays])
    return [(m, found.get((school.pk, m.isoformat()))) for m in mondays]


def week_publication(school: School, monday: date) -> Publication | None:
    return publication.publication_of(workflow.WEEK_PUBLICATION, school.township_id,
                                      monday.isoformat(), school.pk)


# ---- the absence chart --------------------------------------------------------------------


@dataclass
class Absence:
    months: list[tuple[int, int]]
    township: dict[tuple[int, int], int]  # month → staff with a 旷工 day
    schools: list[tuple[str, dict[tuple[int, int], int]]]


def absence_by_month(township: Township, months: list[tuple[int, int]]) -> Absence:
    """Staff not at work per month (those with at least one 旷工 day: the seeds' "nearly
    100 staff not at work" counts people), for the township and per school: two GROUP BY
    queries over the months."""
    first = rules.month_bounds(*months[0])[0]
    last = rules.month_bounds(*months[-1])[1]
    absent = AttendanceRecord.objects.filter(school__township=township,
                                             date__range=(first, last),
                                             status__in=NOT_AT_WORK)
    total = {(m.year, m.month): n for m, n in absent.annotate(m=TruncMonth("date"))
             .values("m").annotate(n=Count("staff_id", distinct=True)).order_by()
             .values_list("m", "n")}
    per_school: dict[str, dict] = {}
    for name, m, n in (absent.annotate(m=TruncMonth("date"))
                       .values("school__name", "m")
                       .annotate(n=Count("staff_id", distinct=True)).order_by()
                       .values_list("school__name", "m", "n")):
        per_school.setdefault(name, {})[(m.year, m.month)] = n
    return Absence(months, total, sorted(per_school.items()))

