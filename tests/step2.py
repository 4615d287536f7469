"""A cycle with an adopted plan, built through the real services, for Step 2 tests."""

from recruitment import services
from recruitment.phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, VOTE

from .factories import StaffFactory, UserFactory

TEXT = "方案\n一、岗位设置\n先定岗位。\n"


def open_phase(cycle, by, number):
    services.phase_open(by=by, phase=services.phase_of(cycle, number))


def close_phase(cycle, by, number):
    services.phase_close(by=by, phase=services.phase_of(cycle, number))


def adopted_cycle(*, office, township, first_step=(), quotas=None, settings=None):
    """A cycle whose plan the congress adopted, with phase 5 open."""
    cycle = services.cycle_create(by=office, township=township, school_year=2026)
    open_phase(cycle, office, DRAFT)
    schools = [(s, (quotas or {}).get(s.pk, 10), s in first_step)
               for s in township.schools.all()]
    services.plan_revise(by=office, cycle=cycle, text=TEXT, schools=schools,
                         settings=settings or {})
    close_phase(cycle, office, DRAFT)
    for number in (REVIEW, OPINIONS):
        open_phase(cycle, office, number)
        close_phase(cycle, office, number)
    school = township.schools.first()
    rep = StaffFactory(school=school, user=UserFactory(username="rep-voter"))
    services.representative_add(by=office, cycle=cycle, staff=rep)
    open_phase(cycle, office, VOTE)
    services.vote_cast(by=rep.user, cycle=cycle, choice="for")
    services.vote_close(by=office, cycle=cycle)
    open_phase(cycle, office, INTENTIONS)
    cycle.refresh_from_db()
    return cycle
