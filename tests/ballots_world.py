"""The ballots world (phase 10, 述职、民主测评): school-level leaders at 夏庄完小
(``school``) and 东张完小 (``other_school``), voters with logins, and rounds through the
services. A plain module of builders and fixtures, imported by name."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from evaluation.models import (
    Assessee,
    BallotInvitation,
    BallotParticipation,
    BallotRound,
    BallotTally,
    Rating,
    RoundState,
)
from evaluation.services import ballots as services
from schools.models import Position, Staff

from .factories import PASSWORD, StaffFactory, UserFactory


def leader(school, name, title="校长", *, username=None):
    """A staff member of ``school`` holding ``title`` today, with a login."""
    staff = StaffFactory(school=school, name=name,
                         user=UserFactory(username=username or f"l-{name}"))
    Position.objects.create(staff=staff, school=school, title=title, start_date=date(2020, 9, 1))
    return staff


def voter(school, name):
    """A teacher of ``school`` with a login (``v-<name>``)."""
    return StaffFactory(school=school, name=name, user=UserFactory(username=f"v-{name}")).user


def cast(user, ballot_round, rating=Rating.EXCELLENT, **by_name):
    """``user``'s ballot: ``rating`` for everyone, or per name through ``by_name``."""
    people = ballot_round.assessees.select_related("staff")
    services.ballot_cast(by=user, ballot_round=ballot_round, ratings={
        a.pk: by_name.get(a.staff.name, rating) for a in people})


def leaders_round(office, township, title="2026–2027学年第一学期述职测评"):
    return services.round_create(by=office, township=township, school=None, title=title,
                                 school_year=2026, term=1)


def big_round(office, school, *, people: int, voters: int) -> BallotRound:
    """A closed school round of ``people`` assessed and ``voters`` who voted, written in
    bulk (for the bounded-query tests)."""
    staff = Staff.objects.bulk_create(StaffFactory.build(school=school, name=f"批量{i}")
                                      for i in range(people))
    password = make_password(PASSWORD)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bulk-voter-{i}", password=password) for i in range(voters))
    ballot_round = BallotRound.objects.create(
        township=school.township, school=school, title="批量测评", school_year=2026, term=1,
        state=RoundState.CLOSED, created_by=office)
    assessees = Assessee.objects.bulk_create(Assessee(round=ballot_round, staff=s) for s in staff)
    BallotInvitation.objects.bulk_create(BallotInvitation(round=ballot_round, user=u)
                                         for u in users)
    BallotParticipation.objects.bulk_create(BallotParticipation(round=ballot_round, user=u)
                                            for u in users)
    BallotTally.objects.bulk_create(
        BallotTally(round=ballot_round, assessee=a, rating=r,
                    count=voters if r == Rating.COMPETENT else 0)
        for a in assessees for r in Rating.values)
    return ballot_round


@pytest.fixture
def leaders(school, other_school):
    """Two leaders at 夏庄完小 (a principal, a deputy), one at 东张完小."""
    return [leader(school, "王校长"), leader(school, "李副校长", "副校长"),
            leader(other_school, "张书记", "书记")]


@pytest.fixture
def prepared(office_user, township, leaders, teacher):
    """The office's round of the leaders, prepared (the township's logins invited)."""
    return leaders_round(office_user, township)


@pytest.fixture
def opened(prepared, office_user):
    return services.round_open(by=office_user, ballot_round=prepared)
