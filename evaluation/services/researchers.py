"""Services of part-time researchers (兼职教研员, R11): the office opens a round of subject
central teaching-research groups; schools apply with a subject and a candidate; the
office selects one application per subject (a database constraint), at most the
round's number of groups per school (checked under a lock on the round's row); the
selected candidate leads the group, the subject's part-time researcher for the year;
the office closes the round."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import rules
from evaluation.models import ResearchApplication, ResearchRound
from evaluation.selectors import researchers as selectors
from schools.models import School, Staff, Township
from staffing import changes


def _clean_subjects(subjects: Iterable[str]) -> list[str]:
    found = list(dict.fromkeys(s.strip() for s in subjects if s.strip()))
    if not found:
        raise ValidationError(_("Offer at least one subject."))
    return found


@transaction.atomic
def round_open(*, by, township: Township, school_year: int, subjects: Iterable[str],
               hosts: Iterable[School] | None = None,
               max_groups_per_school: int = rules.DEFAULT_MAX_GROUPS_PER_SCHOOL
               ) -> ResearchRound:
    if max_groups_per_school < 1:
        raise ValidationError(_("A school may host at least one group."))
    if ResearchRound.objects.filter(township=township, school_year=school_year).exists():
        raise ValidationError(_("This township already has a round for that school year."))
    hosts = list(selectors.default_hosts(township) if hosts is None else hosts)
    if any(h.township_id != township.pk for h in hosts):
        raise ValidationError(_("Hosts are schools of the township."))
    if not hosts:
        raise ValidationError(_("Choose at least one school that may host."))
    research_round = ResearchRound(township=township, school_year=school_year,
                                   subjects=_clean_subjects(subjects),
                                   max_groups_per_school=max_groups_per_school, created_by=by)
    changes.save(research_round, by)
    research_round.hosts.set(hosts)
    return research_round


def closed_refusal(research_round: ResearchRound) -> str | None:
    if research_round.is_closed:
        return _("The round is closed.")
    return None


def apply_refusal(research_round: ResearchRound, school: School,
                  host_ids: set[int]) -> str | None:
    return closed_refusal(research_round) or (
        None if school.pk in host_ids else
        _("%(school)s is not among the schools that may host a group.") % {
            "school": school.name})


@transaction.atomic
def application_submit(*, by, research_round: ResearchRound, school: School, subject: str,
                       candidate: Staff, note: str = "") -> ResearchApplication:
    research_round = ResearchRound.objects.select_for_update().get(pk=research_round.pk)
    changes.refuse(apply_refusal(research_round, school, selectors.host_ids(research_round)))
    if subject not in research_round.subjects:
        raise ValidationError(_("That subject is not offered in this round."))
    if candidate.school_id != school.pk:
        raise ValidationError(_("The candidate is a staff member of %(school)s.") % {
            "school": school.name})
    if ResearchApplication.objects.filter(round=research_round, school=school,
                                          subject=subject).exists():
        raise ValidationError(_("%(school)s has already applied for %(subject)s.") % {
            "school": school.name, "subject": subject})
    application = ResearchApplication(round=research_round, school=school, subject=subject,
                                      candidate=candidate, note=note.strip()[:300],
                                      applied_by=by)
    changes.save(application, by)
    return application


@transaction.atomic
def application_withdraw(*, by, application: ResearchApplication) -> None:
    research_round = ResearchRound.objects.select_for_update().get(pk=application.round_id)
    changes.refuse(closed_refusal(research_round))
    application = ResearchApplication.objects.select_for_update().get(pk=application.pk)
    if application.selected:
        raise ValidationError(_("A selected application is not withdrawn: the office "
                                "unselects it first."))
    changes.set_history_user(application, by)
    application.delete()


def select_refusal(research_round: ResearchRound, application: ResearchApplication,
                   per_school: dict[int, int], taken: dict[str, int]) -> str | None:
    """Why this application may not be selected now: the round closed, its subject has
    its group, its school hosts as many groups as it may."""
    if closed_refusal(research_round):
        return closed_refusal(research_round)
    if application.selected:
        return _("It is selected.")
    if application.subject in taken:
        return _("%(subject)s already has its group.") % {"subject": application.subject}
    return rules.groups_refusal(research_round.max_groups_per_school,
                                per_school.get(application.school_id, 0),
                                application.school.name)


@transaction.atomic
def applications_select(*, by, research_round: ResearchRound,
                        application_ids: Iterable[int]) -> tuple[list, list]:
    """Select these applications (at most one per subject); each refused one comes back
    with its reason. The round's row is locked: two selections at a school's limit
    cannot both pass; the database keeps one group per subject."""
    research_round = ResearchRound.objects.select_for_update().get(pk=research_round.pk)
    changes.refuse(closed_refusal(research_round))
    wanted = list(dict.fromkeys(application_ids))
    applications = {a.pk: a for a in ResearchApplication.objects.select_related("school")
                    .filter(round=research_round, pk__in=wanted)}
    if not wanted or len(applications) != len(wanted):
        raise ValidationError(_("Choose applications of this round."))
    per_school = selectors.groups_per_school(research_round)
    taken = dict(research_round.applications.filter(selected=True)
                 .values_list("subject", "pk"))
    done, refused = [], []
    now = timezone.now()
    for pk in wanted:
        application = applications[pk]
        reason = select_refusal(research_round, application, per_school, taken)
        if reason:
            refused.append((application, reason))
            continue
        application.selected, application.selected_by, application.selected_at = True, by, now
        try:
            with transaction.atomic():
                changes.save(application, by, ["selected", "selected_by", "selected_at"])
        except IntegrityError:
            refused.append((application, _("%(subject)s already has its group.") % {
                "subject": application.subject}))
            continue
        per_school[application.school_id] = per_school.get(application.school_id, 0) + 1
        taken[application.subject] = application.pk
        done.append(application)
    return done, refused


@transaction.atomic
def application_unselect(*, by, application: ResearchApplication) -> ResearchApplication:
    research_round = ResearchRound.objects.select_for_update().get(pk=application.round_id)
    changes.refuse(closed_refusal(research_round))
    application = ResearchApplication.objects.select_for_update().get(pk=application.pk)
    if not application.selected:
        raise ValidationError(_("It is not selected."))
    application.selected, application.selected_by, application.selected_at = False, None, None
    changes.save(application, by, ["selected", "selected_by", "selected_at"])
    return application


@transaction.atomic
def round_close(*, by, research_round: ResearchRound) -> ResearchRound:
    """Close the round: the selected leaders stand for the year; nothing changes after."""
    research_round = ResearchRound.objects.select_for_update().get(pk=research_round.pk)
    changes.refuse(closed_refusal(research_round))
    research_round.closed_at, research_round.closed_by = timezone.now(), by
    changes.save(research_round, by, ["closed_at", "closed_by"])
    return research_round
