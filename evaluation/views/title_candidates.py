"""Pages of the title evaluation part ``title_candidates`` (R12,
shared/spec/title-scoring.md), under /evaluation/titles/.

A staff member (on the phone): the county's open year and its scoring table, the
declaration, its state and the unit's reason, withdrawing. The unit (its principal): the
declarations with the facts they are checked by, accepting (in bulk) or refusing with a
reason, one candidate's scores, the unit's rankings and the committee's settlement of a
tie. The county office: the year's eligibility settings, the scores import (template,
upload, preview, confirm), every unit's rankings and the export. A township office reads
its units'."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules, scoring
from evaluation.forms import title_candidates as forms
from evaluation.models import CandidateState, TitleLevel, TitleScoreImport
from evaluation.selectors import title_candidates as selectors
from evaluation.selectors import titles as title_selectors
from evaluation.services import title_candidates as services
from staffing import workbook as wb
from staffing.history import history_of
from staffing.ids import search_text

PER_PAGE = 50


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _staff_of_year(user, year):
    staff = access.require_own_staff(user)
    if staff.school.township.county_id != year.county_id:
        raise PermissionDenied
    return staff


def _sees_units(user, year) -> None:
    """Offices and units only (a teacher sees their own candidacy, not the lists)."""
    if not access.title_schools(user, year).exists():
        raise PermissionDenied


# ---- a staff member: declaring ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def declare(request, year_pk):
    year = access.title_year_visible(request.user, year_pk)
    staff = _staff_of_year(request.user, year)
    candidacy = selectors.own_candidacy(year, staff)
    table = title_selectors.current_table(year)
    may_declare = year.is_open and table is not None and (
        candidacy is None or candidacy.state in (CandidateState.WITHDRAWN,
                                                 CandidateState.REFUSED))
    initial = {"current_title": staff.title if staff.title in rules.HELD_TITLES else ""}
    form = forms.DeclareForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declare(by=request.user, year=year, staff=staff, level=data["level"],
                                 current_title=data["current_title"],
                                 title_since=data["title_since"],
                                 exceptional=data["exceptional"], reason=data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your declaration for %(level)s is sent to your "
                                            "unit for its check.") % {"level": data["level"]})
                return redirect("evaluation:title_declare", year_pk=year.pk)
        messages.error(request, _("Nothing was sent; correct the fields marked."))
    return render(request, "evaluation/title_candidates/declare.html", {
        "year": year, "staff": staff, "candidacy": candidacy, "form": form,
        "may_declare": may_declare, "table": table, "groups": selectors.table_groups(table),
        "requirements": selectors.requirements(year),
        "reference_date": selectors.reference_date(year)})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    candidate = access.own_title_candidate(request.user, pk)
    refusal = rules.title_withdraw_refusal(candidate.state) or rules.title_year_closed_refusal(
        candidate.year.is_open)
    if request.method == "POST":
        try:
            services.withdraw(by=request.user, candidate=candidate)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Your declaration is withdrawn."))
        return redirect("evaluation:title_declare", year_pk=candidate.year_id)
    return render(request, "evaluation/title_candidates/withdraw.html",
                  {"candidate": candidate, "refusal": refusal})


# ---- the county office: the year's eligibility settings ----------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def year_settings(request, year_pk):
    year = access.title_year_of_county(request.user, year_pk)
    form = forms.SettingsForm(request.POST or None, instance=year)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.settings_save(by=request.user, year=year, values=form.cleaned_data)
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The eligibility settings of %(year)s are saved.")
                                 % {"year": year})
                return redirect("evaluation:title_units", year_pk=year.pk)
        else:
            messages.error(request, _("Nothing was saved; correct the fields marked."))
    year.refresh_from_db()
    return render(request, "evaluation/title_candidates/settings.html",
                  {"year": year, "form": form, "history": history_of(year)})


# ---- the units -------------------------------------------------------------------------------


@login_required
@require_GET
def units(request, year_pk):
    year = access.title_year_visible(request.user, year_pk)
    _sees_units(request.user, year)
    page = Paginator(access.title_schools(request.user, year)
                     .order_by("township__name", "name").values_list("pk", flat=True),
                     PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evaluation/title_candidates/units.html", {
        "year": year, "page": page,
        "lines": selectors.units_of(request.user, year, school_ids=page.object_list),
        "county": access.is_county_office_of(request.user, year.county_id),
        "requirements": selectors.requirements(year),
        "reference_date": selectors.reference_date(year)})


@login_required
@require_GET
def units_export(request, year_pk):
    year = access.title_year_visible(request.user, year_pk)
    _sees_units(request.user, year)
    return wb.xlsx_response(selectors.units_workbook(request.user, year),
                            f"{selectors.UNITS_SHEET}-{year.year}.xlsx",
                            fallback=f"title-units-{year.year}.xlsx")


def _unit_filters(request) -> tuple[str, str, str]:
    """The unit page's filters from the query (anything else: no filter)."""
    state = request.GET.get("state", "")
    level = request.GET.get("level", "")
    return (state if state in CandidateState.values else "",
            level if level in TitleLevel.values else "",
            search_text(request.GET.get("q")))


@login_required
@require_GET
def unit(request, year_pk, school_pk):
    """The unit's declarations with the facts of the check; the principal accepts or
    refuses, the offices read."""
    year = access.title_year_visible(request.user, year_pk)
    school = access.title_unit_of(request.user, year, school_pk)
    state, level, search = _unit_filters(request)
    page = Paginator(selectors.unit_candidates(year, school, state=state, level=level,
                                               search=search), PER_PAGE).get_page(
        request.GET.get("page"))
    candidates = list(page.object_list)
    scored = selectors.scored_ids([c.pk for c in candidates])
    return render(request, "evaluation/title_candidates/unit.html", {
        "year": year, "school": school, "page": page,
        "rows": selectors.check_rows(year, candidates), "scored": scored,
        "acts": access.is_title_unit(request.user, school.pk) and year.is_open,
        "state": state, "level": level, "q": search, "states": CandidateState.choices,
        "levels": TitleLevel.values, "reference_date": selectors.reference_date(year)})


@login_required
@require_GET
def unit_export(request, year_pk, school_pk):
    """The unit's declarations as a workbook, with the page's filters."""
    year = access.title_year_visible(request.user, year_pk)
    school = access.title_unit_of(request.user, year, school_pk)
    state, level, search = _unit_filters(request)
    return wb.xlsx_response(
        selectors.declarations_workbook(year, school, state=state, level=level, search=search),
        f"{selectors.DECLARATIONS_SHEET}-{school.name}-{year.year}.xlsx",
        fallback=f"title-declarations-{year.year}.xlsx")


@login_required
@require_POST
def accept(request, year_pk, school_pk):
    year = access.title_year_visible(request.user, year_pk)
    school = access.title_unit_acting(request.user, year, school_pk)
    ids = [int(v) for v in request.POST.getlist("candidate") if v.isdigit()][:1000]
    if not ids:
        messages.error(request, _("Tick the declarations to accept."))
        return redirect("evaluation:title_unit", year_pk=year.pk, school_pk=school.pk)
    try:
        done, skipped = services.accept(by=request.user, year=year, school=school,
                                        candidate_ids=ids)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, ngettext("%(n)d declaration accepted as eligible.",
                                           "%(n)d declarations accepted as eligible.", done)
                         % {"n": done})
        if skipped:
            messages.warning(request, _("Not accepted (refuse them with the reason): %(who)s")
                             % {"who": "；".join(skipped)})
    return redirect("evaluation:title_unit", year_pk=year.pk, school_pk=school.pk)


@login_required
@require_http_methods(["GET", "POST"])
def refuse(request, pk):
    candidate = access.title_candidate_of_unit(request.user, pk)
    facts = selectors.check_rows(candidate.year, [candidate])[0]
    form = forms.RefuseForm(request.POST or None,
                            initial={"reason": facts.refusal or candidate.refusal})
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse(by=request.user, candidate=candidate,
                            reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s's declaration is refused; the reason is shown "
                                        "to them.") % {"name": candidate.staff.name})
            return redirect("evaluation:title_unit", year_pk=candidate.year_id,
                            school_pk=candidate.school_id)
    return render(request, "evaluation/title_candidates/refuse.html",
                  {"candidate": candidate, "facts": facts, "form": form})


# ---- one candidate: facts, scores, history --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def candidate_page(request, pk):
    candidate = access.title_candidate_of(request.user, pk)
    year = candidate.year
    own = access.is_own_title_candidacy(request.user, candidate)
    if own and not access.title_schools(request.user, year).filter(
            pk=candidate.school_id).exists():
        return redirect("evaluation:title_declare", year_pk=year.pk)
    table = title_selectors.current_table(year)
    items = title_selectors.items_of(table)
    acts = (access.is_title_unit(request.user, candidate.school_id)
            and rules.title_score_refusal(year_open=year.is_open, state=candidate.state) is None)
    score_rows = selectors.candidate_items(candidate, table)
    scores = {item.pk: score for item, score in score_rows}
    initial = {"lesson": candidate.lesson_score}
    for item in items:
        if scores.get(item.pk) is not None:
            initial[f"score_{item.pk}"] = scores[item.pk].score
            initial[f"evidence_{item.pk}"] = scores[item.pk].evidence
    form = forms.ScoresForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST":
        if not acts:
            raise PermissionDenied
        if form.is_valid():
            try:
                changed = services.unit_scores_save(by=request.user, candidate=candidate,
                                                    items=form.item_values(),
                                                    lesson=form.cleaned_data["lesson"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, ngettext(
                    "%(name)s's scores are saved: %(n)d value changed.",
                    "%(name)s's scores are saved: %(n)d values changed.", changed)
                    % {"name": candidate.staff.name, "n": changed})
                return redirect("evaluation:title_candidate", pk=candidate.pk)
        messages.error(request, _("Nothing was saved; correct the fields marked."))
    ranking = selectors.ranking_of(year, candidate)
    row = next((r for r in ranking.rows if r.candidate.pk == candidate.pk), None) \
        if ranking else None
    return render(request, "evaluation/title_candidates/candidate.html", {
        "candidate": candidate, "year": year, "facts": selectors.check_rows(year, [candidate])[0],
        "form": form, "acts": acts, "score_rows": score_rows, "row": row,
        "history": history_of(candidate)})


GRID_PER_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def grid(request, year_pk, school_pk):
    """The unit scores many candidates at once: a page of one level's eligible
    candidates, every item and the lesson score."""
    year = access.title_year_visible(request.user, year_pk)
    school = access.title_unit_acting(request.user, year, school_pk)
    level = request.GET.get("level", "")
    level = level if level in TitleLevel.values else TitleLevel.SENIOR
    page = Paginator(selectors.unit_candidates(year, school, state=CandidateState.ELIGIBLE,
                                               level=level), GRID_PER_PAGE).get_page(
        request.GET.get("page"))
    candidates = list(page.object_list)
    items = title_selectors.items_of(title_selectors.current_table(year))
    initial = {}
    for (candidate_id, item_id), score in selectors.score_values(candidates).items():
        initial[f"s_{candidate_id}_{item_id}"] = score
    for c in candidates:
        initial[f"l_{c.pk}"] = c.lesson_score
    form = forms.GridForm(request.POST or None, candidates=candidates, items=items,
                          initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.grid_save(by=request.user, candidates=candidates,
                                             values=form.values())
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, ngettext("The scores are saved: %(n)d value changed.",
                                                   "The scores are saved: %(n)d values changed.",
                                                   changed) % {"n": changed})
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Nothing was saved; correct the cells marked."))
    return render(request, "evaluation/title_candidates/grid.html", {
        "year": year, "school": school, "level": level, "levels": TitleLevel.values,
        "page": page, "form": form, "items": items, "open": year.is_open})


# ---- rankings ---------------------------------------------------------------------------------


def _ranking_context(request, year, rankings):
    unit_ids = {r.quota.school_id for r in rankings
                if access.is_title_unit(request.user, r.quota.school_id)}
    return {"year": year, "rankings": rankings, "acts_for": unit_ids,
            "undecided": scoring.UNDECIDED}


@login_required
@require_GET
def unit_ranking(request, year_pk, school_pk):
    year = access.title_year_visible(request.user, year_pk)
    school = access.title_unit_of(request.user, year, school_pk)
    rankings = title_selectors.rankings(year, school_ids=[school.pk])
    return render(request, "evaluation/title_candidates/ranking.html",
                  {**_ranking_context(request, year, rankings), "school": school})


@login_required
@require_GET
def rankings(request, year_pk):
    """Every ranking the login sees (the county: all units; a township office: its
    townships'; a principal: their own), a page of units at a time."""
    year = access.title_year_visible(request.user, year_pk)
    _sees_units(request.user, year)
    schools = access.title_schools(request.user, year).order_by("name")
    level = request.GET.get("level", "")
    level = level if level in TitleLevel.values else None
    page = Paginator(schools.values_list("pk", flat=True), 20).get_page(request.GET.get("page"))
    found = title_selectors.rankings(year, school_ids=list(page.object_list), level=level)
    shown = [ranking for ranking in found if ranking.rows]
    return render(request, "evaluation/title_candidates/ranking.html", {
        **_ranking_context(request, year, shown), "page": page, "level": level or "",
        "levels": TitleLevel.values, "without": len(found) - len(shown)})


@login_required
@require_GET
def rankings_export(request, year_pk):
    year = access.title_year_visible(request.user, year_pk)
    _sees_units(request.user, year)
    ids = None if access.is_county_office_of(request.user, year.county_id) else list(
        access.title_schools(request.user, year).values_list("pk", flat=True))
    data = selectors.ranking_workbook(year, school_ids=ids)
    return wb.xlsx_response(data, f"{rules.TITLE_RANKING_SHEET}-{year.year}.xlsx",
                            fallback=f"title-ranking-{year.year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def tie(request, pk):
    candidate = access.title_candidate_of_unit(request.user, pk)
    ranking = selectors.ranking_of(candidate.year, candidate)
    row = next((r for r in ranking.rows if r.candidate.pk == candidate.pk), None) \
        if ranking else None
    if row is None:
        raise Http404("Not in a ranking.")
    form = forms.TieForm(request.POST or None, initial={
        "decision": candidate.tie_decision or None, "reason": candidate.tie_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.tie_settle(by=request.user, candidate=candidate,
                                recommend=form.cleaned_data["decision"] == "recommend",
                                reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The committee's settlement of %(name)s is recorded.")
                             % {"name": candidate.staff.name})
            return redirect("evaluation:title_unit_ranking", year_pk=candidate.year_id,
                            school_pk=candidate.school_id)
    tied = [r for r in ranking.rows if r.rank == row.rank]
    return render(request, "evaluation/title_candidates/tie.html", {
        "candidate": candidate, "ranking": ranking, "row": row, "tied": tied, "form": form,
        "seats_left": selectors.seats_left(ranking, candidate),
        "undecided": row.verdict == scoring.UNDECIDED, "history": history_of(candidate)})


# ---- the county office: the scores import -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, year_pk):
    year = access.title_year_of_county(request.user, year_pk)
    too_large = request.method == "POST" and wb.request_too_large(request)
    if too_large:
        form = wb.refuse_upload(forms.ImportForm(), too_large)
    else:
        form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not too_large and form.is_valid():
            try:
                record, result = services.import_upload(
                    by=request.user, year=year, uploaded=form.cleaned_data["workbook"])
            except wb.WorkbookError as exc:
                form.add_error("workbook", str(exc))
            except ValidationError as exc:
                form.add_error("workbook", " ".join(exc.messages))
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
                return redirect("evaluation:title_import_preview", pk=record.pk)
        messages.error(request, _("The file was not uploaded; see the reason below."))
    return render(request, "evaluation/title_candidates/import.html", {
        "year": year, "form": form, "imports": selectors.imports_of(year),
        "columns": list(rules.TITLE_SCORES_COLUMNS.values()),
        "lesson_columns": list(rules.TITLE_LESSON_COLUMNS.values()),
        "levels": TitleLevel.values})


@login_required
@require_GET
def import_template(request, year_pk):
    year = access.title_year_of_county(request.user, year_pk)
    return wb.xlsx_response(services.template_bytes(year), f"职称评分-{year.year}.xlsx",
                            fallback=f"title-scores-{year.year}.xlsx")


@login_required
@require_GET
def import_preview(request, pk):
    record = access.title_score_import_of_county(request.user, pk)
    committed = record.status == TitleScoreImport.Status.COMMITTED
    errors, errors_more = wb.errors_shown({} if committed else record.preview)
    return render(request, "evaluation/title_candidates/import_preview.html", {
        "record": record, "summary": record.summary, "committed": committed,
        "errors": errors, "errors_more": errors_more,
        "may_confirm": record.status == TitleScoreImport.Status.PREVIEWED})


@login_required
@require_POST
def import_confirm(request, pk):
    record = access.title_score_import_of_county(request.user, pk)
    try:
        result = services.import_commit(by=request.user, record=record)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("evaluation:title_import_preview", pk=record.pk)
    if not result.ok:
        messages.error(request, _("The data changed since the preview and the workbook now "
                                  "has errors; nothing was imported."))
        return redirect("evaluation:title_import_preview", pk=record.pk)
    w = result.written
    messages.success(request, _(
        "Title scores imported: %(scores)d item scores written, %(removed)d removed, "
        "%(lessons)d lesson scores, %(created)d new candidacies.")
        % {"scores": w.scores, "removed": w.removed, "lessons": w.lessons,
           "created": w.created})
    return redirect("evaluation:title_rankings", year_pk=record.year_id)


@login_required
@require_GET
def import_errors(request, pk):
    record = access.title_score_import_of_county(request.user, pk)
    if record.status == TitleScoreImport.Status.COMMITTED or not record.errors_file:
        raise Http404
    with record.errors_file.open("rb") as handle:
        data = handle.read()
    stem = PurePath(record.original_name).stem or rules.TITLE_SCORES_SHEET
    return wb.xlsx_response(data, f"{stem}-{rules.ERROR_HEADER}.xlsx",
                            fallback="title-score-errors.xlsx")


urlpatterns: list = [
    path("titles/<int:year_pk>/declare/", declare, name="title_declare"),
    path("titles/candidacy/<int:pk>/withdraw/", withdraw, name="title_withdraw"),
    path("titles/<int:year_pk>/eligibility/", year_settings, name="title_eligibility"),
    path("titles/<int:year_pk>/units/", units, name="title_units"),
    path("titles/<int:year_pk>/units/export/", units_export, name="title_units_export"),
    path("titles/<int:year_pk>/unit/<int:school_pk>/", unit, name="title_unit"),
    path("titles/<int:year_pk>/unit/<int:school_pk>/export/", unit_export,
         name="title_unit_export"),
    path("titles/<int:year_pk>/unit/<int:school_pk>/accept/", accept, name="title_accept"),
    path("titles/<int:year_pk>/unit/<int:school_pk>/grid/", grid, name="title_grid"),
    path("titles/<int:year_pk>/unit/<int:school_pk>/ranking/", unit_ranking,
         name="title_unit_ranking"),
    path("titles/candidate/<int:pk>/", candidate_page, name="title_candidate"),
    path("titles/candidate/<int:pk>/refuse/", refuse, name="title_refuse"),
    path("titles/candidate/<int:pk>/tie/", tie, name="title_tie"),
    path("titles/<int:year_pk>/rankings/", rankings, name="title_rankings"),
    path("titles/<int:year_pk>/rankings/export/", rankings_export, name="title_rankings_export"),
    path("titles/<int:year_pk>/scores/import/", import_upload, name="title_import"),
    path("titles/<int:year_pk>/scores/import/template/", import_template,
         name="title_import_template"),
    path("titles/scores-import/<int:pk>/", import_preview, name="title_import_preview"),
    path("titles/scores-import/<int:pk>/confirm/", import_confirm, name="title_import_confirm"),
    path("titles/scores-import/<int:pk>/errors/", import_errors, name="title_import_errors"),
]
