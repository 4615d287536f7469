"""Pages of phase 6, two-way selection layer by layer (双向选择、层层竞聘).

- ``selection``: the office's overview — per school (the centres first, as the plan's
  two-step order), posts and seats, hires, decisions not yet taken or not yet
  confirmed, the cadre proposals to approve, R5's own-staff share (schools below it
  listed first and highlighted), closing the centres' layer, and R3's positions ended
  at the selection's close. Anyone else on a hiring committee is sent to their school.
- ``school_selection``: one school's hiring committee (聘任委员会) — its members, its
  posts with their applicants, each with a rank and a decision, the principal's
  confirmation of each 'hire', the hires, the middle-level cadres proposed (R3), the
  leaders' positions (R3) and the school's own-staff share (R5).
- ``vice_assessments``: R4, the principal assesses the vice principals whose
  three-year term is over.

Every lookup starts from ``access.cycle_get`` (404 for a cycle the login may not see)
and finds the cycle's own rows inside it (404 for an id of another cycle or township).
Every change is one service call: a refusal (``ValidationError``) is shown as a message
and changes nothing; ``PermissionDenied`` is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import access, rules, sheets
from recruitment.forms import selection as selection_forms
from recruitment.selectors import common as common_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.services import selection as selection_services
from recruitment.views import common as common_views
from schools import access as school_access
from schools import services as school_services
from schools.models import School
from staffing import workbook as wb
from staffing.history import history_of
from staffing.refusals import refused

from ..models import CommitteeRole, Decision
from ..phases import SELECTION


def _school(cycle, school_pk) -> School:
    """A school of the cycle's township, or 404."""
    return get_object_or_404(School, township_id=cycle.township_id, pk=school_pk)


def _committee_school(request, pk, school_pk):
    """The cycle and one of its schools, for the school's committee and the office."""
    cycle = access.cycle_get(request.user, pk)
    school = _school(cycle, school_pk)
    if not access.may_see_school(request.user, cycle, school):
        raise PermissionDenied
    return cycle, school


def _school_url(cycle, school, anchor: str = "") -> str:
    return reverse("recruitment:school_selection", args=[cycle.pk, school.pk]) + anchor


def _overview_url(cycle, anchor: str = "") -> str:
    return reverse("recruitment:selection", args=[cycle.pk]) + anchor


# --- the office's overview -------------------------------------------------------------


@login_required
@require_GET
def selection_overview(request, pk):
    """The office follows every school; a committee member goes to their school's page
    (or chooses among theirs)."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    if not access.is_cycle_office(user, cycle):
        schools = access.committee_schools(user, cycle)
        if not schools:
            raise PermissionDenied
        if len(schools) == 1:
            return redirect(_school_url(cycle, schools[0]))
        return render(request, "recruitment/committee/schools.html",
                      {"cycle": cycle, "schools": schools})
    return render(request, "recruitment/committee/overview.html", {
        "cycle": cycle,
        "office": True,
        "board": selection_selectors.overview(cycle),
    })


@login_required
@require_http_methods(["GET", "POST"])
def first_layer_close(request, pk):
    """The office closes the centres' township-wide layer after a confirmation; the
    other schools then confirm their hires."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    if request.method == "POST":
        try:
            selection_services.first_layer_close(by=request.user, cycle=cycle)
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The centres' layer is closed: the other schools may "
                                        "now confirm their hires."))
        return redirect(_overview_url(cycle, "#layer"))
    board = selection_selectors.overview(cycle)
    return render(request, "recruitment/committee/first_layer_close.html", {
        "cycle": cycle,
        "office": True,
        "board": board,
        "refusal": board.first_layer_refusal,
    })


@login_required
@require_POST
def cadre_decide(request, pk, proposal_pk):
    """The office approves (the position starts today) or rejects a proposed cadre."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    proposal = access.cadre_proposal_get(cycle, proposal_pk)
    form = selection_forms.CadreDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject the proposal."))
        return redirect(_overview_url(cycle, "#cadres"))
    values = {"name": proposal.staff.name, "title": proposal.title,
              "school": proposal.school.name}
    try:
        selection_services.cadre_decide(by=request.user, proposal=proposal, approve=form.approved)
    except ValidationError as exc:
        refused(request, exc)
    else:
        if form.approved:
            messages.success(request, _("%(name)s is approved as %(title)s at %(school)s: the "
                                        "position starts today.") % values)
        else:
            messages.success(request, _("The proposal of %(name)s as %(title)s at %(school)s "
                                        "is rejected.") % values)
    return redirect(_overview_url(cycle, "#cadres"))


@login_required
@require_http_methods(["GET", "POST"])
def positions_end(request, pk):
    """R3 at the selection's close: after a confirmation listing them, every cadre not
    hired at their own unit loses the position from today."""
    cycle = access.cycle_get(request.user, pk)
    access.require_cycle_office(request.user, cycle)
    if request.method == "POST":
        try:
            ended = selection_services.positions_end(by=request.user, cycle=cycle)
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, ngettext(
                "%(n)d leadership position ended: its holder is not hired at their own unit "
                "(R3).",
                "%(n)d leadership positions ended: their holders are not hired at their own "
                "unit (R3).", ended) % {"n": ended})
        return redirect(_overview_url(cycle, "#positions"))
    positions = list(selection_selectors.positions_to_end(cycle))
    phase = common_selectors.phase_of(cycle, SELECTION)
    return render(request, "recruitment/committee/positions_end.html", {
        "cycle": cycle,
        "office": True,
        "positions": positions,
        "refusal": rules.positions_end_refusal(phase, len(positions)),
    })


# --- one school's committee ------------------------------------------------------------


@login_required
@require_GET
def school_selection(request, pk, school_pk):
    """The school's committee ranks and decides; the principal confirms; the page says
    why each button it shows disabled cannot be pressed now."""
    user = request.user
    cycle, school = _committee_school(request, pk, school_pk)
    board = selection_selectors.school_board(user, cycle, school)
    return render(request, "recruitment/committee/school.html", {
        "cycle": cycle,
        "school": school,
        "office": board.office,
        "board": board,
        "member_form": selection_forms.CommitteeMemberForm(candidates=board.candidates),
        "cadre_form": selection_forms.CadreProposeForm(staff=board.proposable),
        "decisions": Decision.choices,
        "may_see_vices": board.may_see_vices,
    })


@login_required
@require_POST
def committee_add(request, pk, school_pk):
    """The principal or the office names a committee member."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    school = _school(cycle, school_pk)
    if not access.may_manage_committee(user, cycle, school):
        raise PermissionDenied
    form = selection_forms.CommitteeMemberForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form, _("Choose a person and their role."))
    else:
        member_user = access.committee_user_get(cycle, form.cleaned_data["user"])
        role = form.cleaned_data["role"]
        try:
            selection_services.committee_member_add(by=user, cycle=cycle, school=school,
                                           user=member_user, role=role)
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("%(name)s is on the committee as %(role)s.") % {
                "name": selection_selectors.member_name(member_user),
                "role": CommitteeRole(role).label})
    return redirect(_school_url(cycle, school, "#committee"))


@login_required
@require_http_methods(["GET", "POST"])
def committee_remove(request, pk, school_pk, member_pk):
    """Removal asks for a confirmation first."""
    user = request.user
    cycle = access.cycle_get(user, pk)
    school = _school(cycle, school_pk)
    if not access.may_manage_committee(user, cycle, school):
        raise PermissionDenied
    member = access.committee_member_get(cycle, school, member_pk)
    name = selection_selectors.member_name(member.user)
    if request.method == "POST":
        try:
            selection_services.committee_member_remove(by=user, member=member)
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("%(name)s is no longer on the committee.")
                             % {"name": name})
        return redirect(_school_url(cycle, school, "#committee"))
    return render(request, "recruitment/committee/committee_remove.html", {
        "cycle": cycle,
        "school": school,
        "office": access.is_cycle_office(user, cycle),
        "member": member,
        "name": name,
        "refusal": rules.committee_change_refusal(
            common_selectors.phase_of(cycle, SELECTION)),
    })


@login_required
@require_POST
def ranking_record(request, pk, school_pk, post_pk):
    """The committee ranks an applicant for a post and records hire / not hire."""
    cycle, school = _committee_school(request, pk, school_pk)
    post = access.school_post_get(cycle, school, post_pk)
    form = selection_forms.RankingForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form, _("The ranking was not saved."))
    else:
        staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
        try:
            ranking = selection_services.ranking_record(
                by=request.user, post=post, staff=staff, rank=form.cleaned_data["rank"],
                decision=form.cleaned_data["decision"])
        except ValidationError as exc:
            refused(request, exc)
        else:
            values = {"name": staff.name, "n": post.number,
                      "decision": ranking.get_decision_display()}
            if ranking.rank is None:
                message = _("%(name)s for post %(n)d: %(decision)s, no rank.")
            else:
                message = _("%(name)s for post %(n)d: rank %(rank)d, %(decision)s.")
                values["rank"] = ranking.rank
            messages.success(request, message % values)
    return redirect(_school_url(cycle, school, f"#post-{post.pk}"))


def _duty_list(duties) -> str:
    return ", ".join(f"#{p.number}" for p in duties)


@login_required
@require_POST
def rankings_record(request, pk, school_pk, post_pk):
    """The committee ranks and decides all of a post's applicants in one form: saved
    together, or nothing saved and each refused row named."""
    cycle, school = _committee_school(request, pk, school_pk)
    post = access.school_post_get(cycle, school, post_pk)
    back = redirect(_school_url(cycle, school, f"#post-{post.pk}"))
    formset = selection_forms.RankingFormSet(
        request.POST, prefix=selection_forms.rankings_prefix(post.pk))
    if not formset.is_valid():
        errors = [" ".join(e for errs in form.errors.values() for e in errs)
                  for form in formset.forms if form.errors]
        messages.error(request, " ".join([_("The rankings were not saved."),
                                          *errors, *formset.non_form_errors()]))
        return back
    cleaned = [form.cleaned_data for form in formset.forms if form.cleaned_data]
    staff = access.township_staff_many(cycle, [c["staff"] for c in cleaned])
    rows = [selection_selectors.RankingRow(staff[c["staff"]], c["rank"], c["decision"])
            for c in cleaned]
    try:
        written = selection_services.rankings_record(by=request.user, post=post, rows=rows)
    except ValidationError as exc:
        messages.error(request, " ".join([_("The rankings were not saved."),
                                          *(capfirst(m) + "." for m in exc.messages)]))
        return back
    messages.success(request, ngettext(
        "Post %(n)d: %(count)d ranking saved.", "Post %(n)d: %(count)d rankings saved.",
        len(written)) % {"n": post.number, "count": len(written)})
    return back


@login_required
@require_POST
def hires_confirm_many(request, pk, school_pk):
    """The principal confirms several hire decisions: a confirmation page listing them
    (with the auxiliary duties that come with each and those that cannot, and any reason
    it would be refused), then one POST that confirms each and reports each result,
    the duties left out included."""
    user = request.user
    cycle, school = _committee_school(request, pk, school_pk)
    form = selection_forms.PickForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form, _("Choose the hires to confirm."))
        return redirect(_school_url(cycle, school, "#posts"))
    pairs = form.cleaned_data["pick"]
    posts = access.school_posts_many(cycle, school, [p for p, _s in pairs])
    staff = access.township_staff_many(cycle, [s for _p, s in pairs])
    if not form.cleaned_data["confirmed"]:
        board = selection_selectors.school_board(user, cycle, school)
        picked = board.picked(pairs)
        previews = selection_selectors.hire_previews(picked)
        return render(request, "recruitment/committee/confirm_many.html", {
            "cycle": cycle,
            "school": school,
            "office": board.office,
            "picked": [(post, applicant, preview)
                       for (post, applicant), preview in zip(picked, previews, strict=True)],
        })
    results = selection_services.hires_confirm(
        by=user, pairs=[(posts[p], staff[s]) for p, s in pairs])
    done = [r for r in results if r.hire]
    if done:
        messages.success(request, ngettext(
            "%(n)d hire confirmed: %(names)s.", "%(n)d hires confirmed: %(names)s.",
            len(done)) % {"n": len(done), "names": ", ".join(
                f"{r.staff.name} (#{r.post.number})" for r in done)})
    for result in done:  # R2 "1+X": a duty left out for want of a seat is said, as for one hire
        outcome = selection_selectors.hire_outcome(result.hire)
        if outcome.full:
            messages.warning(request, _("Not attached, no free seat: %(full)s. %(name)s "
                                        "does not hold these duties.")
                             % {"full": _duty_list(outcome.full), "name": result.staff.name})
    for result in results:
        if result.refusal:
            messages.error(request, _("%(name)s (post %(n)d) was not confirmed: %(reason)s")
                           % {"name": result.staff.name, "n": result.post.number,
                              "reason": result.refusal})
    return redirect(_school_url(cycle, school, "#posts"))


@login_required
@require_http_methods(["GET", "POST"])
def hire_confirm(request, pk, school_pk, post_pk):
    """The principal confirms the committee's decision to hire (only the principal),
    after a confirmation page saying which auxiliary duties come with the hire and which
    cannot (full)."""
    cycle, school = _committee_school(request, pk, school_pk)
    post = access.school_post_get(cycle, school, post_pk)
    form = selection_forms.StaffForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        common_views.form_refused(request, form, _("The hire was not confirmed."))
        return redirect(_school_url(cycle, school, f"#post-{post.pk}"))
    staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
    if request.method == "GET":
        board = selection_selectors.school_board(request.user, cycle, school)
        applicant = next((a for row in board.posts if row.post.pk == post.pk
                          for a in row.applicants if a.staff.pk == staff.pk), None)
        if applicant is None or not applicant.awaiting_confirmation:
            refusal = _("%(name)s has no hire decision awaiting confirmation for post %(n)d.") % {
                "name": staff.name, "n": post.number}
        else:
            refusal = applicant.confirm_refusal
        return render(request, "recruitment/committee/hire_confirm.html", {
            "cycle": cycle,
            "school": school,
            "office": board.office,
            "post": post,
            "staff": staff,
            "preview": selection_selectors.hire_preview(post, staff),
            "refusal": refusal,
        })
    try:
        hire = selection_services.hire_confirm(by=request.user, post=post, staff=staff)
    except ValidationError as exc:
        refused(request, exc)
    else:
        outcome = selection_selectors.hire_outcome(hire)
        values = {"name": staff.name, "n": post.number, "duties": _duty_list(outcome.duties),
                  "full": _duty_list(outcome.full)}
        if outcome.duties:
            messages.success(request, _("%(name)s is hired to post %(n)d, with the "
                                        "auxiliary duties %(duties)s.") % values)
        else:
            messages.success(request, _("%(name)s is hired to post %(n)d.") % values)
        if outcome.full:
            messages.warning(request, _("Not attached, no free seat: %(full)s. %(name)s "
                                        "does not hold these duties.") % values)
    return redirect(_school_url(cycle, school, f"#post-{post.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def hire_withdraw(request, pk, school_pk, hire_pk):
    """The office withdraws a confirmed hire while phase 6 is open, with a reason, after a
    confirmation saying what follows (the seat and duties freed, the person unhired)."""
    cycle, school = _committee_school(request, pk, school_pk)
    access.require_cycle_office(request.user, cycle)
    hire = access.hire_get(cycle, school, hire_pk)
    form = selection_forms.HireWithdrawForm(request.POST if request.method == "POST"
                                            else request.GET)
    if request.method == "POST":
        if not form.is_valid():
            common_views.form_refused(request, form, _("The hire was not withdrawn."))
        else:
            values = {"name": hire.staff.name, "n": hire.post.number}
            try:
                selection_services.hire_withdraw(by=request.user, hire=hire,
                                                 reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                refused(request, exc)
            else:
                messages.success(request, _("The hire of %(name)s to post %(n)d is withdrawn: "
                                            "the seat is free and %(name)s is unhired again.")
                                 % values)
                return redirect(_school_url(cycle, school, "#hires"))
    return render(request, "recruitment/committee/hire_withdraw.html", {
        "cycle": cycle,
        "school": school,
        "office": True,
        "hire": hire,
        "duties": list(hire.extra_posts.order_by("number")),
        "form": form,
        "refusal": selection_selectors.hire_withdraw_check(hire),
    })


@login_required
@require_GET
def rankings_export(request, pk, school_pk):
    """The school's rankings, every post, as sheet 排序 (full IDs for the office only,
    recorded; masked for the committee)."""
    cycle, school = _committee_school(request, pk, school_pk)
    board = selection_selectors.school_board(request.user, cycle, school)
    full_ids = school_access.may_see_full_ids_of(request.user, cycle.township_id)
    sheet = selection_selectors.rankings_sheet(board, full_ids=full_ids)
    name = f"{sheets.RANKING_SHEET}-{school.name}-{cycle.school_year}.xlsx"
    if full_ids:
        school_services.full_id_export_record(by=request.user, township=cycle.township,
                                              export=name, rows=len(sheet.rows))
    return wb.xlsx_response(wb.workbook_bytes([sheet]), name, fallback="rankings.xlsx")


@login_required
@require_GET
def selection_print(request, pk, school_pk):
    """The school's hiring result for its notice board, to print from the browser: the
    posts and who is hired to each, no resident IDs."""
    cycle, school = _committee_school(request, pk, school_pk)
    board = selection_selectors.school_board(request.user, cycle, school)
    return render(request, "recruitment/committee/print.html", {
        "cycle": cycle, "school": school, "board": board, "office": board.office})


@login_required
@require_GET
def ranking_history(request, pk, school_pk, ranking_pk):
    """Every change to one applicant's rank and decision: who, when, from what to what."""
    cycle, school = _committee_school(request, pk, school_pk)
    ranking = access.ranking_get(cycle, school, ranking_pk)
    return render(request, "recruitment/committee/ranking_history.html", {
        "cycle": cycle,
        "school": school,
        "office": access.is_cycle_office(request.user, cycle),
        "ranking": ranking,
        "history": history_of(ranking),
    })


@login_required
@require_POST
def cadre_propose(request, pk, school_pk):
    """The committee proposes a middle-level cadre among those hired here (R3); the
    office approves."""
    cycle, school = _committee_school(request, pk, school_pk)
    form = selection_forms.CadreProposeForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form, _("Choose a person and name the position."))
    else:
        staff = access.township_staff_get(cycle, form.cleaned_data["staff"])
        try:
            proposal = selection_services.cadre_propose(by=request.user, cycle=cycle, staff=staff,
                                               title=form.cleaned_data["title"])
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("%(name)s is proposed as %(title)s; the office "
                                        "approves or rejects the proposal.")
                             % {"name": staff.name, "title": proposal.title})
    return redirect(_school_url(cycle, school, "#cadres"))


# --- R4: vice principals ------------------------------------------------------------------


def _vice_school(request, pk, school_pk):
    cycle = access.cycle_get(request.user, pk)
    school = _school(cycle, school_pk)
    if not access.may_see_vices(request.user, cycle, school):
        raise PermissionDenied
    return cycle, school


@login_required
@require_GET
def vice_assessments(request, pk, school_pk):
    """R4: the vice principals due for the term assessment, those not yet due, and the
    assessments done with any vacancy opened."""
    cycle, school = _vice_school(request, pk, school_pk)
    return render(request, "recruitment/committee/vices.html", {
        "cycle": cycle,
        "school": school,
        "office": access.is_cycle_office(request.user, cycle),
        "board": selection_selectors.vice_board(cycle, school),
        "refusal": selection_selectors.vice_assess_check(by=request.user, cycle=cycle,
                                                         school=school),
        "keep_form": selection_forms.ViceKeepForm(),
    })


@login_required
@require_POST
def vice_keep(request, pk, school_pk, position_pk):
    """Passed: the vice principal stays one more year."""
    cycle, school = _vice_school(request, pk, school_pk)
    position = access.vice_position_get(cycle, school, position_pk)
    form = selection_forms.ViceKeepForm(request.POST)
    if not form.is_valid():
        common_views.form_refused(request, form, _("The assessment was not saved."))
    else:
        try:
            selection_services.vice_assess(
                by=request.user,
                cycle=cycle,
                position=position,
                keep=True,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("%(name)s passed the assessment and stays one more "
                                        "year as %(title)s.")
                             % {"name": position.staff.name, "title": position.title})
    return redirect(reverse("recruitment:vice_assessments", args=[cycle.pk, school.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def vice_remove(request, pk, school_pk, position_pk):
    """Failed or unfit: after a confirmation with the reason, the position ends and the
    vacancy opens to the whole township."""
    cycle, school = _vice_school(request, pk, school_pk)
    if not access.is_principal(request.user, school.pk):
        raise PermissionDenied
    position = access.vice_position_get(cycle, school, position_pk)
    form = selection_forms.ViceRemoveForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            common_views.form_refused(request, form, _("The assessment was not saved."))
        else:
            try:
                assessment = selection_services.vice_assess(
                    by=request.user, cycle=cycle, position=position, keep=False,
                    reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                refused(request, exc)
            else:
                messages.success(request, _(
                    "%(name)s is removed as %(title)s. Post %(n)d, the vacancy, is open to "
                    "the whole township.") % {"name": position.staff.name,
                                              "title": position.title,
                                              "n": assessment.vacancy.number})
                return redirect(reverse("recruitment:vice_assessments",
                                        args=[cycle.pk, school.pk]))
    return render(request, "recruitment/committee/vice_remove.html", {
        "cycle": cycle,
        "school": school,
        "office": access.is_cycle_office(request.user, cycle),
        "position": position,
        "form": form,
        "refusal": selection_selectors.vice_assess_check(by=request.user, cycle=cycle,
                                                         school=school, position=position),
    })


_SCHOOL = "<int:pk>/selection/schools/<int:school_pk>/"

urlpatterns = [
    path("<int:pk>/selection/", selection_overview, name="selection"),
    path("<int:pk>/selection/first-layer/close/", first_layer_close,
         name="selection_first_layer_close"),
    path("<int:pk>/selection/positions/end/", positions_end, name="selection_positions_end"),
    path("<int:pk>/selection/cadres/<int:proposal_pk>/decide/", cadre_decide,
         name="selection_cadre_decide"),
    path(_SCHOOL, school_selection, name="school_selection"),
    path(_SCHOOL + "committee/add/", committee_add, name="committee_add"),
    path(_SCHOOL + "committee/<int:member_pk>/remove/", committee_remove,
         name="committee_remove"),
    path(_SCHOOL + "posts/<int:post_pk>/rank/", ranking_record, name="selection_rank"),
    path(_SCHOOL + "posts/<int:post_pk>/confirm/", hire_confirm, name="selection_confirm"),
    path(_SCHOOL + "hires/<int:hire_pk>/withdraw/", hire_withdraw,
         name="selection_hire_withdraw"),
    path(_SCHOOL + "posts/<int:post_pk>/rankings/", rankings_record,
         name="selection_rankings"),
    path(_SCHOOL + "confirm/", hires_confirm_many, name="selection_confirm_many"),
    path(_SCHOOL + "rankings.xlsx", rankings_export, name="selection_rankings_export"),
    path(_SCHOOL + "print/", selection_print, name="selection_print"),
    path(_SCHOOL + "rankings/<int:ranking_pk>/history/", ranking_history,
         name="selection_ranking_history"),
    path(_SCHOOL + "cadres/propose/", cadre_propose, name="selection_cadre_propose"),
    path(_SCHOOL + "vices/", vice_assessments, name="vice_assessments"),
    path(_SCHOOL + "vices/<int:position_pk>/keep/", vice_keep, name="vice_keep"),
    path(_SCHOOL + "vices/<int:position_pk>/remove/", vice_remove, name="vice_remove"),
]
