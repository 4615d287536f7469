"""Pages of the office's allocation (统一调配: run the engine, review, send), the schools'
answers to proposals, and the dispatch meeting (调度会).

Every lookup starts from ``access.cycle_get`` (404 for a cycle the login may not see)
and finds the cycle's own rows inside it (404 for an id of another cycle). Every change
is one service call: a refusal (``ValidationError``) is shown as a message and changes
nothing; ``PermissionDenied`` is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import access, rules, workflow
from recruitment.forms import allocation as allocation_forms
from recruitment.phases import SELECTION
from recruitment.selectors import allocation as allocation_selectors
from recruitment.selectors import common as common_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.views import common as common_views
from staffing.history import history_of
from staffing.ids import optional_id
from staffing.refusals import refused


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
            refused(request, exc)
            return redirect("recruitment:allocation", pk=cycle.pk)
        placed = sum(1 for post in run.result["assignment"].values() if post)
        messages.success(request, _(
            "The engine placed %(placed)d of %(total)d applicants. Review the assignment, "
            "then send it to the schools.") % {"placed": placed,
                                                "total": len(run.result["assignment"])})
        warning = allocation_selectors.unranked_warning(
            allocation_selectors.unranked_schools(cycle))
        if warning:
            messages.warning(request, warning)
        return redirect("recruitment:allocation_run", pk=cycle.pk, run_pk=run.pk)
    unranked = allocation_selectors.unranked_schools(cycle)
    return render(
        request,
        "recruitment/allocation/allocation.html",
        common_views.step2_context(
            request,
            cycle,
            "allocation",
            office=True,
            phase=phase,
            refusal=allocation_selectors.allocation_run_check(cycle),
            unranked=unranked,
            unranked_warning=allocation_selectors.unranked_warning(unranked),
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
    return render(request, "recruitment/allocation/run.html", common_views.step2_context(
        request, cycle, "allocation", office=True, review=allocation_selectors.run_review(run),
        plan=cycle.adopted_revision))


@login_required
@require_http_methods(["GET", "POST"])
def allocation_send(request, pk, run_pk):
    """Send a run's placements as proposals, after a confirmation saying how many go to
    which schools, who answers them there, and which placements are no longer sent."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    run = access.run_get(cycle, run_pk)
    if request.method == "GET":
        plan, schools = allocation_selectors.send_preview(run)
        return render(request, "recruitment/allocation/send.html", common_views.step2_context(
            request, cycle, "allocation", office=True, run=run, plan=plan, schools=schools,
            refusal=allocation_selectors.allocation_send_check(run)))
    try:
        sent = allocation_services.allocation_send(by=request.user, run=run)
    except ValidationError as exc:
        refused(request, exc)
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


@login_required
@require_GET
def proposals(request, pk):
    """A principal's (or liaison's) inbox of the office's proposals for their schools'
    posts; the office sees every proposal with its status."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    context = common_views.step2_context(request, cycle, "proposals")
    if not (context["office"] or context["leader"]):
        raise PermissionDenied
    filter_form = allocation_forms.ProposalFilterForm(request.GET)
    items = allocation_selectors.proposals_of(
        cycle, school_ids=None if context["office"] else context["led_school_ids"],
        status=filter_form.status_value(), source=filter_form.value("source"),
        query=filter_form.value("q"), user=user)
    page = common_selectors.page_of(
        items, request.GET.get("page"), allocation_selectors.PROPOSALS_PER_PAGE
    )
    for proposal in page:
        proposal.decidable = (workflow.PROPOSAL_FLOW.is_open(proposal.status)
                              and access.may_decide_proposal(user, proposal))
    context.update(page=page, filter_form=filter_form,
                   filtered=bool(request.GET.get("status") or request.GET.get("source")
                                 or request.GET.get("q")))
    return render(request, "recruitment/allocation/proposals.html", context)


@login_required
@require_GET
def proposal(request, pk, proposal_pk):
    """One proposal, its answer and its history."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    item = access.proposal_get(cycle, proposal_pk)
    context = common_views.step2_context(request, cycle, "proposals")
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
            refused(request, exc)
        else:
            values = {"name": item.staff.name, "n": item.post.number,
                      "school": item.post.school.name}
            if form.confirmed:
                messages.success(request, _("%(name)s is hired to post %(n)d at %(school)s.")
                                 % values)
            else:
                messages.success(request, _("You declined %(name)s for post %(n)d; the office "
                                            "sees your reason.") % values)
    return redirect(common_views.back_to("proposals", cycle, request, f"#proposal-{item.pk}"))


@login_required
@require_GET
def dispatch(request, pk):
    """Schools that are short (remote first) beside the staff still unhired; the office
    pairs them."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    phase = common_selectors.phase_of(cycle, SELECTION)
    form = common_views.unhired_filter_form(request, cycle)
    filters = form.filters()
    chosen = optional_id(request.GET.get("staff"))
    board = unhired_selectors.dispatch_board(
        cycle, page=request.GET.get("page"), chosen=chosen,
        listed_staff=unhired_selectors.unhired_filtered(request.user, cycle, filters),
        post_subject=filters.get("post_subject", ""))
    return render(request, "recruitment/allocation/dispatch.html", common_views.step2_context(
        request, cycle, "dispatch", office=True, phase=phase,
        refusal=workflow.acting_refusal(phase), board=board, chosen=chosen,
        filter_form=form))


@login_required
@require_POST
def dispatch_pair(request, pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    form = allocation_forms.PairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was proposed: choose a staff member and a post."))
        return redirect(common_views.back_to("dispatch", cycle, request))
    staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
    post = access.township_post_get(cycle, form.cleaned_data["post"])
    try:
        allocation_services.dispatch_propose(by=request.user, cycle=cycle, staff=staff, post=post)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("%(name)s is proposed for post %(n)d at %(school)s; the "
                                    "school confirms or declines.")
                         % {"name": staff.name, "n": post.number, "school": post.school.name})
        if rules.subject_match(staff, post) is False:
            messages.warning(request, _("Note: %(name)s teaches %(mine)s; post %(n)d is "
                                        "%(theirs)s.")
                             % {"name": staff.name, "mine": staff.subject, "n": post.number,
                                "theirs": post.subject})
    return redirect(common_views.back_to("dispatch", cycle, request))


urlpatterns = [
    path("<int:pk>/allocation/", allocation, name="allocation"),
    path("<int:pk>/allocation/<int:run_pk>/", allocation_run, name="allocation_run"),
    path("<int:pk>/allocation/<int:run_pk>/send/", allocation_send, name="allocation_send"),
    path("<int:pk>/proposals/", proposals, name="proposals"),
    path("<int:pk>/proposals/<int:proposal_pk>/", proposal, name="proposal"),
    path("<int:pk>/proposals/<int:proposal_pk>/decide/", proposal_decide, name="proposal_decide"),
    path("<int:pk>/dispatch/", dispatch, name="dispatch"),
    path("<int:pk>/dispatch/pair/", dispatch_pair, name="dispatch_pair"),
]
