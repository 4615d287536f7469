"""The pages of recommendation lists (honours, title promotion, talent programmes) with a
quota, the award as a threshold (R9).

- the office: its township's lists (create), a list (candidates, figures, publication,
  objections, history, export), nominate any school's staff;
- a principal: the township's lists, their school's candidates, nominate their staff;
- anyone of the township: a published list, and an objection to it.

Every lookup goes through ``access``; every change through ``services``."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import access
from evaluation.forms import recommendations as forms
from evaluation.models import CandidateStatus
from evaluation.selectors import recommendations as selectors
from evaluation.services import recommendations as services
from schools.models import School
from staffing import history, publication
from staffing import workbook as wb
from staffing.ids import optional_id, parse_id
from staffing.models import Objection

EXPORT_HEADERS = ["学校", "姓名", "任教学科", "职称", "结果", "否决原因"]


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _names(people) -> str:
    return "、".join(p.name for p in people)


@login_required
@require_http_methods(["GET", "POST"])
def township_lists(request, township_pk):
    """The office's lists of its township, and a new one."""
    township = access.township_of_office(request.user, township_pk)
    form = forms.ListForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                rec_list = services.list_create(
                    by=request.user, township=township, school_year=data["school_year"],
                    kind=data["kind"], title=data["title"], quota=data["quota"],
                    required=data["required"], window_years=data["window_years"],
                    as_of=data["as_of"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The list “%(title)s” is created: schools may "
                                            "nominate now.") % {"title": rec_list.title})
                return redirect("evaluation:rec_list", pk=rec_list.pk)
        else:
            messages.error(request, _("Nothing was saved; correct the fields marked."))
    return render(request, "evaluation/recommendations/township.html", {
        "township": township, "form": form, "lists": selectors.lists_of(township)})


@login_required
@require_GET
def rec_list(request, pk):
    rec_list = access.rec_list_get(request.user, pk)
    office = access.is_office_of(request.user, rec_list.township_id)
    schools = (list(School.objects.filter(township_id=rec_list.township_id).order_by("name"))
               if office else access.principal_schools_in(request.user, rec_list.township_id))
    status = request.GET.get("status") or None
    if status not in (None, *CandidateStatus.values):
        status = None
    page = selectors.candidates_page(rec_list, school=None if office else schools[0],
                                     status=status, page=request.GET.get("page"))
    pub = selectors.list_publication(rec_list)
    today = timezone.localdate()
    context = {
        "rec_list": rec_list, "office": office, "schools": schools, "page": page,
        "status": status, "statuses": CandidateStatus.choices,
        "figures": selectors.figures_of(rec_list), "pub": pub,
        "window_open": publication.window_open(pub, today),
        "change_refusal": services.change_refusal(rec_list),
    }
    if office:
        standing = publication.standing_count(pub) if pub else 0
        context.update({
            "publish_refusal": publication.publish_refusal(pub),
            "lock_refusal": publication.lock_refusal(pub, today, standing),
            "reopen_refusal": publication.reopen_refusal(pub),
            "objections": list(publication.objections_of(pub)) if pub else [],
            "events": list(publication.events_of(pub)) if pub else [],
            "answer_form": forms.AnswerForm(),
            "changes": selectors.candidate_changes(rec_list),
            "history": history.history_of(rec_list),
        })
    return render(request, "evaluation/recommendations/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk, school_pk):
    """The school's staff, searchable, each with the awards held: tick many, nominate."""
    rec_list = access.rec_list_get(request.user, pk)
    school = access.nominating_school(request.user, rec_list, school_pk)
    office = access.is_office_of(request.user, rec_list.township_id)
    if request.method == "POST":
        ids = [optional_id(v) for v in request.POST.getlist("staff")]
        try:
            if None in ids:
                raise ValidationError(_("Choose staff from the list."))
            result = services.nominate(by=request.user, rec_list=rec_list, school=school,
                                       staff_ids=ids, by_office=office)
        except ValidationError as exc:
            _error(request, exc)
        else:
            if result.recommended:
                messages.success(request, _("Recommended: %(names)s.") % {
                    "names": _names(result.recommended)})
            if result.vetoed:
                messages.warning(request, _("Vetoed: %(lines)s.") % {"lines": "；".join(
                    f"{p.name}（{reason}）" for p, reason in result.vetoed)})
            if result.refused:
                messages.error(request, _("Not added: %(lines)s.") % {"lines": "；".join(
                    f"{p.name}（{reason}）" for p, reason in result.refused)})
        return redirect("evaluation:rec_nominate", pk=rec_list.pk, school_pk=school.pk)
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page, rows = selectors.nominable_page(rec_list, school, query=query,
                                          page=request.GET.get("page"))
    return render(request, "evaluation/recommendations/nominate.html", {
        "rec_list": rec_list, "school": school, "form": form, "query": query,
        "page": page, "rows": rows, "figures": selectors.figures_of(rec_list),
        "change_refusal": services.change_refusal(rec_list)})


@login_required
@require_POST
def candidate_remove(request, pk, candidate_pk):
    rec_list = access.rec_list_get(request.user, pk)
    candidate = access.candidate_get(request.user, rec_list, candidate_pk)
    try:
        services.candidate_remove(by=request.user, candidate=candidate)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s is taken off the list.") % {
            "name": candidate.staff.name})
    return redirect("evaluation:rec_list", pk=rec_list.pk)


@login_required
@require_POST
def list_publish(request, pk):
    rec_list = access.rec_list_office_get(request.user, pk)
    try:
        pub = services.list_publish(by=request.user, rec_list=rec_list)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The list is published to the township's staff: "
                                    "objections until %(day)s.") % {
                                        "day": pub.window_closes.isoformat()})
    return redirect("evaluation:rec_list", pk=rec_list.pk)


def _pub_or_error(rec_list):
    pub = selectors.list_publication(rec_list)
    if pub is None:
        raise ValidationError(_("It has not been published."))
    return pub


@login_required
@require_POST
def list_lock(request, pk):
    rec_list = access.rec_list_office_get(request.user, pk)
    try:
        services.list_lock(by=request.user, pub=_pub_or_error(rec_list))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The list is locked: it stands as published."))
    return redirect("evaluation:rec_list", pk=rec_list.pk)


@login_required
@require_http_methods(["GET", "POST"])
def list_reopen(request, pk):
    rec_list = access.rec_list_office_get(request.user, pk)
    pub = selectors.list_publication(rec_list)
    refusal = publication.reopen_refusal(pub)
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_reopen(by=request.user, pub=_pub_or_error(rec_list),
                                 reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The list is reopened: its candidates may change "
                                        "again."))
        return redirect("evaluation:rec_list", pk=rec_list.pk)
    return render(request, "evaluation/recommendations/reopen.html", {
        "rec_list": rec_list, "form": form, "refusal": refusal})


@login_required
@require_POST
def objection_answer(request, pk, objection_pk):
    rec_list = access.rec_list_office_get(request.user, pk)
    pub = selectors.list_publication(rec_list)
    if pub is None:
        raise Http404("Not published.")
    objection = get_object_or_404(Objection, pk=parse_id(objection_pk), publication=pub)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved; correct the fields marked."))
        return redirect("evaluation:rec_list", pk=rec_list.pk)
    try:
        services.objection_answer(by=request.user, objection=objection,
                                  corrected=form.cleaned_data["corrected"],
                                  answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The objection is answered."))
    return redirect("evaluation:rec_list", pk=rec_list.pk)


@login_required
@require_GET
def list_export(request, pk):
    rec_list = access.rec_list_office_get(request.user, pk)
    buffer = io.BytesIO()
    wb.write_workbook(buffer, [wb.SheetSpec("推荐名单", EXPORT_HEADERS,
                                            selectors.export_rows(rec_list))])
    return wb.xlsx_response(buffer.getvalue(), f"推荐名单-{rec_list.title}.xlsx",
                            fallback=f"recommendations-{rec_list.pk}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def list_public(request, pk):
    """The published list, to anyone of the township; a staff member's objection."""
    rec_list = access.rec_list_public_get(request.user, pk)
    pub = selectors.list_publication(rec_list)
    if pub is None:
        raise Http404("Not published.")
    today = timezone.localdate()
    candidates = list(selectors.candidates_of(rec_list))
    staff = access.own_staff(request.user)
    refusal = publication.objection_refusal(pub, today) or (
        None if staff else _("Only staff members object."))
    form = forms.ObjectionForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
        elif form.is_valid():
            candidate = next(c for c in candidates if c.pk == form.cleaned_data["candidate"])
            try:
                services.list_object(by=request.user, staff=staff, pub=pub,
                                     candidate=candidate, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Your objection is sent to the office."))
                return redirect("evaluation:rec_public", pk=rec_list.pk)
        else:
            messages.error(request, _("Nothing was sent; correct the fields marked."))
            return redirect("evaluation:rec_public", pk=rec_list.pk)
        return redirect("evaluation:rec_public", pk=rec_list.pk)
    return render(request, "evaluation/recommendations/public.html", {
        "rec_list": rec_list, "pub": pub, "candidates": candidates,
        "figures": selectors.figures_of(rec_list), "form": form, "refusal": refusal,
        "window_open": publication.window_open(pub, today)})




urlpatterns: list = [
    path("township/<str:township_pk>/recommendations/", township_lists, name="rec_lists"),
    path("recommendations/<str:pk>/", rec_list, name="rec_list"),
    path("recommendations/<str:pk>/nominate/<str:school_pk>/", nominate, name="rec_nominate"),
    path("recommendations/<str:pk>/candidates/<str:candidate_pk>/remove/", candidate_remove,
         name="rec_remove"),
    path("recommendations/<str:pk>/publish/", list_publish, name="rec_publish"),
    path("recommendations/<str:pk>/lock/", list_lock, name="rec_lock"),
    path("recommendations/<str:pk>/reopen/", list_reopen, name="rec_reopen"),
    path("recommendations/<str:pk>/objections/<str:objection_pk>/answer/", objection_answer,
         name="rec_answer"),
    path("recommendations/<str:pk>/export/", list_export, name="rec_export"),
    path("recommendations/<str:pk>/public/", list_public, name="rec_public"),
]

