"""The pages of exam results and teaching-quality awards (质量积分制, R9,
shared/spec/exam-scores.md).

The office: its township's exams, the import (upload, preview, confirm, the error
workbook), one exam's ranking of schools and teachers with a chart, the award list's
publication (公示), the export, the settings and the further grounds. A principal: their
school's results and awards in an exam. A teacher (on the phone): their awards, their
count toward 教学标兵, their grounds, the published lists of their township."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules
from evaluation.forms import exams as exam_forms
from evaluation.models import AwardKind, ExamImport, ExamSettings
from evaluation.selectors import exams as exam_selectors
from evaluation.services import exams as exam_services
from staffing import charts, publication
from staffing import workbook as wb
from staffing.history import history_of


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _publication_context(exam, pub, today):
    standing = publication.standing_count(pub) if pub else 0
    return {
        "pub": pub, "window_open": publication.window_open(pub, today),
        "events": publication.events_of(pub) if pub else [],
        "publish_refusal": exam_services.publish_refusal(exam, pub),
        "lock_refusal": publication.lock_refusal(pub, today, standing),
        "reopen_refusal": publication.reopen_refusal(pub),
        "objections": publication.objections_of(pub).select_related("staff__school")
        if pub else [],
    }


# ---- the office: exams of a township ----------------------------------------------------


@login_required
@require_GET
def office_exams(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    return render(request, "evaluation/exams/office.html", {
        "township": township, "exams": exam_selectors.exams_of(township),
        "imports": exam_selectors.imports_of(township),
        "settings": exam_selectors.settings_of(township)})


@login_required
@require_http_methods(["GET", "POST"])
def office_settings(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    current = (ExamSettings.objects.filter(township=township).first()
               or ExamSettings(township=township))
    form = exam_forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            done = exam_services.settings_save(by=request.user, settings=form.save(commit=False))
            messages.success(request, ngettext(
                "The award settings of %(township)s are saved; %(n)d exam's awards were "
                "computed again.",
                "The award settings of %(township)s are saved; %(n)d exams' awards were "
                "computed again.", done) % {"township": township.name, "n": done})
            return redirect("evaluation:exams_office", township_pk=township.pk)
        messages.error(request, _("Nothing was saved; correct the fields marked."))
    return render(request, "evaluation/exams/settings.html", {"township": township,
                                                              "form": form})


@login_required
@require_GET
def office_export(request, township_pk):
    """The spec's sheet 奖励 (all the township's exams, or ``?exam=`` one)."""
    township = access.township_of_office(request.user, township_pk)
    exam = None
    if request.GET.get("exam"):
        exam = access.exam_of_office(request.user, request.GET["exam"])
        if exam.township_id != township.pk:
            raise PermissionDenied
    data, _count = exam_selectors.awards_workbook(township, exam)
    name = f"{rules.AWARDS_SHEET}-{township.name}" + (f"-{exam.name}" if exam else "") + ".xlsx"
    return wb.xlsx_response(data, name, fallback="awards.xlsx")


# ---- the import -------------------------------------------------------------------------


@wb.upload_view
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    too_large = request.method == "POST" and wb.request_too_large(request)
    if too_large:
        form = wb.refuse_upload(exam_forms.ImportForm(), too_large)
    else:
        form = exam_forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not too_large and form.is_valid():
            try:
                record, result = exam_services.import_upload(
                    by=request.user, township=township, uploaded=form.cleaned_data["workbook"])
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
                return redirect("evaluation:exams_import_preview", pk=record.pk)
        messages.error(request, _("The file was not uploaded; see the reason below."))
    return render(request, "evaluation/exams/import.html", {
        "township": township, "form": form, "imports": exam_selectors.imports_of(township),
        "columns": list(rules.SCORES_COLUMNS.values()),
        "county_columns": list(rules.COUNTY_COLUMNS.values()), "levels": rules.LEVELS})


@login_required
@require_GET
def import_preview(request, pk):
    record = access.exam_import_of_office(request.user, pk)
    committed = record.status == ExamImport.Status.COMMITTED
    errors, errors_more = wb.errors_shown({} if committed else record.preview)
    return render(request, "evaluation/exams/import_preview.html", {
        "record": record, "summary": record.summary, "committed": committed,
        "errors": errors, "errors_more": errors_more,
        "may_confirm": record.status == ExamImport.Status.PREVIEWED})


@login_required
@require_POST
def import_confirm(request, pk):
    record = access.exam_import_of_office(request.user, pk)
    try:
        result = exam_services.import_commit(by=request.user, record=record)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("evaluation:exams_import_preview", pk=record.pk)
    if not result.ok:
        messages.error(request, _("The data changed since the preview and the workbook now "
                                  "has errors; nothing was imported."))
        return redirect("evaluation:exams_import_preview", pk=record.pk)
    w = result.written
    messages.success(request, _(
        "Exam results imported: %(exams)d exams (%(replaced)d replacing an earlier import), "
        "%(results)d class results, %(awards)d awards; %(recounted)d excellence counts "
        "changed.") % {"exams": w.exams, "replaced": w.replaced, "results": w.results,
                       "awards": w.awards, "recounted": w.recounted})
    return redirect("evaluation:exams_office", township_pk=record.township_id)


@login_required
@require_GET
def import_errors(request, pk):
    record = access.exam_import_of_office(request.user, pk)
    if record.status == ExamImport.Status.COMMITTED or not record.errors_file:
        raise Http404
    with record.errors_file.open("rb") as handle:
        data = handle.read()
    stem = PurePath(record.original_name).stem or rules.SCORES_SHEET
    return wb.xlsx_response(data, f"{stem}-{rules.ERROR_HEADER}.xlsx",
                            fallback="exam-errors.xlsx")


@login_required
@require_GET
def import_template(request, township_pk):
    access.township_of_office(request.user, township_pk)
    columns = list(rules.SCORES_COLUMNS.values())
    data = wb.workbook_bytes([
        wb.SheetSpec(rules.SCORES_SHEET, columns, [], text_columns=rules.TEXT_HEADERS,
                     required=frozenset(columns)),
        wb.SheetSpec(rules.COUNTY_SHEET, list(rules.COUNTY_COLUMNS.values()), [])])
    return wb.xlsx_response(data, "成绩模板.xlsx", fallback="exam-template.xlsx")


# ---- one exam: the ranking ----------------------------------------------------------------


def _charts(board):
    names = [name for name, *_rest in board.schools]
    mean = charts.grouped_bars(
        names, [charts.Series(_("Mean score"), {n: float(score) for n, score, _e, _s in
                                                board.schools})],
        title=_("Mean score per school (weighted by pupils)"), width=720)
    counts = charts.grouped_bars(
        names, [charts.Series(_("Excellence"), {n: e for n, _m, e, _s in board.schools}),
                charts.Series(_("Standard"), {n: s for n, _m, _e, s in board.schools})],
        title=_("Awards per school"), width=720)
    return mean, counts


@login_required
@require_GET
def exam_page(request, pk):
    exam = access.exam_of_office(request.user, pk)
    board = exam_selectors.exam_board(exam)
    form = exam_forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = exam_selectors.teacher_page(board.teachers(), query=query,
                                       page=request.GET.get("page", 1))
    mean_chart, award_chart = _charts(board)
    today = timezone.localdate()
    pub = exam_selectors.award_publication(exam)
    return render(request, "evaluation/exams/exam.html", {
        "exam": exam, "township": exam.township, "board": board, "form": form,
        "query": query, "page": page, "mean_chart": mean_chart, "award_chart": award_chart,
        "excellence": board.awards.get(AwardKind.EXCELLENCE, 0),
        "standard": board.awards.get(AwardKind.STANDARD, 0),
        "answer_form": exam_forms.AnswerForm(),
        **_publication_context(exam, pub, today)})


@login_required
@require_POST
def exam_publish(request, pk):
    exam = access.exam_of_office(request.user, pk)
    try:
        pub = exam_services.awards_publish(by=request.user, exam=exam)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The award list of %(exam)s is published; objections are "
                                    "taken until %(day)s.")
                         % {"exam": exam.name, "day": pub.window_closes.isoformat()})
    return redirect("evaluation:exam", pk=exam.pk)


@login_required
@require_POST
def exam_lock(request, pk):
    exam = access.exam_of_office(request.user, pk)
    try:
        exam_services.awards_lock(by=request.user, exam=exam)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The award list of %(exam)s is locked: its results no "
                                    "longer change.") % {"exam": exam.name})
    return redirect("evaluation:exam", pk=exam.pk)


@login_required
@require_http_methods(["GET", "POST"])
def exam_reopen(request, pk):
    exam = access.exam_of_office(request.user, pk)
    pub = exam_selectors.award_publication(exam)
    refusal = publication.reopen_refusal(pub)
    form = exam_forms.ReopenForm(request.POST or None)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("evaluation:exam", pk=exam.pk)
        if form.is_valid():
            try:
                exam_services.awards_reopen(by=request.user, exam=exam,
                                            reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The award list of %(exam)s is reopened: a "
                                            "corrected workbook may be imported.")
                                 % {"exam": exam.name})
            return redirect("evaluation:exam", pk=exam.pk)
        messages.error(request, _("Give the reason for reopening."))
    return render(request, "evaluation/exams/reopen.html", {
        "exam": exam, "form": form, "refusal": refusal})


@login_required
@require_POST
def objection_answer(request, pk, objection_pk):
    exam = access.exam_of_office(request.user, pk)
    objection = access.award_objection_of_office(request.user, exam, objection_pk)
    form = exam_forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
        return redirect("evaluation:exam", pk=exam.pk)
    try:
        exam_services.objection_answer(by=request.user, exam=exam, objection=objection,
                                       corrected=form.cleaned_data["corrected"],
                                       answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s's objection is answered.")
                         % {"name": objection.staff.name})
    return redirect("evaluation:exam", pk=exam.pk)


# ---- a principal: their school ---------------------------------------------------------


@login_required
@require_GET
def school_exam(request, pk, school_pk):
    exam, school = access.exam_of_school(request.user, pk, school_pk)
    board = exam_selectors.exam_board(exam, school=school)
    return render(request, "evaluation/exams/school.html", {
        "exam": exam, "school": school, "board": board,
        "results": exam_selectors.results_of_school(exam, school)})


@login_required
@require_GET
def school_exams(request, school_pk):
    school = access.school_of_principal(request.user, school_pk)
    return render(request, "evaluation/exams/school_exams.html", {
        "school": school, "exams": exam_selectors.exams_of(school.township)})


# ---- one teacher's awards ---------------------------------------------------------------


@login_required
@require_GET
def staff_awards(request, staff_pk):
    staff = access.staff_awards_get(request.user, staff_pk)
    found = exam_selectors.teacher_awards(staff)
    own = access.own_staff(request.user)
    return render(request, "evaluation/exams/staff.html", {
        "found": found, "staff": staff, "own": own is not None and own.pk == staff.pk,
        "published": exam_selectors.published_exams(staff.school.township)
        if own is not None and own.pk == staff.pk else []})


@login_required
@require_GET
def my_awards(request):
    staff = access.require_own_staff(request.user)
    return redirect("evaluation:staff_awards", staff_pk=staff.pk)


@login_required
@require_http_methods(["GET", "POST"])
def published(request, pk):
    """The published award list of an exam, for the township's staff; a teacher objects
    to their own row while the window is open."""
    exam, staff = access.exam_of_own_township(request.user, pk)
    pub = exam_selectors.award_publication(exam)
    if pub is None:
        raise Http404("Not published.")
    today = timezone.localdate()
    items = [exam_services.item_of(g, s) for g, s in exam_selectors.own_subjects(exam, staff)]
    refusal = publication.objection_refusal(pub, today) or (
        None if items else _("You have no result in this exam."))
    form = exam_forms.ObjectionForm(request.POST or None, items=items)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("evaluation:exam_published", pk=exam.pk)
        if form.is_valid():
            try:
                exam_services.award_object(by=request.user, staff=staff, exam=exam,
                                           item=form.cleaned_data["item"],
                                           reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Your objection to %(item)s is sent to the "
                                            "office.") % {"item": form.cleaned_data["item"]})
                return redirect("evaluation:exam_published", pk=exam.pk)
        else:
            messages.error(request, _("Nothing was sent; correct the fields marked."))
    return render(request, "evaluation/exams/published.html", {
        "exam": exam, "staff": staff, "pub": pub, "awards": exam_selectors.published_awards(exam),
        "window_open": publication.window_open(pub, today), "refusal": refusal, "form": form,
        "objections": exam_selectors.own_objections(pub, staff)})


# ---- further grounds ---------------------------------------------------------------------


@login_required
@require_GET
def grounds(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    form = exam_forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "evaluation/exams/grounds.html", {
        "township": township, "form": form, "query": query,
        "page": exam_selectors.grounds_of(township, query=query,
                                          page=request.GET.get("page", 1))})


@login_required
@require_http_methods(["GET", "POST"])
def ground_edit(request, township_pk, pk=None):
    township = access.township_of_office(request.user, township_pk)
    ground = access.ground_of_office(request.user, pk) if pk is not None else None
    if ground is not None and ground.staff.school.township_id != township.pk:
        raise PermissionDenied
    initial = ({"staff": ground.staff_id, "kind": ground.kind, "title": ground.title,
                "date": ground.date, "note": ground.note} if ground else None)
    form = exam_forms.GroundForm(request.POST or None, initial=initial,
                                 staff=exam_selectors.township_staff(township))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = exam_services.ground_save(by=request.user, staff=data["staff"],
                                                  kind=data["kind"], title=data["title"],
                                                  day=data["date"], note=data["note"],
                                                  ground=ground)
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("%(name)s: “%(title)s” is recorded as a ground for "
                                            "the standard award.")
                                 % {"name": saved.staff.name, "title": saved.title})
                return redirect("evaluation:exam_grounds", township_pk=township.pk)
        else:
            messages.error(request, _("Nothing was saved; correct the fields marked."))
    return render(request, "evaluation/exams/ground_form.html", {
        "township": township, "form": form, "ground": ground,
        "history": history_of(ground) if ground else []})


@login_required
@require_http_methods(["GET", "POST"])
def ground_delete(request, township_pk, pk):
    township = access.township_of_office(request.user, township_pk)
    ground = access.ground_of_office(request.user, pk)
    if ground.staff.school.township_id != township.pk:
        raise PermissionDenied
    if request.method == "POST":
        exam_services.ground_delete(by=request.user, ground=ground)
        messages.success(request, _("“%(title)s” of %(name)s is deleted.")
                         % {"title": ground.title, "name": ground.staff.name})
        return redirect("evaluation:exam_grounds", township_pk=township.pk)
    return render(request, "evaluation/exams/ground_delete.html", {
        "township": township, "ground": ground})


urlpatterns: list = [
    path("exams/township/<int:township_pk>/", office_exams, name="exams_office"),
    path("exams/township/<int:township_pk>/settings/", office_settings, name="exams_settings"),
    path("exams/township/<int:township_pk>/export/", office_export, name="exams_export"),
    path("exams/township/<int:township_pk>/import/", import_upload, name="exams_import"),
    path("exams/township/<int:township_pk>/import/template/", import_template,
         name="exams_import_template"),
    path("exams/import/<int:pk>/", import_preview, name="exams_import_preview"),
    path("exams/import/<int:pk>/confirm/", import_confirm, name="exams_import_confirm"),
    path("exams/import/<int:pk>/errors/", import_errors, name="exams_import_errors"),
    path("exams/<int:pk>/", exam_page, name="exam"),
    path("exams/<int:pk>/publish/", exam_publish, name="exam_publish"),
    path("exams/<int:pk>/lock/", exam_lock, name="exam_lock"),
    path("exams/<int:pk>/reopen/", exam_reopen, name="exam_reopen"),
    path("exams/<int:pk>/objections/<int:objection_pk>/answer/", objection_answer,
         name="exam_objection_answer"),
    path("exams/<int:pk>/published/", published, name="exam_published"),
    path("exams/<int:pk>/school/<int:school_pk>/", school_exam, name="exam_school"),
    path("exams/school/<int:school_pk>/", school_exams, name="exams_school"),
    path("exams/staff/<int:staff_pk>/", staff_awards, name="staff_awards"),
    path("exams/mine/", my_awards, name="my_awards"),
    path("exams/township/<int:township_pk>/grounds/", grounds, name="exam_grounds"),
    path("exams/township/<int:township_pk>/grounds/new/", ground_edit, name="exam_ground_new"),
    path("exams/township/<int:township_pk>/grounds/<int:pk>/", ground_edit,
         name="exam_ground_edit"),
    path("exams/township/<int:township_pk>/grounds/<int:pk>/delete/", ground_delete,
         name="exam_ground_delete"),
]
