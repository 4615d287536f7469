"""Phase 7's pages (R7): the unhired, the training class and test, a trainee's placement,
an explained status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from recruitment import access, rules, sheets, workflow
from recruitment.forms import unhired as unhired_forms
from recruitment.models import PhaseState
from recruitment.phases import UNHIRED
from recruitment.selectors import common as common_selectors
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import unhired as unhired_services
from recruitment.views import common as common_views
from schools import services as school_services
from staffing import workbook as wb
from staffing.history import history_of
from staffing.refusals import refused


@login_required
@require_GET
def unhired(request, pk):
    """Phase 7: the unhired, their training and test, their assignment or explained
    status, and why the phase cannot close yet."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    if cycle.adopted_revision_id is None:  # nothing to train or place by yet
        return render(request, "recruitment/allocation/unhired.html", common_views.step2_context(
            request, cycle, "unhired", office=True, board=None,
            phase=common_selectors.phase_of(cycle, UNHIRED),
            refusal=workflow.not_adopted_refusal(cycle)))
    phase = common_selectors.phase_of(cycle, UNHIRED)
    close_refusal = (cycle_selectors.phase_close_check(phase)
                     if phase.state == PhaseState.OPEN else None)
    form = common_views.unhired_filter_form(request, cycle)
    board = unhired_selectors.unhired_board(
        cycle, close_refusal=close_refusal, page=request.GET.get("page"),
        listed_staff=unhired_selectors.unhired_filtered(request.user, cycle, form.filters()))
    return render(request, "recruitment/allocation/unhired.html", common_views.step2_context(
        request, cycle, "unhired", office=True, board=board, phase=board.phase,
        refusal=board.refusal, filter_form=form))


def _staff_action(request, pk, form_class, action, success):
    """Enrol or explain one of the unhired: ``action(user, cycle, staff, form)``."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    form = form_class(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form)
        return redirect(common_views.back_to("unhired", cycle, request))
    staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
    try:
        action(request.user, cycle, staff, form)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, success % {"name": staff.name})
    return redirect(common_views.back_to("unhired", cycle, request, f"#staff-{staff.pk}"))


def _enrol(user, cycle, staff, form):
    unhired_services.training_enrol(by=user, cycle=cycle, staff=staff)


def _explain(user, cycle, staff, form):
    unhired_services.unhired_explain(by=user, cycle=cycle, staff=staff,
                              reason=form.cleaned_data["reason"])


@login_required
@require_POST
def training_enrol(request, pk):
    return _staff_action(request, pk, unhired_forms.StaffForm, _enrol,
                         _("%(name)s is enrolled in the training class."))


@login_required
@require_POST
def unhired_explain(request, pk):
    return _staff_action(request, pk, unhired_forms.ExplainForm, _explain,
                         _("The explained status of %(name)s is recorded: no post is needed."))


@login_required
@require_POST
def training_score(request, pk, enrolment_pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    enrolment = access.enrolment_get(cycle, enrolment_pk)
    form = unhired_forms.ScoreForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form)
    else:
        try:
            unhired_services.training_score(by=request.user, enrolment=enrolment,
                                     score=form.cleaned_data["score"])
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The test score of %(name)s is recorded: %(score)d.")
                             % {"name": enrolment.staff.name,
                                "score": form.cleaned_data["score"]})
    return redirect(common_views.back_to("unhired", cycle, request, f"#staff-{enrolment.staff_id}"))


@login_required
@require_POST
def trainee_assign(request, pk, enrolment_pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    enrolment = access.enrolment_get(cycle, enrolment_pk)
    form = unhired_forms.PostChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was assigned: choose a post."))
        return redirect(
            common_views.back_to("unhired", cycle, request, f"#staff-{enrolment.staff_id}")
        )
    post = access.township_post_get(cycle, form.cleaned_data["post"])
    try:
        unhired_services.trainee_assign(by=request.user, enrolment=enrolment, post=post)
    except ValidationError as exc:
        refused(request, exc)
        return redirect(
            common_views.back_to("unhired", cycle, request, f"#staff-{enrolment.staff_id}")
        )
    messages.success(request, _("%(name)s is assigned to post %(n)d at %(school)s.")
                     % {"name": enrolment.staff.name, "n": post.number,
                        "school": post.school.name})
    return redirect(common_views.back_to("unhired", cycle, request, "#assigned"))


@login_required
@require_GET
def enrolment(request, pk, enrolment_pk):
    """One trainee: enrolment, test score and the history of both."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    item = access.enrolment_get(cycle, enrolment_pk)
    return render(request, "recruitment/allocation/enrolment.html", common_views.step2_context(
        request, cycle, "unhired", office=True, enrolment=item, history=history_of(item),
        pass_mark=plan_selectors.adopted_plan(cycle).training_pass_mark,
        hire=outcome_selectors.result_of(cycle, item.staff).hire))


def _results(request, results, success) -> None:
    """A bulk action's messages: how many succeeded (named: ``success(n)`` is the
    sentence), then each refusal."""
    done = [r for r in results if r.refusal is None]
    if done:
        messages.success(request, success(len(done)) % {
            "n": len(done), "names": ", ".join(r.staff.name for r in done)})
    for result in results:
        if result.refusal:
            messages.error(request, _("%(name)s: %(reason)s")
                           % {"name": result.staff.name, "reason": result.refusal})


@login_required
@require_GET
def unhired_export(request, pk):
    """The unhired as filtered, with their training and test, as sheet 未聘人员 (the
    office's, full IDs, recorded)."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    refusal = workflow.not_adopted_refusal(cycle)  # no pass mark to export by yet
    if refusal:
        messages.error(request, refusal)
        return redirect(common_views.back_to("unhired", cycle, request))
    form = common_views.unhired_filter_form(request, cycle)
    sheet = unhired_selectors.unhired_sheet(
        cycle, unhired_selectors.unhired_filtered(request.user, cycle, form.filters()),
        full_ids=True)
    name = f"{sheets.UNHIRED_SHEET}-{cycle.township.name}-{cycle.school_year}.xlsx"
    school_services.full_id_export_record(by=request.user, township=cycle.township,
                                          export=name, rows=len(sheet.rows))
    return wb.xlsx_response(wb.workbook_bytes([sheet]), name, fallback="unhired.xlsx")


@login_required
@require_POST
def trainings_enrol(request, pk):
    """R7: the office enrols the people ticked on the list, each reported."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    form = unhired_forms.StaffPickForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form)
        return redirect(common_views.back_to("unhired", cycle, request, "#unhired"))
    staff = access.township_staff_many(cycle, form.cleaned_data["staff"])
    results = unhired_services.trainings_enrol(
        by=request.user, cycle=cycle, staff=[staff[i] for i in form.cleaned_data["staff"]])
    _results(request, results, lambda n: ngettext(
        "%(n)d person enrolled in the training class: %(names)s.",
        "%(n)d people enrolled in the training class: %(names)s.", n))
    return redirect(common_views.back_to("unhired", cycle, request, "#unhired"))


@login_required
@require_GET
def scores_template(request, pk):
    """Sheet 测试成绩 with the cycle's trainees (full IDs: the office's, recorded)."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    trainees = unhired_selectors.trainees(cycle)
    name = f"{sheets.SCORE_SHEET}-{cycle.township.name}-{cycle.school_year}.xlsx"
    data = wb.workbook_bytes(sheets.scores_template_sheets(trainees))
    school_services.full_id_export_record(by=request.user, township=cycle.township,
                                          export=name, rows=len(trainees))
    return wb.xlsx_response(data, name, fallback="training-scores.xlsx")


@wb.upload_view
@login_required
@require_POST
def scores_upload(request, pk):
    """Check an uploaded 测试成绩 sheet and show what it would record, or its errors
    (nothing is written here)."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    too_large = wb.request_too_large(request)
    form = (wb.refuse_upload(unhired_forms.ScoresUploadForm(), too_large) if too_large
            else unhired_forms.ScoresUploadForm(request.POST, request.FILES))
    context = {"form": form, "result": None}
    if not too_large and form.is_valid():
        try:
            data = wb.read_upload(form.cleaned_data["workbook"])
            result = unhired_services.training_scores_import(by=request.user, cycle=cycle,
                                                             data=data, dry_run=True)
        except wb.WorkbookError as exc:
            form.add_error("workbook", str(exc))
        except ValidationError as exc:
            refused(request, exc)
            return redirect(common_views.back_to("unhired", cycle, request, "#scores"))
        else:
            shown = sorted(result.errors)[:wb.ERRORS_SHOWN]
            context.update(
                result=result, errors=shown, errors_more=len(result.errors) - len(shown),
                checked=None if result.errors else unhired_services.scores_checked(cycle, result),
                errors_token=unhired_services.scores_errors_keep(cycle, result)
                if result.errors else None)
    return render(request, "recruitment/allocation/scores_preview.html",
                  common_views.step2_context(request, cycle, "unhired", office=True, **context))


@login_required
@require_POST
def scores_confirm(request, pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    try:
        changed = unhired_services.scores_confirm(by=request.user, cycle=cycle,
                                                  checked=request.POST.get("checked", ""))
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, ngettext("%(n)d test score recorded from the sheet.",
                                           "%(n)d test scores recorded from the sheet.",
                                           changed) % {"n": changed})
    return redirect(common_views.back_to("unhired", cycle, request, "#unhired"))


@login_required
@require_GET
def scores_errors(request, pk, token):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    return wb.xlsx_response(unhired_services.scores_errors_read(cycle, token),
                            f"{sheets.SCORE_SHEET}-{sheets.ERROR_HEADER}.xlsx",
                            fallback=f"training-scores-errors-{timezone.localdate()}.xlsx")


@login_required
@require_POST
def trainees_assign(request, pk):
    """R7: several trainees who passed, each to the post chosen on their line: a page
    listing them to confirm first, then each assigned and reported."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    pairs = unhired_forms.assign_picks(request.POST)
    if not pairs:
        messages.error(request, _("Nothing was assigned: choose a post for one or more "
                                  "trainees."))
        return redirect(common_views.back_to("unhired", cycle, request, "#unhired"))
    enrolments = access.enrolments_many(cycle, [e for e, _p in pairs])
    posts = access.township_posts_many(cycle, [p for _e, p in pairs])
    chosen = [(enrolments[e], posts[p]) for e, p in pairs]
    if request.POST.get("confirmed") != "1":
        return render(request, "recruitment/allocation/assign_many.html",
                      common_views.step2_context(
                          request, cycle, "unhired", office=True,
                          review=[(e, p, rules.subject_match(e.staff, p)) for e, p in chosen]))
    results = unhired_services.trainees_assign(by=request.user, pairs=chosen)
    _results(request, results, lambda n: ngettext(
        "%(n)d trainee assigned: %(names)s.", "%(n)d trainees assigned: %(names)s.", n))
    return redirect(common_views.back_to("unhired", cycle, request, "#assigned"))


urlpatterns = [
    path("<int:pk>/unhired/", unhired, name="unhired"),
    path("<int:pk>/unhired/enrol/", training_enrol, name="training_enrol"),
    path("<int:pk>/unhired/explain/", unhired_explain, name="unhired_explain"),
    path("<int:pk>/unhired/enrol-several/", trainings_enrol, name="trainings_enrol"),
    path("<int:pk>/unhired/export.xlsx", unhired_export, name="unhired_export"),
    path("<int:pk>/training/scores/template.xlsx", scores_template, name="scores_template"),
    path("<int:pk>/training/scores/upload/", scores_upload, name="scores_upload"),
    path("<int:pk>/training/scores/confirm/", scores_confirm, name="scores_confirm"),
    path("<int:pk>/training/scores/errors/<str:token>.xlsx", scores_errors,
         name="scores_errors"),
    path("<int:pk>/training/assign-several/", trainees_assign, name="trainees_assign"),
    path("<int:pk>/training/<int:enrolment_pk>/", enrolment, name="enrolment"),
    path(
        "<int:pk>/training/<int:enrolment_pk>/score/", training_score, name="training_score"
    ),
    path(
        "<int:pk>/training/<int:enrolment_pk>/assign/",
        trainee_assign,
        name="trainee_assign",
    ),
]
