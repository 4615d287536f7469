"""Leave's forms (R8): asking, deciding several at once, the office's authority rows."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance import rules
from attendance.models import Approver, LeaveRequest
from staffing.ids import IdField, optional_id

# Requests decided at once, at most (a page holds 50).
BULK_MAX = 200


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LeaveAskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of leave"),
                             choices=LeaveRequest._meta.get_field("kind").choices)
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    end_date = forms.DateField(label=_("Until (included)"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("The leave ends before it starts."))
            elif end - start >= timedelta(days=rules.MAX_LEAVE_SPAN):
                self.add_error("end_date", _("A request covers at most a year: split it."))
        return data


class LeaveDecideForm(forms.Form):
    """Several requests ticked on the queue, approved or rejected (with a reason)."""

    leave = forms.MultipleChoiceField(required=False)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave"].valid_value = lambda value: True  # shape checked below

    def clean_leave(self):
        ids = [optional_id(v) for v in self.cleaned_data["leave"][:BULK_MAX]]
        if not ids or None in ids:
            raise forms.ValidationError(_("Tick one or more requests."))
        return list(dict.fromkeys(ids))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the leave is rejected."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


_STEP_CHOICES = [("", "—"), *Approver.choices]


class AuthorityForm(forms.Form):
    """One row of the office's settings: at a school (or the whole township), leave up
    to so many working days (or longer than every other row), approved by these steps."""

    school = IdField(label=_("School (empty: the whole township)"), required=False,
                     widget=forms.Select)
    up_to_days = forms.IntegerField(label=_("Up to this many working days (empty: longer)"),
                                    required=False, min_value=1, max_value=rules.MAX_LEAVE_SPAN)
    step_1 = forms.ChoiceField(label=_("First approver"), choices=Approver.choices)
    step_2 = forms.ChoiceField(label=_("Then"), choices=_STEP_CHOICES, required=False)
    step_3 = forms.ChoiceField(label=_("Then"), choices=_STEP_CHOICES, required=False)

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].widget.choices = [
            ("", _("The whole township")), *[(s.pk, s.name) for s in schools]]

    def clean(self):
        data = super().clean()
        steps = [data.get(f"step_{n}") for n in (1, 2, 3)]
        steps = [step for step in steps if step]
        if rules.steps_refusal(steps) == "repeated":
            self.add_error("step_2", _("An approver appears twice."))
        data["steps"] = steps
        return data


class AuthorityRemoveForm(forms.Form):
    authority = IdField()
