"""The pages of part-time researchers (兼职教研员, R11): rounds of subject central teaching-
research groups, schools' applications, the office's selection.

- the office: its township's rounds (open one), a round (applications per subject,
  select many at once, unselect, close with a confirmation, export);
- a principal: apply for a subject with a candidate, withdraw;
- anyone of the township: the year's researchers.

Every lookup goes through ``access``; every change through ``services``."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access, rules
from evaluation.forms import researchers as forms
from evaluation.selectors import researchers as selectors
from evaluation.services import researchers as services
from schools.models import School
from staffing import history
from staffing import workbook as wb
from staffing.ids import optional_id

EXPORT_HEADERS = ["学科", "所在学校", "组长（兼职教研员）", "任教学科", "职称"]


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_http_methods(["GET", "POST"])
def township_rounds(request, township_pk):
    township = access.township_of_office(request.user, township_pk)
    form = forms.RoundForm(request.POST or None,
                           schools=School.objects.filter(township=township).order_by("name"),
                           default_hosts=selectors.default_hosts(township))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                research_round = services.round_open(
                    by=request.user, township=township, school_year=data["school_year"],
                    subjects=data["subjects"], hosts=data["hosts"],
                    max_groups_per_school=data["max_groups_per_school"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The round is open: the host schools may "
                                            "apply now."))
                return redirect("evaluation:research_round", pk=research_round.pk)
        else:
            messages.error(request, _("Nothing was saved; correct the fields marked."))
    return render(request, "evaluation/researchers/township.html", {
        "township": township, "form": form, "rounds": selectors.rounds_of(township)})


@login_required
@require_GET
def round_page(request, pk):
    research_round = access.round_office_get(request.user, pk)
    per_school = selectors.groups_per_school(research_round)
    lines = selectors.by_subject(research_round)
    taken = {line.subject: line.selected.pk for line in lines if line.selected}
    rows = [(line, [(a, warning, services.select_refusal(research_round, a, per_school, taken))
                    for a, warning in line.applications]) for line in lines]
    return render(request, "evaluation/researchers/round.html", {
        "round": research_round, "rows": rows,
        "closed_refusal": services.closed_refusal(research_round),
        "hosts": list(research_round.hosts.order_by("name")), "per_school": per_school,
        "history": history.history_of(research_round)})


@login_required
@require_POST
def round_select(request, pk):
    """Select one application per subject at once: the form sends ``subject-N`` = the
    application's id for each subject chosen."""
    research_round = access.round_office_get(request.user, pk)
    ids = [optional_id(v) for k, v in request.POST.items() if k.startswith("subject-") and v]
    try:
        if None in ids:
            raise ValidationError(_("Choose applications of this round."))
        done, refused = services.applications_select(by=request.user,
                                                     research_round=research_round,
                                                     application_ids=ids)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if done:
            messages.success(request, _("Selected: %(lines)s.") % {"lines": "、".join(
                f"{a.subject} {a.school.name}" for a in done)})
        if refused:
            messages.error(request, _("Not selected: %(lines)s.") % {"lines": "；".join(
                f"{a.subject} {a.school.name}（{reason}）" for a, reason in refused)})
    return redirect("evaluation:research_round", pk=research_round.pk)


@login_required
@require_POST
def application_unselect(request, pk, application_pk):
    research_round = access.round_office_get(request.user, pk)
    application = access.application_get(research_round, application_pk)
    try:
        services.application_unselect(by=request.user, application=application)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(subject)s at %(school)s is no longer selected.") % {
            "subject": application.subject, "school": application.school.name})
    return redirect("evaluation:research_round", pk=research_round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request, pk):
    """A confirmation page: closing fixes the year's researchers."""
    research_round = access.round_office_get(request.user, pk)
    refusal = services.closed_refusal(research_round)
    if request.method == "POST":
        try:
            services.round_close(by=request.user, research_round=research_round)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The round is closed: its group leaders are the "
                                        "year's part-time researchers."))
        return redirect("evaluation:research_round", pk=research_round.pk)
    return render(request, "evaluation/researchers/close.html", {
        "round": research_round, "refusal": refusal,
        "leaders": list(selectors.leaders_of(research_round)),
        "unfilled": [s for s in research_round.subjects
                     if s not in {a.subject for a in selectors.leaders_of(research_round)}]})


@login_required
@require_GET
def round_export(request, pk):
    research_round = access.round_office_get(request.user, pk)
    buffer = io.BytesIO()
    wb.write_workbook(buffer, [wb.SheetSpec("兼职教研员", EXPORT_HEADERS,
                                            selectors.export_rows(research_round))])
    return wb.xlsx_response(buffer.getvalue(),
                            f"兼职教研员-{research_round.school_year}.xlsx",
                            fallback=f"researchers-{research_round.school_year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def school_apply(request, pk, school_pk):
    research_round, school = access.round_school_get(request.user, pk, school_pk)
    staff = selectors.school_staff(school)
    form = forms.ApplyForm(request.POST or None, subjects=research_round.subjects, staff=staff)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_submit(
                    by=request.user, research_round=research_round, school=school,
                    subject=data["subject"], candidate=data["candidate"], note=data["note"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("%(school)s applies for %(subject)s with "
                                            "%(name)s.") % {
                    "school": school.name, "subject": application.subject,
                    "name": application.candidate.name})
                warning = rules.subject_mismatch(application.candidate.subject,
                                                 application.subject)
                if warning:
                    messages.warning(request, warning)
        else:
            messages.error(request, _("Nothing was sent; correct the fields marked."))
        return redirect("evaluation:research_apply", pk=research_round.pk, school_pk=school.pk)
    applications = [(a, rules.subject_mismatch(a.candidate.subject, a.subject))
                    for a in selectors.applications_of(research_round, school=school)]
    return render(request, "evaluation/researchers/apply.html", {
        "round": research_round, "school": school, "form": form,
        "applications": applications,
        "refusal": services.apply_refusal(research_round, school,
                                          selectors.host_ids(research_round)),
        "staff": list(staff)})


@login_required
@require_POST
def school_withdraw(request, pk, school_pk, application_pk):
    research_round, school = access.round_school_get(request.user, pk, school_pk)
    application = access.application_get(research_round, application_pk, school=school)
    try:
        services.application_withdraw(by=request.user, application=application)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The application for %(subject)s is withdrawn.") % {
            "subject": application.subject})
    return redirect("evaluation:research_apply", pk=research_round.pk, school_pk=school.pk)


@login_required
@require_GET
def round_leaders(request, pk):
    research_round = access.round_public_get(request.user, pk)
    return render(request, "evaluation/researchers/leaders.html", {
        "round": research_round, "leaders": list(selectors.leaders_of(research_round))})


urlpatterns: list = [
    path("township/<str:township_pk>/researchers/", township_rounds, name="research_rounds"),
    path("researchers/<str:pk>/", round_page, name="research_round"),
    path("researchers/<str:pk>/select/", round_select, name="research_select"),
    path("researchers/<str:pk>/applications/<str:application_pk>/unselect/", application_unselect,
         name="research_unselect"),
    path("researchers/<str:pk>/close/", round_close, name="research_close"),
    path("researchers/<str:pk>/export/", round_export, name="research_export"),
    path("researchers/<str:pk>/school/<str:school_pk>/", school_apply, name="research_apply"),
    path("researchers/<str:pk>/school/<str:school_pk>/withdraw/<str:application_pk>/",
         school_withdraw, name="research_withdraw"),
    path("researchers/<str:pk>/leaders/", round_leaders, name="research_leaders"),
]
