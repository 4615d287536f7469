"""seed_demo: the demo township through the real import, a login for every role, and a
second run that changes nothing."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import RequestFactory

from recruitment.selectors import common as common_selectors
from schools import demo
from schools.management.commands.seed_demo import DEMO_PASSWORD, HEAD_TITLES, LIAISON_SCHOOLS
from schools.models import Membership, Role, School, Staff, Township

from .helpers import row_counts

pytestmark = pytest.mark.django_db

USERNAMES = [
    "admin",
    "office",
    "liaison",
    *(f"principal{i:02d}" for i in range(1, 12)),
    *(f"teacher{i:02d}" for i in range(1, 6)),
    "county",  # the county office (the title evaluation, R12)
]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def listed_usernames(output: str) -> list[str]:
    """The first column of the printed table, below its header and rule."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("登录名")) + 2
    return [line.split()[0] for line in lines[start:]]


def test_seeds_the_demo_township_through_the_roster_import():
    seed()

    township = Township.objects.get(name=demo.TOWNSHIP, county__name=demo.COUNTY)
    assert sorted(township.schools.values_list("name", flat=True)) == sorted(
        name for name, *_rest in demo.SCHOOLS
    )
    staff = Staff.objects.filter(school__township=township)
    assert 200 <= staff.count() <= 400
    # The import records who did it and why, as an office's upload would.
    created = Staff.history.filter(history_type="+")
    assert created.count() == staff.count()
    assert {(r.history_user.username, r.history_change_reason) for r in created} == {
        ("admin", "roster import")
    }


def test_every_listed_login_authenticates_with_the_demo_password():
    output = seed()

    assert listed_usernames(output) == USERNAMES
    assert output.count(DEMO_PASSWORD) == len(USERNAMES)
    request = RequestFactory().post("/login/")
    for username in USERNAMES:
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        validate_password(DEMO_PASSWORD, user)  # the settings' validators accept it
    assert get_user_model().objects.get(username="admin").is_superuser


def test_principals_are_the_heads_of_their_schools():
    seed()

    for index, (name, *_rest) in enumerate(demo.SCHOOLS, start=1):
        user = get_user_model().objects.get(username=f"principal{index:02d}")
        school = School.objects.get(name=name)
        position = user.staff_profile.current_position
        assert position.title in HEAD_TITLES
        assert position.school == school == user.staff_profile.school
        assert list(user.memberships.values_list("role", "school")) == [(Role.PRINCIPAL, school.pk)]


def test_office_liaison_and_teachers_have_their_scope():
    seed()
    User = get_user_model()
    township = Township.objects.get(name=demo.TOWNSHIP)

    office = User.objects.get(username="office")
    assert list(office.memberships.values_list("role", "township")) == [
        (Role.TOWNSHIP_OFFICE, township.pk)
    ]
    liaison_schools = Membership.objects.filter(
        user__username="liaison", role=Role.LIAISON
    ).values_list("school__name", flat=True)
    assert sorted(liaison_schools) == sorted(LIAISON_SCHOOLS)

    teachers = [User.objects.get(username=f"teacher{i:02d}").staff_profile for i in range(1, 6)]
    assert all(t.current_position is None for t in teachers)
    assert len({t.school_id for t in teachers}) == len(teachers)
    assert not Membership.objects.filter(user__username__startswith="teacher").exists()


def test_a_second_run_changes_nothing():
    seed()
    office = get_user_model().objects.get(username="office")
    office.set_password("changed-by-the-office-2026")
    office.save()
    before = row_counts()
    hashes = dict(get_user_model().objects.values_list("username", "password"))

    seed()

    assert row_counts() == before
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes


def test_the_demo_cycle_at_stage_selection_is_ready_for_the_selection():
    seed("--stage", "selection")
    from recruitment.models import Cycle, Intention, PhaseState, Post, Vote
    from recruitment.phases import INTENTIONS, SELECTION

    cycle = Cycle.objects.get()
    assert cycle.adopted_revision is not None
    assert Vote.objects.get().result == Vote.Result.ADOPTED
    assert common_selectors.phase_of(cycle, INTENTIONS).state == PhaseState.CLOSED
    assert common_selectors.phase_of(cycle, SELECTION).state == PhaseState.OPEN
    assert Post.objects.filter(cycle=cycle, published_at__isnull=False).count() > 200
    assert Intention.objects.filter(cycle=cycle).count() > 200
    assert Intention.objects.filter(
        cycle=cycle, applications__rank=2).exists()  # some applied at another school first


def test_the_congress_representatives_who_voted_have_short_logins():
    """Representatives without a login get rep01, rep02, … to cast their ballot (a list
    once became the name: far past PostgreSQL's 150 characters)."""
    seed()
    names = sorted(get_user_model().objects.filter(username__startswith="rep")
                   .values_list("username", flat=True))
    assert names and all(re.fullmatch(r"rep\d{2}", name) for name in names), names[:3]
