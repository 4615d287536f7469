"""Phase 8's pages (签订聘约): the office's overview and template, a school's contracts
with the bulk records of copies signed and filed, one contract with its edit form, the
teacher's own contract, the PDFs and the workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import access, rules, workflow
from attendance.forms import contracts as contract_forms
from attendance.models import CopyKind
from attendance.selectors import contracts as contract_selectors
from attendance.services import contracts as contract_services
from recruitment import access as recruitment_access
from schools import access as school_access
from staffing import pdf
from staffing import workbook as wb
from staffing.history import history_of
from staffing.ids import optional_id, parse_id
from staffing.refusals import refused


def _cycle(request, pk):
    cycle = recruitment_access.cycle_get(request.user, pk)
    return cycle, access.is_contracts_office(request.user, cycle)


@login_required
@require_GET
def contracts_home(request, pk):
    """The office's overview per school: drawn up, signed, filed, past the deadline, and
    the contracts past it. A principal goes to their school's list, a teacher to their
    own contract."""
    cycle, office = _cycle(request, pk)
    if not office:
        led = sorted(access.principal_school_ids(request.user, cycle))
        if led:
            return redirect("attendance:contracts_school", cycle.pk, led[0])
        if school_access.scope_of(request.user).is_teacher:
            return redirect("attendance:contract_mine", cycle.pk)
        raise PermissionDenied
    today = timezone.localdate()
    return render(request, "attendance/contracts/overview.html", {
        "cycle": cycle,
        "overview": contract_selectors.overview(cycle, today),
        "draw_refusal": contract_selectors.draw_refusal(cycle),
        "today": today,
        "term": contract_selectors.term_of(cycle),
    })


@login_required
@require_http_methods(["GET", "POST"])
def template_page(request, pk):
    """The township's contract template, edited by the office, with its history."""
    cycle, office = _cycle(request, pk)
    if not office:
        raise PermissionDenied
    template = contract_selectors.template_of(cycle.township)
    form = contract_forms.ClausesForm(request.POST or None, initial={
        "title": template.title, "clauses": template.clauses})
    if request.method == "POST" and form.is_valid():
        try:
            contract_services.template_save(by=request.user, township=cycle.township,
                                            title=form.cleaned_data["title"],
                                            clauses=form.cleaned_data["clauses"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The contract template is saved. Contracts drawn up "
                                        "from now on use it."))
            return redirect("attendance:contracts_template", cycle.pk)
    return render(request, "attendance/contracts/template.html", {
        "cycle": cycle, "form": form, "template": template,
        "placeholders": rules.PLACEHOLDERS,
        "history": history_of(template) if template.pk else [],
    })


@login_required
@require_POST
def draw_up(request, pk):
    """Draw up the contracts not yet drawn up: the office for all schools (or one), a
    principal for their school."""
    cycle, office = _cycle(request, pk)
    school_pk = request.POST.get("school", "")
    schools = None
    if school_pk:
        schools = [access.require_contracts_school(request.user, cycle, parse_id(school_pk),
                                                   office=office)]
    elif not office:
        led = sorted(access.principal_school_ids(request.user, cycle))
        if not led:
            raise PermissionDenied
        schools = [access.require_contracts_school(request.user, cycle, led[0],
                                                   office=False)]
    try:
        made = contract_services.contracts_draw_up(by=request.user, cycle=cycle,
                                                   schools=schools)
    except ValidationError as exc:
        refused(request, exc, capitalised=False)
    else:
        if made:
            messages.success(request, ngettext("%(n)d contract drawn up.",
                                               "%(n)d contracts drawn up.", made) % {"n": made})
        else:
            messages.info(request, _("Every hire already has its contract."))
    if schools is not None and not (office and request.POST.get("back") == "overview"):
        return redirect("attendance:contracts_school", cycle.pk, schools[0].pk)
    return redirect("attendance:contracts", cycle.pk)


@login_required
@require_GET
def school_page(request, pk, school_pk):
    """A school's contracts: search, tick many, record copies signed or filed."""
    cycle, office = _cycle(request, pk)
    school = access.require_contracts_school(request.user, cycle, school_pk, office=office)
    search = contract_forms.SearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    page = contract_selectors.school_page(cycle, school, search=q, page=request.GET.get("page"))
    rows = [(contract, contract_selectors.copies_in_order(contract)) for contract in page]
    return render(request, "attendance/contracts/school.html", {
        "cycle": cycle, "school": school, "office": office, "page": page, "rows": rows,
        "search": search, "mark_form": contract_forms.MarkForm(),
        "draw_refusal": contract_selectors.draw_refusal(cycle),
        "today": timezone.localdate(), "copy_kinds": CopyKind.choices,
    })


@login_required
@require_POST
def school_mark(request, pk, school_pk):
    """The ticked contracts' chosen copies recorded as signed or filed, at once."""
    cycle, office = _cycle(request, pk)
    school = access.require_contracts_school(request.user, cycle, school_pk, office=office)
    form = contract_forms.MarkForm(request.POST)
    back = reverse("attendance:contracts_school", args=[cycle.pk, school.pk])
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"?page={page}"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    contracts = access.school_contracts_many(cycle, school, form.cleaned_data["contract"])
    try:
        marked = contract_services.copies_mark(
            by=request.user, contracts=contracts, kinds=form.cleaned_data["kinds"],
            action=form.cleaned_data["action"], office=office)
    except ValidationError as exc:
        refused(request, exc, capitalised=False)
        return redirect(back)
    if form.cleaned_data["action"] == contract_services.SIGN:
        text = ngettext("%(n)d copy recorded as signed.", "%(n)d copies recorded as signed.",
                        marked.done)
    else:
        text = ngettext("%(n)d copy recorded as filed.", "%(n)d copies recorded as filed.",
                        marked.done)
    (messages.success if marked.done else messages.warning)(request, text % {"n": marked.done})
    if marked.skipped:
        messages.warning(request, ngettext(
            "%(n)d copy left as it was: %(reasons)s", "%(n)d copies left as they were: "
            "%(reasons)s", marked.skipped) % {"n": marked.skipped,
                                               "reasons": " ".join(marked.reasons)})
    return redirect(back)


@login_required
@require_GET
def school_pdf(request, pk, school_pk):
    """All the school's contracts in one PDF, three copies each."""
    cycle, office = _cycle(request, pk)
    school = access.require_contracts_school(request.user, cycle, school_pk, office=office)
    contracts = list(contract_selectors.school_contracts(cycle, school))
    if not contracts:
        messages.warning(request, _("This school has no contracts drawn up yet."))
        return redirect("attendance:contracts_school", cycle.pk, school.pk)
    return pdf.pdf_response(contract_selectors.contracts_pdf(contracts),
                            f"聘约-{school.name}-{cycle.school_year}.pdf",
                            fallback=f"contracts-{school.pk}-{cycle.school_year}.pdf")


def _contract_context(request, cycle, contract, office, form=None) -> dict:
    keeper = access.may_keep_contract(request.user, contract, office=office)
    frozen = contract_selectors.is_frozen(contract)
    return {
        "cycle": cycle, "contract": contract, "office": office, "keeper": keeper,
        "copies": contract_selectors.copies_in_order(contract),
        "edit_refusal": workflow.contract_edit_refusal(frozen),
        "form": form or contract_forms.ClausesForm(initial={
            "title": contract.title, "clauses": contract.clauses}),
        "history": history_of(contract) if keeper else [],
        "today": timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def contract_page(request, pk, contract_pk):
    """One contract: its clauses, its copies (who signed and filed each, when), and for
    the school and the office the edit form until the first copy is signed."""
    cycle, office = _cycle(request, pk)
    contract = access.contract_get(request.user, cycle, contract_pk, office=office)
    if request.method == "POST":
        if not access.may_keep_contract(request.user, contract, office=office):
            raise PermissionDenied
        form = contract_forms.ClausesForm(request.POST)
        if form.is_valid():
            try:
                contract_services.contract_edit(by=request.user, contract=contract,
                                                title=form.cleaned_data["title"],
                                                clauses=form.cleaned_data["clauses"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The contract is saved."))
                return redirect("attendance:contract", cycle.pk, contract.pk)
        return render(request, "attendance/contracts/contract.html",
                      _contract_context(request, cycle, contract, office, form), status=400)
    return render(request, "attendance/contracts/contract.html",
                  _contract_context(request, cycle, contract, office))


@login_required
@require_GET
def contract_pdf(request, pk, contract_pk):
    cycle, office = _cycle(request, pk)
    contract = access.contract_get(request.user, cycle, contract_pk, office=office)
    return pdf.pdf_response(contract_selectors.contracts_pdf([contract]),
                            f"聘约-{contract.staff.name}-{cycle.school_year}.pdf",
                            fallback=f"contract-{contract.pk}.pdf")


@login_required
@require_GET
def my_contract(request, pk):
    """A teacher's own contract, and only their own (phone width)."""
    cycle, _office = _cycle(request, pk)
    contract = access.own_contract(request.user, cycle)
    if contract is None and not school_access.scope_of(request.user).is_teacher:
        raise PermissionDenied
    return render(request, "attendance/contracts/mine.html", {
        "cycle": cycle, "contract": contract,
        "copies": contract_selectors.copies_in_order(contract) if contract else [],
    })


@login_required
@require_GET
def contracts_export(request, pk):
    """Every contract of the cycle with each copy's signing and filing (sheet 聘约)."""
    cycle, office = _cycle(request, pk)
    if not office:
        raise PermissionDenied
    school_id = optional_id(request.GET.get("school"))
    contracts = access.contracts_visible(request.user, cycle, office=True)
    if school_id is not None:
        contracts = contracts.filter(school_id=school_id)
    sheet = contract_selectors.contracts_sheet(contracts, timezone.localdate())
    return wb.xlsx_response(wb.workbook_bytes([sheet]),
                            f"聘约-{cycle.township.name}-{cycle.school_year}.xlsx",
                            fallback=f"contracts-{cycle.school_year}.xlsx")


urlpatterns = [
    path("cycle/<int:pk>/contracts/", contracts_home, name="contracts"),
    path("cycle/<int:pk>/contracts/template/", template_page, name="contracts_template"),
    path("cycle/<int:pk>/contracts/draw-up/", draw_up, name="contracts_draw_up"),
    path("cycle/<int:pk>/contracts/xlsx", contracts_export, name="contracts_export"),
    path("cycle/<int:pk>/contracts/mine/", my_contract, name="contract_mine"),
    path("cycle/<int:pk>/contracts/school/<int:school_pk>/", school_page,
         name="contracts_school"),
    path("cycle/<int:pk>/contracts/school/<int:school_pk>/mark/", school_mark,
         name="contracts_mark"),
    path("cycle/<int:pk>/contracts/school/<int:school_pk>/pdf", school_pdf,
         name="contracts_school_pdf"),
    path("cycle/<int:pk>/contracts/<int:contract_pk>/", contract_page, name="contract"),
    path("cycle/<int:pk>/contracts/<int:contract_pk>/pdf", contract_pdf, name="contract_pdf"),
]
