"""The rules of DOMAIN.md as constants and pure checks (R1–R7): each function takes rows
already loaded and returns a refusal (``str | None``) or a figure, and its docstring names
its rule. ``grep -n "R[1-7]" recruitment/rules.py`` reads as the index.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from recruitment import workflow
from recruitment.models import (
    Cycle,
    Phase,
    PhaseState,
    PlanRevision,
    Post,
    PostKind,
)
from schools.models import School, Staff

R3_REASON = gettext_noop("not hired at own unit (R3)")
R4_REASON = gettext_noop("removed after the term assessment (R4)")


# R1: the bounds of a post's numbers, shared by the post form and the 岗位 sheet.
MAX_POST_NUMBER = 9999
MAX_WEEKLY_LESSONS = 60
MAX_SEATS = 200

@dataclass
class PostFields:
    number: int
    kind: str
    grade_class: str = ""
    subject: str = ""
    weekly_lessons: int = 0
    duties: str = ""
    conditions: str = ""
    seats: int = 1


def post_problems(fields: PostFields) -> list[tuple[str, str]]:
    """(field, reason) for each rule a post breaks; shared by the form and the import."""
    problems = []
    if fields.kind not in PostKind.values:
        problems.append(("kind", _("choose a teaching or an auxiliary post")))
    if fields.kind == PostKind.TEACHING:
        if not fields.subject:
            problems.append(("subject", _("a teaching post needs its subject")))
        if not fields.grade_class:
            problems.append(("grade_class", _("a teaching post needs its grade or class")))
    if fields.kind == PostKind.AUXILIARY and not fields.duties:
        problems.append(("duties", _("an auxiliary post needs its duty")))
    if fields.number < 1:
        problems.append(("number", _("post numbers start at 1")))
    if fields.seats < 1:
        problems.append(("seats", _("a post has at least one seat")))
    return problems


@dataclass
class Choice:
    """One ranked application as a form or import gives it."""

    school: School
    teaching_post: Post | None
    auxiliary_posts: list[Post]


def is_support_staff(plan: PlanRevision, choice: Choice) -> bool:
    """R2: no teaching post, or fewer lessons than the threshold: support staff."""
    post = choice.teaching_post
    return post is None or post.weekly_lessons < plan.teaching_load_threshold


def main_post(choice) -> Post:
    """The post a choice competes for: its teaching post, else its first auxiliary post."""
    if choice.teaching_post is not None:
        return choice.teaching_post
    posts = choice.auxiliary_posts
    if hasattr(posts, "all"):  # an Application: its (prefetched) related manager
        posts = posts.all()
    return min(posts, key=lambda p: p.number)


def cross_school_refusal(staff: Staff, post: Post, *, first_step: bool) -> str | None:
    """Another school's staff member goes to the office for unified allocation, except
    at a first-step school (the centres) or a township-wide post."""
    if staff.school_id != post.school_id and not (first_step or post.township_wide):
        return _("%(name)s is another school's staff member: cross-school applicants are "
                 "allocated by the office.") % {"name": staff}
    return None


def full_refusal(post: Post, taken: int) -> str | None:
    """A post never holds more people than its seats."""
    if taken >= post.seats:
        return _("Post %(n)d at %(school)s is full.") % {"n": post.number, "school": post.school}
    return None


VICE_TITLES = ("副校长", "副园长")
TERM_YEARS = 3


def committee_change_refusal(phase: Phase) -> str | None:
    """The committee is formed up to the end of the selection (phase 6)."""
    if phase.state == PhaseState.CLOSED:
        return _("The selection has closed: the committee no longer changes.")
    return None


def first_layer_close_refusal(cycle: Cycle, phase: Phase) -> str | None:
    """As ``selection.first_layer_close`` refuses: phase 6 must be open, once."""
    refusal = workflow.acting_refusal(phase)
    if refusal:
        return refusal
    if cycle.first_layer_closed_at is not None:
        return _("The centres' layer is already closed.")
    return None


def positions_end_refusal(phase: Phase, count: int) -> str | None:
    """R3 at the selection's close: once phase 6 has opened, and only when some cadre
    is not hired at their own unit."""
    if phase.state == PhaseState.NOT_STARTED:
        return workflow.acting_refusal(phase)
    if not count:
        return _("Every cadre is hired at their own unit: no position ends.")
    return None


# Kinds a staff member chooses in an intention (a leadership vacancy is not one: R4).
CHOOSABLE_KINDS = (PostKind.TEACHING, PostKind.AUXILIARY)


def post_fields_of(post: Post) -> PostFields:
    return PostFields(
        number=post.number, kind=post.kind, grade_class=post.grade_class,
        subject=post.subject, weekly_lessons=post.weekly_lessons, duties=post.duties,
        conditions=post.conditions, seats=post.seats)


def township_staff_refusal(cycle: Cycle, staff: Staff) -> str | None:
    """Only the cycle's township's staff take part in it (a representative, a dispatch)."""
    if staff.school.township_id != cycle.township_id:
        return _("%(name)s is not on this township's staff.") % {"name": staff}
    return None


def training_passed(score: int | None, pass_mark: int) -> bool:
    """R7: a trainee passed the test when the score reaches the plan's pass mark."""
    return score is not None and score >= pass_mark


# The plan's settings (R5's share, R2's limit, R7's pass mark, the teaching load), in the
# form's order: a new revision starts from the previous one's, else the model's defaults.
PLAN_SETTINGS = ("teaching_load_threshold", "own_share_num", "own_share_den",
                 "max_applications", "training_pass_mark")


def plan_settings_after(previous: PlanRevision | None) -> dict:
    """A new plan revision's settings before the office's changes: the previous
    revision's values, else each field's default."""
    return {name: getattr(previous, name) if previous is not None
            else PlanRevision._meta.get_field(name).default for name in PLAN_SETTINGS}


def hire_confirm_refusal(*, own_hire: bool, refusal: str | None, decided: bool, staff: Staff,
                         post: Post, first_step: bool, taken: int | None = None) -> str | None:
    """R6: why the confirmation of a committee's decision to hire would be refused, in the
    service's order: one's own hire (the office confirms the principal's), the phase, the
    layer and the cadres first (``refusal``), the committee's decision, cross-school
    staff (统一调配, R5), a full post (``taken``: when the caller counted the seats; the
    service counts them under the post's lock). Who may confirm is ``access``'s."""
    if own_hire:
        return _("Nobody confirms their own hire: the office confirms the principal's.")
    if refusal:
        return refusal
    if not decided:
        return _("The committee has not decided to hire %(name)s.") % {"name": staff}
    return (cross_school_refusal(staff, post, first_step=first_step)
            or (full_refusal(post, taken) if taken is not None else None))


def subject_match(staff: Staff, post: Post | None) -> bool | None:
    """Whether a person's subject (任教学科) is the teaching post's, spaces ignored: None
    when there is nothing to compare (no teaching post, or either subject blank). A
    mismatch is a warning, never a refusal: a school may place someone out of subject."""
    if post is None:
        return None
    mine, theirs = "".join(staff.subject.split()), "".join(post.subject.split())
    if not mine or not theirs:
        return None
    return mine == theirs
