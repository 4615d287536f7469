"""Phase 7: enrol or explain, a score, an assignment.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.models import UnhiredReason
from staffing.ids import IdField


class StaffForm(forms.Form):
    staff = IdField()


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Test score"), min_value=0, max_value=100)


class PostChoiceForm(forms.Form):
    post = IdField(label=_("Post"))


class ExplainForm(forms.Form):
    staff = IdField()
    reason = forms.CharField(
        label=_("Why no post is needed (retiring, long sick leave, …)"),
        max_length=UnhiredReason._meta.get_field("reason").max_length,
    )
