"""Selectors of part-time researchers (兼职教研员, R11): rounds of subject central teaching-
research groups, schools' applications, the office's selection."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from evaluation import rules
from evaluation.models import ResearchApplication, ResearchRound
from schools import access as school_access
from schools.models import CENTRE_KINDS, School, SchoolKind, Staff, Township

DEFAULT_HOST_KINDS = (SchoolKind.COMPLETE_PRIMARY, *CENTRE_KINDS)


def default_hosts(township: Township) -> QuerySet[School]:
    """The township's complete primaries and central schools (the adult-education
    centre excepted: it teaches no pupils)."""
    return School.objects.filter(township=township, kind__in=[
        k for k in DEFAULT_HOST_KINDS if k != SchoolKind.ADULT_EDUCATION])


def rounds_of(township: Township) -> QuerySet[ResearchRound]:
    return (ResearchRound.objects.filter(township=township)
            .annotate(applied=Count("applications"),
                      groups=Count("applications", filter=Q(applications__selected=True))))


def rounds_of_township_id(township_id: int) -> QuerySet[ResearchRound]:
    return ResearchRound.objects.filter(township_id=township_id)


def applications_of(research_round: ResearchRound, *, school: School | None = None
                    ) -> QuerySet[ResearchApplication]:
    found = research_round.applications.select_related("school", "candidate", "applied_by")
    if school is not None:
        found = found.filter(school=school)
    return found.order_by("subject", "school__name", "pk")


@dataclass
class SubjectLine:
    subject: str
    applications: list  # of (application, mismatch warning)
    selected: ResearchApplication | None


def by_subject(research_round: ResearchRound) -> list[SubjectLine]:
    """The round's subjects, each with its applications and the one selected (one
    query); a subject applied for but no longer offered is listed last."""
    lines: dict[str, SubjectLine] = {s: SubjectLine(s, [], None) for s in research_round.subjects}
    for application in applications_of(research_round):
        line = lines.setdefault(application.subject, SubjectLine(application.subject, [], None))
        line.applications.append((application, rules.subject_mismatch(
            application.candidate.subject, application.subject)))
        if application.selected:
            line.selected = application
    return list(lines.values())


def groups_per_school(research_round: ResearchRound) -> dict[int, int]:
    return dict(research_round.applications.filter(selected=True).values_list("school_id")
                .annotate(n=Count("pk")).values_list("school_id", "n"))


def host_ids(research_round: ResearchRound) -> set[int]:
    return set(research_round.hosts.values_list("pk", flat=True))


def leaders_of(research_round: ResearchRound) -> QuerySet[ResearchApplication]:
    """The groups (selected applications) with their leaders (one query)."""
    return applications_of(research_round).filter(selected=True)


def school_staff(school: School) -> QuerySet[Staff]:
    return Staff.objects.filter(school=school).order_by("name", "pk")


def groups_led_by(staff: Staff) -> list[ResearchApplication]:
    """The groups a staff member leads (the subject's part-time researcher), newest
    year first: one query."""
    return list(ResearchApplication.objects.filter(candidate=staff, selected=True)
                .select_related("round").order_by("-round__school_year", "subject"))


def groups_hosted_by(school: School) -> list[ResearchApplication]:
    return list(ResearchApplication.objects.filter(school=school, selected=True)
                .select_related("round", "candidate").order_by("-round__school_year",
                                                               "subject"))


def export_rows(research_round: ResearchRound) -> list[list]:
    return [[a.subject, a.school.name, a.candidate.name, a.candidate.subject,
             a.candidate.title] for a in leaders_of(research_round)]


def home_of(user) -> dict:
    """The home page's rounds: those a principal applies to, the latest closed round of
    the login's township (its researchers)."""
    scope = school_access.scope_of(user)
    found: dict = {"apply": [], "leaders": None}
    if scope.principal_school_ids:
        schools = {s.pk: s for s in School.objects.filter(pk__in=scope.principal_school_ids)}
        rounds = ResearchRound.objects.filter(
            closed_at__isnull=True, hosts__in=list(schools)).distinct()
        found["apply"] = [(r, s) for r in rounds.prefetch_related("hosts")
                          for s in r.hosts.all() if s.pk in schools]
    township_id = None
    if scope.staff_id is not None:
        township_id = (Staff.objects.filter(pk=scope.staff_id)
                       .values_list("school__township_id", flat=True).first())
    if township_id is not None:
        found["leaders"] = (ResearchRound.objects.filter(township_id=township_id)
                            .order_by("-school_year").first())
    return found
