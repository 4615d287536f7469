"""The pages of target-responsibility letters (目标责任书, R10): the office's overview per
township and school year (draft in bulk, send in bulk after confirming, the refusals, the
workbook and the PDF of all), the township's template, one letter (the office's edits,
withdrawing, redrafting, the year-end outcome, its history), the principal's own letter
with signing or refusing after a confirmation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules
from evaluation.forms import letters as letter_forms
from evaluation.models import Letter, LetterState
from evaluation.selectors import letters as letter_selectors
from evaluation.services import letters as letter_services
from schools import access as school_access
from staffing import pdf
from staffing import workbook as wb
from staffing.history import history_of
from staffing.ids import optional_id, search_text
from staffing.refusals import refused

YEARS = range(2000, 2101)


def _year(year: int) -> int:
    if year not in YEARS:
        raise Http404("Not a school year.")
    return year


def _office_letter(request, letter_pk) -> Letter:
    letter = access.letter_get(request.user, letter_pk)
    if not access.is_office_of(request.user, letter.township_id):
        raise PermissionDenied
    return letter


@login_required
@require_GET
def letters_home(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    return redirect("evaluation:letters", township.pk,
                    letter_selectors.current_school_year(township))


@login_required
@require_GET
def overview_page(request, township_pk, year):
    """Every school with its principal, tier, target, state and outcome; the refusals."""
    township = access.township_of_office(request.user, township_pk)
    year = _year(year)
    q = search_text(request.GET.get("q"))
    return render(request, "evaluation/letters/overview.html", {
        "township": township, "year": year, "q": q,
        "year_words": rules.school_year_words(year),
        "overview": letter_selectors.overview(township, year, search=q,
                                              page=request.GET.get("page")),
        "states": LetterState, "tier_names": rules.TIER_NAMES,
    })


@login_required
@require_POST
def draft(request, township_pk, year):
    township = access.township_of_office(request.user, township_pk)
    year = _year(year)
    drafted = letter_services.letters_draft(by=request.user, township=township,
                                            school_year=year)
    if drafted.made:
        messages.success(request, ngettext("%(n)d letter drafted.", "%(n)d letters drafted.",
                                           drafted.made) % {"n": drafted.made})
    else:
        messages.info(request, _("Every school with a principal already has its letter."))
    if drafted.manual:
        messages.warning(request, ngettext(
            "%(n)d school has no exam results: enter its target on its letter.",
            "%(n)d schools have no exam results: enter their targets on their letters.",
            drafted.manual) % {"n": drafted.manual})
    if drafted.without_principal:
        messages.warning(request, _("No principal in office, no letter: %(schools)s.") % {
            "schools": "、".join(drafted.without_principal)})
    return redirect("evaluation:letters", township.pk, year)


def _ticked(request, township, year):
    letters = Letter.objects.filter(township=township, school_year=year,
                                    state=LetterState.DRAFTED).select_related("school",
                                                                               "principal")
    ids = [pk for pk in (optional_id(v) for v in request.GET.getlist("letter")
                         + request.POST.getlist("letter")) if pk is not None]
    return letters.filter(pk__in=ids) if ids else letters


@login_required
@require_http_methods(["GET", "POST"])
def send(request, township_pk, year):
    """Sending the drafts (the ticked ones, or all) to their principals, after a page that
    says what follows: the text is frozen and each principal signs or refuses."""
    township = access.township_of_office(request.user, township_pk)
    year = _year(year)
    letters = list(_ticked(request, township, year).order_by("school__name", "pk"))
    if request.method == "POST":
        if not letters:
            messages.warning(request, _("There is no draft letter to send."))
            return redirect("evaluation:letters", township.pk, year)
        sent = letter_services.letters_send(by=request.user, letters=letters)
        (messages.success if sent.done else messages.warning)(request, ngettext(
            "%(n)d letter sent to its principal.", "%(n)d letters sent to their principals.",
            sent.done) % {"n": sent.done})
        if sent.skipped:
            messages.warning(request, ngettext(
                "%(n)d letter left as it was: %(reasons)s",
                "%(n)d letters left as they were: %(reasons)s", sent.skipped) % {
                "n": sent.skipped, "reasons": " ".join(sent.reasons)})
        return redirect("evaluation:letters", township.pk, year)
    return render(request, "evaluation/letters/send.html", {
        "township": township, "year": year, "year_words": rules.school_year_words(year),
        "ready": [letter for letter in letters if letter.target.strip()],
        "no_target": [letter for letter in letters if not letter.target.strip()],
    })


@login_required
@require_GET
def export(request, township_pk, year):
    township = access.township_of_office(request.user, township_pk)
    year = _year(year)
    sheet = letter_selectors.letters_sheet(township, year)
    return wb.xlsx_response(wb.workbook_bytes([sheet]),
                            f"目标责任书-{township.name}-{year}.xlsx",
                            fallback=f"letters-{year}.xlsx")


@login_required
@require_GET
def township_pdf(request, township_pk, year):
    """All the township's letters of the year in one PDF."""
    township = access.township_of_office(request.user, township_pk)
    year = _year(year)
    letters = list(letter_selectors.letters_of(township.pk, year).order_by("school__name"))
    if not letters:
        messages.warning(request, _("No letters drafted yet."))
        return redirect("evaluation:letters", township.pk, year)
    return pdf.pdf_response(letter_selectors.letters_pdf(letters),
                            f"目标责任书-{township.name}-{year}.pdf",
                            fallback=f"letters-{year}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def template_page(request, township_pk):
    """The township's letter and tier thresholds, edited by the office, with its history."""
    township = access.township_of_office(request.user, township_pk)
    template = letter_selectors.template_of(township)
    initial = {name: getattr(template, name) for name in rules.TEXT_FIELDS}
    initial.update(tier_margin=template.tier_margin,
                   gap_share_percent=template.gap_share_percent)
    form = letter_forms.TemplateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter_services.template_save(
                    by=request.user, township=township, text=form.text(),
                    tier_margin=form.cleaned_data["tier_margin"],
                    gap_share_percent=form.cleaned_data["gap_share_percent"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The letter template is saved. Letters drafted "
                                            "from now on use it."))
                return redirect("evaluation:letters_template", township.pk)
        status = 400
    return render(request, "evaluation/letters/template.html", {
        "township": township, "form": form, "template": template,
        "placeholders": rules.LETTER_PLACEHOLDERS,
        "year": letter_selectors.current_school_year(township),
        "history": history_of(template) if template.pk else [],
    }, status=status)


def _letter_context(request, letter, form=None, outcome_form=None) -> dict:
    office = access.is_office_of(request.user, letter.township_id)
    outcome = letter_selectors.outcome_of(letter)
    context = {
        "letter": letter, "office": office,
        "sections": letter_selectors.sections_of(letter),
        "vetoes": letter_selectors.vetoes_of(letter),
        "outcome": outcome, "consequences": letter_selectors.consequences_of(outcome),
        "answer_refusal": letter_services.answer_refusal(request.user, letter),
        "own": access.is_letter_principal(request.user, letter),
        "tier_names": rules.TIER_NAMES, "year_words": rules.school_year_words(
            letter.school_year),
        "history": history_of(letter),
        "outcome_history": history_of(outcome) if outcome else [],
    }
    if office:
        initial = {name: getattr(letter, name) for name in rules.TEXT_FIELDS}
        initial["target"] = letter.target
        vetoed = {veto.clause: veto.reason for veto in outcome.vetoes.all()} if outcome else {}
        outcome_initial = {"result": outcome.result, "note": outcome.note} if outcome else {}
        for n, reason in vetoed.items():
            outcome_initial.update({f"veto_{n}": True, f"reason_{n}": reason})
        context.update(
            form=form or letter_forms.LetterForm(initial=initial),
            outcome_form=outcome_form or letter_forms.OutcomeForm(initial=outcome_initial),
            edit_refusal=rules.letter_edit_refusal(letter.state),
            redraft_refusal=rules.letter_redraft_refusal(letter.state, successor=True),
            withdraw_refusal=rules.letter_withdraw_refusal(letter.state),
            outcome_refusal=rules.letter_outcome_refusal(letter.state),
        )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def letter_page(request, letter_pk):
    """One letter: its text, state, answer, outcome and history; for the office, the edit
    form while it is a draft."""
    letter = access.letter_get(request.user, letter_pk)
    if request.method == "POST":
        letter = _office_letter(request, letter_pk)
        form = letter_forms.LetterForm(request.POST)
        if form.is_valid():
            try:
                letter_services.letter_edit(by=request.user, letter=letter, text=form.text(),
                                            target=form.cleaned_data["target"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The letter is saved."))
                return redirect("evaluation:letter", letter.pk)
        return render(request, "evaluation/letters/letter.html",
                      _letter_context(request, letter, form=form), status=400)
    return render(request, "evaluation/letters/letter.html", _letter_context(request, letter))


def _office_action(request, letter_pk, service, done: str):
    letter = _office_letter(request, letter_pk)
    try:
        service(by=request.user, letter=letter)
    except ValidationError as exc:
        refused(request, exc, capitalised=False)
    else:
        messages.success(request, done)
    return redirect("evaluation:letter", letter.pk)


@login_required
@require_POST
def withdraw(request, letter_pk):
    return _office_action(request, letter_pk, letter_services.letter_withdraw,
                          _("The letter is withdrawn: it is a draft again."))


@login_required
@require_POST
def redraft(request, letter_pk):
    return _office_action(request, letter_pk, letter_services.letter_redraft,
                          _("The letter is drafted again from the template and the latest "
                            "results."))


@login_required
@require_POST
def outcome(request, letter_pk):
    letter = _office_letter(request, letter_pk)
    form = letter_forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            letter_services.outcome_record(by=request.user, letter=letter,
                                           result=form.cleaned_data["result"],
                                           vetoes=form.vetoes(), note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The year-end outcome is recorded."))
            return redirect("evaluation:letter", letter.pk)
    return render(request, "evaluation/letters/letter.html",
                  _letter_context(request, letter, outcome_form=form), status=400)


def _own_letter(request, letter_pk) -> Letter:
    letter = access.letter_get(request.user, letter_pk)
    if not access.is_letter_principal(request.user, letter):
        raise PermissionDenied
    return letter


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, letter_pk):
    """The principal signs after a page that says what signing means."""
    letter = _own_letter(request, letter_pk)
    if request.method == "POST":
        try:
            letter_services.letter_sign(by=request.user, letter=letter)
        except ValidationError as exc:
            refused(request, exc, capitalised=False)
        else:
            messages.success(request, _("You signed the letter."))
        return redirect("evaluation:letter", letter.pk)
    return render(request, "evaluation/letters/sign.html", {
        "letter": letter, "refusal": letter_services.answer_refusal(request.user, letter),
        "year_words": rules.school_year_words(letter.school_year)})


@login_required
@require_http_methods(["GET", "POST"])
def refuse(request, letter_pk):
    """The principal refuses, after a page that says plainly it counts as resigning."""
    letter = _own_letter(request, letter_pk)
    form = letter_forms.RefuseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter_services.letter_refuse(by=request.user, letter=letter,
                                              reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                refused(request, exc, capitalised=False)
                return redirect("evaluation:letter", letter.pk)
            messages.warning(request, _("You refused to sign the letter. This is recorded as "
                                        "your resignation and reported to the office."))
            return redirect("evaluation:letter", letter.pk)
        status = 400
    return render(request, "evaluation/letters/refuse.html", {
        "letter": letter, "form": form,
        "refusal": letter_services.answer_refusal(request.user, letter),
        "year_words": rules.school_year_words(letter.school_year)}, status=status)


@login_required
@require_GET
def letter_pdf(request, letter_pk):
    letter = access.letter_get(request.user, letter_pk)
    return pdf.pdf_response(letter_selectors.letters_pdf([letter]),
                            f"目标责任书-{letter.school.name}-{letter.school_year}.pdf",
                            fallback=f"letter-{letter.pk}.pdf")


@login_required
@require_GET
def mine(request):
    """The principal's own letters, the latest first (phone width)."""
    letters = list(letter_selectors.own_letters(request.user)[:20])
    if not letters and not school_access.scope_of(request.user).is_principal:
        raise PermissionDenied
    return render(request, "evaluation/letters/mine.html", {
        "letters": letters, "tier_names": rules.TIER_NAMES})


urlpatterns = [
    path("letters/mine/", mine, name="letters_mine"),
    path("letters/<int:letter_pk>/", letter_page, name="letter"),
    path("letters/<int:letter_pk>/pdf", letter_pdf, name="letter_pdf"),
    path("letters/<int:letter_pk>/withdraw/", withdraw, name="letter_withdraw"),
    path("letters/<int:letter_pk>/redraft/", redraft, name="letter_redraft"),
    path("letters/<int:letter_pk>/outcome/", outcome, name="letter_outcome"),
    path("letters/<int:letter_pk>/sign/", sign, name="letter_sign"),
    path("letters/<int:letter_pk>/refuse/", refuse, name="letter_refuse"),
    path("township/<int:township_pk>/letters/", letters_home, name="letters_home"),
    path("township/<int:township_pk>/letters/template/", template_page,
         name="letters_template"),
    path("township/<int:township_pk>/letters/<int:year>/", overview_page, name="letters"),
    path("township/<int:township_pk>/letters/<int:year>/draft/", draft, name="letters_draft"),
    path("township/<int:township_pk>/letters/<int:year>/send/", send, name="letters_send"),
    path("township/<int:township_pk>/letters/<int:year>/xlsx", export, name="letters_export"),
    path("township/<int:township_pk>/letters/<int:year>/pdf", township_pdf,
         name="letters_pdf"),
]
