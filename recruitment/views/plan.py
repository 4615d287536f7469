"""Pages of the cycle and of Step 1's first two phases: the list of cycles, the cycle
dashboard (phases, who is awaited, the report), the plan and its revisions (phase 1),
and the collective review (phase 2).

Every lookup starts from ``access.cycle_get`` (404 for a cycle the login may not see)
and finds the cycle's own rows inside it (404 for an id of another cycle). Every change
is one service call: a refusal (``ValidationError``) is shown as a message and changes
nothing; ``PermissionDenied`` is a 403.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import access
from recruitment.forms import cycle as cycle_forms
from recruitment.forms import plan as plan_forms
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from recruitment.views import common as common_views
from schools import access as school_access
from staffing import workbook as wb
from staffing.ids import optional_id
from staffing.refusals import refused

from .. import workflow
from ..models import PhaseState
from ..phases import OPINIONS, PHASES, REVIEW, SELECTION, UNHIRED
from ..sections import plan_sections

PHASE_CHANGES_SHOWN = 10


def _phase_name(number: int) -> str:
    return _("Phase %(n)d (%(name)s)") % {"n": number, "name": PHASES[number].label}


# --- the cycles and the dashboard ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_list(request):
    """The cycles this login sees; the office starts a new school year's cycle here."""
    user = request.user
    cycles = list(cycle_selectors.cycle_list(user))
    office = school_access.scope_of(user).is_office
    form = None
    if office:
        form = cycle_forms.CycleCreateForm(
            request.POST or None, user=user,
            latest_year=max((c.school_year for c in cycles), default=None),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                cycle = cycle_services.cycle_create(
                    by=user, township=form.cleaned_data["township"],
                    school_year=form.cleaned_data["school_year"],
                )
            except ValidationError as exc:
                refused(request, exc, capitalised=False)
            else:
                messages.success(
                    request,
                    _("The cycle %(cycle)s has been created with its ten phases on the "
                      "usual calendar.") % {"cycle": cycle},
                )
                return redirect("recruitment:dashboard", pk=cycle.pk)
        else:
            messages.error(request, _("The cycle was not created; see the reason below."))
    return render(request, "recruitment/cycle_list.html", {"cycles": cycles, "form": form})


@login_required
@require_GET
def dashboard(request, pk):
    """The office runs the cycle here; the others see Step 1 and their own to-dos."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    office = access.is_cycle_office(user, cycle)
    context = {
        "cycle": cycle,
        "office": office,
        "todos": cycle_selectors.todos_for(user, cycle),
        "may_read_plan": access.may_read_drafts(user, cycle),
    }
    if office:
        board = cycle_selectors.dashboard(cycle)
        context.update(
            board=board,
            opinions_started=board.phase(OPINIONS).state != PhaseState.NOT_STARTED,
            phase_changes=cycle_selectors.phase_changes(cycle, limit=PHASE_CHANGES_SHOWN),
        )
    else:
        context.update(phases=cycle_selectors.staff_phases(cycle),
                       review_reader=access.is_school_leader(user, cycle),
                       staff_member=access.own_staff(user, cycle) is not None)
    return render(request, "recruitment/dashboard.html", context)


@login_required
@require_POST
def phase_open(request, pk, number):
    return _phase_change(request, pk, number, cycle_services.phase_open,
                         _("%(phase)s is open."))


@login_required
@require_http_methods(["GET", "POST"])
def phase_close(request, pk, number):
    """GET: the confirmation — what follows the close, and for phase 6 who loses a
    position (R3); POST: the close."""
    if request.method == "POST":
        return _phase_change(request, pk, number, cycle_services.phase_close,
                             _("%(phase)s is closed."))
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    phase = access.phase_get(cycle, number)
    return render(request, "recruitment/phase_close.html", {
        "cycle": cycle, "phase_name": _phase_name(number),
        "close": cycle_selectors.phase_close_preview(phase)})


def _phase_change(request, pk, number, service, success):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    phase = access.phase_get(cycle, number)
    closing = service is cycle_services.phase_close
    ending = (selection_selectors.positions_to_end(cycle).count()
              if closing and number == SELECTION else 0)
    effect = outcome_selectors.outcome_effect(cycle) if closing and number == UNHIRED else None
    try:
        service(by=request.user, phase=phase)
    except ValidationError as exc:
        refused(request, exc, capitalised=False)
    else:
        messages.success(request, success % {"phase": _phase_name(number)})
        if ending:
            messages.info(request, ngettext(
                "%(n)d leadership position ended: its holder is not hired at their own unit "
                "(R3).",
                "%(n)d leadership positions ended: their holders are not hired at their own "
                "unit (R3).", ending) % {"n": ending})
        if effect is not None:
            messages.info(request, ngettext(
                "The outcome took effect from %(start)s: %(n)d staff member took up an "
                "assignment, %(moved)d moved school, %(support)d became support staff.",
                "The outcome took effect from %(start)s: %(n)d staff members took up their "
                "assignments, %(moved)d moved school, %(support)d became support staff.",
                effect.total) % {"start": effect.start.isoformat(), "n": effect.total,
                                 "moved": effect.moved, "support": effect.support})
    return redirect(reverse("recruitment:dashboard", args=[cycle.pk]) + "#phases")


@login_required
@require_POST
def phase_dates(request, pk, number):
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    phase = access.phase_get(cycle, number)
    form = cycle_forms.PhaseDatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The dates of %(phase)s were not changed: enter both dates.")
                       % {"phase": _phase_name(number)})
    else:
        try:
            cycle_services.phase_dates_set(by=request.user, phase=phase, **form.cleaned_data)
        except ValidationError as exc:
            refused(request, exc, capitalised=False)
        else:
            messages.success(request, _("The dates of %(phase)s have been changed.")
                             % {"phase": _phase_name(number)})
    return redirect(reverse("recruitment:dashboard", args=[cycle.pk]) + "#phases")


@login_required
@require_POST
def phase_reopen(request, pk, number):
    """The office reopens a phase closed by mistake, with its reason, while the next one
    has not started."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    phase = access.phase_get(cycle, number)
    form = cycle_forms.PhaseReopenForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form, _("%(phase)s was not reopened.")
                                  % {"phase": _phase_name(number)})
    else:
        try:
            cycle_services.phase_reopen(by=request.user, phase=phase,
                                        reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refused(request, exc, capitalised=False)
        else:
            messages.success(request, _("%(phase)s is open again; the reason is kept in the "
                                        "phase history.") % {"phase": _phase_name(number)})
    return redirect(reverse("recruitment:dashboard", args=[cycle.pk]) + "#phases")


@login_required
@require_GET
def phase_history(request, pk):
    """Every change to the cycle's phases: who opened, closed or re-dated which, when."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    return render(request, "recruitment/phase_history.html",
                  {"cycle": cycle, "phase_changes": cycle_selectors.phase_changes(cycle)})


@login_required
@require_GET
def report(request, pk):
    """The cycle report (sheets 环节 and 表决), as ``manage.py cycle_report`` writes it."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    buffer = io.BytesIO()
    wb.write_workbook(buffer, cycle_selectors.cycle_report_sheets(cycle))
    name = f"竞聘周期-{cycle.township.name}-{cycle.school_year}.xlsx"
    return wb.xlsx_response(buffer.getvalue(), name, fallback=f"cycle-{cycle.school_year}.xlsx")


# --- phase 1: the plan and its revisions ---------------------------------------------


def _require_drafts(user, cycle) -> None:
    if not access.may_read_drafts(user, cycle):
        raise PermissionDenied


@login_required
@require_GET
def plan(request, pk):
    """The plan as it stands (adopted, else the latest draft), or ``?revision=N``."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    _require_drafts(user, cycle)
    number = optional_id(request.GET.get("revision"))  # parsed like an id
    if number is not None:
        revision = access.revision_get(cycle, number)
    else:
        revision = plan_selectors.plan_shown(cycle)
    office = access.is_cycle_office(user, cycle)
    context = {"cycle": cycle, "revision": revision, "office": office}
    if revision is not None:
        rows = list(revision.schools.all())
        context.update(
            sections=plan_sections(revision.text),
            settings=plan_selectors.plan_settings(revision),
            school_rows=rows,
            total_posts=sum(row.post_count for row in rows),
            latest=plan_selectors.latest_revision(cycle),
        )
    if office:
        context["revise_refusal"] = plan_selectors.plan_revise_check(cycle)
    return render(request, "recruitment/plan/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    """The office writes the plan: each save is a new revision (phases 1–3)."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    access.require_cycle_office(user, cycle)
    latest = plan_selectors.latest_revision_with_schools(cycle)
    rows = plan_selectors.plan_rows(cycle, latest)
    if request.method == "POST":
        form = plan_forms.PlanForm(request.POST, rows=rows)
        if form.is_valid():
            values = {"text": form.cleaned_data["text"], "note": form.cleaned_data["note"],
                      "settings": form.settings(), "schools": form.schools()}
            try:
                revision = plan_services.plan_revise(by=user, cycle=cycle,
                                                based_on=form.cleaned_data["based_on"], **values)
            except ValidationError as exc:
                if exc.code == plan_services.PLAN_CHANGED:
                    # Read again: the revision saved since may have committed after the
                    # first read above (two clicks racing).
                    latest = plan_selectors.latest_revision_with_schools(cycle)
                if exc.code != plan_services.PLAN_CHANGED:
                    refused(request, exc, capitalised=False)
                elif (latest is not None and latest.created_by_id == user.pk
                      and plan_selectors.revision_matches(latest, **values)):
                    # The same form sent twice: the first click saved it.
                    messages.info(request, _("Revision %(n)d already holds these changes.")
                                  % {"n": latest.number})
                    return redirect("recruitment:plan", pk=cycle.pk)
                else:
                    refused(request, exc, capitalised=False)
                    messages.warning(request, _(
                        "Your text is kept below. Compare it with revision %(n)d before "
                        "saving again: saving now makes it the next revision."
                    ) % {"n": latest.number if latest else 0})
                    data = request.POST.copy()
                    data["based_on"] = latest.number if latest else 0
                    form = plan_forms.PlanForm(data, rows=rows)
            else:
                messages.success(request, _("Revision %(n)d of the plan has been saved.")
                                 % {"n": revision.number})
                return redirect("recruitment:plan", pk=cycle.pk)
        else:
            messages.error(request, _("The plan was not saved; see the reasons below."))
    else:
        form = plan_forms.PlanForm(initial=plan_forms.PlanForm.initial_from(latest), rows=rows)
    return render(request, "recruitment/plan/edit.html", {
        "cycle": cycle,
        "form": form,
        "latest": latest,
        "refusal": plan_selectors.plan_revise_check(cycle),
    })


@login_required
@require_GET
def revisions(request, pk):
    """Every saved revision with who saved it, when and why; two chosen to compare."""
    cycle = access.cycle_get(request.user, pk)
    _require_drafts(request.user, cycle)
    page = plan_selectors.revisions_page(cycle, page=request.GET.get("page"))
    numbers = [revision.number for revision in page]
    return render(request, "recruitment/plan/revisions.html", {
        "cycle": cycle,
        "page": page,
        "default_new": numbers[0] if numbers else None,
        "default_old": numbers[1] if len(numbers) > 1 else None,
    })


@login_required
@require_GET
def revision_compare(request, pk):
    """Two revisions side by side, the older on the left (``?a=N&b=M``)."""
    cycle = access.cycle_get(request.user, pk)
    _require_drafts(request.user, cycle)
    form = plan_forms.CompareForm(request.GET)
    if form.is_valid():
        a, b = sorted((form.cleaned_data["a"], form.cleaned_data["b"]))
    else:
        latest = plan_selectors.latest_revision(cycle)
        if latest is None or latest.number < 2:
            messages.info(request, _("There is nothing to compare yet: the plan has fewer "
                                     "than two revisions."))
            return redirect("recruitment:revisions", pk=cycle.pk)
        a, b = latest.number - 1, latest.number
    diff = plan_selectors.revision_diff(access.revision_get(cycle, a),
                                   access.revision_get(cycle, b))
    return render(request, "recruitment/plan/compare.html", {"cycle": cycle, "diff": diff})


# --- phase 2: the collective review --------------------------------------------------


def _require_review_reader(user, cycle) -> None:
    """The collective review is the office's and the school leaders' meeting."""
    if not (access.is_cycle_office(user, cycle) or access.is_school_leader(user, cycle)):
        raise PermissionDenied


@login_required
@require_GET
def review(request, pk):
    """Phase 2: the current draft section by section, each with its comments and their
    answers; principals comment, the office answers."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    _require_review_reader(user, cycle)
    phase = access.phase_get(cycle, REVIEW)
    refusal = workflow.acting_refusal(phase)
    comment_refusal = workflow.submission_refusal(phase)  # the office answers past it
    office = access.is_cycle_office(user, cycle)
    commenter = bool(access.principal_schools(user, cycle))
    return render(request, "recruitment/plan/review.html", {
        "cycle": cycle,
        "phase": phase,
        "refusal": refusal,
        "deadline_refusal": None if refusal else comment_refusal,
        "board": plan_selectors.review_board(cycle),
        "office": office,
        "may_comment": commenter and comment_refusal is None,
        "may_answer": office and refusal is None,
    })


@login_required
@require_POST
def review_comment(request, pk):
    user = request.user
    cycle = access.cycle_get(user, pk)
    if not access.principal_schools(user, cycle):
        raise PermissionDenied
    form = plan_forms.ReviewCommentForm(request.POST)
    anchor = ""
    if not form.is_valid():
        messages.error(request, _("The comment was not saved: the form was incomplete."))
    else:
        revision = access.revision_get(cycle, form.cleaned_data["revision"])
        section = form.cleaned_data["section"]
        anchor = f"#section-{section}"
        try:
            plan_services.review_comment_add(by=user, revision=revision, section=section,
                                        body=form.cleaned_data["body"])
        except ValidationError as exc:
            refused(request, exc, capitalised=False)
        else:
            messages.success(request, _("Your comment has been saved. The office answers it "
                                        "on this page."))
    return redirect(reverse("recruitment:review", args=[cycle.pk]) + anchor)


@login_required
@require_POST
def review_answer(request, pk, comment_pk):
    user = request.user
    cycle = access.cycle_get(user, pk)
    access.require_cycle_office(user, cycle)
    comment = access.comment_get(cycle, comment_pk)
    form = plan_forms.ReviewAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer was not saved: choose adopted or not adopted."))
    else:
        try:
            plan_services.review_comment_answer(by=user, comment=comment, adopted=form.adopted,
                                           reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refused(request, exc, capitalised=False)
        else:
            messages.success(request, _("Your answer to the comment on “%(section)s” has been "
                                        "saved.") % {"section": comment.section_title})
    return redirect(reverse("recruitment:review", args=[cycle.pk]) + f"#comment-{comment.pk}")


urlpatterns = [
    path("", cycle_list, name="cycle_list"),
    path("<int:pk>/", dashboard, name="dashboard"),
    path("<int:pk>/phases/<int:number>/open/", phase_open, name="phase_open"),
    path("<int:pk>/phases/<int:number>/close/", phase_close, name="phase_close"),
    path("<int:pk>/phases/<int:number>/dates/", phase_dates, name="phase_dates"),
    path("<int:pk>/phases/<int:number>/reopen/", phase_reopen, name="phase_reopen"),
    path("<int:pk>/phases/history/", phase_history, name="phase_history"),
    path("<int:pk>/report.xlsx", report, name="report"),
    path("<int:pk>/plan/", plan, name="plan"),
    path("<int:pk>/plan/edit/", plan_edit, name="plan_edit"),
    path("<int:pk>/plan/revisions/", revisions, name="revisions"),
    path("<int:pk>/plan/compare/", revision_compare, name="revision_compare"),
    path("<int:pk>/review/", review, name="review"),
    path("<int:pk>/review/comment/", review_comment, name="review_comment"),
    path("<int:pk>/review/<int:comment_pk>/answer/", review_answer, name="review_answer"),
]
