"""Pages of phases 3–4: staff opinions, the congress representatives, the vote.

Every lookup starts from ``access.cycle_get`` (404 for a cycle the login may not see)
and finds the cycle's own rows inside it (404 for an id of another cycle). Every change
goes through ``services``: a refusal (``ValidationError``) is shown as a message and
changes nothing; ``PermissionDenied`` is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import access
from recruitment.forms import common as common_forms
from recruitment.forms import consultation as consultation_forms
from recruitment.selectors import common as common_selectors
from recruitment.selectors import consultation as consultation_selectors
from recruitment.services import consultation as consultation_services
from recruitment.views import common as common_views
from schools.models import School
from staffing.ids import optional_id, parse_id
from staffing.refusals import refused

from .. import workflow
from ..models import Ballot, Vote
from ..phases import OPINIONS

# The list filters a decision returns to, so the office stays where it was.
OPINION_LIST_KEYS = ("school", "status", "q", "page")

CONFIRM_TEXT = {
    Ballot.Choice.FOR: gettext_lazy("You vote FOR revision %(n)d. This cannot be changed."),
    Ballot.Choice.AGAINST: gettext_lazy(
        "You vote AGAINST revision %(n)d. This cannot be changed."),
    Ballot.Choice.ABSTAIN: gettext_lazy(
        "You ABSTAIN on revision %(n)d. This cannot be changed."),
}


# --- phase 3: staff opinions ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def opinions(request, pk):
    """Phase 3 by role: a staff member sends opinions and sees what became of them; a
    principal reports the school's; the office sees who reported and decides."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    staff = access.own_staff(user, cycle)
    form = consultation_forms.OpinionForm(request.POST or None)
    if request.method == "POST":
        if staff is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                consultation_services.opinion_submit(
                    by=user, cycle=cycle, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                refused(request, exc)
            else:
                messages.success(
                    request,
                    _("Your opinion has been sent. Your school reports it to the office."),
                )
                return redirect("recruitment:opinions", pk=cycle.pk)
        else:
            common_views.form_refused(request, form)

    phase = common_selectors.phase_of(cycle, OPINIONS)
    context = {
        "cycle": cycle,
        "phase": phase,
        "refusal": workflow.submission_refusal(phase),  # the staff's opinion form
        "staff": staff,
        "office": access.is_cycle_office(user, cycle),
    }
    if staff is not None:
        context.update(
            form=form,
            own_opinions=consultation_selectors.opinions_of(cycle, staff),
            may_read_draft=access.may_read_drafts(user, cycle),
        )
    context.update(_principal_context(request, cycle))
    if context["office"]:
        context.update(_office_context(request, cycle))
    return render(request, "recruitment/consult/opinions.html", context)


def _principal_context(request, cycle) -> dict:
    """The principal's part: one school at a time (``?school=`` when they lead several)."""
    schools = access.principal_schools(request.user, cycle)
    if not schools:
        return {}
    asked = optional_id(request.GET.get("school"))
    chosen = next((s for s in schools if s.pk == asked), schools[0])
    return {
        "principal_schools": schools,
        "principal_school": chosen,
        "school_page": common_selectors.page_of(
            consultation_selectors.opinions_for_school(cycle, chosen), request.GET.get("page"),
            consultation_selectors.OPINIONS_PER_PAGE,
        ),
        "school_reports": consultation_selectors.opinion_reports(cycle, chosen),
        "report_refusal": consultation_selectors.opinions_report_check(cycle, chosen),
        "unreported": consultation_selectors.opinions_unreported(cycle, chosen).count(),
    }


def _office_context(request, cycle) -> dict:
    filter_form = consultation_forms.OpinionFilterForm(request.GET, cycle=cycle)
    filters = filter_form.filters()
    office_opinions = consultation_selectors.opinions_filtered(
        consultation_selectors.opinions_for_office(cycle),
        school=filters.get("school"), status=filters.get("status", ""),
        query=filters.get("q", ""),
    )
    return {
        "filter_form": filter_form,
        "filtered": bool(filters),
        "office_page": common_selectors.page_of(office_opinions, request.GET.get("page"),
                                                 consultation_selectors.OPINIONS_PER_PAGE),
        "report_rows": consultation_selectors.school_report_rows(cycle),
        "list_query": request.GET.urlencode(),
        "reason_max_length": common_forms.REASON_MAX_LENGTH,
    }


@login_required
@require_POST
def opinions_report(request, pk):
    """A principal reports their school's new opinions in one step (only their own)."""
    cycle = access.cycle_get(request.user, pk)
    school = get_object_or_404(School, township_id=cycle.township_id,
                               pk=parse_id(request.POST.get("school")))
    if school not in access.principal_schools(request.user, cycle):
        raise PermissionDenied
    try:
        report = consultation_services.opinions_report(by=request.user, cycle=cycle, school=school)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(school)s: %(count)d opinion reported to the office.",
                "%(school)s: %(count)d opinions reported to the office.",
                report.count,
            ) % {"school": school.name, "count": report.count},
        )
    return redirect(f"{reverse('recruitment:opinions', args=[cycle.pk])}?school={school.pk}")


@login_required
@require_POST
def opinion_decide(request, pk, opinion_pk):
    """The office adopts or declines one reported opinion, with a reason."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    opinion = access.opinion_get(cycle, opinion_pk)
    form = consultation_forms.OpinionDecisionForm(request.POST)
    if form.is_valid():
        try:
            consultation_services.opinion_decide(
                by=request.user,
                opinion=opinion,
                adopted=form.adopted,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            refused(request, exc)
        else:
            message = (_("Opinion of %(name)s adopted.") if form.adopted
                       else _("Opinion of %(name)s declined."))
            messages.success(request, message % {"name": opinion.staff.name})
    else:
        common_views.form_refused(request, form)
    back = QueryDict(request.POST.get("list_query", ""))
    kept = QueryDict(mutable=True)
    for key in OPINION_LIST_KEYS:
        if back.get(key):
            kept[key] = back[key]
    url = reverse("recruitment:opinions", args=[cycle.pk])
    return redirect(f"{url}?{kept.urlencode()}#opinion-{opinion.pk}" if kept
                    else f"{url}#opinion-{opinion.pk}")


# --- phase 4: representatives --------------------------------------------------------


@login_required
@require_GET
def representatives(request, pk):
    """The congress representatives; the office finds staff to name and removes them."""
    cycle = access.cycle_get(request.user, pk)
    office = access.is_cycle_office(request.user, cycle)
    context = {
        "cycle": cycle,
        "office": office,
        "page": common_selectors.page_of(
            consultation_selectors.representatives_of(cycle),
            request.GET.get("page"),
            consultation_selectors.REPRESENTATIVES_PER_PAGE,
        ),
        "changes": consultation_selectors.representative_changes(cycle),
    }
    if office:
        search = consultation_forms.StaffSearchForm(request.GET)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        context.update(
            search=search,
            query=query,
            found=consultation_selectors.staff_to_name(request.user, cycle, query),
            change_refusal=consultation_selectors.representatives_change_check(cycle),
        )
    return render(request, "recruitment/consult/representatives.html", context)


@login_required
@require_POST
def representative_add(request, pk):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    staff = access.township_staff_get(cycle, parse_id(request.POST.get("staff")))
    try:
        consultation_services.representative_add(by=request.user, cycle=cycle, staff=staff)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("%(name)s (%(school)s) is now a representative.")
                         % {"name": staff.name, "school": staff.school.name})
    url = reverse("recruitment:representatives", args=[cycle.pk])
    query = QueryDict(mutable=True)
    if request.POST.get("q"):
        query["q"] = request.POST["q"]
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@login_required
@require_http_methods(["GET", "POST"])
def representative_remove(request, pk, representative_pk):
    """Removal asks for a confirmation first."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    representative = access.representative_get(cycle, representative_pk)
    if request.method == "POST":
        try:
            consultation_services.representative_remove(
                by=request.user, representative=representative
            )
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("%(name)s is no longer a representative.")
                             % {"name": representative.staff.name})
        return redirect("recruitment:representatives", pk=cycle.pk)
    return render(request, "recruitment/consult/representative_remove.html", {
        "cycle": cycle,
        "representative": representative,
        "refusal": consultation_selectors.representatives_change_check(cycle),
    })


# --- phase 4: the congress vote ------------------------------------------------------


@login_required
@require_GET
def vote(request, pk):
    """The vote as each login sees it: a representative votes; everyone sees the
    turnout so far and, once closed, the result at once; the office closes it."""
    cycle = access.cycle_get(request.user, pk)
    office = access.is_cycle_office(request.user, cycle)
    board = consultation_selectors.vote_page(request.user, cycle, office=office)
    return render(request, "recruitment/consult/vote.html", {
        "cycle": cycle,
        "office": office,
        "board": board,
        "refusal": consultation_selectors.vote_cast_check(request.user, cycle),
        "choices": Ballot.Choice,
        "result_adopted": Vote.Result.ADOPTED,
    })


@login_required
@require_GET
def vote_confirm(request, pk):
    """The confirmation step: "You vote FOR revision N. This cannot be changed." """
    cycle = access.cycle_get(request.user, pk)
    form = consultation_forms.BallotForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose for, against or abstain."))
        return redirect("recruitment:vote", pk=cycle.pk)
    refusal = consultation_selectors.vote_cast_check(request.user, cycle)
    if refusal:
        messages.error(request, capfirst(refusal))
        return redirect("recruitment:vote", pk=cycle.pk)
    choice = form.cleaned_data["choice"]
    vote = consultation_selectors.open_vote(cycle)
    return render(request, "recruitment/consult/vote_confirm.html", {
        "cycle": cycle,
        "vote": vote,
        "choice": choice,
        "confirm_text": CONFIRM_TEXT[choice] % {"n": vote.revision.number},
    })


@login_required
@require_POST
def vote_cast(request, pk):
    cycle = access.cycle_get(request.user, pk)
    form = consultation_forms.BallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose for, against or abstain."))
        return redirect("recruitment:vote", pk=cycle.pk)
    confirmed_vote = form.cleaned_data["vote"]
    current = consultation_selectors.open_vote(cycle)
    if confirmed_vote and (current is None or current.pk != confirmed_vote):
        # Confirmed on a page of a vote that has closed since: that vote is over.
        messages.error(request, _("The vote you confirmed has closed; your vote was not cast."))
        return redirect("recruitment:vote", pk=cycle.pk)
    try:
        ballot = consultation_services.vote_cast(by=request.user, cycle=cycle,
                                    choice=form.cleaned_data["choice"])
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Your vote has been cast at %(when)s.")
                         % {"when": common_views.when(ballot.cast_at)})
    return redirect("recruitment:vote", pk=cycle.pk)


@login_required
@require_http_methods(["GET", "POST"])
def vote_close(request, pk):
    """The office closes the vote after a confirmation; the result is announced at once."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    if request.method == "POST":
        try:
            closed = consultation_services.vote_close(by=request.user, cycle=cycle)
        except ValidationError as exc:
            refused(request, exc)
        else:
            if closed.result == Vote.Result.ADOPTED:
                messages.success(request, _("The vote is closed: revision %(n)d is adopted.")
                                 % {"n": closed.revision.number})
            else:
                messages.success(request, _("The vote is closed: revision %(n)d is rejected. "
                                            "The plan goes back to phase 1.")
                                 % {"n": closed.revision.number})
        return redirect("recruitment:vote", pk=cycle.pk)
    board = consultation_selectors.vote_page(request.user, cycle, office=True)
    return render(request, "recruitment/consult/vote_close.html", {
        "cycle": cycle,
        "board": board,
    })


urlpatterns = [
    path("<int:pk>/opinions/", opinions, name="opinions"),
    path("<int:pk>/opinions/report/", opinions_report, name="opinions_report"),
    path("<int:pk>/opinions/<int:opinion_pk>/decide/", opinion_decide, name="opinion_decide"),
    path("<int:pk>/representatives/", representatives, name="representatives"),
    path("<int:pk>/representatives/add/", representative_add, name="representative_add"),
    path("<int:pk>/representatives/<int:representative_pk>/remove/", representative_remove,
         name="representative_remove"),
    path("<int:pk>/vote/", vote, name="vote"),
    path("<int:pk>/vote/confirm/", vote_confirm, name="vote_confirm"),
    path("<int:pk>/vote/cast/", vote_cast, name="vote_cast"),
    path("<int:pk>/vote/close/", vote_close, name="vote_close"),
]
