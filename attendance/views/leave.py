"""Leave's pages (R8): a staff member's own leave (ask, follow, cancel) on a phone, an
approver's queue (several decided at once), the office's authority settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import access, workflow
from attendance.forms import leave as leave_forms
from attendance.models import Approver, LeaveAuthority
from attendance.selectors import leave as leave_selectors
from attendance.services import leave as leave_services
from staffing.refusals import refused


def _mine(request, staff, form, status=200):
    return render(request, "attendance/leave/mine.html", {
        "staff": staff, "form": form,
        "requests": leave_selectors.own_requests(staff, page=request.GET.get("page"),
                                                 today=timezone.localdate()),
    }, status=status)


@login_required
@require_GET
def leave_mine(request):
    """A staff member's leave: the form to ask, their requests with status, the reason
    of a rejection, and cancel."""
    staff = access.require_own_staff(request.user)
    return _mine(request, staff, leave_forms.LeaveAskForm())


@login_required
@require_POST
def leave_ask(request):
    staff = access.require_own_staff(request.user)
    form = leave_forms.LeaveAskForm(request.POST)
    if form.is_valid():
        try:
            leave = leave_services.leave_ask(by=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, ngettext(
                "Your leave of %(n)d working day is asked: it waits for %(who)s.",
                "Your leave of %(n)d working days is asked: it waits for %(who)s.",
                leave.working_days) % {"n": leave.working_days,
                                       "who": Approver(leave.waiting_for).label})
            return redirect(reverse("attendance:leave_mine") + f"#leave-{leave.pk}")
    return _mine(request, staff, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def leave_cancel(request, pk):
    """Cancel one's own request, after a confirmation; approved leave gives its days
    back."""
    leave = access.own_leave_get(request.user, pk)
    refusal = workflow.leave_cancel_refusal(leave, today=timezone.localdate())
    if request.method == "POST":
        try:
            leave_services.leave_cancel(by=request.user, leave=leave)
        except ValidationError as exc:
            refused(request, exc, capitalised=False)
        else:
            messages.success(request, _("Your leave from %(start)s to %(end)s is cancelled.")
                             % {"start": leave.start_date, "end": leave.end_date})
        return redirect("attendance:leave_mine")
    return render(request, "attendance/leave/cancel.html", {"leave": leave, "refusal": refusal})


@login_required
@require_GET
def leave_queue(request):
    """The requests waiting for this principal's or office's decision, each with the
    person's days taken and pending this term; several decided at once."""
    access.require_leave_approver(request.user)
    return render(request, "attendance/leave/queue.html", {
        "rows": leave_selectors.queue(request.user, page=request.GET.get("page")),
    })


@login_required
@require_POST
def leave_decide(request):
    """Approve or reject the ticked requests, each reported: one decided meanwhile by
    someone else, or not this login's to decide, is named and left as it is."""
    access.require_leave_approver(request.user)
    form = leave_forms.LeaveDecideForm(request.POST)
    back = reverse("attendance:leave_queue")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    ids = form.cleaned_data["leave"]
    outcomes = leave_services.leaves_decide(
        by=request.user, ids=ids, leaves=access.leave_many_for_approver(request.user, ids),
        approve=form.approve, reason=form.cleaned_data["reason"])
    done = [o.leave.staff.name for o in outcomes if o.refusal is None]
    if done:
        messages.success(request, (ngettext(
            "%(n)d request approved: %(names)s.", "%(n)d requests approved: %(names)s.",
            len(done)) if form.approve else ngettext(
            "%(n)d request rejected: %(names)s.", "%(n)d requests rejected: %(names)s.",
            len(done))) % {"n": len(done), "names": "、".join(done)})
    for outcome in outcomes:
        if outcome.refusal is not None:
            name = outcome.leave.staff.name if outcome.leave else f"#{outcome.leave_id}"
            messages.warning(request, _("%(name)s: %(reason)s") % {
                "name": name, "reason": outcome.refusal})
    return redirect(back)


def _authority_page(request, township, form, status=200):
    schools = leave_selectors.township_schools(township)
    rows = leave_selectors.authority_rows(township)
    return render(request, "attendance/leave/authority.html", {
        "township": township, "form": form or leave_forms.AuthorityForm(schools=schools),
        "rows": rows, "defaults": not any(row.school_id is None for row in rows),
        "default_rows": leave_selectors.default_rows(),
    }, status=status)


@login_required
@require_GET
def leave_authority(request, township_pk):
    """The office's settings: who approves leave of each length, in the township and at
    a school that has its own."""
    township = access.authority_township_get(request.user, township_pk)
    return _authority_page(request, township, None)


@login_required
@require_POST
def authority_set(request, township_pk):
    township = access.authority_township_get(request.user, township_pk)
    form = leave_forms.AuthorityForm(request.POST,
                                     schools=leave_selectors.township_schools(township))
    if form.is_valid():
        data = form.cleaned_data
        school = (access.township_school_get(township, data["school"]) if data["school"]
                  else None)
        try:
            leave_services.authority_set(by=request.user, township=township, school=school,
                                         up_to_days=data["up_to_days"], steps=data["steps"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The leave approval settings are saved."))
            return redirect("attendance:leave_authority", township.pk)
    return _authority_page(request, township, form, status=400)


@login_required
@require_POST
def authority_remove(request, township_pk):
    township = access.authority_township_get(request.user, township_pk)
    form = leave_forms.AuthorityRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a row to remove."))
        return redirect("attendance:leave_authority", township.pk)
    row: LeaveAuthority = access.authority_get(township, form.cleaned_data["authority"])
    leave_services.authority_remove(by=request.user, authority=row)
    messages.success(request, _("The row is removed."))
    return redirect("attendance:leave_authority", township.pk)


urlpatterns = [
    path("leave/", leave_mine, name="leave_mine"),
    path("leave/ask/", leave_ask, name="leave_ask"),
    path("leave/<str:pk>/cancel/", leave_cancel, name="leave_cancel"),
    path("leave/waiting/", leave_queue, name="leave_queue"),
    path("leave/decide/", leave_decide, name="leave_decide"),
    path("leave/authority/<str:township_pk>/", leave_authority, name="leave_authority"),
    path("leave/authority/<str:township_pk>/set/", authority_set, name="authority_set"),
    path("leave/authority/<str:township_pk>/remove/", authority_remove,
         name="authority_remove"),
]
