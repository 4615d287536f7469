"""Services of recommendation lists (honours, title promotion, talent programmes) with a
quota, the award as a threshold (R9): the office creates a list; schools (and the
office) nominate; a candidate without the required award is vetoed with the reason;
the recommended never exceed the quota (checked under a lock on the list's row); the
final list is published (公示) through staffing.publication."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import rules
from evaluation.models import Candidate, CandidateStatus, RecommendationList
from evaluation.selectors import recommendations as selectors
from schools.models import School, Staff, Township
from staffing import changes, publication
from staffing.models import Objection, Publication


@transaction.atomic
def list_create(*, by, township: Township, school_year: int, kind: str, title: str,
                quota: int, required: str = rules.REQUIRE_EXCELLENCE,
                window_years: int = rules.DEFAULT_WINDOW_YEARS,
                as_of: date | None = None) -> RecommendationList:
    if quota < 1:
        raise ValidationError(_("The quota is a whole number above zero."))
    if window_years < 1:
        raise ValidationError(_("The window is at least one school year."))
    title = title.strip()
    if RecommendationList.objects.filter(township=township, school_year=school_year,
                                         title=title).exists():
        raise ValidationError(_("This township already has a list of that title this year."))
    rec_list = RecommendationList(township=township, school_year=school_year, kind=kind,
                                  title=title, quota=quota, required=required,
                                  window_years=window_years,
                                  as_of=as_of or timezone.localdate(), created_by=by)
    changes.save(rec_list, by)
    return rec_list


def change_refusal(rec_list: RecommendationList) -> str | None:
    """Candidates change until the list's publication is locked."""
    if selectors.is_locked(rec_list):
        return _("The list's publication is locked: reopen it first, with a reason.")
    return None


@dataclass
class NominationResult:
    recommended: list[Staff] = field(default_factory=list)
    vetoed: list[tuple[Staff, str]] = field(default_factory=list)
    refused: list[tuple[Staff, str]] = field(default_factory=list)  # not added at all


@transaction.atomic
def nominate(*, by, rec_list: RecommendationList, school: School, staff_ids,
             by_office: bool = False) -> NominationResult:
    """Nominate staff of ``school`` to the list. Each is checked against the threshold
    (one query over the awards) and, on an honours list, the bar of a principal's
    responsibility letter (R10): a vetoed one is added vetoed, with the reason; the
    others are recommended while the quota allows, else refused (not added). The list's
    row is locked, so two nominations at the quota's edge cannot both pass."""
    rec_list = RecommendationList.objects.select_for_update().get(pk=rec_list.pk)
    changes.refuse(change_refusal(rec_list))
    ids = list(dict.fromkeys(staff_ids))
    if not ids:
        raise ValidationError(_("Choose at least one staff member."))
    people = {p.pk: p for p in Staff.objects.filter(pk__in=ids, school=school)}
    if len(people) != len(ids):
        raise ValidationError(_("Only staff of %(school)s may be nominated here.") % {
            "school": school.name})
    already = set(rec_list.candidates.filter(staff_id__in=ids).values_list("staff_id",
                                                                            flat=True))
    recommended = rec_list.candidates.filter(status=CandidateStatus.RECOMMENDED).count()
    vetoes = selectors.vetoes_of(rec_list, ids)
    result = NominationResult()
    for pk in ids:
        person = people[pk]
        if pk in already:
            result.refused.append((person, _("already on the list")))
            continue
        reason = vetoes[pk]
        if reason is None:
            full = rules.quota_refusal(rec_list.quota, recommended)
            if full:
                result.refused.append((person, full))
                continue
            recommended += 1
            result.recommended.append(person)
        else:
            result.vetoed.append((person, reason))
        candidate = Candidate(rec_list=rec_list, staff=person, school=school,
                              status=CandidateStatus.VETOED if reason
                              else CandidateStatus.RECOMMENDED,
                              reason=reason or "", by_office=by_office, nominated_by=by)
        changes.save(candidate, by)
    return result


@transaction.atomic
def candidate_remove(*, by, candidate: Candidate) -> None:
    """Take a candidate off the list (the history keeps them)."""
    rec_list = RecommendationList.objects.select_for_update().get(pk=candidate.rec_list_id)
    changes.refuse(change_refusal(rec_list))
    changes.set_history_user(candidate, by)
    candidate.delete()


# ---- publication (公示) ----------------------------------------------------------------


def list_publish(*, by, rec_list: RecommendationList, on: date | None = None) -> Publication:
    """Publish the list to the township's staff; objections for REC_OBJECTION_DAYS."""
    on = on or timezone.localdate()
    if not rec_list.candidates.exists():
        raise ValidationError(_("Nobody has been nominated yet."))
    return publication.publication_publish(
        by=by, kind=rules.REC_PUBLICATION, township_id=rec_list.township_id,
        key=str(rec_list.pk), window_closes=on + timedelta(days=rules.REC_OBJECTION_DAYS))


def list_object(*, by, staff: Staff, pub: Publication, candidate: Candidate, reason: str,
                on: date | None = None) -> Objection:
    return publication.objection_raise(by=by, publication=pub, staff_id=staff.pk,
                                       item=str(candidate.staff_id), reason=reason, on=on)


def objection_answer(*, by, objection: Objection, corrected: bool, answer: str) -> Objection:
    return publication.objection_answer(by=by, objection=objection, corrected=corrected,
                                        answer=answer)


def list_lock(*, by, pub: Publication, on: date | None = None) -> Publication:
    return publication.publication_lock(by=by, publication=pub, on=on)


def list_reopen(*, by, pub: Publication, reason: str) -> Publication:
    return publication.publication_reopen(by=by, publication=pub, reason=reason)
