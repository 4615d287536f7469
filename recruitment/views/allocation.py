"""Pages of the office's Step-2 work and of the cycle's result: the allocation
(统一调配: run the engine, review, send), the schools' answers to proposals, the dispatch
meeting (调度会), phase 7's training class and assignments (R7), the outcome with its
charts and workbook, and each staff member's own result.

Every lookup starts from ``access.cycle_get`` (404 for a cycle the login may not see)
and finds the cycle's own rows inside it (404 for an id of another cycle). Every change
is one service call: a refusal (``ValidationError``) is shown as a message and changes
nothing; ``PermissionDenied`` is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import access
from recruitment.forms import allocation as allocation_forms
from recruitment.forms import unhired as unhired_forms
from recruitment.selectors import allocation as allocation_selectors
from recruitment.selectors import common as common_selectors
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import unhired as unhired_services
from schools import services as school_services
from staffing import workbook as wb
from staffing.charts import Series, grouped_bars
from staffing.history import history_of
from staffing.ids import optional_id

from .. import workflow
from ..models import PhaseState
from ..phases import SELECTION, UNHIRED
from . import common as common_views


def _context(request, cycle, here: str, *, office: bool | None = None, **extra) -> dict:
    """The login's parts of these pages (the navigation and the checks), and ``extra``.
    ``office``: already known (a page that required it)."""
    user = request.user
    led = access.schools_led(user, cycle)
    return {
        "cycle": cycle,
        "here": here,
        "office": access.is_cycle_office(user, cycle) if office is None else office,
        "led_school_ids": led,
        "leader": bool(led),
        "on_staff": access.own_staff(user, cycle) is not None,
        **extra,
    }


def _back(name: str, cycle, request, anchor: str = "") -> str:
    """The page to return to, on the page of the list the form was on."""
    url = reverse(f"recruitment:{name}", args=[cycle.pk])
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isdigit() else ""
    return f"{url}{query}{anchor}"


# --- allocation: run, review, send ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def allocation(request, pk):
    """The office runs the engine (own staff first or not) and sees its runs."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    access.require_cycle_office(user, cycle)
    phase = common_selectors.phase_of(cycle, SELECTION)
    form = allocation_forms.AllocationRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run = allocation_services.allocation_preview(
                by=user, cycle=cycle, own_staff_first=form.cleaned_data["own_staff_first"])
        except ValidationError as exc:
            common_views.refused(request, exc)
            return redirect("recruitment:allocation", pk=cycle.pk)
        placed = sum(1 for post in run.result["assignment"].values() if post)
        messages.success(request, _(
            "The engine placed %(placed)d of %(total)d applicants. Review the assignment, "
            "then send it to the schools.") % {"placed": placed,
                                                "total": len(run.result["assignment"])})
        return redirect("recruitment:allocation_run", pk=cycle.pk, run_pk=run.pk)
    return render(
        request,
        "recruitment/allocation/allocation.html",
        _context(
            request,
            cycle,
            "allocation",
            office=True,
            phase=phase,
            refusal=workflow.acting_refusal(phase),
            form=form,
            runs=allocation_selectors.runs_of(cycle),
        ),
    )


@login_required
@require_GET
def allocation_run(request, pk, run_pk):
    """One run: the proposed assignment per school with the R5 figures, the applicants
    left unplaced, and "send to schools"."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    run = access.run_get(cycle, run_pk)
    return render(request, "recruitment/allocation/run.html", _context(
        request, cycle, "allocation", office=True, review=allocation_selectors.run_review(run),
        plan=cycle.adopted_revision))


@login_required
@require_POST
def allocation_send(request, pk, run_pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    run = access.run_get(cycle, run_pk)
    try:
        sent = allocation_services.allocation_send(by=request.user, run=run)
    except ValidationError as exc:
        common_views.refused(request, exc)
    else:
        messages.success(request, ngettext(
            "%(n)d proposal sent to %(schools)d school(s); each confirms or declines.",
            "%(n)d proposals sent to %(schools)d school(s); each confirms or declines.",
            len(sent.proposals)) % {"n": len(sent.proposals), "schools": sent.schools})
        if sent.skipped:
            messages.warning(request, _(
                "%(n)d placements were not sent: %(hired)d hired since the run, %(proposed)d "
                "with another proposal since, %(full)d whose post has no free seat left, "
                "%(left)d no longer on the staff.") % {
                "n": sent.skipped, "hired": sent.hired_since, "proposed": sent.proposed_since,
                "full": sent.full_since, "left": sent.left_since})
    return redirect("recruitment:allocation_run", pk=cycle.pk, run_pk=run.pk)


# --- proposals: the schools answer ---------------------------------------------------


@login_required
@require_GET
def proposals(request, pk):
    """A principal's (or liaison's) inbox of the office's proposals for their schools'
    posts; the office sees every proposal with its status."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    context = _context(request, cycle, "proposals")
    if not (context["office"] or context["leader"]):
        raise PermissionDenied
    filter_form = allocation_forms.ProposalFilterForm(request.GET)
    items = allocation_selectors.proposals_of(
        cycle, school_ids=None if context["office"] else context["led_school_ids"],
        status=filter_form.status_value())
    page = common_selectors.page_of(
        items, request.GET.get("page"), allocation_selectors.PROPOSALS_PER_PAGE
    )
    for proposal in page:
        proposal.decidable = (workflow.PROPOSAL_FLOW.is_open(proposal.status)
                              and access.may_decide_proposal(user, proposal))
    context.update(page=page, filter_form=filter_form,
                   filtered=bool(filter_form.status_value()))
    return render(request, "recruitment/allocation/proposals.html", context)


@login_required
@require_GET
def proposal(request, pk, proposal_pk):
    """One proposal, its answer and its history."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    item = access.proposal_get(cycle, proposal_pk)
    context = _context(request, cycle, "proposals")
    if not (context["office"] or item.post.school_id in context["led_school_ids"]):
        raise PermissionDenied
    context.update(proposal=item, history=history_of(item),
                   decidable=(workflow.PROPOSAL_FLOW.is_open(item.status)
                              and access.may_decide_proposal(user, item)))
    return render(request, "recruitment/allocation/proposal.html", context)


@login_required
@require_POST
def proposal_decide(request, pk, proposal_pk):
    """The principal of the post's school confirms (a hire follows) or declines with a
    reason (R6)."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    item = access.proposal_get(cycle, proposal_pk)
    if not access.may_decide_proposal(user, item):
        raise PermissionDenied
    form = allocation_forms.ProposalDecisionForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form)
    else:
        try:
            allocation_services.proposal_decide(by=user, proposal=item, confirm=form.confirmed,
                                      reason=form.cleaned_data["reason"].strip())
        except ValidationError as exc:
            common_views.refused(request, exc)
        else:
            values = {"name": item.staff.name, "n": item.post.number,
                      "school": item.post.school.name}
            if form.confirmed:
                messages.success(request, _("%(name)s is hired to post %(n)d at %(school)s.")
                                 % values)
            else:
                messages.success(request, _("You declined %(name)s for post %(n)d; the office "
                                            "sees your reason.") % values)
    return redirect(_back("proposals", cycle, request, f"#proposal-{item.pk}"))


# --- the dispatch meeting (调度会) ----------------------------------------------------


@login_required
@require_GET
def dispatch(request, pk):
    """Schools that are short (remote first) beside the staff still unhired; the office
    pairs them."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    phase = common_selectors.phase_of(cycle, SELECTION)
    return render(request, "recruitment/allocation/dispatch.html", _context(
        request, cycle, "dispatch", office=True, phase=phase,
        refusal=workflow.acting_refusal(phase),
        board=unhired_selectors.dispatch_board(cycle, page=request.GET.get("page")),
        chosen=optional_id(request.GET.get("staff"))))


@login_required
@require_POST
def dispatch_pair(request, pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    form = allocation_forms.PairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was proposed: choose a staff member and a post."))
        return redirect(_back("dispatch", cycle, request))
    staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
    post = access.township_post_get(cycle, form.cleaned_data["post"])
    try:
        allocation_services.dispatch_propose(by=request.user, cycle=cycle, staff=staff, post=post)
    except ValidationError as exc:
        common_views.refused(request, exc)
    else:
        messages.success(request, _("%(name)s is proposed for post %(n)d at %(school)s; the "
                                    "school confirms or declines.")
                         % {"name": staff.name, "n": post.number, "school": post.school.name})
    return redirect(_back("dispatch", cycle, request))


# --- phase 7: no one left without a post (R7) -----------------------------------------


@login_required
@require_GET
def unhired(request, pk):
    """Phase 7: the unhired, their training and test, their assignment or explained
    status, and why the phase cannot close yet."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    if cycle.adopted_revision_id is None:  # nothing to train or place by yet
        return render(request, "recruitment/allocation/unhired.html", _context(
            request, cycle, "unhired", office=True, board=None,
            phase=common_selectors.phase_of(cycle, UNHIRED),
            refusal=_("The plan has not been adopted by the congress.")))
    phase = common_selectors.phase_of(cycle, UNHIRED)
    close_refusal = (cycle_selectors.phase_close_check(phase)
                     if phase.state == PhaseState.OPEN else None)
    board = unhired_selectors.unhired_board(cycle, close_refusal=close_refusal,
                                            page=request.GET.get("page"))
    return render(request, "recruitment/allocation/unhired.html", _context(
        request, cycle, "unhired", office=True, board=board, phase=board.phase,
        refusal=board.refusal))


def _staff_action(request, pk, form_class, action, success):
    """Enrol or explain one of the unhired: ``action(user, cycle, staff, form)``."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    form = form_class(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form)
        return redirect(_back("unhired", cycle, request))
    staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
    try:
        action(request.user, cycle, staff, form)
    except ValidationError as exc:
        common_views.refused(request, exc)
    else:
        messages.success(request, success % {"name": staff.name})
    return redirect(_back("unhired", cycle, request, f"#staff-{staff.pk}"))


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
            common_views.refused(request, exc)
        else:
            messages.success(request, _("The test score of %(name)s is recorded: %(score)d.")
                             % {"name": enrolment.staff.name,
                                "score": form.cleaned_data["score"]})
    return redirect(_back("unhired", cycle, request, f"#staff-{enrolment.staff_id}"))


@login_required
@require_POST
def trainee_assign(request, pk, enrolment_pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    enrolment = access.enrolment_get(cycle, enrolment_pk)
    form = unhired_forms.PostChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was assigned: choose a post."))
        return redirect(_back("unhired", cycle, request, f"#staff-{enrolment.staff_id}"))
    post = access.township_post_get(cycle, form.cleaned_data["post"])
    try:
        unhired_services.trainee_assign(by=request.user, enrolment=enrolment, post=post)
    except ValidationError as exc:
        common_views.refused(request, exc)
        return redirect(_back("unhired", cycle, request, f"#staff-{enrolment.staff_id}"))
    messages.success(request, _("%(name)s is assigned to post %(n)d at %(school)s.")
                     % {"name": enrolment.staff.name, "n": post.number,
                        "school": post.school.name})
    return redirect(_back("unhired", cycle, request, "#assigned"))


@login_required
@require_GET
def enrolment(request, pk, enrolment_pk):
    """One trainee: enrolment, test score and the history of both."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    item = access.enrolment_get(cycle, enrolment_pk)
    return render(request, "recruitment/allocation/enrolment.html", _context(
        request, cycle, "unhired", office=True, enrolment=item, history=history_of(item),
        pass_mark=plan_selectors.adopted_plan(cycle).training_pass_mark,
        hire=outcome_selectors.result_of(cycle, item.staff).hire))


# --- the outcome ---------------------------------------------------------------------


def _outcome_for(request, cycle):
    """The outcome as this login sees it (403 for a login with no school to see)."""
    context = _context(request, cycle, "outcome")
    if not (context["office"] or context["leader"]):
        raise PermissionDenied
    schools = access.outcome_schools(request.user, cycle, office=context["office"])
    return context, outcome_selectors.outcome(cycle, schools=schools)


def _charts(row, where: str) -> list:
    """The age and subject structure of one row, before and after, as inline SVG."""
    before, after = _("Before"), _("After")
    subjects = sorted(set(row.subjects_before) | set(row.subjects_after),
                      key=lambda s: (-(row.subjects_before[s] + row.subjects_after[s]), s))
    return [
        grouped_bars(
            outcome_selectors.AGE_BANDS,
            [Series(before, row.ages_before), Series(after, row.ages_after)],
            title=_("Age structure, %(where)s") % {"where": where},
        ),
        grouped_bars(
            subjects,
            [Series(before, row.subjects_before), Series(after, row.subjects_after)],
            title=_("Subjects, %(where)s") % {"where": where},
            width=max(560, 44 + 64 * len(subjects)),
        ),
    ]


@login_required
@require_GET
def outcome_page(request, pk):
    """Per school and for the township: posts filled, own staff kept, moves, cadres,
    the unhired, and the age and subject structure before and after."""
    cycle = access.cycle_get(request.user, pk)
    context, result = _outcome_for(request, cycle)
    charts = [(_("the township"), _charts(result.township, _("the township")))]
    chosen = request.GET.get("school", "")
    for row in result.schools:
        if not context["office"] or str(row.school.pk) == chosen:
            charts.append((row.school.name, _charts(row, row.school.name)))
    context.update(result=result, charts=charts, chosen=chosen,
                   final=common_selectors.phase_of(cycle, UNHIRED).state == PhaseState.CLOSED)
    return render(request, "recruitment/allocation/outcome.html", context)


@login_required
@require_GET
def outcome_export(request, pk):
    """The outcome as a workbook: sheets 结果 (per school, then the township) and 人员."""
    cycle = access.cycle_get(request.user, pk)
    context, result = _outcome_for(request, cycle)
    sheets = outcome_selectors.outcome_export_sheets(result, full_ids=context["office"])
    data = wb.workbook_bytes(sheets)
    name = f"竞聘结果-{cycle.township.name}-{cycle.school_year}.xlsx"
    if context["office"]:
        people = next(sheet for sheet in sheets if "身份证号" in sheet.headers)
        school_services.full_id_export_record(by=request.user, township=cycle.township,
                                              export=name, rows=len(people.rows))
    return wb.xlsx_response(data, name, fallback=f"outcome-{cycle.school_year}.xlsx")


@login_required
@require_GET
def my_result(request, pk):
    """A staff member's own result, and only their own."""
    cycle = access.cycle_get(request.user, pk)
    staff = access.own_staff(request.user, cycle)
    context = _context(request, cycle, "my_result", staff=staff)
    if staff is not None:
        context["own"] = outcome_selectors.own_result(cycle, staff)
    return render(request, "recruitment/allocation/my_result.html", context)


urlpatterns = [
    path("<int:pk>/allocation/", allocation, name="allocation"),
    path("<int:pk>/allocation/<int:run_pk>/", allocation_run, name="allocation_run"),
    path("<int:pk>/allocation/<int:run_pk>/send/", allocation_send, name="allocation_send"),
    path("<int:pk>/proposals/", proposals, name="proposals"),
    path("<int:pk>/proposals/<int:proposal_pk>/", proposal, name="proposal"),
    path("<int:pk>/proposals/<int:proposal_pk>/decide/", proposal_decide,
         name="proposal_decide"),
    path("<int:pk>/dispatch/", dispatch, name="dispatch"),
    path("<int:pk>/dispatch/pair/", dispatch_pair, name="dispatch_pair"),
    path("<int:pk>/unhired/", unhired, name="unhired"),
    path("<int:pk>/unhired/enrol/", training_enrol, name="training_enrol"),
    path("<int:pk>/unhired/explain/", unhired_explain, name="unhired_explain"),
    path("<int:pk>/training/<int:enrolment_pk>/", enrolment, name="enrolment"),
    path("<int:pk>/training/<int:enrolment_pk>/score/", training_score, name="training_score"),
    path("<int:pk>/training/<int:enrolment_pk>/assign/", trainee_assign,
         name="trainee_assign"),
    path("<int:pk>/outcome/", outcome_page, name="outcome"),
    path("<int:pk>/outcome.xlsx", outcome_export, name="outcome_export"),
    path("<int:pk>/my-result/", my_result, name="my_result"),
]
