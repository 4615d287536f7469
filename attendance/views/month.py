"""The weekly and monthly publications' pages (周公示、月兑现), the township's settings and
the absence chart.

- the office: the month (per school figures, the staff with their deductions, publish,
  objections and answers, lock, reopen, export), which schools published their weeks,
  the settings, the absence chart;
- a school (principal, liaison): publish its weeks, answer its staff's objections;
- a teacher: my week, my month and an objection to a day.

Every lookup goes through ``access`` (403 for a role the page is never for, 404 for what
is not this login's); every change through ``services.month``."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import access, rules, sheets, workflow
from attendance.forms import month as month_forms
from attendance.models import AttendanceSettings, AttendanceStatus
from attendance.selectors import days as days_selectors
from attendance.selectors import month as month_selectors
from attendance.services import month as month_services
from schools import services as school_services
from staffing import charts, publication
from staffing import workbook as wb
from staffing.ids import parse_id

WEEKS_SHOWN = 6
CHART_MONTHS = 12


def _month(text: str) -> tuple[int, int]:
    found = rules.parse_month(text)
    if found is None:
        raise Http404("Not a month.")
    return found


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _this_month() -> str:
    today = workflow.today()
    return rules.month_key(today.year, today.month)


# ---- the office ---------------------------------------------------------------------------


@login_required
@require_GET
def office_now(request, township_pk):
    township = access.month_township_get(request.user, township_pk)
    return redirect("attendance:month_office", township_pk=township.pk, month=_this_month())


@login_required
@require_GET
def office_month(request, township_pk, month):
    township = access.month_township_get(request.user, township_pk)
    year, number = _month(month)
    today = workflow.today()
    settings = days_selectors.settings_of(township)
    pub = month_selectors.month_publication(township, year, number)
    standing = publication.standing_count(pub) if pub else 0
    form = month_forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page, rows = month_selectors.staff_page(
        request.user, township, year, number, query=query, page=request.GET.get("page"),
        rates=month_selectors.rates_of(settings))
    objections = (list(publication.objections_of(pub).select_related("staff__school"))
                  if pub else [])
    return render(request, "attendance/month/office.html", {
        "township": township, "month": month, "year": year, "number": number,
        "first": rules.month_bounds(year, number)[0],
        "before": rules.month_key(*rules.month_shift(year, number, -1)),
        "after": rules.month_key(*rules.month_shift(year, number, 1)),
        "pub": pub, "settings": settings, "form": form, "query": query,
        "page": page, "rows": rows, "states": AttendanceStatus.labels,
        "schools": month_selectors.school_months(
            month_selectors.records_of_month(township, year, number)),
        "objections": objections,
        "events": list(publication.events_of(pub)) if pub else [],
        "publish_refusal": publication.publish_refusal(pub) or workflow.month_publish_refusal(
            today, month_selectors.last_working_day(township, year, number)),
        "lock_refusal": publication.lock_refusal(pub, today, standing),
        "reopen_refusal": publication.reopen_refusal(pub),
        "window_open": publication.window_open(pub, today),
    })


@login_required
@require_POST
def office_publish(request, township_pk, month):
    township = access.month_township_get(request.user, township_pk)
    year, number = _month(month)
    try:
        pub = month_services.month_publish(by=request.user, township=township, year=year,
                                           month=number)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _(
            "%(month)s published to the township's staff: objections until %(day)s.") % {
                "month": month, "day": pub.window_closes.isoformat()})
    return redirect("attendance:month_office", township_pk=township.pk, month=month)


@login_required
@require_POST
def office_lock(request, township_pk, month):
    township = access.month_township_get(request.user, township_pk)
    year, number = _month(month)
    pub = month_selectors.month_publication(township, year, number)
    try:
        if pub is None:
            raise ValidationError(_("It has not been published."))
        month_services.month_lock(by=request.user, pub=pub)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(month)s locked: it goes to payroll as it stands.") % {
            "month": month})
    return redirect("attendance:month_office", township_pk=township.pk, month=month)


@login_required
@require_http_methods(["GET", "POST"])
def office_reopen(request, township_pk, month):
    """A confirmation page with the reason, then the reopening."""
    township = access.month_township_get(request.user, township_pk)
    year, number = _month(month)
    pub = month_selectors.month_publication(township, year, number)
    refusal = publication.reopen_refusal(pub)
    form = month_forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if refusal:
                raise ValidationError(refusal)
            month_services.month_reopen(by=request.user, pub=pub,
                                        reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("%(month)s reopened: its days may change again.") % {
                "month": month})
        return redirect("attendance:month_office", township_pk=township.pk, month=month)
    return render(request, "attendance/month/reopen.html", {
        "township": township, "month": month, "form": form, "refusal": refusal})


@login_required
@require_GET
def office_export(request, township_pk, month):
    """The spec's sheet with the deductions: for payroll."""
    township = access.month_township_get(request.user, township_pk)
    year, number = _month(month)
    figures = month_selectors.month_figures(
        township, year, number,
        rates=month_selectors.rates_of(days_selectors.settings_of(township)))
    buffer = io.BytesIO()
    wb.write_workbook(buffer, [sheets.month_sheet(figures.staff, with_deductions=True)])
    name = f"{sheets.MONTH_SHEET}-{township.name}-{month}.xlsx"
    school_services.full_id_export_record(by=request.user, township=township, export=name,
                                          rows=len(figures.staff))
    return wb.xlsx_response(buffer.getvalue(), name, fallback=f"month-{month}.xlsx")


@login_required
@require_GET
def office_weeks(request, township_pk):
    township = access.month_township_get(request.user, township_pk)
    mondays = month_selectors.recent_weeks(workflow.today(), WEEKS_SHOWN)
    rows = month_selectors.week_board(township, mondays)
    missing = [sum(1 for row in rows if row.published[i] is None) for i in range(len(mondays))]
    return render(request, "attendance/month/office_weeks.html", {
        "township": township, "mondays": mondays, "rows": rows, "missing": missing})


@login_required
@require_http_methods(["GET", "POST"])
def office_settings(request, township_pk):
    township = access.month_township_get(request.user, township_pk)
    current = (AttendanceSettings.objects.filter(township=township).first()
               or AttendanceSettings(township=township))
    form = month_forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            month_services.settings_save(by=request.user, settings=form.save(commit=False))
            messages.success(request, _("The settings of %(township)s are saved.") % {
                "township": township.name})
            return redirect("attendance:month_settings", township_pk=township.pk)
        messages.error(request, _("Nothing was saved; correct the fields marked."))
    return render(request, "attendance/month/settings.html", {"township": township,
                                                              "form": form})


@login_required
@require_GET
def office_absence(request, township_pk):
    """Staff not at work (a 旷工 day) per month, for the township and each school."""
    township = access.month_township_get(request.user, township_pk)
    today = workflow.today()
    months = rules.months_before(today.year, today.month, CHART_MONTHS)
    absence = month_selectors.absence_by_month(township, months)
    labels = [rules.month_key(*m) for m in months]
    total = charts.grouped_bars(
        labels, [charts.Series(_("Staff not at work"),
                               {rules.month_key(*m): n for m, n in absence.township.items()})],
        title=_("Staff not at work per month, %(township)s") % {"township": township.name},
        width=720)
    recent = months[-4:]
    per_school = charts.grouped_bars(
        [name for name, _counts in absence.schools],
        [charts.Series(rules.month_key(*m), {name: counts.get(m, 0)
                                             for name, counts in absence.schools})
         for m in recent],
        title=_("Staff not at work per school, last four months"), width=720, height=280)
    return render(request, "attendance/month/absence.html", {
        "township": township, "total_chart": total, "school_chart": per_school,
        "labels": labels, "absence": absence,
        "table": [(name, [counts.get(m, 0) for m in months]) for name, counts in absence.schools],
        "totals": [absence.township.get(m, 0) for m in months]})


# ---- a school -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def school_weeks(request, school_pk):
    school = access.led_school_get(request.user, school_pk)
    today = workflow.today()
    if request.method == "POST":
        form = month_forms.WeekForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a week to publish."))
        else:
            try:
                pub = month_services.week_publish(by=request.user, school=school,
                                                  monday=form.cleaned_data["week"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _(
                    "The week of %(day)s is published to your staff and reported to the "
                    "office.") % {"day": pub.key})
        return redirect("attendance:school_weeks", school_pk=school.pk)
    weeks = month_selectors.school_weeks(school, month_selectors.recent_weeks(today, WEEKS_SHOWN))
    return render(request, "attendance/month/school_weeks.html", {
        "school": school, "weeks": [(monday, pub, workflow.week_publish_refusal(today, monday))
                                    for monday, pub in weeks],
        "month": _this_month()})


@login_required
@require_GET
def school_objections(request, school_pk, month):
    school = access.led_school_get(request.user, school_pk)
    year, number = _month(month)
    pub = month_selectors.month_publication(school.township, year, number)
    objections = month_selectors.school_objections(school, pub)
    records = month_selectors.records_at(objections)
    return render(request, "attendance/month/school_objections.html", {
        "school": school, "month": month, "pub": pub,
        "rows": [(o, records.get((o.staff_id, o.item))) for o in objections],
        "correct_form": month_forms.CorrectForm(), "decline_form": month_forms.DeclineForm()})


@login_required
@require_POST
def school_answer(request, school_pk, month, pk):
    school = access.led_school_get(request.user, school_pk)
    year, number = _month(month)
    pub = month_selectors.month_publication(school.township, year, number)
    if pub is None:
        raise Http404("Not published.")
    objection = access.school_objection_get(school, pub, parse_id(str(pk)))
    back = redirect("attendance:school_objections", school_pk=school.pk, month=month)
    if request.POST.get("action") == "correct":
        form = month_forms.CorrectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the corrected attendance."))
            return back
        call = (month_services.objection_correct, {"status": form.cleaned_data["status"],
                                                   "answer": form.cleaned_data["answer"]})
        done = _("%(name)s's %(day)s is corrected.")
    else:
        form = month_forms.DeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for declining."))
            return back
        call = (month_services.objection_decline, {"answer": form.cleaned_data["answer"]})
        done = _("%(name)s's objection to %(day)s is declined.")
    try:
        call[0](by=request.user, objection=objection, **call[1])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done % {"name": objection.staff.name, "day": objection.item})
    return back


# ---- a teacher ------------------------------------------------------------------------------


@login_required
@require_GET
def my_week(request):
    staff = access.month_own_staff(request.user)
    today = workflow.today()
    try:
        monday = rules.week_start(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        monday = rules.week_start(today)
    pub = month_selectors.week_publication(staff.school, monday)
    records = (month_selectors.records_by_day(staff, monday, monday + timedelta(days=6))
               if pub else [])
    return render(request, "attendance/month/my_week.html", {
        "staff": staff, "monday": monday, "sunday": monday + timedelta(days=6),
        "pub": pub, "records": records,
        "before": (monday - timedelta(weeks=1)).isoformat(),
        "after": (monday + timedelta(weeks=1)).isoformat() if monday < today else None})


@login_required
@require_http_methods(["GET", "POST"])
def my_month(request, month):
    staff = access.month_own_staff(request.user)
    year, number = _month(month)
    today = workflow.today()
    township = staff.school.township
    pub = month_selectors.month_publication(township, year, number)
    first, last = rules.month_bounds(year, number)
    records = month_selectors.records_by_day(staff, first, last) if pub else []
    refusal = publication.objection_refusal(pub, today)
    form = month_forms.ObjectionForm(request.POST or None, days=[r.date for r in records])
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("attendance:my_month", month=month)
        if form.is_valid():
            try:
                month_services.month_object(by=request.user, staff=staff, pub=pub,
                                            day=form.cleaned_data["day"],
                                            reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _(
                    "Your objection to %(day)s is sent to your school.") % {
                        "day": form.cleaned_data["day"].isoformat()})
                return redirect("attendance:my_month", month=month)
        else:
            messages.error(request, _("Nothing was sent; correct the fields marked."))
    counts: dict[str, int] = {}
    for record in records:
        counts[record.status] = counts.get(record.status, 0) + 1
    deductions = rules.deductions(counts, month_selectors.rates_of(
        days_selectors.settings_of(township))) if pub else None
    return render(request, "attendance/month/my_month.html", {
        "staff": staff, "month": month, "pub": pub, "records": records,
        "counts": list(zip(AttendanceStatus.labels, rules.month_counts(counts), strict=False)),
        "deductions": deductions, "refusal": refusal, "form": form,
        "objections": month_selectors.own_objections(staff, pub),
        "window_open": publication.window_open(pub, today)})


@login_required
@require_GET
def my_month_now(request):
    access.month_own_staff(request.user)
    return redirect("attendance:my_month", month=_this_month())
