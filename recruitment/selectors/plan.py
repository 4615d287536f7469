"""The adopted plan, its revisions and settings, a revision's diff, the review board, and
the check of revising the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Count
from django.utils.translation import gettext as _

from recruitment import access, workflow
from recruitment.models import (
    Cycle,
    PlanRevision,
    ReviewComment,
)
from recruitment.sections import DiffLine, compare, plan_sections
from recruitment.selectors import common as common_selectors
from schools.models import School
from staffing.history import display_name


def plan_revise_check(cycle: Cycle) -> str | None:
    """May the office save a revision of the plan now? (For pages: the reason not.)"""
    return workflow.revise_refusal(common_selectors.phases_by_number(cycle), cycle)


def adopted_plan(cycle: Cycle) -> PlanRevision:
    refusal = workflow.not_adopted_refusal(cycle)
    if refusal:
        raise ValidationError(refusal)
    return cycle.adopted_revision


def latest_revision(cycle: Cycle) -> PlanRevision | None:
    return cycle.revisions.order_by("-number").first()


REVISIONS_PER_PAGE = 50


def latest_revision_with_schools(cycle: Cycle) -> PlanRevision | None:
    return access.revisions_with_schools(cycle.revisions.all()).order_by("-number").first()


def plan_shown(cycle: Cycle) -> PlanRevision | None:
    """The plan as it stands: the adopted revision once the congress adopted one, else
    the latest draft."""
    revisions = access.revisions_with_schools(cycle.revisions.all())
    if cycle.adopted_revision_id is not None:
        return revisions.get(pk=cycle.adopted_revision_id)
    return revisions.order_by("-number").first()


def revisions_page(cycle: Cycle, *, page=None) -> Page:
    """Every saved revision, newest first, with who saved it and its comment count."""
    revisions = (
        cycle.revisions.select_related("created_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-number")
    )
    return common_selectors.page_of(revisions, page, REVISIONS_PER_PAGE)


@dataclass(frozen=True)
class Setting:
    """One of a revision's selection-rule settings, as a page shows it."""

    label: str
    value: str


def plan_settings(revision: PlanRevision) -> list[Setting]:
    """The settings in plain words, without rule codes: every staff member reads the
    plan (R2, R5, R2 again and R7, in this order)."""
    return [
        Setting(_("Teaching-load threshold: fewer lessons a week do not count as teaching "
                  "staff"), str(revision.teaching_load_threshold)),
        Setting(_("Own-staff share of the establishment: at least"),
                f"{revision.own_share_num}/{revision.own_share_den}"),
        Setting(_("Schools one intention may rank"), str(revision.max_applications)),
        Setting(_("Training test pass mark"), str(revision.training_pass_mark)),
    ]


@dataclass(frozen=True)
class PlanRow:
    """One school's line of the plan form: its posts and whether it recruits first."""

    school: School
    post_count: int
    first_step: bool


def plan_rows(cycle: Cycle, revision: PlanRevision | None) -> list[PlanRow]:
    """Every school of the township with its values in ``revision`` (its schools
    prefetched); a school the revision does not name yet starts from its own
    post-setting count, and the centres recruit first (two-step staffing)."""
    named = {row.school_id: row for row in revision.schools.all()} if revision else {}
    schools = sorted(School.objects.filter(township_id=cycle.township_id),
                     key=lambda s: (not s.is_centre, s.name))
    rows = []
    for school in schools:
        row = named.get(school.pk)
        if row is None:
            rows.append(PlanRow(school, school.post_count, school.is_centre))
        else:
            rows.append(PlanRow(school, row.post_count, row.first_step))
    return rows


def revision_matches(revision: PlanRevision, *, text: str, note: str, settings: dict,
                     schools: list[tuple[School, int, bool]]) -> bool:
    """Does ``revision`` (its schools prefetched) hold exactly these values? Tells a
    second click of the same form from a colleague's edit."""
    if revision.text != text.strip() or revision.note != note:
        return False
    if any(getattr(revision, name) != value for name, value in settings.items()):
        return False
    saved = {(row.school_id, row.post_count, row.first_step) for row in revision.schools.all()}
    return saved == {(school.pk, count, first) for school, count, first in schools}


@dataclass(frozen=True)
class ValueChange:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class RevisionDiff:
    """Two revisions side by side: text lines, settings, and the schools that differ."""

    old: PlanRevision
    new: PlanRevision
    lines: list[DiffLine]
    settings: list[ValueChange]
    schools: list[tuple[str, ValueChange, ValueChange]]  # name, posts, first step

    @property
    def changed_lines(self) -> int:
        return sum(line.kind != "same" for line in self.lines)


def revision_diff(old: PlanRevision, new: PlanRevision) -> RevisionDiff:
    """``old`` and ``new`` with their schools prefetched (``revision_get``)."""
    settings = [
        ValueChange(a.label, a.value, b.value)
        for a, b in zip(plan_settings(old), plan_settings(new), strict=True)
    ]
    before = {row.school_id: row for row in old.schools.all()}
    after = {row.school_id: row for row in new.schools.all()}
    names = {row.school_id: row.school.name for row in [*before.values(), *after.values()]}

    def posts(row):
        return "—" if row is None else str(row.post_count)

    def first(row):
        return "—" if row is None else (_("yes") if row.first_step else _("no"))

    schools = []
    for school_id in sorted(names, key=names.get):
        a, b = before.get(school_id), after.get(school_id)
        post_change = ValueChange("", posts(a), posts(b))
        first_change = ValueChange("", first(a), first(b))
        if post_change.changed or first_change.changed:
            schools.append((names[school_id], post_change, first_change))
    return RevisionDiff(old, new, compare(old.text, new.text), settings, schools)


@dataclass
class ReviewSection:
    index: int
    title: str
    body: str
    comments: list[ReviewComment]


@dataclass
class ReviewBoard:
    """Phase 2's page: the current draft by section with its comments, and comments
    left on drafts replaced since (still to be answered, or answered)."""

    revision: PlanRevision | None
    sections: list[ReviewSection]
    earlier: list[ReviewComment]

    @property
    def pending(self) -> int:
        comments = [c for s in self.sections for c in s.comments] + self.earlier
        return sum(c.status == ReviewComment.Status.PENDING for c in comments)


@dataclass(frozen=True)
class AnswerRecord:
    status: str
    reason: str
    who: str
    when: datetime


def review_board(cycle: Cycle) -> ReviewBoard:
    """Each comment carries ``answers``: its answers in order, from the comments'
    history (two queries for all of them, not two per comment)."""
    revision = latest_revision(cycle)
    comments = list(
        ReviewComment.objects.filter(revision__cycle=cycle)
        .select_related("author", "school", "answered_by", "revision")
        .order_by("revision__number", "section", "created_at", "pk")
    )
    answers = _answer_history(cycle)
    for comment in comments:
        comment.answers = answers.get(comment.pk, [])
    sections = []
    if revision is not None:
        sections = [ReviewSection(index, s.title, s.body, [])
                    for index, s in enumerate(plan_sections(revision.text))]
    earlier = []
    for comment in comments:
        if revision is not None and comment.revision_id == revision.pk:
            sections[comment.section].comments.append(comment)
        else:
            earlier.append(comment)
    return ReviewBoard(revision, sections, earlier)


def _answer_history(cycle: Cycle) -> dict[int, list[AnswerRecord]]:
    records = (
        ReviewComment.history.filter(revision__cycle=cycle)
        .exclude(status=ReviewComment.Status.PENDING)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    found: dict[int, list[AnswerRecord]] = {}
    for record in records:
        answers = found.setdefault(record.id, [])
        if answers and (answers[-1].status, answers[-1].reason) == (record.status,
                                                                   record.reason):
            continue
        answers.append(
            AnswerRecord(
                record.status,
                record.reason,
                display_name(record.history_user),
                record.history_date,
            )
        )
    return found


def pending_comments(cycle: Cycle) -> int:
    """How many review comments of the cycle still await the office's answer (phase 2)."""
    return ReviewComment.objects.filter(revision__cycle=cycle,
                                        status=ReviewComment.Status.PENDING).count()
