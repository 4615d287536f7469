"""seed_demo --county (issue 14, item 5): a county of townships in phase 6, built at a
small size here (2 townships of about 40 staff; the load test's is 20 of 400)."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from recruitment.models import Cycle, Intention, PhaseState, Post, Ranking
from recruitment.phases import INTENTIONS, SELECTION
from schools import demo
from schools.management.commands.seed_demo import DEMO_PASSWORD
from schools.models import Membership, Role, Staff, Township

pytestmark = pytest.mark.django_db

SMALL = ["--county", "--townships", "2", "--staff-per-township", "40"]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def structure(output: str) -> None:
    """Two townships of eleven schools and about 40 staff, every one with a login."""
    townships = list(Township.objects.filter(county__name=demo.COUNTY_DEMO).order_by("pk"))
    assert [t.name for t in townships] == demo.COUNTY_TOWNSHIPS[:2]
    for township in townships:
        assert township.schools.count() == len(demo.SCHOOLS)
        staff = Staff.objects.filter(school__township=township)
        assert 35 <= staff.count() <= 60
        assert not staff.filter(user__isnull=True).exists()  # a principal's or a teacher's
    assert "2 个乡镇" in output


def phase_6(township: Township) -> None:
    """The cycle in phase 6 alone, its posts published, the intentions in, and the
    committees' first rankings at most schools."""
    cycle = Cycle.objects.get(township=township)
    states = dict(cycle.phases.values_list("number", "state"))
    assert states[INTENTIONS] == PhaseState.CLOSED
    assert [n for n, s in states.items() if s == PhaseState.OPEN] == [SELECTION]
    assert Post.objects.filter(cycle=cycle).count() >= len(demo.SCHOOLS)
    teachers = Staff.objects.filter(school__township=township,
                                    user__username__startswith="teacher")
    assert Intention.objects.filter(cycle=cycle).count() == teachers.count()  # heads rank
    ranked = Ranking.objects.filter(post__cycle=cycle)
    assert ranked.count() > 0
    assert ranked.values("post__school").distinct().count() >= 5


def logins(output: str) -> None:
    request = RequestFactory().post("/accounts/login/")  # django-axes wants the request
    for username in ["office-01", "office-02", "principal-01-01", "principal-02-11",
                     "teacher-01-0001", "teacher-02-0030"]:
        assert authenticate(request, username=username, password=DEMO_PASSWORD), username
    assert Membership.objects.filter(user__username="office-02", role=Role.TOWNSHIP_OFFICE,
                                     township__name=demo.COUNTY_TOWNSHIPS[1]).exists()
    head = Staff.objects.get(user__username="principal-01-01")
    assert head.school.name == demo.COUNTY_TOWNSHIPS[0] + "中心中学"
    assert head.positions.filter(end_date__isnull=True, title="校长").exists()
    assert "teacher-01-0001 …" in output


def office_scope(client) -> None:
    """office-01 sees its township's cycle pages and not the other township's."""
    first, second = (Cycle.objects.get(township__name=name)
                     for name in demo.COUNTY_TOWNSHIPS[:2])
    client.force_login(Membership.objects.get(user__username="office-01").user)
    for name in ("dashboard", "selection"):
        assert client.get(reverse(f"recruitment:{name}", args=[first.pk])).status_code == 200
        assert client.get(reverse(f"recruitment:{name}", args=[second.pk])).status_code in (
            403, 404)


def test_county_in_phase_6_with_logins_per_township_once(client):
    # One seed for every check: the database set-up is most of this test's time.
    output = seed(*SMALL)
    structure(output)
    for township in Township.objects.filter(county__name=demo.COUNTY_DEMO):
        phase_6(township)
    logins(output)
    office_scope(client)
    staff = Staff.objects.count()
    with pytest.raises(CommandError, match="已存在"):
        seed(*SMALL)
    assert Staff.objects.count() == staff


def test_intentions_open_leaves_the_last_townships_in_phase_5():
    seed("--county", "--townships", "2", "--staff-per-township", "30", "--intentions-open", "1")
    last = Cycle.objects.get(township__name=demo.COUNTY_TOWNSHIPS[1])
    assert last.phases.get(number=INTENTIONS).state == PhaseState.OPEN
    assert last.phases.get(number=SELECTION).state == PhaseState.NOT_STARTED
    assert Post.objects.filter(cycle=last).exists()
