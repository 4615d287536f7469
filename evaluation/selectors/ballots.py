"""Selectors of duty reports (述职) and democratic evaluation (民主测评): rounds, reports, the
secret ballot, results and the composite rating.

The results read only the tallies (counts per person and rating), and only once a round
is closed: while it is open the organiser sees the turnout, never a count that moves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from evaluation import rules
from evaluation.models import (
    Assessee,
    BallotInvitation,
    BallotParticipation,
    BallotRound,
    BallotTally,
    BallotWeights,
    Rating,
    RoundState,
)
from recruitment.selectors import common as common_selectors
from schools.models import SCHOOL_LEVEL_TITLES, Position, School, Staff, Township
from staffing import publication

PUBLICATION_KIND = "evaluation.ballots"
PER_PAGE = 50
TERMS_SHOWN = 4


def ballot_setting(name: str):
    """A ballots setting (``BALLOT_RATING_POINTS`` …): the deployment's, else the rule's."""
    return getattr(settings, name, getattr(rules, name))


def count_of(model) -> Subquery:
    """How many rows of ``model`` belong to the outer round: one subquery each, so the
    three counts do not multiply each other's rows as three joins would."""
    return Subquery(model.objects.filter(round=OuterRef("pk")).order_by()
                    .values("round").annotate(n=Count("pk")).values("n"))


def with_turnout(rounds: QuerySet[BallotRound]) -> QuerySet[BallotRound]:
    """Each round with ``invited`` and ``voted`` counts (the turnout, no names) and the
    people it assesses, in the model's order (newest first): no GROUP BY drops it."""
    return rounds.annotate(
        invited=Coalesce(count_of(BallotInvitation), 0),
        voted=Coalesce(count_of(BallotParticipation), 0),
        people=Coalesce(count_of(Assessee), 0),
    )


def township_rounds(township: Township, page=None):
    rounds = with_turnout(BallotRound.objects.filter(township=township)
                          .select_related("school"))
    return common_selectors.page_of(rounds, page, PER_PAGE)


def school_rounds(school: School):
    return list(with_turnout(BallotRound.objects.filter(school=school)))


def recent_terms(day, count: int = TERMS_SHOWN) -> list[tuple[int, int]]:
    """The term of ``day`` and the ``count - 1`` before it, oldest first."""
    year, term = rules.term_of(day)
    terms = []
    for _i in range(count):
        terms.append((year, term))
        year, term = (year, 1) if term == 2 else (year - 1, 2)
    return terms[::-1]


@dataclass
class TermRow:
    school: School
    held: list  # per term: the school's round (opened) or None


def term_board(township: Township, terms: list[tuple[int, int]]) -> list[TermRow]:
    """Per school, per term, whether it held its round (opened, or closed): at least
    twice a school year."""
    held: dict[tuple, BallotRound] = {}
    for ballot_round in (BallotRound.objects.filter(township=township, school__isnull=False)
                         .exclude(state=RoundState.DRAFT).order_by("pk")):
        held.setdefault((ballot_round.school_id, ballot_round.school_year,
                         ballot_round.term), ballot_round)
    return [TermRow(school, [held.get((school.pk, y, t)) for y, t in terms])
            for school in township.schools.order_by("name")]


def leaders_of(township: Township) -> list[Position]:
    """The township's school-level leaders (校级干部) today: 校长, 副校长, 书记 …"""
    return list(Position.objects.filter(school__township=township, end_date__isnull=True,
                                        title__in=SCHOOL_LEVEL_TITLES)
                .select_related("staff", "school").order_by("school__name", "staff__name"))


def school_people(school: School) -> list[tuple[Staff, str]]:
    """A school's middle cadres and teachers: its staff but its school-level leaders,
    with each one's position (中层) if any."""
    positions = {p.staff_id: p.title for p in Position.objects.filter(
        staff__school=school, end_date__isnull=True)}
    return [(staff, positions.get(staff.pk, "")) for staff in
            Staff.objects.filter(school=school).order_by("name", "pk")
            if positions.get(staff.pk) not in SCHOOL_LEVEL_TITLES]


def voter_users_of(township: Township, school: School | None) -> list[int]:
    """The logins invited by default: the township's staff with a login (a leaders'
    round), the school's staff with one (a school's round)."""
    staff = Staff.objects.filter(user__isnull=False, user__is_active=True)
    staff = staff.filter(school=school) if school else staff.filter(school__township=township)
    return list(staff.values_list("user_id", flat=True))


def people_of(ballot_round: BallotRound) -> list[Assessee]:
    return list(ballot_round.assessees.select_related("staff__school"))


def voters_page(ballot_round: BallotRound, page=None):
    """The invited logins, with whether each has voted (never what)."""
    invitations = (ballot_round.invitations.select_related("user__staff_profile")
                   .annotate(voted=Exists(BallotParticipation.objects.filter(
                       round=ballot_round, user=OuterRef("user"))))
                   .order_by("guest", "user__username"))
    return common_selectors.page_of(invitations, page, PER_PAGE)


def turnout(ballot_round: BallotRound) -> tuple[int, int]:
    """(voted, invited)."""
    return (ballot_round.participations.count(), ballot_round.invitations.count())


def has_voted(user, ballot_round: BallotRound) -> bool:
    return BallotParticipation.objects.filter(round=ballot_round, user=user).exists()


def weights_record(township: Township) -> BallotWeights | None:
    return BallotWeights.objects.filter(township=township).first()


def weights_of(township: Township) -> tuple[int, int]:
    found = weights_record(township)
    return (found.evaluation, found.assessment) if found else ballot_setting(
        "BALLOT_DEFAULT_WEIGHTS")


@dataclass
class ResultRow:
    assessee: Assessee
    counts: list  # votes per rating, in Rating's order
    votes: int
    evaluation: Decimal | None
    composite: Decimal | None
    band: str | None

    @property
    def labelled(self) -> list[tuple[str, int]]:
        return list(zip(Rating.labels, self.counts, strict=True))

    @property
    def band_label(self) -> str:
        return Rating(self.band).label if self.band else ""


def results_of(ballot_round: BallotRound) -> list[ResultRow] | None:
    """Counts per person per rating, the evaluation's score, the composite and its band:
    only for a closed round (None before). Three queries whatever the size."""
    if ballot_round.state != RoundState.CLOSED:
        return None
    counts: dict[int, dict[str, int]] = {}
    for assessee_id, rating, count in BallotTally.objects.filter(
            round=ballot_round).values_list("assessee_id", "rating", "count"):
        counts.setdefault(assessee_id, {})[rating] = count
    points = ballot_setting("BALLOT_RATING_POINTS")
    thresholds = ballot_setting("BALLOT_GRADE_THRESHOLDS")
    weights = weights_of(ballot_round.township)
    rows = []
    for assessee in people_of(ballot_round):
        mine = counts.get(assessee.pk, {})
        evaluation = rules.evaluation_score(mine, points)
        composite = rules.composite_score(evaluation, assessee.assessment_score, weights)
        rows.append(ResultRow(assessee, [mine.get(r, 0) for r in Rating.values],
                              sum(mine.values()), evaluation, composite,
                              rules.grade_band(composite, thresholds)))
    return rows


def result_of(assessee: Assessee) -> ResultRow | None:
    rows = results_of(assessee.round)
    if rows is None:
        return None
    return next((row for row in rows if row.assessee.pk == assessee.pk), None)


def round_publication(ballot_round: BallotRound):
    return publication.publication_of(PUBLICATION_KIND, ballot_round.township_id,
                                      str(ballot_round.pk), ballot_round.school_id)


def rounds_to_vote(user) -> list[BallotRound]:
    """Open rounds this login is invited to and has not voted in."""
    if not user.is_authenticated:
        return []
    return list(BallotRound.objects.filter(
        state=RoundState.OPEN, invitations__user=user).exclude(
        participations__user=user).select_related("school").order_by("pk"))


def my_rounds(user) -> list[BallotRound]:
    """Every round this login is invited to, each with ``has_voted``."""
    return list(BallotRound.objects.filter(invitations__user=user).exclude(
        state=RoundState.DRAFT).select_related("school", "township").annotate(
        has_voted=Exists(BallotParticipation.objects.filter(round=OuterRef("pk"), user=user)))
        .order_by("-pk"))


def my_assessments(staff: Staff | None) -> list[Assessee]:
    if staff is None:
        return []
    return list(Assessee.objects.filter(staff=staff).select_related("round__school")
                .order_by("-round_id"))


def ballot_people(ballot_round: BallotRound) -> list[Assessee]:
    """The people on the ballot, with their school, for the voter's form."""
    return list(ballot_round.assessees.select_related("staff__school"))


def home_of(user) -> dict:
    """The home page's entry: rounds to vote in, one's own assessments."""
    staff = Staff.objects.filter(user=user).first() if user.is_authenticated else None
    return {"to_vote": rounds_to_vote(user),
            "assessed": [a for a in my_assessments(staff)
                         if a.round.state != RoundState.DRAFT][:3]}
