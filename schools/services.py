"""Services of the schools app: every change to organisations, people, their leadership
positions and logins.

Other apps change schools' data only through these: recruitment ends and opens leadership
positions with ``positions_end``, ``positions_open`` and ``position_change``, as the roster
import does, and puts a cycle's outcome into effect with ``assignments_apply``.
``roster_import`` joins ``roster.roster_plan`` (read and validate) and ``roster_apply``
(write in bulk, with history).
"""

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from staffing import uploads
from staffing import workbook as wb

# tasks imports this module too: each uses the other only when called.
from . import access, tasks
from .models import (
    Assignment,
    AssignmentKind,
    County,
    FullIdView,
    LoginUnlock,
    Membership,
    NewAssignment,
    Position,
    Role,
    RosterImport,
    School,
    Staff,
    Township,
)
from .roster import (
    IMPORT_REASON,
    SCHOOL_FIELDS,
    STAFF_FIELDS,
    RosterPlan,
    roster_error_workbook,
    roster_plan,
    roster_preview_of,
)

log = logging.getLogger(__name__)

DEFAULT_COUNTY_NAME = "本县"


@dataclass
class RosterResult:
    plan: RosterPlan
    written: bool

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def error_lines(self) -> list[str]:
        return wb.error_lines(self.plan.errors)


def roster_import(*, by, township: Township, data: bytes, dry_run: bool = False) -> RosterResult:
    """Import a roster workbook (spec/roster.md): all or nothing.

    Raises ``WorkbookError`` when the file as a whole is unreadable; otherwise returns
    the plan with every row error, written only when it has none and not ``dry_run``.
    """
    workbook = wb.open_workbook(data, kind=_("roster workbook"))
    try:
        plan = roster_plan(township=township, workbook=workbook)
    finally:
        workbook.close()
    written = plan.ok and not dry_run
    if written:
        roster_apply(plan, by=by)
        log.info("roster_imported township=%s summary=%s", township.pk, plan.summary())
    return RosterResult(plan=plan, written=written)


@transaction.atomic
def roster_apply(plan: RosterPlan, *, by=None) -> None:
    """Write a clean plan: a handful of bulk statements per sheet, with history."""
    assert plan.ok, "a plan with errors is never written"
    # For the operator (and the fault test): the one transaction of the writes begins.
    log.info("roster_writing township=%s schools=%d staff=%d", plan.township.pk,
             len(plan.schools_new), len(plan.staff_new))
    history = {"default_user": by, "default_change_reason": IMPORT_REASON}
    if plan.schools_new:
        bulk_create_with_history(plan.schools_new, School, batch_size=500, **history)
        _refetch_pks(plan.schools_new, School, "name", township=plan.township)
    if plan.schools_changed:
        bulk_update_with_history([s for s, _f in plan.schools_changed], School,
                                 list(SCHOOL_FIELDS), batch_size=500, **history)
    if plan.staff_new:
        bulk_create_with_history(plan.staff_new, Staff, batch_size=500, **history)
        _refetch_pks(plan.staff_new, Staff, "resident_id")
    if plan.staff_changed:
        bulk_update_with_history([s for s, _f in plan.staff_changed], Staff,
                                 list(STAFF_FIELDS), batch_size=500, **history)
    positions_end(by=by, positions=plan.positions_to_close, reason=IMPORT_REASON,
                  history_reason=IMPORT_REASON)
    if plan.positions_to_open:
        staff_by_id = {s.resident_id: s for s in plan.staff_new}
        staff_by_id.update({s.resident_id: s for s, _f in plan.staff_changed})
        missing = [n for n, _t in plan.positions_to_open if n not in staff_by_id]
        if missing:
            staff_by_id.update(
                {s.resident_id: s for s in Staff.objects.filter(resident_id__in=missing)}
            )
        positions_open(by=by, holders=[(staff_by_id[n], t) for n, t in plan.positions_to_open],
                       history_reason=IMPORT_REASON)


def _refetch_pks(objs, model, key: str, **filters) -> None:
    """Backends that do not return ids from a bulk insert get them in one query."""
    if all(o.pk for o in objs):
        return
    keys = [getattr(o, key) for o in objs]
    pks = dict(model.objects.filter(**{f"{key}__in": keys}, **filters).values_list(key, "pk"))
    for obj in objs:
        obj.pk = pks[getattr(obj, key)]


# --- leadership positions (R3, R4 and the roster's 现任职务) ------------------------------


def positions_end(*, by, positions: Sequence[Position], reason: str,
                  history_reason: str | None = None) -> int:
    """End each position today, never before it started (position_ends_after_start): one
    bulk_update_with_history whatever the count. Callers lock the rows they pass.

    ``reason`` is the position's ``end_reason`` (an untranslated msgid, as R3_REASON);
    ``history_reason``, when given, is the history record's change reason. Returns how
    many positions ended.
    """
    if not positions:
        return 0
    today = timezone.localdate()
    for position in positions:
        position.end_date = max(today, position.start_date)
        position.end_reason = reason
    bulk_update_with_history(positions, Position, ["end_date", "end_reason"], batch_size=500,
                             default_user=by, default_change_reason=history_reason)
    return len(positions)


def positions_started(*, by, positions: Sequence[Position], start_date,
                      history_reason: str | None = None) -> int:
    """Record when open positions really started (the roster names the title only, so an
    import starts them on its day): one bulk_update_with_history. Used by the demo, whose
    vice principals need a term behind them for R4."""
    for position in positions:
        position.start_date = start_date
    bulk_update_with_history(positions, Position, ["start_date"], batch_size=500,
                             default_user=by, default_change_reason=history_reason)
    return len(positions)


def positions_open(*, by, holders: Sequence[tuple[Staff, str]],
                   history_reason: str | None = None) -> list[Position]:
    """Open a position today at each holder's school, in one bulk_create_with_history; a
    holder has no open position (position_one_open_per_staff)."""
    today = timezone.localdate()
    return _positions_create(
        by=by,
        positions=[Position(staff=staff, school_id=staff.school_id, title=title,
                            start_date=today) for staff, title in holders],
        history_reason=history_reason,
    )


@transaction.atomic
def position_change(*, by, staff: Staff, school: School, title: str,
                    end_reason: str) -> Position:
    """Appoint from today: the same position is kept; another open one ends first (with
    ``end_reason``), since a staff member holds one position at a time."""
    current = Position.objects.select_for_update().filter(staff=staff,
                                                          end_date__isnull=True).first()
    if current is not None and current.school_id == school.pk and current.title == title:
        return current
    if current is not None:
        positions_end(by=by, positions=[current], reason=end_reason)
    [position] = _positions_create(
        by=by,
        positions=[Position(staff=staff, school=school, title=title,
                            start_date=timezone.localdate())],
    )
    return position


def _positions_create(*, by, positions: list[Position],
                      history_reason: str | None = None) -> list[Position]:
    if not positions:
        return []
    return bulk_create_with_history(positions, Position, batch_size=500, default_user=by,
                                    default_change_reason=history_reason)


# --- assignments: a cycle's outcome takes effect (上岗) ------------------------------------

# The history records' change reason, an untranslated msgid as IMPORT_REASON.
OUTCOME_REASON = gettext_noop("outcome of the staffing cycle")


@dataclass(frozen=True)
class AssignmentsApplied:
    """What ``assignments_apply`` did: assignments opened, people who changed school, of
    them support staff."""

    opened: int
    moved: int
    support: int


@transaction.atomic
def assignments_apply(*, by, township: Township, school_year: int, start_date,
                      assignments: Sequence[NewAssignment]) -> AssignmentsApplied:
    """A cycle's outcome takes effect (R7: nobody is left between schools): each of the
    township's staff gets the assignment given for them, from ``start_date`` (the term's
    start), the open one before it ending the day before; the roster's school becomes
    the assignment's. Refused when one of the township's staff has none, an assignment
    names a school or a person of another township, or the cycle's outcome has already
    taken effect. A fixed number of bulk statements with history, whatever the count."""
    staff = {s.pk: s for s in Staff.objects.select_for_update()
             .filter(school__township=township)}
    if Assignment.objects.filter(school__township=township, school_year=school_year).exists():
        raise ValidationError(_("The outcome of this cycle has already taken effect."))
    given = {a.staff_id: a for a in assignments}
    missing = len(staff.keys() - given.keys())
    if missing:
        raise ValidationError(ngettext(
            "%(n)d staff member of the township has no assignment: nobody is left between "
            "schools.",
            "%(n)d staff members of the township have no assignment: nobody is left between "
            "schools.", missing) % {"n": missing})
    schools = set(School.objects.filter(township=township).values_list("pk", flat=True))
    if len(given) != len(assignments) or given.keys() - staff.keys() or any(
            a.school_id not in schools for a in assignments):
        raise ValueError("assignments name a person twice or outside the township")
    ending = list(Assignment.objects.select_for_update()
                  .filter(staff__school__township=township, end_date__isnull=True))
    for current in ending:
        current.end_date = max(current.start_date, start_date - timedelta(days=1))
    if ending:
        bulk_update_with_history(ending, Assignment, ["end_date"], batch_size=500,
                                 default_user=by, default_change_reason=OUTCOME_REASON)
    opened = [Assignment(staff_id=a.staff_id, school_id=a.school_id,
                         previous_school_id=staff[a.staff_id].school_id, kind=a.kind,
                         post=a.post[:200], duties=a.duties[:500], note=a.note[:200],
                         school_year=school_year, start_date=start_date)
              for a in assignments]
    bulk_create_with_history(opened, Assignment, batch_size=500, default_user=by,
                             default_change_reason=OUTCOME_REASON)
    moved = [staff[a.staff_id] for a in assignments
             if staff[a.staff_id].school_id != a.school_id]
    for person in moved:
        person.school_id = given[person.pk].school_id
    if moved:
        bulk_update_with_history(moved, Staff, ["school"], batch_size=500, default_user=by,
                                 default_change_reason=OUTCOME_REASON)
    log.info("assignments_applied township=%s school_year=%s opened=%d moved=%d",
             township.pk, school_year, len(opened), len(moved))
    return AssignmentsApplied(
        opened=len(opened), moved=len(moved),
        support=sum(1 for a in assignments if a.kind == AssignmentKind.SUPPORT))


def township_for_import(*, name: str | None, county: str | None = None) -> Township:
    """The township a command imports into (spec/roster.md).

    With a name: that township, created when it does not exist yet (under ``county``,
    the only county, or a new county named 本县). Without: the only township. Raises
    ``LookupError`` with the reason otherwise.
    """
    if not name:
        townships = list(Township.objects.all()[:2])
        if len(townships) != 1:
            raise LookupError(
                _("There is no township yet; name one with --township.")
                if not townships
                else _("There is more than one township; name one with --township.")
            )
        return townships[0]
    matches = Township.objects.filter(name=name)
    if county:
        matches = matches.filter(county__name=county)
    found = list(matches[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise LookupError(_("Several counties have a township of that name; add --county."))
    if county:
        county_obj, _created = County.objects.get_or_create(name=county)
    else:
        counties = list(County.objects.all()[:2])
        if len(counties) > 1:
            raise LookupError(_("There is more than one county; add --county."))
        county_obj = counties[0] if counties else County.objects.create(name=DEFAULT_COUNTY_NAME)
    return Township.objects.create(county=county_obj, name=name)


def roster_upload(*, by, township: Township, uploaded) -> tuple[RosterImport, RosterResult]:
    """Keep an uploaded roster and preview it (a dry run): the office page's first step.

    The file is kept under the media root so any app server can commit it later, with
    what its preview page shows (and its error workbook): the file is read once here,
    not on each view. An upload over the size limit is refused before it is read.
    """
    if not access.townships_managed(by).filter(pk=township.pk).exists():
        raise PermissionDenied
    data = wb.read_upload(uploaded)
    result = roster_import(by=by, township=township, data=data, dry_run=True)
    record = RosterImport(
        township=township,
        original_name=os.path.basename(uploaded.name)[:255],
        status=RosterImport.Status.PREVIEWED if result.ok else RosterImport.Status.REJECTED,
        uploaded_by=by,
    )
    _keep_preview(record, result.plan)
    record.file.save("roster.xlsx", ContentFile(data), save=False)
    record.save()
    return record, result


def _keep_preview(record: RosterImport, plan: RosterPlan) -> None:
    """The plan's summary, preview and (when it has errors) error workbook on ``record``;
    saved by the caller."""
    record.summary = plan.summary()
    record.preview = roster_preview_of(plan)
    if not plan.ok:
        record.errors_file.save("roster-errors.xlsx", ContentFile(roster_error_workbook(plan)),
                                save=False)


def roster_upload_kept(*, by, record: RosterImport) -> RosterImport:
    """``record`` with its kept preview; an upload kept before previews were (it has
    none) is checked once now and its preview kept, so later views read it."""
    if record.preview or record.status == RosterImport.Status.COMMITTED:
        return record
    with record.file.open("rb") as handle:
        data = handle.read()
    result = roster_import(by=by, township=record.township, data=data, dry_run=True)
    _keep_preview(record, result.plan)
    record.save(update_fields=["summary", "preview", "errors_file"])
    return record


def _manages(by, record: RosterImport) -> bool:
    return access.townships_managed(by).filter(pk=record.township_id).exists()


def roster_upload_commit(*, by, record: RosterImport) -> RosterResult:
    """Import a previewed upload once the office confirms it.

    Under a row lock, so a double submit or two clerks confirming at once import it
    once; re-validated, since the database may have changed since the preview. One
    transaction: a process killed midway (a background worker) writes nothing.
    """
    result = uploads.kept_upload_commit(
        RosterImport, record.pk, by=by, allowed=lambda kept: _manages(by, kept),
        run=lambda kept, data: roster_import(by=by, township=kept.township, data=data),
        keep=_keep_preview)
    record.refresh_from_db()
    return result


class WorkerLost(Exception):
    """Recorded on a background task that stalled (its worker was killed, say) when the
    office confirms its import again."""


def roster_rows(summary: dict) -> int:
    """The schools and staff rows of a checked roster, from its kept summary."""
    return sum(summary.get(f"{kind}_{change}", 0) for kind in ("schools", "staff")
               for change in ("created", "updated", "unchanged"))


def roster_upload_confirm(*, by, record: RosterImport) -> RosterResult | None:
    """The office confirms a previewed upload: imported at once when it has at most
    ``BACKGROUND_ROWS`` rows, else queued as a background task (``tasks.roster_commit``,
    run by ``manage.py db_worker``) that imports it as ``roster_upload_commit`` does.

    Queued under the record's row lock, with the task's row written in the same
    transaction: a double confirm, or two clerks at once, queue it once. A confirm whose
    task failed or stalled may be queued again; the stalled task is marked failed (if its
    worker still ran, the row lock makes the second run find the upload imported).
    Returns the result when imported now, None when queued (``record.task``).
    """
    if roster_rows(record.summary) <= settings.BACKGROUND_ROWS:
        return roster_upload_commit(by=by, record=record)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=record.pk)
        uploads.kept_upload_check(locked, allowed=lambda kept: _manages(by, kept))
        state = locked.background_state()
        if state in (RosterImport.Background.QUEUED, RosterImport.Background.RUNNING):
            raise ValidationError(_("This upload is already being imported in the background."))
        if state == RosterImport.Background.STALLED:
            locked.task.set_failed(WorkerLost(
                f"no progress for {settings.BACKGROUND_STALE_MINUTES} minutes; queued again"))
            log.warning("roster_task_stalled record=%s task=%s", locked.pk, locked.task_id)
        queued = tasks.roster_commit.enqueue(record_pk=locked.pk, by_pk=by.pk)
        locked.task_id = queued.id
        locked.queued_by = by
        locked.queued_at = timezone.now()
        locked.save(update_fields=["task", "queued_by", "queued_at"])
    log.info("roster_queued record=%s by=%s task=%s", record.pk, by.pk, queued.id)
    record.refresh_from_db()
    return None


def full_id_reveal(*, by, staff: Staff, kind: str = FullIdView.Kind.PAGE) -> str:
    """The full resident ID, for those allowed it; every look but one's own is recorded
    (who, when, whose, and where: the staff page or the admin)."""
    if not access.may_see_full_id(by, staff):
        raise PermissionDenied
    if staff.pk != access.scope_of(by).staff_id:
        FullIdView.objects.create(
            kind=kind, township_id=staff.school.township_id, staff=staff, viewer=by
        )
        log.info("full_id_viewed staff=%s viewer=%s kind=%s", staff.pk, by.pk, kind)
    return staff.resident_id


def full_id_export_record(*, by, township: Township, export: str, rows: int) -> FullIdView:
    """Record an export that holds a township's full resident IDs: one record per export,
    with its file name and row count, made in the request that sends it. Only the
    township's office exports full IDs (``access.may_see_full_ids_of``)."""
    if not access.may_see_full_ids_of(by, township.pk):
        raise PermissionDenied
    record = FullIdView.objects.create(
        kind=FullIdView.Kind.EXPORT, township=township, export=export[:200], rows=rows,
        viewer=by,
    )
    log.info("full_ids_exported township=%s viewer=%s rows=%d", township.pk, by.pk, rows)
    return record


def login_ensure(*, username: str, password: str, staff: Staff | None = None, **flags):
    """A login for demo data and set-up commands; an existing one is left as it is.

    ``password`` may be raw or already hashed (``make_password``), so a caller creating
    many logins hashes once. Linking to ``staff`` moves the login off any other record.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=flags)
    if created:
        user.password = password if identify_hasher_safe(password) else make_password(password)
        user.save(update_fields=["password"])
    if staff is not None and staff.user_id != user.pk:
        with transaction.atomic():
            for previous in Staff.objects.filter(user=user).exclude(pk=staff.pk):
                previous.user = None
                previous.save(update_fields=["user"])
            staff.user = user
            staff.save(update_fields=["user"])
    return user


def identify_hasher_safe(value: str) -> bool:
    try:
        identify_hasher(value)
    except ValueError:
        return False
    return True


def membership_grant(*, user, role: str, county=None, township=None, school=None) -> Membership:
    """Give a login a role over a county, township or school (idempotent)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, county=county, township=township, school=school
    )
    if role in (Role.COUNTY_OFFICE, Role.TOWNSHIP_OFFICE) and not user.is_staff:
        user.is_staff = True  # the admin is for office staff
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def login_unlock(*, by, username: str) -> LoginUnlock | None:
    """Lift a login's lockout (issue 14): django-axes' failed attempts of ``username`` are
    deleted (``axes.utils.reset``) and the unlock recorded, who and when. Only for an
    office over the login (``access.logins_administered``) or a superuser. None when
    there was nothing to unlock (a second click, the cool-off already over)."""
    if not (access.scope_of(by).superuser
            or access.logins_administered(by).filter(username=username).exists()):
        raise PermissionDenied
    # Locked, so that two clicks at once unlock (and record) once.
    attempts = list(AccessAttempt.objects.select_for_update().filter(username=username)
                    .values_list("failures_since_start", "attempt_time"))
    if not attempts:
        return None
    axes_reset(username=username)
    record = LoginUnlock.objects.create(
        username=username, failures=sum(failures for failures, _at in attempts),
        last_failure_at=max(at for _failures, at in attempts), unlocked_by=by)
    log.info("login_unlocked user=%s by=%s failures=%d", username, by.pk, record.failures)
    return record
