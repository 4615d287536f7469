"""The pages of teacher-qualification certification (教师资格认定, R13), for the county
office, under /evaluation/qualifications/:

- a county's applications, one tab per check waiting (证件关、体检关、认定关) and the ended
  ones, searched by name or the ID's last four, paginated; tick many at one check and
  record one outcome (a confirmation page first); export each tab (IDs masked, or in
  full with the export recorded);
- enter an application;
- an application: its facts (the full ID shown on request, recorded), its checks, the
  form of the check it waits at, its history.

Every lookup goes through ``access``; every change through ``services``."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules
from evaluation.forms import qualifications as forms
from evaluation.models import (
    CertificateKind,
    QualificationImport,
    QualificationState,
    QualificationStep,
)
from evaluation.selectors import qualifications as selectors
from evaluation.services import qualifications as services
from schools.resident_id import mask
from staffing import workbook as wb
from staffing.history import history_of

EXPORT_HEADERS = ["姓名", "身份证号", "联系电话", "资格种类", "任教学科", "所在单位", "申请日期",
                  "状态", "证书编号", "证件审查", "证件审查日期", "证件审查说明", "体检",
                  "体检日期", "体检说明", "认定结论", "认定日期", "认定说明"]
# The tab names in URLs and export file names.
TAB_FILE_NAMES = {"certificates": "待证件审查", "physical": "待体检", "decision": "待认定",
                  "certified": "已认定", "failed": "未通过", "": "全部"}


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _tab(params) -> str:
    tab = params.get("state", QualificationState.CERTIFICATES)
    return tab if tab in QualificationState.values or tab == "" else (
        QualificationState.CERTIFICATES)


def _query(params) -> str:
    form = forms.SearchForm(params)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def _list_url(county, state) -> str:
    return reverse("evaluation:qualification_list", args=[county.pk]) + f"?state={state}"


@login_required
@require_GET
def application_list(request, county_pk):
    county = access.qualification_county(request.user, county_pk)
    state, query = _tab(request.GET), _query(request.GET)
    page = selectors.applications_page(request.user, county, state=state or None, query=query,
                                       page=request.GET.get("page"))
    rows = [(a, selectors.last_check(a)) for a in page.object_list]
    counts = selectors.state_counts(county)
    return render(request, "evaluation/qualifications/list.html", {
        "county": county, "state": state, "query": query, "page": page, "rows": rows,
        "search": forms.SearchForm(request.GET), "total": sum(counts.values()),
        "tabs": [(s, QualificationState(s).label, counts[s]) for s in selectors.TABS],
        "bulk": forms.BulkForm(initial={"step": state})
        if state in rules.QUALIFICATION_STEPS and rows else None})


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request, county_pk):
    county = access.qualification_county(request.user, county_pk)
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                application = services.application_enter(
                    by=request.user, county=county,
                    data=services.ApplicationData(**form.cleaned_data))
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The application of %(name)s is entered; it "
                                            "waits for the certificates review.") % {
                    "name": application.name})
                if application.staff_id:
                    messages.info(request, _("Linked to the staff record of %(school)s.") % {
                        "school": application.staff.school.name})
                return redirect("evaluation:qualification", pk=application.pk)
        else:
            messages.error(request, _("Nothing was saved; correct the fields marked."))
    return render(request, "evaluation/qualifications/new.html", {"county": county,
                                                                  "form": form})


def _application_page(request, application, *, full_id=None, form=None):
    application = (selectors.applications_of(request.user, application.county)
                   .get(pk=application.pk))
    step = application.state if application.state in rules.QUALIFICATION_STEPS else None
    return render(request, "evaluation/qualifications/application.html", {
        "application": application, "county": application.county, "full_id": full_id,
        "checks": list(application.checks.all()), "step": step,
        "step_label": QualificationStep(step).label if step else "",
        "form": form or (forms.CheckForm() if step else None),
        "later_refusals": [(QualificationStep(s).label,
                            rules.qualification_check_refusal(application.state, s))
                           for s in rules.QUALIFICATION_STEPS[
                               rules.QUALIFICATION_STEPS.index(step) + 1:]] if step else [],
        "id_views": selectors.id_views_of(application),
        "history": history_of(application, formatters={"resident_id": mask})})


@login_required
@require_GET
def application_page(request, pk):
    return _application_page(request, access.qualification_of(request.user, pk))


@never_cache
@login_required
@require_POST
def application_full_id(request, pk):
    application = access.qualification_of(request.user, pk)
    full_id = services.full_id_reveal(by=request.user, application=application)
    messages.info(request, _("The full resident ID is shown on this page only."))
    return _application_page(request, application, full_id=full_id)


@login_required
@require_POST
def application_check(request, pk, step):
    application = access.qualification_of(request.user, pk)
    form = forms.CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded; correct the fields marked."))
        return _application_page(request, application, form=form)
    data = form.cleaned_data
    try:
        application = services.check_record(
            by=request.user, application=application, step=step,
            passed=data["outcome"] == "pass", note=data["note"],
            certificate_number=data["certificate_number"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _outcome_message(step, application.state, 1))
    return redirect("evaluation:qualification", pk=application.pk)


def _outcome_message(step: str, state: str, n: int) -> str:
    label = QualificationStep(step).label
    if state == QualificationState.FAILED:
        return ngettext("%(check)s failed for %(n)d application: it has ended.",
                        "%(check)s failed for %(n)d applications: they have ended.", n) % {
            "check": label, "n": n}
    if state == QualificationState.CERTIFIED:
        return ngettext("%(n)d application is certified.",
                        "%(n)d applications are certified.", n) % {"n": n}
    return ngettext("%(check)s passed for %(n)d application; it goes on to the %(next)s.",
                    "%(check)s passed for %(n)d applications; they go on to the %(next)s.",
                    n) % {"check": label, "n": n, "next": QualificationStep(state).label}


@login_required
@require_POST
def bulk_record(request, county_pk):
    """Ticked applications at one check and one outcome: a confirmation page, then
    (``confirm``) the service records them all."""
    county = access.qualification_county(request.user, county_pk)
    form = forms.BulkForm(request.POST)
    step = request.POST.get("step", "")
    back = _list_url(county, step if step in rules.QUALIFICATION_STEPS else "certificates")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    passed = data["outcome"] == "pass"
    chosen = selectors.waiting_at(county, data["step"], data["ids"])
    if not data["confirm"]:
        return render(request, "evaluation/qualifications/bulk_confirm.html", {
            "county": county, "form": form, "chosen": chosen, "passed": passed,
            "step_label": QualificationStep(data["step"]).label,
            "missing": len(data["ids"]) - len(chosen), "back": back})
    try:
        result = services.checks_record(by=request.user, county=county, step=data["step"],
                                        application_ids=data["ids"], passed=passed,
                                        note=data["note"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        if result.done:
            messages.success(request, _outcome_message(data["step"], result.done[0].state,
                                                       len(result.done)))
        if result.refused:
            messages.error(request, _("Not recorded: %(lines)s.") % {"lines": "；".join(
                f"{a.name}（{reason}）" for a, reason in result.refused)})
    return redirect(back)


def _export(request, county, params, *, full_ids: bool):
    state, query = _tab(params), _query(params)
    applications = selectors.applications_of(request.user, county, state=state or None,
                                             query=query)
    rows = selectors.export_rows(applications, full_ids=full_ids)
    today = timezone.localdate()
    name = f"教师资格认定-{county.name}-{TAB_FILE_NAMES[state]}-{today:%Y%m%d}.xlsx"
    if full_ids:
        services.full_id_export_record(by=request.user, county=county, export=name,
                                       rows=len(rows))
    data = wb.workbook_bytes([wb.SheetSpec("教师资格认定", EXPORT_HEADERS, rows,
                                           text_columns=frozenset({"身份证号", "联系电话",
                                                                   "证书编号"}))])
    return wb.xlsx_response(data, name, fallback=f"qualifications-{state or 'all'}-"
                                                 f"{today:%Y%m%d}.xlsx")


@login_required
@require_GET
def export_masked(request, county_pk):
    county = access.qualification_county(request.user, county_pk)
    return _export(request, county, request.GET, full_ids=False)


@never_cache
@login_required
@require_POST
def export_full(request, county_pk):
    """The same export with full IDs: a POST, and recorded."""
    county = access.qualification_county(request.user, county_pk)
    return _export(request, county, request.POST, full_ids=True)


# ---- the import --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request, county_pk):
    county = access.qualification_county(request.user, county_pk)
    too_large = request.method == "POST" and wb.request_too_large(request)
    if too_large:  # the body is never read: the form comes back with the reason
        form = wb.refuse_upload(forms.UploadForm(), too_large)
    else:
        form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not too_large and form.is_valid():
            try:
                record, result = services.import_upload(by=request.user, county=county,
                                                        uploaded=form.cleaned_data["workbook"])
            except wb.WorkbookError as exc:
                form.add_error("workbook", str(exc))
            else:
                summary = result.plan.summary()
                if result.ok and summary["rows"]:
                    messages.success(request, ngettext(
                        "“%(name)s” has been checked: %(rows)s application. Review it below, "
                        "then confirm.",
                        "“%(name)s” has been checked: %(rows)s applications. Review them "
                        "below, then confirm.", summary["rows"])
                        % {"name": record.original_name, "rows": f"{summary['rows']:,}"})
                elif result.ok:
                    messages.warning(request, _("“%(name)s” has no application in it.") % {
                        "name": record.original_name})
                else:
                    messages.warning(request, ngettext(
                        "“%(name)s” has %(n)d wrong row; nothing will be imported. Download "
                        "it with its error, correct it and upload the file again.",
                        "“%(name)s” has %(n)d wrong rows; nothing will be imported. Download "
                        "them with their errors, correct them and upload the file again.",
                        summary["wrong_rows"])
                        % {"name": record.original_name, "n": summary["wrong_rows"]})
                return redirect("evaluation:qualification_import_preview", pk=record.pk)
        messages.error(request, _("The file was not uploaded; see the reason below."))
    return render(request, "evaluation/qualifications/import.html", {
        "county": county, "form": form, "columns": list(rules.QUALIFICATION_COLUMNS.values()),
        "kinds": CertificateKind.values})


@login_required
@require_GET
def import_template(request, county_pk):
    access.qualification_county(request.user, county_pk)
    columns = list(rules.QUALIFICATION_COLUMNS.values())
    data = wb.workbook_bytes([wb.SheetSpec(
        rules.QUALIFICATION_SHEET, columns, [], required=frozenset(columns),
        text_columns=rules.QUALIFICATION_TEXT_HEADERS)])
    return wb.xlsx_response(data, "教师资格认定申请模板.xlsx",
                            fallback="qualification-template.xlsx")


@login_required
@require_GET
def import_preview(request, pk):
    record = access.qualification_import_of(request.user, pk)
    committed = record.status == QualificationImport.Status.COMMITTED
    errors, errors_more = wb.errors_shown({} if committed else record.preview)
    return render(request, "evaluation/qualifications/import_preview.html", {
        "record": record, "county": record.county, "summary": record.summary,
        "committed": committed, "errors": errors, "errors_more": errors_more,
        "may_confirm": record.status == QualificationImport.Status.PREVIEWED})


@login_required
@require_POST
def import_confirm(request, pk):
    record = access.qualification_import_of(request.user, pk)
    try:
        result = services.import_commit(by=request.user, record=record)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("evaluation:qualification_import_preview", pk=record.pk)
    if not result.ok:
        messages.error(request, _("The data changed since the preview and the workbook now "
                                  "has errors; nothing was imported."))
        return redirect("evaluation:qualification_import_preview", pk=record.pk)
    messages.success(request, ngettext(
        "%(n)d application imported; it waits for the certificates review.",
        "%(n)d applications imported; they wait for the certificates review.",
        result.written) % {"n": result.written})
    return redirect(_list_url(record.county, QualificationState.CERTIFICATES))


@login_required
@require_GET
def import_errors(request, pk):
    record = access.qualification_import_of(request.user, pk)
    if record.status == QualificationImport.Status.COMMITTED or not record.errors_file:
        raise Http404
    with record.errors_file.open("rb") as handle:
        data = handle.read()
    stem = PurePath(record.original_name).stem or rules.QUALIFICATION_SHEET
    return wb.xlsx_response(data, f"{stem}-{rules.QUALIFICATION_ERROR_HEADER}.xlsx",
                            fallback="qualification-errors.xlsx")


@login_required
@require_GET
def id_views(request, county_pk):
    county = access.qualification_county(request.user, county_pk)
    return render(request, "evaluation/qualifications/id_views.html", {
        "county": county, "page": selectors.id_views_of_county(county,
                                                              request.GET.get("page"))})


urlpatterns: list = [
    path("qualifications/county/<str:county_pk>/", application_list,
         name="qualification_list"),
    path("qualifications/county/<str:county_pk>/new/", application_new,
         name="qualification_new"),
    path("qualifications/county/<str:county_pk>/bulk/", bulk_record,
         name="qualification_bulk"),
    path("qualifications/county/<str:county_pk>/export/", export_masked,
         name="qualification_export"),
    path("qualifications/county/<str:county_pk>/export/full/", export_full,
         name="qualification_export_full"),
    path("qualifications/county/<str:county_pk>/id-views/", id_views,
         name="qualification_id_views"),
    path("qualifications/county/<str:county_pk>/import/", import_page,
         name="qualification_import"),
    path("qualifications/county/<str:county_pk>/import/template/", import_template,
         name="qualification_import_template"),
    path("qualifications/imports/<str:pk>/", import_preview,
         name="qualification_import_preview"),
    path("qualifications/imports/<str:pk>/confirm/", import_confirm,
         name="qualification_import_confirm"),
    path("qualifications/imports/<str:pk>/errors/", import_errors,
         name="qualification_import_errors"),
    path("qualifications/<str:pk>/", application_page, name="qualification"),
    path("qualifications/<str:pk>/full-id/", application_full_id,
         name="qualification_full_id"),
    path("qualifications/<str:pk>/check/<str:step>/", application_check,
         name="qualification_check"),
]
