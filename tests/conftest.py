"""The fixtures the tests share.

The smallest world most tests need: one township with two schools, a school in a second
township, and a login for every role. Then the worlds of the cycle: Step 1 through the
services (a fresh cycle, drafted, in review, consulting, voting), and the Step 2 world
of the allocation pages (two schools' published posts, a cross-school applicant). A
module with another world defines its own fixture of the same name (``cycle``,
``posts``, ``selecting``), which pytest uses there instead."""

from datetime import date

import pytest
from django.utils import translation

from recruitment.phases import DRAFT, OPINIONS, REVIEW, VOTE
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from recruitment.services import selection as selection_services
from schools.models import Role, SchoolKind

from .factories import SchoolFactory, StaffFactory, TownshipFactory, UserFactory, membership
from .helpers import TEXT, apply, auxiliary, person, phase, published, run, teaching, to_selection


@pytest.fixture
def township(db):
    return TownshipFactory(name="葛石镇")


@pytest.fixture
def school(township):
    return SchoolFactory(township=township, name="夏庄完小")


@pytest.fixture
def other_school(township):
    return SchoolFactory(township=township, name="东张完小")


@pytest.fixture
def foreign_school(db):
    return SchoolFactory(township=TownshipFactory(name="别的镇"), name="别镇完小")


@pytest.fixture
def office_user(township):
    user = UserFactory(username="office", is_staff=True)
    membership(user, Role.TOWNSHIP_OFFICE, township)
    return user


@pytest.fixture
def foreign_office(foreign_school):
    """The office of the other township."""
    user = UserFactory(username="foreign-office", is_staff=True)
    membership(user, Role.TOWNSHIP_OFFICE, foreign_school.township)
    return user


@pytest.fixture
def liaison_user(school):
    user = UserFactory(username="liaison")
    membership(user, Role.LIAISON, school)
    return user


@pytest.fixture
def principal_user(school):
    user = UserFactory(username="principal")
    StaffFactory(school=school, name="校长甲", user=user)
    membership(user, Role.PRINCIPAL, school)
    return user


@pytest.fixture
def other_principal(other_school):
    user = UserFactory(username="other-principal")
    StaffFactory(school=other_school, name="校长丙", user=user)
    membership(user, Role.PRINCIPAL, other_school)
    return user


@pytest.fixture
def centre(township):
    """The township's central primary school (it recruits township-wide first)."""
    return SchoolFactory(township=township, name="中心小学", kind=SchoolKind.CENTRAL_PRIMARY,
                         establishment=6)


@pytest.fixture
def teacher(school):
    user = UserFactory(username="teacher")
    return StaffFactory(school=school, name="教师乙", user=user)


@pytest.fixture
def teacher_user(teacher):
    return teacher.user


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def english():
    """Messages in English, so assertions do not depend on the zh-hans catalogue."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english_pages(client, settings):
    """The test client's pages in English (the cookie Django's set_language view sets),
    so assertions do not depend on the zh-hans catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (roster workbooks) go to a directory of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- Step 1 through the services: a cycle at each stage -------------------------------------


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """A new cycle: its ten phases not started."""
    return cycle_services.cycle_create(by=office_user, township=township, school_year=2026)


@pytest.fixture
def drafted(cycle, office_user):
    """Phase 1 open, revision 1 of the plan saved."""
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    plan_services.plan_revise(by=office_user, cycle=cycle, text=TEXT)
    return cycle


@pytest.fixture
def reviewing(drafted, office_user):
    """Phase 1 closed, phase 2 open, revision 1 the draft."""
    run(drafted, office_user, DRAFT)
    cycle_services.phase_open(by=office_user, phase=phase(drafted, REVIEW))
    return drafted


@pytest.fixture
def consulting(drafted, office_user):
    """Phase 3 open."""
    run(drafted, office_user, DRAFT, REVIEW)
    cycle_services.phase_open(by=office_user, phase=phase(drafted, OPINIONS))
    return drafted


@pytest.fixture
def reps(drafted, office_user, school, other_school):
    """Three representatives with logins, named before the vote."""
    people = [person(school if i < 2 else other_school, f"代表{i}") for i in range(3)]
    for rep in people:
        consultation_services.representative_add(by=office_user, cycle=drafted, staff=rep)
    return people


@pytest.fixture
def voting(drafted, reps, office_user):
    """Phase 4 open, the vote on revision 1 open."""
    run(drafted, office_user, DRAFT, REVIEW, OPINIONS)
    cycle_services.phase_open(by=office_user, phase=phase(drafted, VOTE))
    return drafted


# --- Step 2: the allocation pages' world ------------------------------------------------------
# For a module whose ``cycle`` is a Step 2 cycle (``factories.adopted_cycle``).


@pytest.fixture
def posts(cycle, office_user, principal_user, other_principal, school, other_school):
    """夏庄完小 (``school``): #1 语文, #2 值班 (3 seats); 东张完小: the same."""
    here_and_there = (teaching(1), auxiliary(2, duty="值班", seats=3))
    return {
        "here": published(cycle, office_user, principal_user, school, *here_and_there),
        "there": published(cycle, office_user, other_principal, other_school, *here_and_there),
    }


@pytest.fixture
def mover(other_school):
    """A young teacher of 东张完小."""
    return person(other_school, "青年丙", born=date(1999, 3, 1))


@pytest.fixture
def selecting(cycle, office_user, posts, mover, principal_user):
    """Phase 6 open; 青年丙 of 东张完小 applied for 夏庄完小's post 1 and its committee
    would hire them: a cross-school applicant for the office to allocate."""
    apply(mover, cycle, posts["here"][0].school, posts["here"][0], posts["here"][1])
    to_selection(cycle, office_user)
    selection_services.ranking_record(by=principal_user, post=posts["here"][0], staff=mover, rank=1,
                       decision="hire")
    return cycle


# The tests drive cycles of school year 2026 (and later) through their phases in one go,
# on whatever day they run. For them the deadlines' "today" is before every one of
# those deadlines; the tests of the deadline itself (tests/test_probe_deadlines.py) and
# of the demo pin the day they need.
BEFORE_THE_DEADLINES = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def before_the_deadlines(monkeypatch):
    monkeypatch.setattr("recruitment.workflow.today", lambda: BEFORE_THE_DEADLINES)


@pytest.fixture
def layer_closed(selecting, office_user):
    """The centres' layer closed: the other schools take people on (issue 10, item 1)."""
    selection_services.first_layer_close(by=office_user, cycle=selecting)
    selecting.refresh_from_db()
    return selecting


@pytest.fixture(autouse=True)
def no_language_left_over():
    """Every test starts and ends with no language active (the default, zh-hans). Django's
    LocaleMiddleware activates a request's language in the thread and leaves it there, so
    a page fetched by one test would otherwise decide the language of the next test's
    direct calls (which then passed or failed by the order they ran in)."""
    translation.deactivate()
    yield
    translation.deactivate()
