"""The plan, the compare form, a review comment and its answer (phases 1–2).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment import rules
from recruitment.forms import common as common_forms
from recruitment.models import PlanRevision

TEXT_MAX_LENGTH = 100_000
COMMENT_MAX_LENGTH = 2_000
SETTING_FIELDS = rules.PLAN_SETTINGS


class PlanForm(forms.Form):
    """The plan's text, what changed, the selection rules' settings, and one row per
    school of the township (posts it may set, recruits township-wide first).

    ``based_on`` is the revision the form was opened on: the service refuses the save
    when another revision was saved since (a double click, or a colleague's edit).
    """

    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput())
    text = forms.CharField(
        label=_("Text of the plan"), max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 24, "class": "plan-text"}),
        help_text=_("Start each section on its own line with a heading numbered "
                    "一、二、三、… (or with #); comments in the collective review are "
                    "made section by section."),
    )
    note = forms.CharField(
        label=_("What changed"), max_length=PlanRevision._meta.get_field("note").max_length,
        required=False,
    )
    teaching_load_threshold = forms.IntegerField(
        label=_("Teaching-load threshold (R2, lessons a week)"), min_value=0, max_value=40,
        help_text=_("Fewer weekly lessons than this do not count as teaching staff."),
    )
    own_share_num = forms.IntegerField(label=_("Own-staff share (R5): numerator"), min_value=1,
                                       max_value=100)
    own_share_den = forms.IntegerField(label=_("Own-staff share (R5): denominator"),
                                       min_value=1, max_value=100)
    max_applications = forms.IntegerField(
        label=_("Schools one intention may rank (R2)"), min_value=1, max_value=20,
    )
    training_pass_mark = forms.IntegerField(label=_("Training test pass mark (R7)"),
                                            min_value=0, max_value=100)

    def __init__(self, *args, rows, **kwargs):
        """``rows``: ``selectors.PlanRow`` for every school of the township."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"posts_{row.school.pk}"] = forms.IntegerField(
                label=_("Posts of %(school)s") % {"school": row.school.name},
                min_value=0, max_value=10_000, initial=row.post_count,
            )
            self.fields[f"first_{row.school.pk}"] = forms.BooleanField(
                label=_("%(school)s recruits township-wide first") % {"school": row.school.name},
                required=False, initial=row.first_step,
            )

    @classmethod
    def initial_from(cls, revision: PlanRevision | None) -> dict:
        """The form's starting values: the latest revision's, or the defaults."""
        if revision is None:
            return {"based_on": 0, **rules.plan_settings_after(None)}
        return {"based_on": revision.number, "text": revision.text,
                **{name: getattr(revision, name) for name in SETTING_FIELDS}}

    def school_rows(self):
        """(school, posts field, first-step field) for the template."""
        return [(row.school, self[f"posts_{row.school.pk}"], self[f"first_{row.school.pk}"])
                for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        num, den = cleaned.get("own_share_num"), cleaned.get("own_share_den")
        if num is not None and den is not None and num > den:
            self.add_error("own_share_num", _("The share cannot be more than the whole."))
        return cleaned

    def settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTING_FIELDS}

    def schools(self) -> list:
        return [(row.school, self.cleaned_data[f"posts_{row.school.pk}"],
                 self.cleaned_data[f"first_{row.school.pk}"]) for row in self.rows]


class CompareForm(forms.Form):
    """Which two revisions to compare (``?a=N&b=M``)."""

    a = forms.IntegerField(min_value=1)
    b = forms.IntegerField(min_value=1)


class ReviewCommentForm(forms.Form):
    """A principal's comment on one section of the draft they read (``revision``).

    An empty comment is left to the service, which refuses it after checking who
    comments, so a forbidden role gets its 403 whatever it posts.
    """

    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput())
    section = forms.IntegerField(min_value=0, widget=forms.HiddenInput())
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX_LENGTH,
                           required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewAnswerForm(forms.Form):
    """The office's answer to a comment: adopted or not, with a reason."""

    ADOPTED, NOT_ADOPTED = "adopted", "not_adopted"

    answer = forms.ChoiceField(
        label=_("Answer"), widget=forms.RadioSelect,
        choices=[(ADOPTED, _("adopted")), (NOT_ADOPTED, _("not adopted"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=common_forms.REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def adopted(self) -> bool:
        return self.cleaned_data["answer"] == self.ADOPTED
