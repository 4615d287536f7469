"""Phase 7's pages (R7): the unhired, the training class and test, a trainee's placement,
an explained status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from recruitment import access, workflow
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
from staffing.history import history_of


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
    board = unhired_selectors.unhired_board(cycle, close_refusal=close_refusal,
                                            page=request.GET.get("page"))
    return render(request, "recruitment/allocation/unhired.html", common_views.step2_context(
        request, cycle, "unhired", office=True, board=board, phase=board.phase,
        refusal=board.refusal))


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
        common_views.refused(request, exc)
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
            common_views.refused(request, exc)
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
        common_views.refused(request, exc)
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


urlpatterns = [
    path("<int:pk>/unhired/", unhired, name="unhired"),
    path("<int:pk>/unhired/enrol/", training_enrol, name="training_enrol"),
    path("<int:pk>/unhired/explain/", unhired_explain, name="unhired_explain"),
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
