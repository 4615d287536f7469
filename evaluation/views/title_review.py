"""The pages of the public scoring and the exceptional review (R12), under
/evaluation/titles/: a candidate's scores of their unit and level on the phone, with the
acknowledgement or an objection; the objections and the unit's answers; who has
acknowledged, per unit and level; the county committee's review of the exceptional (破格)
candidates, one page per year and level, and each candidate's three steps. Every list
exports to xlsx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules
from evaluation.forms import title_review as forms
from evaluation.models import (
    ExceptionalReview,
    ObjectionState,
    ReviewStep,
    TitleLevel,
    TitleYear,
)
from evaluation.selectors import title_review as selectors
from evaluation.services import title_review as services
from schools import access as school_access
from staffing import workbook as wb
from staffing.history import history_of
from staffing.ids import search_text
from staffing.refusals import refused

LEVEL_SLUGS = {"first": TitleLevel.FIRST, "senior": TitleLevel.SENIOR,
               "full": TitleLevel.FULL_SENIOR}
SLUG_OF = {level: slug for slug, level in LEVEL_SLUGS.items()}


def _unit_year(request, year_pk) -> tuple[TitleYear, list[int]]:
    """A year and the units of it this login reads (the county office, a township
    office, a unit); a teacher has none: 403."""
    year = access.title_year_visible(request.user, year_pk)
    school_ids = selectors.school_ids_of(request.user, year)
    if not school_ids:
        raise PermissionDenied
    return year, school_ids


def _search(request) -> str:
    return search_text(request.GET.get("q"))


# ---- the candidate's public scoring ------------------------------------------------------


def _scoring_context(request, candidate, objection_form=None) -> dict:
    board = selectors.public_scoring(candidate)
    return {
        "candidate": candidate, "board": board,
        "refusal": services.acknowledge_refusal(candidate, board.revision),
        "ack_form": forms.AcknowledgeForm(initial={"revision": board.revision}),
        "objection_form": objection_form or forms.ObjectionForm(items=board.items),
    }


@login_required
@require_GET
def public_scoring(request, candidate_pk):
    """R12: every candidate of the unit and level with each item score, Q, L, T and rank
    (names only), and the acknowledgement or an objection (the candidate's own page)."""
    candidate = access.own_title_candidate(request.user, candidate_pk)
    return render(request, "evaluation/title_review/scoring.html",
                  _scoring_context(request, candidate))


@login_required
@require_POST
def acknowledge(request, candidate_pk):
    candidate = access.own_title_candidate(request.user, candidate_pk)
    form = forms.AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date: read the scores again."))
        return redirect("evaluation:title_public_scoring", candidate.pk)
    try:
        _ack, created = services.acknowledgement_give(
            by=request.user, candidate=candidate, seen_revision=form.cleaned_data["revision"])
    except ValidationError as exc:
        refused(request, exc, capitalised=False)
    else:
        messages.success(request, _("You acknowledged the scores of your competitors.")
                         if created else _("You had acknowledged these scores already."))
    return redirect("evaluation:title_public_scoring", candidate.pk)


@login_required
@require_POST
def object_to_scores(request, candidate_pk):
    candidate = access.own_title_candidate(request.user, candidate_pk)
    board = selectors.public_scoring(candidate)
    form = forms.ObjectionForm(request.POST, items=board.items)
    if form.is_valid():
        try:
            _objection, created = services.objection_raise(
                by=request.user, candidate=candidate, item=form.cleaned_data["item"],
                reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your objection is sent to your unit, which answers "
                                        "it here.") if created
                             else _("This objection was sent already."))
            return redirect("evaluation:title_public_scoring", candidate.pk)
    return render(request, "evaluation/title_review/scoring.html",
                  _scoring_context(request, candidate, objection_form=form), status=400)


# ---- objections ------------------------------------------------------------------------


@login_required
@require_GET
def objections(request, year_pk):
    """The objections of the units this login reads, open first; searched by name."""
    year, school_ids = _unit_year(request, year_pk)
    state, q = request.GET.get("state", ""), _search(request)
    return render(request, "evaluation/title_review/objections.html", {
        "year": year, "q": q, "state": state, "states": ObjectionState,
        "page": selectors.objections_page(year, school_ids, state=state, search=q,
                                          page=request.GET.get("page")),
    })


@login_required
@require_GET
def objections_export(request, year_pk):
    year, school_ids = _unit_year(request, year_pk)
    return wb.xlsx_response(wb.workbook_bytes([selectors.objections_sheet(year, school_ids)]),
                            f"职称评分异议-{year.county.name}-{year.year}.xlsx",
                            fallback=f"title-objections-{year.year}.xlsx")


def _objection_context(request, objection, form=None) -> dict:
    may_answer = access.may_answer_title_objection(request.user, objection)
    answering = may_answer and objection.is_open
    choices = selectors.answer_choices(objection) if answering else []
    if answering and form is None:
        form = forms.AnswerForm(choices=choices)
    return {
        "objection": objection, "candidate": objection.candidate,
        "own": objection.candidate.staff_id == school_access.scope_of(request.user).staff_id,
        "changes": selectors.changes_of(objection), "form": form if answering else None,
        "choices": choices,
        "score_fields": [(choice, form[choice.key]) for choice in choices] if answering else [],
        "history": history_of(objection),
    }


@login_required
@require_http_methods(["GET", "POST"])
def objection_page(request, objection_pk):
    """One objection, its answer and the scores the answer changed, its history; the
    unit's principal answers it here."""
    objection = access.title_objection_of(request.user, objection_pk)
    if request.method == "GET":
        return render(request, "evaluation/title_review/objection.html",
                      _objection_context(request, objection))
    if not access.may_answer_title_objection(request.user, objection):
        raise PermissionDenied
    choices = selectors.answer_choices(objection)
    form = forms.AnswerForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            made = services.objection_answer(
                by=request.user, objection=objection, answer=form.cleaned_data["answer"],
                new_scores=[services.NewScore(choice.candidate, choice.item, value)
                            for choice, value in form.changed_scores()])
        except ValidationError as exc:
            if not objection.is_open:
                refused(request, exc, capitalised=False)
                return redirect("evaluation:title_objection", objection.pk)
            form.add_error(None, exc)
        else:
            messages.success(request, _(
                "The objection is answered; %(n)d score changed: every candidate of the unit "
                "and level acknowledges the scores again.") % {"n": len(made)} if made
                else _("The objection is answered; no score changed."))
            return redirect("evaluation:title_objection", objection.pk)
    return render(request, "evaluation/title_review/objection.html",
                  _objection_context(request, objection, form=form), status=400)


# ---- acknowledgements ------------------------------------------------------------------


@login_required
@require_GET
def acknowledgements(request, year_pk):
    """Every unit and level this login reads: acknowledged out of all, valid or not."""
    year, school_ids = _unit_year(request, year_pk)
    groups = selectors.acknowledgement_groups(year, school_ids)
    q = _search(request)
    if q:
        groups = [g for g in groups if q in g.ranking.quota.school.name]
    return render(request, "evaluation/title_review/acknowledgements.html", {
        "year": year, "q": q,
        "valid": sum(1 for g in groups if g.ranking.valid), "total": len(groups),
        "page": Paginator(groups, selectors.PER_PAGE).get_page(request.GET.get("page")),
    })


@login_required
@require_GET
def acknowledgements_export(request, year_pk):
    year, school_ids = _unit_year(request, year_pk)
    return wb.xlsx_response(
        wb.workbook_bytes([selectors.acknowledgements_sheet(year, school_ids)]),
        f"职称评分确认-{year.county.name}-{year.year}.xlsx",
        fallback=f"title-acknowledgements-{year.year}.xlsx")


@login_required
@require_GET
def acknowledgement_group(request, year_pk, quota_pk):
    """One unit and level: who has acknowledged the current scores and who not yet; the
    ranking is valid only when all have (R12)."""
    year, _ids = _unit_year(request, year_pk)
    quota = access.title_quota_of(request.user, year, quota_pk)
    ranking, lines = selectors.acknowledgement_lines(quota)
    return render(request, "evaluation/title_review/group.html", {
        "year": year, "quota": quota, "ranking": ranking, "lines": lines,
        "waiting": [line for line in lines if line.acknowledged_at is None],
    })


# ---- the exceptional review (破格) -------------------------------------------------------


def _level(slug: str) -> str:
    if slug not in LEVEL_SLUGS:
        raise Http404("Not a level.")
    return LEVEL_SLUGS[slug]


@login_required
@require_GET
def exceptional_home(request, year_pk):
    year, _ids = _unit_year(request, year_pk)
    return redirect("evaluation:title_exceptional", year.pk, "senior")


@login_required
@require_GET
def exceptional_list(request, year_pk, level):
    """The county committee's page: every exceptional candidate of the year and level, the
    step each stands at, reviewed together (R12)."""
    year, school_ids = _unit_year(request, year_pk)
    level = _level(level)
    step, q = request.GET.get("step", ""), _search(request)
    found = selectors.exceptional_candidates(year, school_ids, level=level, step=step,
                                             search=q)
    page = Paginator(found, selectors.PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.step_counts(year, school_ids, level=level)
    return render(request, "evaluation/title_review/exceptional.html", {
        "year": year, "level": level, "slug": SLUG_OF[level], "levels": LEVEL_SLUGS,
        "step": step, "q": q,
        "step_lines": [(value, label, counts[value]) for value, label in ReviewStep.choices],
        "page": page, "rows": [(c, selectors.review_or_blank(c)) for c in page],
        "committee": access.may_run_title_committee(request.user, year),
    })


@login_required
@require_GET
def exceptional_export(request, year_pk, level):
    year, school_ids = _unit_year(request, year_pk)
    level = _level(level)
    return wb.xlsx_response(
        wb.workbook_bytes([selectors.reviews_sheet(year, school_ids, level=level)]),
        f"破格评审-{year.county.name}-{year.year}-{level}.xlsx",
        fallback=f"title-exceptional-{year.year}-{SLUG_OF[level]}.xlsx")


def _review_context(request, candidate, *, unit_form=None, presentation_form=None,
                    final_form=None) -> dict:
    review = services.review_of(candidate) or ExceptionalReview(candidate=candidate)
    user = request.user
    may_unit = access.may_record_unit_evaluation(user, candidate)
    committee = access.may_run_title_committee(user, candidate.year)
    context = {
        "candidate": candidate, "review": review, "slug": SLUG_OF[candidate.level],
        "may_unit": may_unit, "committee": committee,
        "unit_refusal": services.step_refusal(candidate, rules.REVIEW_UNIT),
        "presentation_refusal": services.step_refusal(candidate, rules.REVIEW_PRESENTATION),
        "final_refusal": services.step_refusal(candidate, rules.REVIEW_FINAL),
        "history": history_of(review) if review.pk else [],
    }
    if may_unit:
        context["unit_form"] = unit_form or forms.UnitEvaluationForm(initial={
            "opinion": review.unit_opinion, "score": review.unit_score})
    if committee:
        context["presentation_form"] = presentation_form or forms.PresentationForm(initial={
            "evidence": review.presentation_evidence, "notes": review.presentation_notes,
            "claimed_score": review.claimed_score})
        context["final_form"] = final_form or forms.FinalForm()
    return context


@login_required
@require_GET
def review_page(request, candidate_pk):
    """One exceptional candidate's review: the three steps, who recorded each and when,
    the forms of the steps this login records, the history."""
    candidate = access.title_exceptional_of(request.user, candidate_pk)
    return render(request, "evaluation/title_review/review.html",
                  _review_context(request, candidate))


def _step_done(request, candidate, service, done: str, **fields):
    try:
        service(by=request.user, candidate=candidate, **fields)
    except ValidationError as exc:
        return exc
    messages.success(request, done)
    return None


@login_required
@require_POST
def review_unit(request, candidate_pk):
    candidate = access.title_exceptional_of(request.user, candidate_pk)
    if not access.may_record_unit_evaluation(request.user, candidate):
        raise PermissionDenied
    form = forms.UnitEvaluationForm(request.POST)
    if form.is_valid():
        error = _step_done(request, candidate, services.review_unit_record,
                           _("The unit's evaluation is recorded."),
                           opinion=form.cleaned_data["opinion"],
                           score=form.cleaned_data["score"])
        if error is None:
            return redirect("evaluation:title_review", candidate.pk)
        form.add_error(None, error)
    return render(request, "evaluation/title_review/review.html",
                  _review_context(request, candidate, unit_form=form), status=400)


def _committee_candidate(request, candidate_pk):
    candidate = access.title_exceptional_of(request.user, candidate_pk)
    if not access.may_run_title_committee(request.user, candidate.year):
        raise PermissionDenied
    return candidate


@login_required
@require_POST
def review_presentation(request, candidate_pk):
    candidate = _committee_candidate(request, candidate_pk)
    form = forms.PresentationForm(request.POST)
    if form.is_valid():
        error = _step_done(request, candidate, services.review_presentation_record,
                           _("The candidate's presentation is recorded."),
                           notes=form.cleaned_data["notes"],
                           evidence=form.cleaned_data["evidence"],
                           claimed_score=form.cleaned_data["claimed_score"])
        if error is None:
            return redirect("evaluation:title_review", candidate.pk)
        form.add_error(None, error)
    return render(request, "evaluation/title_review/review.html",
                  _review_context(request, candidate, presentation_form=form), status=400)


@login_required
@require_POST
def review_final(request, candidate_pk):
    """The experts' final score, after a confirmation page: it closes the review."""
    candidate = _committee_candidate(request, candidate_pk)
    form = forms.FinalForm(request.POST)
    if not form.is_valid():
        return render(request, "evaluation/title_review/review.html",
                      _review_context(request, candidate, final_form=form), status=400)
    refusal = services.step_refusal(candidate, rules.REVIEW_FINAL)
    if request.POST.get("confirmed") != "1" or refusal:
        return render(request, "evaluation/title_review/final_confirm.html", {
            "candidate": candidate, "form": form, "refusal": refusal,
            "review": services.review_of(candidate),
            "passed": form.cleaned_data["outcome"] == "passed"})
    error = _step_done(request, candidate, services.review_final_record,
                       _("The experts' final score is recorded: the review is closed."),
                       final_score=form.cleaned_data["final_score"],
                       passed=form.cleaned_data["outcome"] == "passed",
                       note=form.cleaned_data["note"])
    if error is not None:
        refused(request, error, capitalised=False)
    return redirect("evaluation:title_review", candidate.pk)


urlpatterns = [
    path("titles/candidacies/<str:candidate_pk>/scores/", public_scoring,
         name="title_public_scoring"),
    path("titles/candidacies/<str:candidate_pk>/scores/acknowledge/", acknowledge,
         name="title_acknowledge"),
    path("titles/candidacies/<str:candidate_pk>/scores/object/", object_to_scores,
         name="title_object"),
    path("titles/years/<str:year_pk>/objections/", objections, name="title_objections"),
    path("titles/years/<str:year_pk>/objections/xlsx", objections_export,
         name="title_objections_export"),
    path("titles/objections/<str:objection_pk>/", objection_page, name="title_objection"),
    path("titles/years/<str:year_pk>/acknowledgements/", acknowledgements,
         name="title_acknowledgements"),
    path("titles/years/<str:year_pk>/acknowledgements/xlsx", acknowledgements_export,
         name="title_acknowledgements_export"),
    path("titles/years/<str:year_pk>/acknowledgements/<str:quota_pk>/", acknowledgement_group,
         name="title_acknowledgement_group"),
    path("titles/years/<str:year_pk>/exceptional/", exceptional_home,
         name="title_exceptional_home"),
    path("titles/years/<str:year_pk>/exceptional/<str:level>/", exceptional_list,
         name="title_exceptional"),
    path("titles/years/<str:year_pk>/exceptional/<str:level>/xlsx", exceptional_export,
         name="title_exceptional_export"),
    path("titles/exceptional/<str:candidate_pk>/", review_page, name="title_review"),
    path("titles/exceptional/<str:candidate_pk>/unit/", review_unit,
         name="title_review_unit"),
    path("titles/exceptional/<str:candidate_pk>/presentation/", review_presentation,
         name="title_review_presentation"),
    path("titles/exceptional/<str:candidate_pk>/final/", review_final,
         name="title_review_final"),
]
