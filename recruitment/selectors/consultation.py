"""Opinions and their reports, representatives, votes, and their checks (phases 3–4).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from recruitment import workflow
from recruitment.models import (
    Ballot,
    Cycle,
    OpinionReport,
    Phase,
    Representative,
    StaffOpinion,
    Vote,
)
from recruitment.phases import (
    OPINIONS,
    VOTE,
)
from recruitment.selectors import common as common_selectors
from schools import access as school_access
from schools.models import School, Staff


def opinions_report_check(cycle: Cycle, school: School) -> str | None:
    """May ``school``'s opinions be reported now? (For pages: why not.) ``opinions_report``
    decides again under its lock."""
    refusal = workflow.submission_refusal(common_selectors.phase_of(cycle, OPINIONS))
    if refusal:
        return refusal
    new = StaffOpinion.objects.filter(cycle=cycle, school=school, report__isnull=True)
    if not new.exists() and OpinionReport.objects.filter(cycle=cycle, school=school).exists():
        return _("Already reported: there are no new opinions since.")
    return None


def representatives_change_check(cycle: Cycle) -> str | None:
    """May the office name or remove representatives now? (For pages: why not.)"""
    if open_vote(cycle):
        return _("The representatives cannot change while a vote is open.")
    return None


def open_vote(cycle: Cycle) -> Vote | None:
    return cycle.votes.filter(closed_at__isnull=True).select_related("revision").first()


def vote_cast_check(user, cycle: Cycle) -> str | None:
    """May ``user`` vote now? (For pages: the reason a ballot cannot be cast.)"""
    refusal = workflow.submission_refusal(common_selectors.phase_of(cycle, VOTE))
    if refusal:
        return refusal
    vote = open_vote(cycle)
    if vote is None:
        return _("No vote is open.")
    rep = Representative.objects.filter(cycle=cycle, staff__user=user).first()
    if rep is None:
        return _("Only the congress representatives vote.")
    if Ballot.objects.filter(vote=vote, representative=rep).exists():
        return _("You have voted.")
    return None


def schools_not_reported(cycle: Cycle) -> list[School]:
    """Schools that have never reported, or have opinions not yet reported."""
    reported = OpinionReport.objects.filter(cycle=cycle, school=OuterRef("pk"))
    unreported = StaffOpinion.objects.filter(cycle=cycle, school=OuterRef("pk"),
                                             report__isnull=True)
    return list(
        School.objects.filter(township_id=cycle.township_id)
        .filter(~Exists(reported) | Exists(unreported))
        .order_by("name")
    )


def opinions_for_office(cycle: Cycle) -> QuerySet[StaffOpinion]:
    """Reported opinions, for the office to decide."""
    return (
        StaffOpinion.objects.filter(cycle=cycle, report__isnull=False)
        .select_related("staff", "school", "decided_by", "revision", "report")
        .order_by("school__name", "-created_at")
    )


def opinions_for_school(cycle: Cycle, school: School) -> QuerySet[StaffOpinion]:
    return (
        StaffOpinion.objects.filter(cycle=cycle, school=school)
        .select_related("staff", "report", "decided_by", "revision")
        .order_by("-created_at")
    )


def opinions_of(cycle: Cycle, staff: Staff) -> QuerySet[StaffOpinion]:
    return StaffOpinion.objects.filter(cycle=cycle, staff=staff).select_related(
        "revision", "report"
    )


def representatives_of(cycle: Cycle) -> QuerySet[Representative]:
    return cycle.representatives.select_related("staff__school", "named_by")


def votes_of(cycle: Cycle) -> QuerySet[Vote]:
    return cycle.votes.select_related("revision").annotate(cast=Count("ballots")).order_by(
        "opened_at"
    )


OPINIONS_PER_PAGE = 50
REPRESENTATIVES_PER_PAGE = 50
STAFF_FOUND_SHOWN = 20
REPRESENTATIVE_CHANGES_SHOWN = 30


def opinions_filtered(opinions: QuerySet[StaffOpinion], *, school=None, status: str = "",
                      query: str = "") -> QuerySet[StaffOpinion]:
    """Narrow a list of opinions to one school, one decision, and a text found in the
    opinion or its author's name."""
    if school is not None:
        opinions = opinions.filter(school=school)
    if status:
        opinions = opinions.filter(status=status)
    query = query.strip()
    if query:
        opinions = opinions.filter(Q(body__icontains=query) | Q(staff__name__icontains=query))
    return opinions


def opinions_unreported(cycle: Cycle, school: School) -> QuerySet[StaffOpinion]:
    return StaffOpinion.objects.filter(cycle=cycle, school=school, report__isnull=True)


def opinion_reports(cycle: Cycle, school: School | None = None) -> QuerySet[OpinionReport]:
    reports = OpinionReport.objects.filter(cycle=cycle).select_related("school", "reported_by")
    if school is not None:
        reports = reports.filter(school=school)
    return reports.order_by("-reported_at", "-pk")


@dataclass
class SchoolReportRow:
    """One school as the office sees phase 3: its reports, and whether it is awaited."""

    school: School
    reports: list[OpinionReport]
    awaited: bool

    @property
    def reported(self) -> int:
        return sum(report.count for report in self.reports)


def school_report_rows(cycle: Cycle) -> list[SchoolReportRow]:
    """Every school of the township with its reports, in three queries."""
    by_school: dict[int, list[OpinionReport]] = {}
    for report in opinion_reports(cycle):
        by_school.setdefault(report.school_id, []).append(report)
    awaited = {school.pk for school in schools_not_reported(cycle)}
    return [
        SchoolReportRow(school, by_school.get(school.pk, []), school.pk in awaited)
        for school in School.objects.filter(township_id=cycle.township_id).order_by("name")
    ]


def staff_to_name(user, cycle: Cycle, query: str) -> list[Staff]:
    """Staff of the township whose name or school matches (or their resident ID, as
    ``schools.access.id_search_q`` allows), each marked ``is_representative``."""
    query = query.strip()
    if not query:
        return []
    return list(
        Staff.objects.filter(school__township_id=cycle.township_id)
        .filter(Q(name__icontains=query) | Q(school__name__icontains=query)
                | school_access.id_search_q(user, query))
        .select_related("school")
        .annotate(is_representative=Exists(
            Representative.objects.filter(cycle=cycle, staff=OuterRef("pk"))))
        .order_by("school__name", "name", "pk")[:STAFF_FOUND_SHOWN]
    )


def representative_changes(cycle: Cycle):
    """Who named or removed which representative, and when, newest first."""
    return (
        Representative.history.filter(cycle_id=cycle.pk, history_type__in=["+", "-"])
        .select_related("staff__school", "history_user")
        .order_by("-history_date", "-history_id")[:REPRESENTATIVE_CHANGES_SHOWN]
    )


@dataclass
class VotePage:
    """What the vote page shows one login: the vote (the open one, else the latest),
    its turnout, the login's own ballot time (never a choice), and every past vote."""

    phase: Phase
    votes: list[Vote]
    vote: Vote | None
    representatives: int
    representative: Representative | None
    own_ballot: Ballot | None
    # Names (never choices) of who has voted, for the office while the vote is open.
    turnout_names: list[Representative] | None = None

    @property
    def cast(self) -> int:
        return self.vote.cast if self.vote else 0

    @property
    def is_open(self) -> bool:
        return self.vote is not None and self.vote.closed_at is None


def vote_page(user, cycle: Cycle, *, office: bool) -> VotePage:
    votes = list(votes_of(cycle).select_related("opened_by", "closed_by"))
    vote = votes[-1] if votes else None
    staff_id = school_access.scope_of(user).staff_id
    representative = (
        Representative.objects.filter(cycle=cycle, staff_id=staff_id).first() if staff_id
        else None
    )
    own_ballot = None
    if vote is not None and representative is not None:
        own_ballot = Ballot.objects.filter(vote=vote, representative=representative).first()
    board = VotePage(
        phase=cycle.phases.get(number=VOTE), votes=votes, vote=vote,
        representatives=cycle.representatives.count() if vote is None or vote.closed_at is None
        else vote.representatives,
        representative=representative, own_ballot=own_ballot,
    )
    if office and board.is_open:
        board.turnout_names = list(
            representatives_of(cycle).annotate(has_voted=Exists(
                Ballot.objects.filter(vote=vote, representative=OuterRef("pk"))))
        )
    return board


def undecided_opinions(cycle: Cycle) -> int:
    """How many reported staff opinions still await the office's decision (phase 3)."""
    return StaffOpinion.objects.filter(cycle=cycle, report__isnull=False,
                                       status=StaffOpinion.Status.PENDING).count()
