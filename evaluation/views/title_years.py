"""Pages of the title part ``title_years`` (R12), under /evaluation/titles/: the county
office's years and each year's dashboard, the scoring table (import with a kept preview,
versions, the page candidates read), quotas with ratios and extra quotas, the five
publics (documents, candidates' materials, what is published, objections), the final
decision; and the public page of a year, which needs no login."""

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
from evaluation.forms import title_years as forms
from evaluation.models import (
    TitleCandidate,
    TitleDocument,
    TitleExtraQuota,
    TitleLevel,
    TitlePublicObjection,
    TitleRatio,
    TitleTableImport,
    YearState,
)
from evaluation.selectors import title_years as selectors
from evaluation.services import title_years as services
from staffing import workbook as wb
from staffing.history import history_of
from staffing.login_throttle import client_address

T = "evaluation/title_years/"


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _xlsx(sheet: str, headers, rows, filename: str, fallback: str):
    return wb.xlsx_response(wb.workbook_bytes([wb.SheetSpec(sheet, headers, rows)]),
                            filename, fallback=fallback)


def _year(request, pk):
    return access.title_year_of_county(request.user, pk)


def _closed(year) -> bool:
    return year.state == YearState.CLOSED


def _history(request, year, obj, title, back):
    return render(request, T + "history.html", {
        "year": year, "title": title, "history": history_of(obj), "back": back})


# ---- the years -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def years(request):
    counties = access.title_counties_list(request.user)
    if not counties.exists():
        raise PermissionDenied
    form = forms.YearForm(request.POST or None, counties=counties,
                          this_year=timezone.localdate().year)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                year = services.year_create(
                    by=request.user, county=data["county"], year=data["year"],
                    quantitative_share=data["quantitative_share"],
                    lesson_share=data["lesson_share"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Title evaluation %(year)d of %(county)s created.")
                                 % {"year": year.year, "county": year.county.name})
                return redirect("evaluation:titles_year", pk=year.pk)
        else:
            messages.error(request, _("The year was not created; see the reasons below."))
    return render(request, T + "years.html", {
        "form": form, "years": [selectors.YearTodo(y, selectors.year_todo(y))
                                for y in selectors.years_of(request.user)]})


@login_required
@require_GET
def years_export(request):
    if not access.title_counties(request.user):
        raise PermissionDenied
    rows = [[y.county.name, y.year, float(y.quantitative_share), float(y.lesson_share),
             y.get_state_display(), y.quota_n, y.open_objections]
            for y in selectors.years_of(request.user)]
    return _xlsx(_("Title years"), [_("County"), _("Year"), _("Quantitative share"),
                                    _("Lesson share"), _("State"), _("Quotas"),
                                    _("Objections waiting")], rows,
                 "职称评审年度.xlsx", "title-years.xlsx")


@login_required
@require_GET
def year_page(request, pk):
    year = _year(request, pk)
    return render(request, T + "year.html", {"year": year, "d": selectors.dashboard(year),
                                              "shares_form": forms.SharesForm(initial={
                                                  "quantitative_share": year.quantitative_share,
                                                  "lesson_share": year.lesson_share})})


@login_required
@require_POST
def year_shares(request, pk):
    year = _year(request, pk)
    form = forms.SharesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("evaluation:titles_year", pk=year.pk)
    try:
        changed = services.year_shares_set(by=request.user, year=year, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Shares saved.") if changed else _("Nothing changed."))
    return redirect("evaluation:titles_year", pk=year.pk)


@login_required
@require_GET
def year_history(request, pk):
    year = _year(request, pk)
    return _history(request, year, year, _("History of the year"),
                    ("evaluation:titles_year", year.pk))


# ---- the table ----------------------------------------------------------------------------


@login_required
@require_GET
def table_page(request, pk):
    """The year's table as candidates read it before they declare (anyone taking part
    in the year); the county office also sees the versions and the imports."""
    year = access.title_year_visible(request.user, pk)
    office = access.is_county_office_of(request.user, year.county_id)
    version = request.GET.get("version")
    table = selectors.table_version(year, version) if version else None
    if version and table is None:
        raise Http404
    table = table or selectors.title_selectors.current_table(year)
    return render(request, T + "table.html", {
        "year": year, "table": table, "groups": selectors.table_groups(table),
        "office": office, "versions": selectors.tables_of(year) if office else [],
        "current": selectors.title_selectors.current_table(year)})


@login_required
@require_GET
def table_export(request, pk):
    year = access.title_year_visible(request.user, pk)
    table = selectors.title_selectors.current_table(year)
    rows = [[i.code, i.group, i.text, i.item_cap, i.group_cap]
            for i in selectors.title_selectors.items_of(table)]
    return _xlsx(rules.TITLE_ITEMS_SHEET, list(rules.TITLE_ITEM_COLUMNS.values()), rows,
                 f"{year.year}评分细则.xlsx", "title-table.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def table_import(request, pk):
    year = _year(request, pk)
    too_large = request.method == "POST" and wb.request_too_large(request)
    if too_large:
        form = wb.refuse_upload(forms.TableUploadForm(), too_large)
    else:
        form = forms.TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not too_large and form.is_valid():
            try:
                record, result = services.table_upload(
                    by=request.user, year=year, uploaded=form.cleaned_data["workbook"])
            except wb.WorkbookError as exc:
                form.add_error("workbook", str(exc))
            except ValidationError as exc:
                form.add_error("workbook", " ".join(exc.messages))
            else:
                if result.ok:
                    messages.success(request, _("“%(name)s” has been checked: %(items)d items, "
                                                "%(quotas)d quota rows. Review it below, then "
                                                "confirm.") % {
                        "name": record.original_name, "items": len(result.plan.items),
                        "quotas": len(result.plan.quotas)})
                elif result.plan.refusal:
                    messages.error(request, result.plan.refusal)
                else:
                    messages.warning(request, ngettext(
                        "“%(name)s” has %(n)d wrong row; nothing will be imported.",
                        "“%(name)s” has %(n)d wrong rows; nothing will be imported.",
                        result.plan.wrong_rows) % {"name": record.original_name,
                                                   "n": result.plan.wrong_rows})
                return redirect("evaluation:titles_table_preview", pk=year.pk,
                                import_pk=record.pk)
        messages.error(request, _("The file was not uploaded; see the reason below."))
    return render(request, T + "table_import.html", {
        "year": year, "form": form, "imports": selectors.imports_of(year),
        "scores": selectors.scores_exist(year),
        "item_columns": list(rules.TITLE_ITEM_COLUMNS.values()),
        "quota_columns": list(rules.TITLE_QUOTA_COLUMNS.values()),
        "levels": TitleLevel.values})


def _import(request, year, import_pk) -> TitleTableImport:
    return access.title_part_of_year(request.user, year, TitleTableImport, import_pk,
                                     related=("uploaded_by", "committed_by"))


@login_required
@require_GET
def table_preview(request, pk, import_pk):
    year = _year(request, pk)
    record = _import(request, year, import_pk)
    committed = record.status == TitleTableImport.Status.COMMITTED
    errors, errors_more = wb.errors_shown({} if committed else record.preview)
    return render(request, T + "table_preview.html", {
        "year": year, "record": record, "summary": record.summary, "committed": committed,
        "errors": errors, "errors_more": errors_more,
        "may_confirm": record.status == TitleTableImport.Status.PREVIEWED})


@login_required
@require_POST
def table_confirm(request, pk, import_pk):
    year = _year(request, pk)
    record = _import(request, year, import_pk)
    try:
        result = services.table_commit(by=request.user, record=record)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("evaluation:titles_table_preview", pk=year.pk, import_pk=record.pk)
    if not result.ok:
        messages.error(request, result.plan.refusal or _(
            "The data changed since the preview and the workbook now has errors; nothing "
            "was imported."))
        return redirect("evaluation:titles_table_preview", pk=year.pk, import_pk=record.pk)
    messages.success(request, _("Scoring table version %(version)d imported: %(items)d items; "
                                "%(quotas)d quotas set.") % {
        "version": result.table.version, "items": len(result.plan.items),
        "quotas": result.quotas_changed})
    return redirect("evaluation:titles_table", pk=year.pk)


@login_required
@require_GET
def table_errors(request, pk, import_pk):
    year = _year(request, pk)
    record = _import(request, year, import_pk)
    if record.status == TitleTableImport.Status.COMMITTED or not record.errors_file:
        raise Http404
    with record.errors_file.open("rb") as handle:
        data = handle.read()
    stem = PurePath(record.original_name).stem or rules.TITLE_ITEMS_SHEET
    return wb.xlsx_response(data, f"{stem}-{rules.TITLE_ERROR_HEADER}.xlsx",
                            fallback="title-table-errors.xlsx")


@login_required
@require_GET
def table_template(request, pk):
    _year(request, pk)
    items = list(rules.TITLE_ITEM_COLUMNS.values())
    quotas = list(rules.TITLE_QUOTA_COLUMNS.values())
    data = wb.workbook_bytes([
        wb.SheetSpec(rules.TITLE_ITEMS_SHEET, items, [],
                     required=frozenset(items[:4])),
        wb.SheetSpec(rules.TITLE_QUOTAS_SHEET, quotas, [], required=frozenset(quotas))])
    return wb.xlsx_response(data, "评分细则模板.xlsx", fallback="title-table-template.xlsx")


# ---- quotas -------------------------------------------------------------------------------


def _ratios_form(year, data=None):
    ratios = dict(TitleRatio.objects.filter(year=year).values_list("level", "ratio"))
    return forms.RatiosForm(data, initial={f"ratio_{i}": ratios.get(level)
                                           for i, level in enumerate(TitleLevel.values)})


@login_required
@require_GET
def quotas(request, pk):
    year = _year(request, pk)
    search = forms.SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    level = search.cleaned_data["level"] if search.is_valid() else ""
    page, lines = selectors.quota_page(year, query=query, level=level,
                                       page=request.GET.get("page", 1))
    return render(request, T + "quotas.html", {
        "year": year, "page": page, "lines": lines, "search": search,
        "totals": selectors.quota_totals(year), "ratios_form": _ratios_form(year),
        "closed": _closed(year)})


@login_required
@require_POST
def quotas_ratios(request, pk):
    year = _year(request, pk)
    form = _ratios_form(year, request.POST)
    if not form.is_valid():
        messages.error(request, _("A ratio is from 0 to 1, with three decimals at most."))
        return redirect("evaluation:titles_quotas", pk=year.pk)
    try:
        n = services.ratios_set(by=request.user, year=year, ratios=form.ratios())
        if "compute" in request.POST and "confirmed" not in request.POST:
            pending = services.quotas_compute(by=request.user, year=year, dry_run=True)
            return render(request, T + "quotas_compute.html", {
                "year": year, "form": form, "pending": pending,
                "quotas": selectors.quotas_of(year).count()})
        if "compute" in request.POST:
            computed = services.quotas_compute(by=request.user, year=year)
            messages.success(request, ngettext(
                "Quotas computed from the ratios: %(n)d quota created or changed.",
                "Quotas computed from the ratios: %(n)d quotas created or changed.",
                computed) % {"n": computed})
        else:
            messages.success(request, _("%(n)d ratios saved.") % {"n": n})
    except ValidationError as exc:
        _error(request, exc)
    return redirect("evaluation:titles_quotas", pk=year.pk)


@login_required
@require_GET
def quotas_export(request, pk):
    year = _year(request, pk)
    lines = selectors.quota_lines(year, selectors.quotas_of(year))
    rows = [[line.quota.school.township.name, line.quota.school.name, line.quota.level,
             line.staff, line.held, line.quota.posts, line.vacant, line.extra,
             line.quota.recommended] for line in lines]
    return _xlsx(rules.TITLE_QUOTAS_SHEET, [
        _("Township"), "单位", "申报级别", _("Staff"), _("Holding the level"), "岗位职数",
        _("Vacant posts"), _("Extra places"), "推荐职数"], rows,
        f"{year.year}岗位职数.xlsx", "title-quotas.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def quota_edit(request, pk, quota_pk):
    year = _year(request, pk)
    quota = access.title_quota_of_county(request.user, year, quota_pk)
    form = forms.QuotaForm(request.POST or None, initial={
        "posts": quota.posts, "recommended": quota.recommended})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.quota_set(by=request.user, quota=quota, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Quota of %(school)s, %(level)s saved.") % {
                "school": quota.school.name, "level": quota.level}
                if changed else _("Nothing changed."))
            return redirect("evaluation:titles_quotas", pk=year.pk)
    return render(request, T + "quota.html", {
        "year": year, "quota": quota, "form": form,
        "line": selectors.quota_lines(year, [quota])[0], "history": history_of(quota),
        "candidates": TitleCandidate.objects.filter(year=year, school=quota.school,
                                                    level=quota.level).count()})


# ---- extra quotas -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def extras(request, pk):
    year = _year(request, pk)
    form = forms.ExtraForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                extra = services.extra_create(by=request.user, year=year, **form.cleaned_data)
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Extra quota %(number)s recorded: allocate its "
                                            "places to the units.")
                                 % {"number": extra.document_number})
                return redirect("evaluation:titles_extra", pk=year.pk, extra_pk=extra.pk)
        else:
            messages.error(request, _("The extra quota was not recorded; see the reasons "
                                      "below."))
    return render(request, T + "extras.html", {
        "year": year, "form": form, "extras": selectors.extras_of(year),
        "closed": _closed(year)})


@login_required
@require_GET
def extras_export(request, pk):
    year = _year(request, pk)
    rows = []
    for extra in selectors.extras_of(year):
        for quota, places in selectors.extra_lines(extra):
            if places:
                rows.append([extra.document_number, extra.date, extra.level, extra.count,
                             quota.school.name, places])
    return _xlsx(_("Extra quotas"), [_("Document number"), _("Date of the document"),
                                     "申报级别", _("Places granted"), "单位", _("Places")],
                 rows, f"{year.year}增拨职数.xlsx", "title-extra-quotas.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def extra_page(request, pk, extra_pk):
    year = _year(request, pk)
    extra = access.title_part_of_year(request.user, year, TitleExtraQuota, extra_pk,
                                      related=("created_by",))
    lines = selectors.extra_lines(extra)
    form = forms.AllocationForm(request.POST or None, lines=lines)
    if request.method == "POST":
        if form.is_valid():
            try:
                n = services.extra_allocate(by=request.user, extra=extra,
                                            counts=form.counts())
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, ngettext(
                    "Allocation saved: %(n)d unit changed.",
                    "Allocation saved: %(n)d units changed.", n) % {"n": n})
                return redirect("evaluation:titles_extra", pk=year.pk, extra_pk=extra.pk)
        else:
            messages.error(request, _("Places are a whole number from 0."))
    return render(request, T + "extra.html", {
        "year": year, "extra": extra, "form": form,
        "allocated": sum(places for _q, places in lines), "history": history_of(extra),
        "allocation_history": [(a.quota.school.name, history_of(a, limit=10))
                               for a in extra.allocations.select_related("quota__school")],
        "closed": _closed(year)})


# ---- documents ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def documents(request, pk, doc_pk=None):
    year = _year(request, pk)
    document = (access.title_part_of_year(request.user, year, TitleDocument, doc_pk)
                if doc_pk else TitleDocument(year=year))
    form = forms.DocumentForm(request.POST or None, instance=document)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.document_save(by=request.user, year=year, document=form.save(
                    commit=False))
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Document “%(title)s” saved.")
                                 % {"title": document.title})
                return redirect("evaluation:titles_documents", pk=year.pk)
        else:
            messages.error(request, _("The document was not saved; see the reasons below."))
    return render(request, T + "documents.html", {
        "year": year, "form": form, "document": document,
        "documents": selectors.documents_of(year), "closed": _closed(year),
        "history": history_of(document) if document.pk else []})


@login_required
@require_GET
def documents_export(request, pk):
    year = _year(request, pk)
    rows = [[d.title, d.number, d.date, _("yes") if d.published else _("no"), d.text]
            for d in selectors.documents_of(year)]
    return _xlsx(_("Policy documents"), [_("Title"), _("Document number"), _("Date"),
                                         _("On the public page"), _("Text")], rows,
                 f"{year.year}职评政策.xlsx", "title-documents.xlsx")


# ---- candidates' published materials --------------------------------------------------


@login_required
@require_GET
def summaries(request, pk):
    year = _year(request, pk)
    search = forms.SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, T + "summaries.html", {
        "year": year, "search": search,
        "page": selectors.summaries_of(year, query=query, page=request.GET.get("page", 1))})


@login_required
@require_GET
def summaries_export(request, pk):
    year = _year(request, pk)
    rows = []
    for candidate in selectors.summaries_of(year, page=1).paginator.object_list:
        summary = getattr(candidate, "public_summary", None)
        rows.append([candidate.school.name, candidate.level, candidate.staff.name,
                     candidate.current_title, summary.text if summary else "",
                     _("yes") if summary and summary.published else _("no")])
    return _xlsx(_("Main materials"), ["单位", "申报级别", "姓名", _("Current title"),
                                       _("Main materials"), _("On the public page")], rows,
                 f"{year.year}主要评审材料.xlsx", "title-materials.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request, pk, candidate_pk):
    year = _year(request, pk)
    candidate = access.title_part_of_year(request.user, year, TitleCandidate, candidate_pk,
                                          related=("staff", "school"))
    summary = getattr(candidate, "public_summary", None)
    initial = ({"text": summary.text, "published": summary.published} if summary else {
        "text": _("%(name)s, %(school)s, declares for %(level)s; current title: %(title)s. "
                  "Main achievements: ") % {
            "name": candidate.staff.name, "school": candidate.school.name,
            "level": candidate.level, "title": candidate.current_title or "—"}})
    form = forms.SummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.summary_save(by=request.user, year=year, candidate=candidate,
                                            **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Materials of %(name)s saved.")
                             % {"name": candidate.staff.name}
                             if changed else _("Nothing changed."))
            return redirect("evaluation:titles_summaries", pk=year.pk)
    return render(request, T + "summary.html", {
        "year": year, "candidate": candidate, "form": form, "closed": _closed(year),
        "history": history_of(summary) if summary else []})


# ---- what is published ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publication(request, pk):
    year = _year(request, pk)
    current = selectors.publication_of(year)
    form = forms.PublicationForm(request.POST or None, initial={
        "quotas": current.quotas, "method": current.method, "results": current.results})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.publication_set(by=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Publication saved.") if changed
                             else _("Nothing changed."))
            return redirect("evaluation:titles_year", pk=year.pk)
    return render(request, T + "publication.html", {
        "year": year, "form": form, "closed": _closed(year),
        "history": history_of(current) if current.pk else []})


# ---- objections -----------------------------------------------------------------------


@login_required
@require_GET
def objections(request, pk):
    year = _year(request, pk)
    return render(request, T + "objections.html", {
        "year": year, "page": selectors.objections_of(year, page=request.GET.get("page", 1))})


@login_required
@require_GET
def objections_export(request, pk):
    year = _year(request, pk)
    rows = [[o.submitted_at.replace(tzinfo=None), o.name, o.contact, o.text, o.answer,
             o.answered_by.get_username() if o.answered_by else "",
             o.answered_at.replace(tzinfo=None) if o.answered_at else None,
             _("yes") if o.published else _("no")]
            for o in selectors.objections_of(year, page=1).paginator.object_list]
    return _xlsx(_("Objections"), [_("Submitted at"), _("Name"), _("Contact"), _("Objection"),
                                   _("Answer"), _("Answered by"), _("Answered at"),
                                   _("On the public page")], rows,
                 f"{year.year}职评异议.xlsx", "title-objections.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def objection_page(request, pk, objection_pk):
    year = _year(request, pk)
    objection = access.title_part_of_year(request.user, year, TitlePublicObjection,
                                          objection_pk, related=("answered_by",))
    form = forms.AnswerForm(request.POST or None, initial={
        "answer": objection.answer, "published": objection.published})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.objection_answer(by=request.user, objection=objection,
                                                **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Answer saved.") if changed else _("Nothing changed."))
            return redirect("evaluation:titles_objections", pk=year.pk)
    return render(request, T + "objection.html", {
        "year": year, "objection": objection, "form": form, "closed": _closed(year),
        "history": history_of(objection)})


# ---- the final decision ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk):
    year = _year(request, pk)
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.year_close(by=request.user, year=year,
                                    document_number=form.cleaned_data["document_number"],
                                    reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The county committee's final decision is "
                                            "recorded: the year %(year)d is closed.")
                                 % {"year": year.year})
                return redirect("evaluation:titles_year", pk=year.pk)
        else:
            messages.error(request, _("The decision was not recorded; see the reasons below."))
    decision = getattr(year, "final_decision", None) if _closed(year) else None
    return render(request, T + "close.html", {
        "year": year, "form": form, "d": selectors.dashboard(year), "decision": decision,
        "history": history_of(decision) if decision else []})


# ---- the public page (no login) ----------------------------------------------------------


def _public(request, year, form, status=200):
    return render(request, T + "public.html", {
        "p": selectors.public_year(year), "year": year, "form": form}, status=status)


@require_GET
def public(request, pk):
    year = access.title_year_public(pk)
    return _public(request, year, forms.ObjectionForm())


@require_POST
def public_objection(request, pk):
    year = access.title_year_public(pk)
    form = forms.ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your objection was not sent; see the reasons below."))
        return _public(request, year, form, status=400)
    if form.cleaned_data["website"]:
        messages.success(request, _("Your objection has reached the county office."))
        return redirect("evaluation:titles_public", pk=year.pk)
    try:
        services.objection_submit(year=year, text=form.cleaned_data["text"],
                                  name=form.cleaned_data["name"],
                                  contact=form.cleaned_data["contact"],
                                  address=client_address(request) or "")
    except ValidationError as exc:
        _error(request, exc)
        return _public(request, year, form, status=429 if not _closed(year) else 400)
    messages.success(request, _("Your objection has reached the county office."))
    return redirect("evaluation:titles_public", pk=year.pk)


# ---- history pages ----------------------------------------------------------------------


@login_required
@require_GET
def extra_history(request, pk, extra_pk):
    year = _year(request, pk)
    extra = access.title_part_of_year(request.user, year, TitleExtraQuota, extra_pk)
    return _history(request, year, extra, _("History of extra quota %(number)s")
                    % {"number": extra.document_number},
                    ("evaluation:titles_extras", year.pk))


P = "titles/<int:pk>/"
urlpatterns = [
    path("titles/", years, name="titles"),
    path("titles/years.xlsx", years_export, name="titles_export"),
    path(P, year_page, name="titles_year"),
    path(P + "shares/", year_shares, name="titles_shares"),
    path(P + "history/", year_history, name="titles_year_history"),
    path(P + "table/", table_page, name="titles_table"),
    path(P + "table.xlsx", table_export, name="titles_table_export"),
    path(P + "table/import/", table_import, name="titles_table_import"),
    path(P + "table/import/template.xlsx", table_template, name="titles_table_template"),
    path(P + "table/import/<int:import_pk>/", table_preview, name="titles_table_preview"),
    path(P + "table/import/<int:import_pk>/confirm/", table_confirm,
         name="titles_table_confirm"),
    path(P + "table/import/<int:import_pk>/errors.xlsx", table_errors,
         name="titles_table_errors"),
    path(P + "quotas/", quotas, name="titles_quotas"),
    path(P + "quotas/ratios/", quotas_ratios, name="titles_quotas_ratios"),
    path(P + "quotas.xlsx", quotas_export, name="titles_quotas_export"),
    path(P + "quotas/<int:quota_pk>/", quota_edit, name="titles_quota"),
    path(P + "extra/", extras, name="titles_extras"),
    path(P + "extra.xlsx", extras_export, name="titles_extras_export"),
    path(P + "extra/<int:extra_pk>/", extra_page, name="titles_extra"),
    path(P + "extra/<int:extra_pk>/history/", extra_history, name="titles_extra_history"),
    path(P + "documents/", documents, name="titles_documents"),
    path(P + "documents.xlsx", documents_export, name="titles_documents_export"),
    path(P + "documents/<int:doc_pk>/", documents, name="titles_document"),
    path(P + "materials/", summaries, name="titles_summaries"),
    path(P + "materials.xlsx", summaries_export, name="titles_summaries_export"),
    path(P + "materials/<int:candidate_pk>/", summary_edit, name="titles_summary"),
    path(P + "publication/", publication, name="titles_publication"),
    path(P + "objections/", objections, name="titles_objections"),
    path(P + "objections.xlsx", objections_export, name="titles_objections_export"),
    path(P + "objections/<int:objection_pk>/", objection_page, name="titles_objection"),
    path(P + "close/", close, name="titles_close"),
    path("titles/public/<int:pk>/", public, name="titles_public"),
    path("titles/public/<int:pk>/objection/", public_objection,
         name="titles_public_objection"),
]
