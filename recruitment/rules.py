"""The rules of DOMAIN.md as constants and pure checks (R1–R7): each function takes rows
already loaded and returns a refusal (``str | None``) or a figure, and its docstring names
its rule. ``grep -n "R[1-7]" recruitment/rules.py`` reads as the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

# A reason kept as a history record's change reason (a hire withdrawn, a phase reopened):
# simple-history's history_change_reason column holds 100 characters.
HISTORY_REASON_MAX_LENGTH = 100


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
    """R1 (posts first): (field, reason) for each rule a post breaks, by its kind;
    shared by the form and the import."""
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


def hire_is_support_staff(plan: PlanRevision, post: Post) -> bool:
    """R2 for a hire: hired to an auxiliary post (the "X" only), or to a teaching post of
    fewer lessons a week than the plan's threshold, makes one support staff (教辅人员).
    A leadership vacancy (R4) is not an auxiliary post: its holder counts as teaching."""
    if post.kind == PostKind.AUXILIARY:
        return True
    return post.kind == PostKind.TEACHING and post.weekly_lessons < plan.teaching_load_threshold


def main_post(choice) -> Post:
    """R2 ("1+X"): the post a choice competes for: its teaching post, else its first
    auxiliary post."""
    if choice.teaching_post is not None:
        return choice.teaching_post
    posts = choice.auxiliary_posts
    if hasattr(posts, "all"):  # an Application: its (prefetched) related manager
        posts = posts.all()
    return min(posts, key=lambda p: p.number)


def cross_school_refusal(staff: Staff, post: Post, *, first_step: bool) -> str | None:
    """R5/R6: another school's staff member goes to the office for unified allocation, except
    at a first-step school (the centres) or a township-wide post."""
    if staff.school_id != post.school_id and not (first_step or post.township_wide):
        return _("%(name)s is another school's staff member: cross-school applicants are "
                 "allocated by the office.") % {"name": staff}
    return None


def post_published_refusal(post: Post) -> str | None:
    """R1 (posts first): a published post no longer changes (staff may have chosen it)."""
    if post.published_at is not None:
        return _("Post %(n)d is published and can no longer change.") % {"n": post.number}
    return None


def full_refusal(post: Post, taken: int) -> str | None:
    """R1 (posts first): a post never holds more people than its seats."""
    if taken >= post.seats:
        return _("Post %(n)d at %(school)s is full.") % {"n": post.number, "school": post.school}
    return None


VICE_TITLES = ("副校长", "副园长")

# Heads appointed by the county bureau (校长/园长, the party secretary): they sit on their
# school's committee, take no part in its selection, and keep their post and position
# through the cycle; R3 is for vice principals and middle-level cadres, who apply.
APPOINTED_TITLES = frozenset({"校长", "园长", "书记", "党支部书记"})
TERM_YEARS = 3

# Positions a school has one of (its head, its party secretary, the heads of its
# departments): a second holder is refused at the cadre proposal and at its approval.
# Deputies (副校长, 副主任 …) and other titles may be several.
SINGLE_TITLES = frozenset({"校长", "园长", "书记", "党支部书记", "执行校长", "教导主任",
                           "教务主任", "政教主任", "德育主任", "总务主任", "教科室主任",
                           "办公室主任", "保教主任"})


def single_title_refusal(*, school: School, title: str, holder: str | None) -> str | None:
    """A school has at most one of each of ``SINGLE_TITLES``: ``holder`` names who else
    holds or is proposed for ``title`` there this cycle (None: nobody)."""
    if title not in SINGLE_TITLES or holder is None:
        return None
    return _("%(school)s already has a %(title)s: %(name)s. A school has one %(title)s.") % {
        "school": school.name, "title": title, "name": holder}


def vice_term_limit(start: date) -> date:
    """R4 (vice-principal term): a vice principal whose position started on or before this
    day has served the full ``TERM_YEARS`` by ``start`` (the cycle's intentions open) and is
    due for the principal's assessment. 29 February counts back to 28 February."""
    try:
        return start.replace(year=start.year - TERM_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year - TERM_YEARS, day=28)


def vice_assess_refusal(*, principal: bool, assessing_open: bool, due: bool) -> str | None:
    """R4 (vice-principal term): only the school's principal assesses its vice principals,
    while phase 5 or 6 is open, and only those due (``vice_term_limit``). The service
    raises ``PermissionDenied`` for anyone else before it asks: the first text is a page's."""
    if not principal:
        return _("Only the school's principal assesses its vice principals.")
    if not assessing_open:
        return _("Vice principals are assessed while phase 5 or 6 is open.")
    if not due:
        return _("This vice principal is not due for the term assessment.")
    return None


def own_staff_needed(establishment: int, num: int, den: int) -> int:
    """R5 (moderate mobility, 大稳小调): the school's own original staff needed among its
    newly hired, ``num/den`` (the plan's share, 2/3 by default) of its establishment,
    rounded up."""
    return -(-establishment * num // den)


def committee_change_refusal(phase: Phase) -> str | None:
    """The committee is formed up to the end of the selection (phase 6)."""
    if phase.state == PhaseState.CLOSED:
        return _("The selection has closed: the committee no longer changes.")
    return None


def first_layer_close_refusal(cycle: Cycle, phase: Phase) -> str | None:
    """Two-step staffing: the office closes the centres' layer once, while phase 6 is
    open (``selection_services.first_layer_close`` and the overview's button)."""
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
