"""Reads for the schools pages and exports: scoped through ``access``, prefetched,
paginated, with a query count that does not grow with the rows."""

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import access
from .models import (
    Assignment,
    FullIdView,
    LoginUnlock,
    Position,
    RosterImport,
    School,
    SchoolKind,
    Staff,
    Township,
)

STAFF_PER_PAGE = 50
SCHOOLS_PER_PAGE = 100
ROSTER_IMPORTS_SHOWN = 20
FULL_ID_VIEWS_SHOWN = 50
FULL_ID_VIEWS_PER_PAGE = 50


def _school_counts(schools: QuerySet[School]) -> QuerySet[School]:
    """Each school with ``staff_count`` and ``difference`` (staff − establishment:
    below zero a shortfall, above a surplus)."""
    # Meta.ordering is dropped under GROUP BY: order explicitly, centres first.
    kind_order = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(SchoolKind.values)),
        output_field=IntegerField(),
    )
    return (
        schools.select_related("township")
        .annotate(staff_count=Count("staff"))
        .annotate(difference=F("staff_count") - F("establishment"))
        .order_by("township__name", kind_order, "name")
    )


def schools_with_counts(user) -> QuerySet[School]:
    """The schools this login reviews, with their staff count against establishment."""
    return _school_counts(access.schools_reviewed(user))


def school_page(user, *, page=None) -> Page:
    return Paginator(schools_with_counts(user), SCHOOLS_PER_PAGE).get_page(page)


def liaison_schools(user) -> QuerySet[School]:
    """The schools a liaison covers (their home page)."""
    return _school_counts(School.objects.filter(pk__in=access.scope_of(user).liaison_school_ids))


def principal_schools(user) -> QuerySet[School]:
    """The schools a principal leads (their home page)."""
    return _school_counts(School.objects.filter(pk__in=access.scope_of(user).principal_school_ids))


def school_get(user, pk) -> School:
    """One reviewed school with its counts; 404 outside the login's scope."""
    return get_object_or_404(schools_with_counts(user), pk=pk)


def _open_positions() -> Prefetch:
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(end_date__isnull=True),
        to_attr="open_positions",
    )


def staff_search(user, staff: QuerySet[Staff], query: str) -> QuerySet[Staff]:
    """Match name, subject or professional title, or the resident ID as
    ``access.id_search_q`` allows: its last four, or the whole number for those who may
    see it."""
    query = query.strip()
    if not query:
        return staff
    match = Q(name__icontains=query) | Q(subject__icontains=query) | Q(title__icontains=query)
    return staff.filter(match | access.id_search_q(user, query))


def school_staff_page(user, school: School, *, query: str = "", page=None) -> Page:
    """A school's staff, searched, 50 a page, each with their open position."""
    staff = (
        Staff.objects.filter(school=school)
        .prefetch_related(_open_positions())
        .order_by("name", "resident_id")
    )
    return Paginator(staff_search(user, staff, query), STAFF_PER_PAGE).get_page(page)


def staff_get(user, pk) -> Staff:
    """One staff record this login may read; 404 otherwise."""
    return get_object_or_404(
        access.staff_visible(user).select_related("school__township", "user"), pk=pk
    )


def own_staff(user) -> Staff | None:
    """The login's own staff record (a teacher's home page)."""
    staff_id = access.scope_of(user).staff_id
    if staff_id is None:
        return None
    return (
        Staff.objects.select_related("school")
        .prefetch_related(_open_positions())
        .filter(pk=staff_id)
        .first()
    )


def school_visible(user, school_id) -> bool:
    return access.schools_reviewed(user).filter(pk=school_id).exists()


def staff_positions(staff: Staff) -> QuerySet[Position]:
    """Leadership positions held, newest first (R3, R4 need the history)."""
    return staff.positions.select_related("school").order_by("-start_date", "-pk")


def staff_assignments(staff: Staff) -> QuerySet[Assignment]:
    """Assignments held (上岗), the current one first: where a cycle's outcome put the
    person, from where, as what."""
    return (staff.assignments.select_related("school", "previous_school")
            .order_by("-start_date", "-pk"))


def full_id_views(staff: Staff) -> QuerySet[FullIdView]:
    """Who looked at this staff member's full resident ID, newest first."""
    return staff.full_id_views.select_related("viewer").order_by("-viewed_at")[:FULL_ID_VIEWS_SHOWN]


def township_overview(user) -> QuerySet[Township]:
    """The townships an office manages, each with its schools, establishment and staff."""
    staff_count = (
        Staff.objects.filter(school__township=OuterRef("pk"))
        .order_by()
        .values("school__township")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        access.townships_managed(user)
        .select_related("county")
        .annotate(
            school_count=Count("schools"),
            establishment_total=Coalesce(
                Sum("schools__establishment"), Value(0), output_field=IntegerField()
            ),
            staff_count=Coalesce(Subquery(staff_count), Value(0), output_field=IntegerField()),
        )
        .annotate(difference=F("staff_count") - F("establishment_total"))
        .order_by("county__name", "name")
    )


def township_get(user, pk) -> Township:
    """A township whose office work this login does; 404 otherwise."""
    return get_object_or_404(access.townships_managed(user), pk=pk)


def township_staff_count(township: Township) -> int:
    """How many staff a township's roster holds (the rows of its export)."""
    return Staff.objects.filter(school__township=township).count()


def full_id_views_of_townships(user, *, page=None) -> Page:
    """Every showing or export of full resident IDs in the townships this login
    manages, newest first, a page at a time (the office's own list)."""
    views = (
        FullIdView.objects.filter(township__in=access.townships_managed(user).values("pk"))
        .select_related("viewer", "township", "staff__school")
        .order_by("-viewed_at", "-pk")
    )
    return Paginator(views, FULL_ID_VIEWS_PER_PAGE).get_page(page)


def roster_imports(user) -> QuerySet[RosterImport]:
    """The latest uploads to the townships this login manages."""
    return (
        RosterImport.objects.filter(township__in=access.townships_managed(user))
        .select_related("township", "uploaded_by", "committed_by", "task")
        .order_by("-uploaded_at", "-pk")[:ROSTER_IMPORTS_SHOWN]
    )


def roster_import_get(user, pk) -> RosterImport:
    """One upload to a township this login manages; 404 otherwise."""
    return get_object_or_404(
        RosterImport.objects.filter(township__in=access.townships_managed(user)).select_related(
            "township", "uploaded_by", "committed_by", "queued_by", "task"
        ),
        pk=pk,
    )


def staff_search_page(user, *, query: str = "", school: School | None = None,
                      subject: str = "", page=None) -> Page:
    """Every staff member this login reviews (the township for its office), searched as
    ``staff_search`` (name, subject, title, the ID's last four), narrowed to a school or a
    subject, 50 a page, in two queries whatever the rows."""
    staff = access.staff_visible(user).select_related("school").order_by(
        "school__name", "name", "pk")
    if school is not None:
        staff = staff.filter(school=school)
    if subject:
        staff = staff.filter(subject=subject)
    return Paginator(staff_search(user, staff, query), STAFF_PER_PAGE).get_page(page)


def staff_subjects(user) -> list[str]:
    """The subjects of the staff this login reviews, for the search's filter."""
    return sorted(set(access.staff_visible(user).exclude(subject="")
                      .values_list("subject", flat=True)))


# --- locked logins (issue 14) ------------------------------------------------------------

LOCKOUTS_SHOWN = 200
UNLOCKS_SHOWN = 20


@dataclass(frozen=True)
class Lockout:
    username: str
    name: str  # the staff member's, or the login's own name
    failures: int
    addresses: int
    last_failure_at: datetime


def locked_attempts():
    """django-axes' records of logins past ``AXES_FAILURE_LIMIT`` within the cool-off."""
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def lockouts(user) -> list[Lockout]:
    """The locked logins this login may unlock (``access.logins_administered``), the
    latest failure first: a superuser also sees names that are no login."""
    attempts = locked_attempts()
    if not access.scope_of(user).superuser:
        attempts = attempts.filter(
            username__in=access.logins_administered(user).values("username"))
    rows = list(attempts.values("username").annotate(
        failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True),
        last=Max("attempt_time")).order_by("-last")[:LOCKOUTS_SHOWN])
    names = dict(Staff.objects.filter(user__username__in=[r["username"] for r in rows])
                 .values_list("user__username", "name"))
    return [Lockout(row["username"], names.get(row["username"], ""), row["failures"],
                    row["addresses"], row["last"]) for row in rows]


def lockout_of(user, username: str) -> Lockout:
    """One locked login of ``lockouts``, or 404."""
    found = [row for row in lockouts(user) if row.username == username]
    if not found:
        raise Http404("No such locked login.")
    return found[0]


def unlocks(user) -> QuerySet[LoginUnlock]:
    """The latest unlocks of the logins this login administers, with who unlocked."""
    records = LoginUnlock.objects.select_related("unlocked_by")
    if not access.scope_of(user).superuser:
        records = records.filter(
            username__in=access.logins_administered(user).values("username"))
    return records[:UNLOCKS_SHOWN]
