"""The daily attendance pages (日清): a school's day on one page, a record's history, the
township's working-day calendar, the attendance import (upload → preview → confirm) and
one's own month.

Every lookup goes through ``access`` (404 for what is not this login's); every change
through ``services.days``."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import access, sheets
from attendance.forms import days as days_forms
from attendance.models import AttendanceImport, AttendanceStatus
from attendance.selectors import days as days_selectors
from attendance.services import days as days_services
from schools import access as school_access
from staffing import workbook as wb
from staffing.history import history_of


def _day(text: str) -> date:
    """A date from the address, else 404."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise Http404("Not a date.") from None


def _require_recorder(user) -> None:
    """The day pages are for school leaders and the office (403 for anyone else)."""
    scope = school_access.scope_of(user)
    if not (scope.is_office or scope.is_principal or scope.is_liaison):
        raise PermissionDenied


def _options(selected: str) -> str:
    """A row's <option>s, built once per state rather than per row and field."""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, " selected" if value == selected else "", label)
        for value, label in AttendanceStatus.choices))


@login_required
@require_GET
def school_today(request, school_pk):
    """A school's day page for today."""
    _require_recorder(request.user)
    school = access.recorded_school_get(request.user, school_pk)
    return redirect("attendance:day", school_pk=school.pk,
                    day=timezone.localdate().isoformat())


@login_required
@require_http_methods(["GET", "POST"])
def day(request, school_pk, day):
    _require_recorder(request.user)
    school = access.recorded_school_get(request.user, school_pk)
    on = _day(day)
    refusal = days_services.day_refusal(school.township, on)
    state = days_selectors.day_of(school, on)
    posted = {}
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("attendance:day", school_pk=school.pk, day=on.isoformat())
        marks, errors = days_forms.day_marks(request.POST,
                                             [row.staff.pk for row in state.rows])
        if errors:
            for error in errors:
                messages.error(request, error)
            messages.error(request, _("Nothing was saved; correct the rows and save again."))
            posted = marks
        else:
            try:
                saved = days_services.day_save(by=request.user, school=school, day=on,
                                               marks=marks)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, ngettext(
                    "%(school)s, %(day)s saved: %(n)d exception, everyone else present.",
                    "%(school)s, %(day)s saved: %(n)d exceptions, everyone else present.",
                    saved.exceptions) % {"school": school.name, "day": on, "n": saved.exceptions})
            return redirect("attendance:day", school_pk=school.pk, day=on.isoformat())
    options = {value: _options(value) for value in AttendanceStatus.values}
    rows = []
    for row in state.rows:
        status, note = posted.get(row.staff.pk, (row.status, row.note))
        rows.append({"pk": row.staff.pk, "name": row.staff.name, "record": row.record,
                     "on_leave": row.on_leave, "status": status, "note": note,
                     "options": options.get(status, options[AttendanceStatus.PRESENT]),
                     "exception": status != AttendanceStatus.PRESENT})
    before, after = days_selectors.neighbours(school.township, on)
    return render(request, "attendance/days/day.html", {
        "school": school, "day": on, "refusal": refusal, "state": state, "rows": rows,
        "before": before, "after": after, "today": timezone.localdate(),
        "may_import": access.may_import(request.user, school.township, school),
    })


@login_required
@require_GET
def record_history(request, pk):
    """Who changed a record, what, when."""
    _require_recorder(request.user)
    record = access.record_get(request.user, pk)
    return render(request, "attendance/days/record_history.html", {
        "record": record, "history": history_of(record),
    })


# ---- the calendar ----------------------------------------------------------------------


def _require_office(user) -> None:
    if not school_access.scope_of(user).is_office:
        raise PermissionDenied


@login_required
@require_GET
def calendar_now(request, township_pk):
    _require_office(request.user)
    township = access.managed_township_get(request.user, township_pk)
    return redirect("attendance:calendar", township_pk=township.pk,
                    year=timezone.localdate().year)


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request, township_pk, year):
    _require_office(request.user)
    township = access.managed_township_get(request.user, township_pk)
    if not 2000 <= year <= 2100:
        raise Http404("No such year.")
    form = days_forms.CalendarForm(request.POST or None, year=year)
    if request.method == "POST":
        if form.is_valid():
            entries = [days_services.CalendarEntry(d, n, w) for d, n, w in
                       form.cleaned_data["lines"]]
            added, changed = days_services.calendar_put(by=request.user, township=township,
                                                        entries=entries)
            messages.success(request, _("Calendar of %(year)d saved: %(added)d days added, "
                                        "%(changed)d changed.")
                             % {"year": year, "added": added, "changed": changed})
            return redirect("attendance:calendar", township_pk=township.pk, year=year)
        messages.error(request, _("Nothing was saved; see the reasons below."))
    months = days_selectors.calendar_year(township, year)
    return render(request, "attendance/days/calendar.html", {
        "township": township, "year": year, "form": form, "months": months,
        "working_total": sum(m.working for m in months),
    })


@login_required
@require_http_methods(["GET", "POST"])
def calendar_delete(request, pk):
    _require_office(request.user)
    entry = access.calendar_day_get(request.user, pk)
    back = reverse("attendance:calendar", args=[entry.township_id, entry.date.year])
    if request.method == "POST":
        days_services.calendar_delete(by=request.user, day=entry)
        messages.success(request, _("%(day)s %(name)s was taken out of the calendar.")
                         % {"day": entry.date, "name": entry.name})
        return redirect(back)
    return render(request, "attendance/days/calendar_delete.html",
                  {"entry": entry, "back": back})


# ---- the import -------------------------------------------------------------------------


def _targets(user) -> dict[str, tuple]:
    found = {}
    for township, school in access.import_targets(user):
        if school is None:
            found[f"t{township.pk}"] = (township, None, _("%(township)s, all schools")
                                        % {"township": township.name})
        else:
            found[f"s{school.pk}"] = (township, school, school.name)
    return found


@wb.upload_view
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    targets = _targets(request.user)
    if not targets:
        raise PermissionDenied
    choices = [(key, label) for key, (_t, _s, label) in targets.items()]
    too_large = request.method == "POST" and wb.request_too_large(request)
    if too_large:
        form = wb.refuse_upload(days_forms.ImportForm(targets=choices), too_large)
    else:
        form = days_forms.ImportForm(request.POST or None, request.FILES or None,
                                     targets=choices)
    if request.method == "POST":
        if not too_large and form.is_valid():
            township, school, _label = targets[form.cleaned_data["target"]]
            try:
                record, result = days_services.import_upload(
                    by=request.user, township=township, school=school,
                    uploaded=form.cleaned_data["workbook"])
            except wb.WorkbookError as exc:
                form.add_error("workbook", str(exc))
            else:
                summary = result.plan.summary()
                if result.ok:
                    messages.success(request, ngettext(
                        "“%(name)s” has been checked: %(rows)s row. Review it below, then "
                        "confirm.",
                        "“%(name)s” has been checked: %(rows)s rows. Review them below, then "
                        "confirm.", summary["rows"])
                        % {"name": record.original_name, "rows": f"{summary['rows']:,}"})
                else:
                    messages.warning(request, ngettext(
                        "“%(name)s” has %(n)d wrong row; nothing will be imported. Download "
                        "it with its error, correct it and upload the file again.",
                        "“%(name)s” has %(n)d wrong rows; nothing will be imported. Download "
                        "them with their errors, correct them and upload the file again.",
                        summary["wrong_rows"])
                        % {"name": record.original_name, "n": summary["wrong_rows"]})
                return redirect("attendance:import_preview", pk=record.pk)
        messages.error(request, _("The file was not uploaded; see the reason below."))
    return render(request, "attendance/days/import.html", {
        "form": form,
        "imports": days_selectors.imports_of(access.imports_visible(request.user)),
        "columns": sheets.ATTENDANCE_COLUMNS, "words": list(sheets.STATUS_WORDS),
    })


@login_required
@require_GET
def import_preview(request, pk):
    record = access.import_get(request.user, pk)
    committed = record.status == AttendanceImport.Status.COMMITTED
    errors, errors_more = wb.errors_shown({} if committed else record.preview)
    return render(request, "attendance/days/import_preview.html", {
        "record": record, "summary": record.summary, "committed": committed,
        "errors": errors, "errors_more": errors_more,
        "may_confirm": record.status == AttendanceImport.Status.PREVIEWED,
    })


@login_required
@require_POST
def import_confirm(request, pk):
    record = access.import_get(request.user, pk)
    try:
        result = days_services.import_commit(by=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("attendance:import_preview", pk=record.pk)
    if not result.ok:
        messages.error(request, _("The data changed since the preview and the workbook now "
                                  "has errors; nothing was imported."))
        return redirect("attendance:import_preview", pk=record.pk)
    written = result.written
    messages.success(request, _("Attendance imported: %(created)s records added, %(changed)s "
                                "replaced, %(unchanged)s already so.")
                     % {"created": f"{written.created:,}", "changed": f"{written.changed:,}",
                        "unchanged": f"{written.unchanged:,}"})
    return redirect("attendance:import_preview", pk=record.pk)


@login_required
@require_GET
def import_errors(request, pk):
    record = access.import_get(request.user, pk)
    if record.status == AttendanceImport.Status.COMMITTED or not record.errors_file:
        raise Http404
    with record.errors_file.open("rb") as handle:
        data = handle.read()
    stem = PurePath(record.original_name).stem or "考勤"
    return wb.xlsx_response(data, f"{stem}-{sheets.ERROR_HEADER}.xlsx",
                            fallback="attendance-errors.xlsx")


@login_required
@require_GET
def import_template(request):
    if not access.import_targets(request.user):
        raise PermissionDenied
    spec = wb.SheetSpec(sheets.ATTENDANCE_SHEET, sheets.ATTENDANCE_COLUMNS, [],
                        text_columns=sheets.TEXT_HEADERS,
                        required=frozenset(sheets.ATTENDANCE_COLUMNS[:3]))
    return wb.xlsx_response(wb.workbook_bytes([spec]), "考勤模板.xlsx",
                            fallback="attendance-template.xlsx")


# ---- one's own month --------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    staff = access.own_staff(request.user)
    if staff is None:
        raise PermissionDenied
    today = timezone.localdate()
    month = today.replace(day=1)
    text = request.GET.get("month", "")
    if text:
        try:
            month = date.fromisoformat(f"{text}-01")
        except ValueError:
            month = today.replace(day=1)
    records = days_selectors.own_month(staff, month)
    counts = {value: 0 for value in AttendanceStatus.values}
    for record in records:
        counts[record.status] += 1
    return render(request, "attendance/days/mine.html", {
        "staff": staff, "month": month, "records": records,
        "counts": [(label, counts[value]) for value, label in AttendanceStatus.choices],
    })
