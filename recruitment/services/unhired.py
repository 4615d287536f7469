"""recruitment.services.unhired"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment import access, workflow
from recruitment.models import (
    Cycle,
    Hire,
    HireSource,
    Post,
    TrainingEnrolment,
    UnhiredReason,
)
from recruitment.phases import UNHIRED
from recruitment.selectors import allocation as allocation_selectors
from recruitment.selectors import common as common_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import common as common_services
from recruitment.services import selection as selection_services
from schools.models import Staff


@transaction.atomic
def training_enrol(*, by, cycle: Cycle, staff: Staff) -> TrainingEnrolment:
    access.require_cycle_office(by, cycle)
    common_services.require_phase(cycle, UNHIRED)
    if not unhired_selectors.unhired(cycle).filter(pk=staff.pk).exists():
        raise ValidationError(_("%(name)s is not among the unhired.") % {"name": staff})
    enrolment, created = TrainingEnrolment.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"enrolled_by": by})
    if not created:
        raise ValidationError(_("%(name)s is already enrolled.") % {"name": staff})
    return enrolment


@transaction.atomic
def training_score(*, by, enrolment: TrainingEnrolment, score: int) -> TrainingEnrolment:
    access.require_cycle_office(by, enrolment.cycle)
    common_services.require_phase(enrolment.cycle, UNHIRED)
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is between 0 and 100."))
    enrolment.score, enrolment.scored_by, enrolment.scored_at = score, by, timezone.now()
    common_services.save(enrolment, by)
    return enrolment


@transaction.atomic
def trainee_assign(*, by, enrolment: TrainingEnrolment, post: Post) -> Hire:
    """R7: the office assigns a trainee who passed the test to a school that is short."""
    cycle = enrolment.cycle
    access.require_cycle_office(by, cycle)
    common_services.require_phase(cycle, UNHIRED)
    plan = plan_selectors.adopted_plan(cycle)
    if enrolment.score is None or enrolment.score < plan.training_pass_mark:
        raise ValidationError(_("Only trainees who passed the test (%(mark)d) are assigned.")
                              % {"mark": plan.training_pass_mark})
    common_services.refuse(allocation_selectors.fill_refusal(cycle, post))
    return selection_services.hire_create(by=by, cycle=cycle, staff=enrolment.staff, post=post,
                 source=HireSource.TRAINING, extra=[])


@transaction.atomic
def unhired_explain(*, by, cycle: Cycle, staff: Staff, reason: str) -> UnhiredReason:
    """R7: record why an unhired person needs no post (retiring, long sick leave, …)."""
    access.require_cycle_office(by, cycle)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s is hired in this cycle.") % {"name": staff})
    explained, created = UnhiredReason.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"reason": reason.strip(), "recorded_by": by})
    if not created:
        raise ValidationError(_("%(name)s already has an explained status.") % {"name": staff})
    return explained


@transaction.atomic
def trainee_place(*, by, enrolment: TrainingEnrolment, post: Post) -> Hire:
    """R7: a trainee who passed the test is assigned to a free post of a school that is
    short (``selection.trainee_assign`` checks the post and the pass mark, and takes the
    seat)."""
    cycle = enrolment.cycle
    access.require_cycle_office(by, cycle)
    Cycle.objects.select_for_update().get(pk=cycle.pk)  # ordered with the phase's close
    common_services.refuse(workflow.acting_refusal(common_selectors.phase_of(cycle, UNHIRED)))
    return trainee_assign(by=by, enrolment=enrolment, post=post)
