"""Phase 7: enrol or explain, a score, an assignment.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.forms import common as common_forms
from recruitment.models import UnhiredReason
from schools.models import School
from staffing.ids import IdField
from staffing.workbook import XLSX_CONTENT_TYPE


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


class StaffPickForm(forms.Form):
    """Several of the unhired picked on the list (enrol several at once)."""

    staff = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].valid_value = lambda value: True  # shape checked below

    def clean_staff(self):
        values = self.cleaned_data["staff"][:BULK_MAX]
        if not values or not all(v.isdigit() and len(v) < 12 for v in values):
            raise forms.ValidationError(_("Pick one or more people."))
        return list(dict.fromkeys(int(v) for v in values))


# The most rows one bulk POST may ask for (a page of the list is 50).
BULK_MAX = 500


class ScoresUploadForm(forms.Form):
    workbook = forms.FileField(
        label=_("Test scores workbook (.xlsx, sheet 测试成绩)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


def assign_picks(data) -> list[tuple[int, int]]:
    """The (enrolment id, post id) pairs of a bulk assignment: a ``post-<enrolment id>``
    field with a post id for each trainee given a post, blanks ignored."""
    pairs = []
    for key, value in data.items():
        enrolment = key.removeprefix("post-")
        if (key.startswith("post-") and enrolment.isdigit() and value.isdigit()
                and len(enrolment) < 12 and len(value) < 12):
            pairs.append((int(enrolment), int(value)))
    return sorted(pairs)[:BULK_MAX]


class UnhiredFilterForm(common_forms.FilterForm):
    """The unhired and the dispatch lists' filters: a name or the ID's last four, a
    school, a subject, where each one stands (the unhired page), and the posts'
    subject (the dispatch's posts)."""

    q = forms.CharField(label=_("Name or last 4 of the ID"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search"}))
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(),
                                    required=False, empty_label=_("All schools"))
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    status = forms.ChoiceField(label=_("Standing"), required=False, choices=[
        ("", _("Anyone")), ("not_enrolled", _("not enrolled")), ("enrolled", _("enrolled")),
        ("passed", _("passed the test")), ("failed", _("did not pass"))])
    post_subject = forms.ChoiceField(label=_("Posts of subject"), required=False)

    def __init__(self, *args, schools, subjects, post_subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["subject"].choices = [("", _("Any subject")),
                                          *((s, s) for s in subjects)]
        self.fields["post_subject"].choices = [("", _("Any subject")),
                                               *((s, s) for s in post_subjects)]
