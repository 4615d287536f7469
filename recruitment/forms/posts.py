"""A post, the 岗位 upload, the filters, the intention form (phase 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recruitment import rules
from recruitment.forms import common as common_forms
from recruitment.models import Post, PostKind
from schools.models import School
from staffing.ids import optional_id
from staffing.workbook import XLSX_CONTENT_TYPE

TEXT_MAX_LENGTH = 1_000
MAX_WEEKLY_LESSONS = rules.MAX_WEEKLY_LESSONS
MAX_SEATS = rules.MAX_SEATS
# However many choices were posted, a form reads at most this many (the plan's
# max_applications is the service's rule: more than it allows is refused with a reason).
MAX_SLOTS = 10


class PostForm(forms.Form):
    """One post of a school (R1). The rules a post alone must keep are
    ``selection.post_problems``, shown on their fields; the quota and the numbering are
    checked by ``selection.post_save``."""

    number = forms.IntegerField(label=gettext_lazy("Post number"), min_value=1,
                                max_value=rules.MAX_POST_NUMBER)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), widget=forms.RadioSelect,
        choices=[(PostKind.TEACHING, gettext_lazy("Teaching post (教学岗)")),
                 (PostKind.AUXILIARY, gettext_lazy("Auxiliary post (辅助岗)"))],
    )
    grade_class = forms.CharField(label=gettext_lazy("Grade or class"), required=False,
                                  max_length=50,
                                  help_text=gettext_lazy("Teaching posts, e.g. 三年级二班"))
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=30,
                              help_text=gettext_lazy("Teaching posts, e.g. 语文"))
    weekly_lessons = forms.IntegerField(
        label=gettext_lazy("Lessons a week"), min_value=0, max_value=MAX_WEEKLY_LESSONS,
        initial=0, help_text=gettext_lazy("Teaching posts; an auxiliary post has none."))
    duties = forms.CharField(label=gettext_lazy("Duties"), required=False,
                             max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Required for an auxiliary post: its duty, "
                                                    "e.g. 实验室管理"))
    conditions = forms.CharField(label=gettext_lazy("Conditions"), required=False,
                                 max_length=TEXT_MAX_LENGTH,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=MAX_SEATS,
                               initial=1, help_text=gettext_lazy("How many people the post "
                                                                 "takes; counted in the quota."))

    @classmethod
    def initial_from(cls, fields: rules.PostFields) -> dict:
        return dict(vars(fields))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for name, reason in rules.post_problems(self.fields_value()):
            self.add_error(name if name in self.fields else None, reason)
        return cleaned

    def fields_value(self) -> rules.PostFields:
        data = self.cleaned_data
        return rules.PostFields(
            number=data["number"], kind=data["kind"], grade_class=data["grade_class"].strip(),
            subject=data["subject"].strip(),
            weekly_lessons=data["weekly_lessons"] if data["kind"] == PostKind.TEACHING else 0,
            duties=data["duties"].strip(), conditions=data["conditions"].strip(),
            seats=data["seats"],
        )


class PostsUploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Posts workbook (.xlsx, sheet 岗位)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


class PostFilterForm(common_forms.FilterForm):
    """The posts board's filters: school, kind, subject, and a text."""

    school = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=School.objects.none(),
                                    required=False, empty_label=gettext_lazy("All schools"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("Any kind")), *PostKind.choices])
    subject = forms.ChoiceField(label=gettext_lazy("Subject"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=50,
        widget=forms.TextInput(attrs={
            "type": "search", "placeholder": gettext_lazy("Subject, grade, duty or post number")}),
    )

    def __init__(self, *args, cycle, subjects: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(
            township_id=cycle.township_id).order_by("name")
        self.fields["subject"].choices = [("", _("Any subject")),
                                          *((s, s) for s in subjects)]


class IntentionFilterForm(common_forms.FilterForm):
    """The intentions list's filters: where they applied, teaching or support staff."""

    SUPPORT_CHOICES = [("", gettext_lazy("Teaching and support staff")),
                       ("teaching", gettext_lazy("Teaching staff")),
                       ("support", gettext_lazy("Support staff (教辅人员)"))]

    school = forms.ModelChoiceField(label=gettext_lazy("Applied at"),
                                    queryset=School.objects.none(), required=False,
                                    empty_label=gettext_lazy("Any school"))
    support = forms.ChoiceField(label=gettext_lazy("Staff"), required=False,
                                choices=SUPPORT_CHOICES)
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=50,
        widget=forms.TextInput(attrs={
            "type": "search", "placeholder": gettext_lazy("Name, school or last 4 of ID")}),
    )

    def __init__(self, *args, school_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=school_ids).order_by(
            "name")


@dataclass
class Slot:
    """One ranked choice of the form, as posted (or as submitted last).

    ``shown`` is the school whose posts the page showed under it: the posts chosen
    belong to that school, so a school changed since needs its own posts first (the
    form works without scripts, one school's posts at a time).
    """

    index: int
    school: School | None = None
    shown: School | None = None
    teaching: Post | None = None
    auxiliary: list[Post] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Filled by the page: the published posts of ``school`` to choose from.
    teaching_options: list[Post] = field(default_factory=list)
    auxiliary_options: list[Post] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"choice-{self.index}"

    @property
    def auxiliary_ids(self) -> set[int]:
        return {post.pk for post in self.auxiliary}

    @property
    def posts_shown(self) -> bool:
        return self.school is not None and self.shown == self.school


class IntentionForm:
    """The ranked choices of an intention (R2): for each, a school, then one of its
    teaching posts (or none) and one or more of its auxiliary posts.

    Only the shape is checked here (known schools and posts, each choice's posts those
    of the school shown); the rules — "1+X", published posts, one choice per school, the
    plan's number of schools — are ``selection.intention_submit``'s, whose reasons the
    page shows.
    """

    SAVE, SHOW = "save", "show"

    def __init__(self, data=None, *, cycle, slots: int, schools: list[School],
                 initial: list[Slot] | None = None):
        self.cycle = cycle
        self.schools = schools
        self.data = data
        self.errors: list[str] = []
        self.action = self.SAVE
        if data is None:
            self.slots = list(initial or [])
        else:
            self.action = self.SHOW if data.get("action") == self.SHOW else self.SAVE
            self.slots = self._parse(data)
        count = max(slots, max((slot.index for slot in self.slots), default=0))
        present = {slot.index for slot in self.slots}
        self.slots += [Slot(index) for index in range(1, count + 1) if index not in present]
        self.slots.sort(key=lambda slot: slot.index)

    def _parse(self, data) -> list[Slot]:
        schools = {school.pk: school for school in self.schools}
        raw = {}
        for index in range(1, MAX_SLOTS + 1):
            prefix = f"choice-{index}"
            values = (data.get(f"{prefix}-school", ""), data.get(f"{prefix}-shown", ""),
                      data.get(f"{prefix}-teaching", ""), data.getlist(f"{prefix}-auxiliary"))
            if any(values):
                raw[index] = values
        post_ids = {optional_id(v) for values in raw.values()
                    for v in (values[2], *values[3])} - {None}
        posts = {post.pk: post for post in Post.objects.filter(cycle=self.cycle,
                                                                pk__in=post_ids)}
        slots = []
        for index, (school_id, shown_id, teaching_id, auxiliary_ids) in raw.items():
            slot = Slot(index)
            if school_id:
                slot.school = schools.get(optional_id(school_id))
                if slot.school is None:
                    slot.errors.append(_("Choose a school from the list."))
            slot.shown = schools.get(optional_id(shown_id))
            chosen = [teaching_id, *auxiliary_ids]
            if any(v and optional_id(v) not in posts for v in chosen):
                slot.errors.append(_("Choose posts from the lists."))
            if slot.school is not None and slot.shown == slot.school:
                slot.teaching = posts.get(optional_id(teaching_id))
                slot.auxiliary = [posts[i] for i in map(optional_id, auxiliary_ids) if i in posts]
            slots.append(slot)
        return slots

    def show(self) -> None:
        """The page shows each chosen school's posts (a school changed since drops the
        posts chosen at the one before)."""
        for slot in self.slots:
            slot.shown = slot.school

    def is_valid(self) -> bool:
        """Every choice names a known school, and its posts were chosen among that
        school's (otherwise the page shows them, to choose, with the reason)."""
        self.errors = []
        for slot in self.slots:
            if slot.school is not None and slot.shown != slot.school:
                slot.errors.append(
                    _("The posts of %(school)s are shown below: choose among them and submit "
                      "again.") % {"school": slot.school.name})
                slot.shown = slot.school
        return not any(slot.errors for slot in self.slots)

    def choices(self) -> list[rules.Choice]:
        """The choices in their rank; a choice without a school is left out."""
        return [rules.Choice(slot.school, slot.teaching, list(slot.auxiliary))
                for slot in self.slots if slot.school is not None]

    @property
    def school_ids(self) -> set[int]:
        return {slot.school.pk for slot in self.slots if slot.school is not None}
