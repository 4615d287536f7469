"""Reads of teacher-qualification certification (教师资格认定, R13): a county's
applications waiting at each check, searched and paginated; an application's checks and
who saw its full ID; the export's rows; the county office's home card."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from evaluation import access
from evaluation.models import (
    QualificationApplication,
    QualificationCheck,
    QualificationIdView,
    QualificationState,
)
from schools.models import County, Staff

PER_PAGE = 50
# The tabs of the county's list: each check's waiting list, then the ended ones.
TABS = [QualificationState.CERTIFICATES, QualificationState.PHYSICAL,
        QualificationState.DECISION, QualificationState.CERTIFIED, QualificationState.FAILED]
# An export holds at most this many applications (a county enters a few thousand a year).
EXPORT_MAX_ROWS = 20000


def _checks() -> Prefetch:
    return Prefetch("checks", queryset=QualificationCheck.objects.select_related(
        "checked_by__staff_profile").order_by("checked_at", "pk"))


def applications_of(user, county: County, *, state: str | None = None,
                    query: str = "") -> QuerySet[QualificationApplication]:
    """The county's applications in ``state`` (all when None), searched by a name (its
    part) or the ID as ``access.applicant_id_q`` allows; oldest applied first; their
    checks and who entered them in one more query each."""
    found = (QualificationApplication.objects.filter(county=county)
             .select_related("entered_by__staff_profile", "staff__school")
             .prefetch_related(_checks()).order_by("applied_on", "pk"))
    if state:
        found = found.filter(state=state)
    query = query.strip()
    if query:
        found = found.filter(Q(name__icontains=query)
                             | access.applicant_id_q(user, county.pk, query))
    return found


def applications_page(user, county: County, *, state: str | None, query: str = "",
                      page=None) -> Page:
    return Paginator(applications_of(user, county, state=state, query=query),
                     PER_PAGE).get_page(page)


def state_counts(county: County) -> dict[str, int]:
    """How many of the county's applications are in each state (one query)."""
    counts = dict(QualificationApplication.objects.filter(county=county)
                  .values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in QualificationState.values}


def waiting_at(county: County, state: str, ids) -> list[QualificationApplication]:
    """Those of ``ids`` that are the county's and wait at ``state`` (a bulk's choice)."""
    return list(QualificationApplication.objects.filter(county=county, state=state,
                                                        pk__in=ids).order_by("applied_on",
                                                                             "pk"))


def staff_by_ids(county: County, numbers) -> dict[str, Staff]:
    """The county's staff whose resident IDs are among ``numbers``, by ID (one query)."""
    return {s.resident_id: s for s in Staff.objects.filter(
        resident_id__in=set(numbers), school__township__county=county)}


def id_views_of(application: QualificationApplication) -> list[QualificationIdView]:
    return list(application.id_views.select_related("viewer__staff_profile")[:20])


def id_views_of_county(county: County, page=None) -> Page:
    views = (QualificationIdView.objects.filter(county=county)
             .select_related("viewer__staff_profile", "application"))
    return Paginator(views, PER_PAGE).get_page(page)


def last_check(application: QualificationApplication) -> QualificationCheck | None:
    """The latest check recorded (from the prefetched checks): a failed one is the
    reason the application ended."""
    checks = list(application.checks.all())
    return checks[-1] if checks else None


def export_rows(applications, *, full_ids: bool) -> list[list]:
    """One row per application: its facts, ID masked unless ``full_ids``, and each check's
    outcome, date and note."""
    rows = []
    for a in applications[:EXPORT_MAX_ROWS]:
        checks = {c.step: c for c in a.checks.all()}
        row = [a.name, a.resident_id if full_ids else a.masked_id, a.phone, a.kind,
               a.subject, a.staff.school.name if a.staff else "", a.applied_on,
               str(a.get_state_display()), a.certificate_number]
        for step in ("certificates", "physical", "decision"):
            check = checks.get(step)
            row += ([("通过" if check.passed else "不通过"), check.checked_at.date(),
                     check.note] if check else ["", "", ""])
        rows.append(row)
    return rows


def home_of(user) -> dict:
    """What the home page shows this login of the part
    (templates/evaluation/qualifications/_home.html): for a county office, each of its
    counties with how many applications wait at each check."""
    county_ids = access.title_counties(user)
    if not county_ids:
        return {}
    counties = list(County.objects.filter(pk__in=county_ids).order_by("name")[:10])
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in counties}
    for county_id, state, n in (QualificationApplication.objects
                                .filter(county__in=counties)
                                .values_list("county_id", "state").annotate(n=Count("pk"))
                                .values_list("county_id", "state", "n")):
        counts[county_id][state] = n
    return {"counties": [(c, counts[c.pk]) for c in counties]}
