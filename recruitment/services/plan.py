"""Plan revisions and the collective review (phases 1–2).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment import access, rules, workflow
from recruitment.models import (
    Cycle,
    PlanRevision,
    PlanSchool,
    ReviewComment,
)
from recruitment.phases import REVIEW
from recruitment.sections import plan_sections
from recruitment.selectors import plan as plan_selectors
from recruitment.services import common as common_services
from schools.models import School
from staffing.history import display_name

PLAN_CHANGED = "plan_changed"  # the ValidationError code of a stale ``based_on``


@transaction.atomic
def plan_revise(*, by, cycle: Cycle, text: str, note: str = "", settings: dict | None = None,
                schools: list[tuple[School, int, bool]] | None = None,
                based_on: int | None = None) -> PlanRevision:
    """Save a new revision of the plan: text, settings, and each school's posts.

    Drafted in phase 1, revised in phases 2 and 3; the adopted revision is frozen.
    ``schools`` lists (school, posts it may set, recruits township-wide first); when
    omitted the previous revision's are kept (or, for a first draft, each school's
    post-setting count, the centres first).

    ``based_on`` is the revision number the editor started from (0 for the first
    draft). When another revision has been saved since — a second click of the same
    form, or a colleague's edit — nothing is saved (ValidationError, code
    ``PLAN_CHANGED``), so no one's revision is silently replaced.
    """
    access.require_cycle_office(by, cycle)
    cycle = common_services.locked_cycle(cycle)
    common_services.refuse(plan_selectors.plan_revise_check(cycle))
    if not text.strip():
        raise ValidationError(_("The plan's text is empty."))
    previous = cycle.revisions.select_related("created_by").order_by("-number").first()
    latest_number = previous.number if previous else 0
    if based_on is not None and based_on != latest_number:
        who = previous.created_by if previous else None
        raise ValidationError(
            _("Nothing was saved: this form was opened on revision %(based)d, and revision "
              "%(latest)d has been saved since (by %(who)s).")
            % {"based": based_on, "latest": latest_number,
               "who": display_name(who) or "—"},
            code=PLAN_CHANGED,
        )
    values = rules.plan_settings_after(previous)
    values.update(settings or {})
    if not 0 < values["own_share_num"] <= values["own_share_den"]:
        raise ValidationError(_("The own-staff share must be a fraction between 0 and 1."))
    if not 0 <= values["training_pass_mark"] <= 100:
        raise ValidationError(_("The pass mark must be between 0 and 100."))
    revision = PlanRevision.objects.create(
        cycle=cycle, number=(previous.number + 1) if previous else 1, text=text.strip(),
        note=note, created_by=by, **values,
    )
    if schools is None:
        if previous:
            schools = [(s.school, s.post_count, s.first_step) for s in previous.schools.all()]
        else:
            schools = [
                (s, s.post_count, s.is_centre)
                for s in School.objects.filter(township=cycle.township)
            ]
    foreign = [s for s, _n, _f in schools if s.township_id != cycle.township_id]
    if foreign:
        raise ValidationError(_("%(school)s is not a school of this township.")
                              % {"school": foreign[0]})
    PlanSchool.objects.bulk_create(
        PlanSchool(revision=revision, school=s, post_count=n, first_step=f) for s, n, f in schools
    )
    return revision


@transaction.atomic
def review_comment_add(*, by, revision: PlanRevision, section: int, body: str) -> ReviewComment:
    """A principal or kindergarten head comments on one section of the current draft."""
    cycle = revision.cycle
    school = access.require_principal_school(by, cycle)
    common_services.require_submissions(cycle, REVIEW)
    if cycle.revisions.order_by("-number").values_list("pk", flat=True).first() != revision.pk:
        raise ValidationError(_("Comment on the current draft; this revision was replaced."))
    sections = plan_sections(revision.text)
    if not 0 <= section < len(sections):
        raise ValidationError(_("No such section."))
    if not body.strip():
        raise ValidationError(_("The comment is empty."))
    comment = ReviewComment(revision=revision, section=section,
                            section_title=sections[section].title[:200], author=by,
                            school=school, body=body.strip())
    common_services.save(comment, by)
    return comment


@transaction.atomic
def review_comment_answer(*, by, comment: ReviewComment, adopted: bool,
                          reason: str) -> ReviewComment:
    """The office answers a comment: adopted or not, with a reason."""
    cycle = comment.revision.cycle
    access.require_cycle_office(by, cycle)
    common_services.require_open(cycle, REVIEW)
    if not reason.strip():
        raise ValidationError(_("Give a reason with the answer."))
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    workflow.status_move(comment, workflow.REVIEW_COMMENT_FLOW,
                         ReviewComment.Status.ADOPTED if adopted
                         else ReviewComment.Status.NOT_ADOPTED)
    comment.reason = reason.strip()
    comment.answered_by = by
    comment.answered_at = timezone.now()
    common_services.save(comment, by, ["status", "reason", "answered_by", "answered_at"])
    return comment
