"""Phase 7 (R7): training enrolment and score, a trainee's placement, an explained status.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment import access
from recruitment.models import (
    Cycle,
    Hire,
    HireSource,
    Post,
    TrainingEnrolment,
    UnhiredReason,
)
from recruitment.phases import UNHIRED
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import common as common_services
from recruitment.services import selection as selection_services
from schools.models import Staff


@transaction.atomic
def training_enrol(*, by, cycle: Cycle, staff: Staff) -> TrainingEnrolment:
    """R7: the office enrols one of the unhired in training (phase 7)."""
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
    """R7: the office records a trainee's test score (0–100; ``rules.training_passed``)."""
    access.require_cycle_office(by, enrolment.cycle)
    common_services.require_phase(enrolment.cycle, UNHIRED)
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is between 0 and 100."))
    enrolment.score, enrolment.scored_by, enrolment.scored_at = score, by, timezone.now()
    common_services.save(enrolment, by)
    return enrolment


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
def trainee_assign(*, by, enrolment: TrainingEnrolment, post: Post) -> Hire:
    """R7: a trainee who passed the test is assigned to a free post of a school that is
    short. The one entry point: the office, the cycle's lock (ordered with the phase's
    close), ``trainee_assign_check``, then the seat through ``hire_create``."""
    cycle = enrolment.cycle
    access.require_cycle_office(by, cycle)
    common_services.locked_cycle(cycle)
    common_services.refuse(unhired_selectors.trainee_assign_check(enrolment, post))
    return selection_services.hire_create(by=by, cycle=cycle, staff=enrolment.staff, post=post,
                                          source=HireSource.TRAINING, extra=[])
