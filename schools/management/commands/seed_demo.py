"""python manage.py seed_demo: a demo township with a login for every role.

The roster goes through the same import service as an office's upload (so the demo
passes the real validation), the logins through ``login_ensure`` and
``membership_grant``. Running it again changes nothing: a township already seeded keeps
its roster (what someone did in the demo survives a restart), existing logins keep
their passwords, and memberships are granted once.

Each step is a small function taking the township, so later steps (a staffing cycle)
can be added to ``STEPS`` without touching the others.
"""

import functools
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools import demo
from schools.models import County, Position, Role, Staff, Township
from schools.services import login_ensure, membership_grant, roster_import, township_for_import

DEMO_PASSWORD = "demo-2026"
ADMIN_USERNAME = "admin"
OFFICE_USERNAME = "office"
LIAISON_USERNAME = "liaison"
# The liaison covers three of the six complete primaries, two of them remote.
LIAISON_SCHOOLS = ("夏庄完小", "西故城完小", "北赵完小")
# One teacher login at each of these schools: a centre, primaries and the kindergarten.
TEACHER_SCHOOLS = ("葛石镇中心中学", "葛石镇中心小学", "夏庄完小", "西故城完小", "葛石镇中心幼儿园")
HEAD_TITLES = ("校长", "园长")
# The roles of the printed logins that are no membership role.
SUPERUSER = gettext_lazy("superuser")
TEACHER = gettext_lazy("teacher")
ALL_TOWNSHIPS = gettext_lazy("all townships")


@functools.cache
def demo_password_hash() -> str:
    """Hashed once for every demo login (hashing is deliberately slow)."""
    return make_password(DEMO_PASSWORD)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


def seed_admin():
    """The superuser; it is also who the demo roster is imported by (its history)."""
    return login_ensure(
        username=ADMIN_USERNAME, password=demo_password_hash(), is_staff=True, is_superuser=True
    )


def seed_roster(*, by) -> Township:
    """The demo township and its roster, imported once through the roster service."""
    township = township_for_import(name=demo.TOWNSHIP, county=demo.COUNTY)
    if Staff.objects.filter(school__township=township).exists():
        return township
    result = roster_import(by=by, township=township, data=demo.roster_workbook())
    if not result.ok:
        raise CommandError("\n".join(["the demo roster does not import:", *result.error_lines]))
    return township


def seed_office(township: Township) -> list[DemoLogin]:
    user = login_ensure(username=OFFICE_USERNAME, password=demo_password_hash())
    membership_grant(user=user, role=Role.TOWNSHIP_OFFICE, township=township)
    return [DemoLogin(OFFICE_USERNAME, Role.TOWNSHIP_OFFICE.label, township.name)]


def seed_liaison(township: Township) -> list[DemoLogin]:
    user = login_ensure(username=LIAISON_USERNAME, password=demo_password_hash())
    for school in township.schools.filter(name__in=LIAISON_SCHOOLS):
        membership_grant(user=user, role=Role.LIAISON, school=school)
    return [DemoLogin(LIAISON_USERNAME, Role.LIAISON.label, "、".join(LIAISON_SCHOOLS))]


def _linked_staff(township: Township) -> dict[str, Staff]:
    """Staff already linked to a login, by username: a login keeps the person it has."""
    return {
        staff.user.username: staff
        for staff in Staff.objects.filter(
            school__township=township, user__isnull=False
        ).select_related("user")
    }


def seed_principals(township: Township) -> list[DemoLogin]:
    """A login per school for the staff member who holds its 校长/园长 position."""
    schools = {school.name: school for school in township.schools.all()}
    heads = {
        position.school_id: position.staff
        for position in Position.objects.filter(
            school__township=township, end_date__isnull=True, title__in=HEAD_TITLES
        ).select_related("staff")
    }
    linked = _linked_staff(township)
    logins = []
    for index, (name, *_rest) in enumerate(demo.SCHOOLS, start=1):
        username = f"principal{index:02d}"  # in the order of demo.SCHOOLS
        school = schools[name]
        staff = linked.get(username) or heads.get(school.pk)
        if staff is None:
            raise CommandError(f"the demo roster has no 校长/园长 at {name}")
        user = login_ensure(username=username, password=demo_password_hash(), staff=staff)
        membership_grant(user=user, role=Role.PRINCIPAL, school=school)
        logins.append(DemoLogin(username, Role.PRINCIPAL.label, f"{name} · {staff.name}"))
    return logins


def seed_teachers(township: Township) -> list[DemoLogin]:
    """A login for one ordinary staff member (no leadership position) at each of
    ``TEACHER_SCHOOLS``: the first by resident ID not linked to another login."""
    leaders = Position.objects.filter(end_date__isnull=True).values("staff_id")
    first_by_school: dict[str, Staff] = {}
    for staff in (
        Staff.objects.filter(
            school__township=township, school__name__in=TEACHER_SCHOOLS, user__isnull=True
        )
        .exclude(pk__in=leaders)
        .select_related("school")
        .order_by("resident_id")
    ):
        first_by_school.setdefault(staff.school.name, staff)
    linked = _linked_staff(township)
    logins = []
    for index, school_name in enumerate(TEACHER_SCHOOLS, start=1):
        username = f"teacher{index:02d}"
        staff = linked.get(username) or first_by_school[school_name]
        login_ensure(username=username, password=demo_password_hash(), staff=staff)
        logins.append(DemoLogin(username, TEACHER, f"{school_name} · {staff.name}"))
    return logins


# Steps that build on the seeded township, in order; each returns the logins it made.
# Other apps add theirs through settings.DEMO_SEED_STEPS (schools imports none of them).
STEPS = (seed_office, seed_liaison, seed_principals, seed_teachers)


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def login_table(logins: list[DemoLogin], password: str = DEMO_PASSWORD) -> str:
    """The logins as an aligned text table: username, role, school, password."""
    rows = [(_("username"), _("role"), _("school"), _("password"))]
    rows += [(login.username, str(login.role), str(login.where), password) for login in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    rows.insert(1, tuple("-" * width for width in widths))
    return "\n".join(
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )


def _township_logins(index: int, township: Township, schools) -> list[DemoLogin]:
    """A county township's logins: ``office-TT``; ``principal-TT-SS`` for the head of its
    SS-th school; ``teacher-TT-NNNN`` for every other staff member, by resident ID.
    The teachers' logins are made in bulk (one hashed password, no history row per
    login): the services' one at a time would take minutes for a county."""
    tt = f"{index + 1:02d}"
    office = login_ensure(username=f"office-{tt}", password=demo_password_hash())
    membership_grant(user=office, role=Role.TOWNSHIP_OFFICE, township=township)
    by_name = {school.name: school for school in township.schools.all()}
    heads = {position.school_id: position.staff for position in Position.objects.filter(
        school__township=township, end_date__isnull=True, title__in=HEAD_TITLES,
    ).select_related("staff")}
    for number, (name, *_rest) in enumerate(schools, start=1):
        school = by_name[name]
        user = login_ensure(username=f"principal-{tt}-{number:02d}",
                            password=demo_password_hash(), staff=heads[school.pk])
        membership_grant(user=user, role=Role.PRINCIPAL, school=school)
    others = list(Staff.objects.filter(school__township=township, user__isnull=True)
                  .order_by("resident_id"))
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"teacher-{tt}-{number:04d}", password=demo_password_hash())
         for number, _staff in enumerate(others, start=1)])
    for staff, user in zip(others, users, strict=True):
        staff.user = user
    Staff.objects.bulk_update(others, ["user"], batch_size=1000)
    return [
        DemoLogin(f"office-{tt}", Role.TOWNSHIP_OFFICE.label, township.name),
        DemoLogin(f"principal-{tt}-01 … principal-{tt}-{len(schools):02d}",
                  Role.PRINCIPAL.label, township.name),
        DemoLogin(f"teacher-{tt}-0001 … teacher-{tt}-{len(others):04d}", TEACHER, township.name),
    ]


def seed_county(*, townships: int, staff: int, intentions_open: int = 0) -> list[DemoLogin]:
    """seed_demo --county: ``townships`` townships of about ``staff`` staff each, every
    roster through the import service, the logins of ``_township_logins``, then each
    township's cycle through settings.DEMO_COUNTY_STEPS: phase 6 open with intentions
    and some rankings (the last ``intentions_open`` townships at phase 5 instead).
    Refused on a database that has the county already."""
    if County.objects.filter(name=demo.COUNTY_DEMO).exists():
        raise CommandError(_(
            "The county demo %(county)s exists already: seed_demo --county builds it once, "
            "on an empty database.") % {"county": demo.COUNTY_DEMO})
    admin = seed_admin()
    logins = [DemoLogin(ADMIN_USERNAME, SUPERUSER, ALL_TOWNSHIPS)]
    used: set[str] = set()  # resident IDs are unique across the county
    for index, name in enumerate(demo.COUNTY_TOWNSHIPS[:townships]):
        schools = demo.county_schools(index, name, staff)
        people = demo.county_staff(schools, seed=2026 + index, used=used)
        township = township_for_import(name=name, county=demo.COUNTY_DEMO)
        result = roster_import(by=admin, township=township,
                               data=demo.roster_workbook(schools, people))
        if not result.ok:
            raise CommandError("\n".join([f"the roster of {name} does not import:",
                                          *result.error_lines]))
        logins.extend(_township_logins(index, township, schools))
        tt = f"{index + 1:02d}"
        stage = "intentions" if index >= townships - intentions_open else "selection"
        for path in settings.DEMO_COUNTY_STEPS:
            import_string(path)(township, office=f"office-{tt}", reviewer=f"principal-{tt}-04",
                                reps=f"rep-{tt}-", stage=stage)
    return logins


class Command(BaseCommand):
    help = "Create a demo township (葛石镇) with its roster and a login for every role."

    def add_arguments(self, parser):
        default = settings.DEMO_SEED_STAGES[settings.DEMO_SEED_DEFAULT]
        parser.add_argument(
            "--stage", choices=settings.DEMO_SEED_STAGES, default=None,
            help=f"how far the demo cycle goes (default: {default}); on an existing demo, "
                 "only the stage it is at")
        parser.add_argument(
            "--county", action="store_true",
            help=f"instead, a county ({demo.COUNTY_DEMO}) of townships in phase 6, for load "
                 "tests; once, on an empty database")
        parser.add_argument(
            "--townships", type=int, default=len(demo.COUNTY_TOWNSHIPS),
            choices=range(1, len(demo.COUNTY_TOWNSHIPS) + 1), metavar="N",
            help=f"with --county: how many townships (default and most: "
                 f"{len(demo.COUNTY_TOWNSHIPS)})")
        parser.add_argument(
            "--staff-per-township", type=int, default=400, metavar="N",
            help="with --county: about how many staff each township has (default 400)")
        parser.add_argument(
            "--intentions-open", type=int, default=0, metavar="N",
            help="with --county: leave the last N townships in phase 5 (intentions open) "
                 "instead of phase 6 (default 0)")

    def handle(self, *args, stage=None, county=False, **options):
        # In the interface's language, as the people it lists read it (issue 10).
        with translation.override(settings.LANGUAGE_CODE):
            if county:
                self._seed_county(options)
            else:
                self._seed(stage)

    def _seed_county(self, options):
        if options["staff_per_township"] < 20:
            raise CommandError("--staff-per-township must be at least 20")
        started = time.monotonic()
        try:
            with transaction.atomic():
                logins = seed_county(townships=options["townships"],
                                     staff=options["staff_per_township"],
                                     intentions_open=options["intentions_open"])
        except import_string(settings.DEMO_SEED_ERROR) as exc:
            raise CommandError(str(exc)) from exc
        county = County.objects.get(name=demo.COUNTY_DEMO)
        self.stdout.write(_(
            "Demo county %(county)s: %(townships)d townships, %(staff)d staff, "
            "built in %(seconds).0f s"
        ) % {
            "county": county.name,
            "townships": county.townships.count(),
            "staff": Staff.objects.filter(school__township__county=county).count(),
            "seconds": time.monotonic() - started,
        })
        self.stdout.write(login_table(logins))

    def _seed(self, stage):
        try:
            with transaction.atomic():
                township = seed_roster(by=seed_admin())
                logins = [DemoLogin(ADMIN_USERNAME, SUPERUSER, ALL_TOWNSHIPS)]
                for step in STEPS:
                    logins.extend(step(township))
                # The other apps' steps take the stage (None: their default).
                for path in settings.DEMO_SEED_STEPS:
                    logins.extend(import_string(path)(township, stage=stage))
        except import_string(settings.DEMO_SEED_ERROR) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_(
            "Demo township %(county)s %(township)s: %(schools)d schools, %(staff)d staff"
        ) % {
            "county": township.county.name,
            "township": township.name,
            "schools": township.schools.count(),
            "staff": Staff.objects.filter(school__township=township).count(),
        })
        self.stdout.write(login_table(logins))
