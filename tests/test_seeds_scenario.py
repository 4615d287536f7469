"""The seeds' scenario of Step 2, from the adopted plan to the outcome, through the
services (Step 1's own path is test_cycle_services.py's): a centre recruits township-wide,
a vice principal not hired at their own school loses the position, a teacher moves to a
remote school through the office's allocation, and a trainee is assigned after passing.
The outcome then counts each of them."""

from datetime import date

import pytest

from recruitment import rules
from recruitment.models import Proposal
from recruitment.phases import SELECTION, UNHIRED
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services
from schools.models import Position, SchoolKind

from .factories import SchoolFactory, adopted_cycle
from .helpers import apply, close_phase, open_phase, person, principal_of, to_selection

pytestmark = pytest.mark.usefixtures("english")


def test_the_seeds_scenario(township, office_user):
    middle = SchoolFactory(township=township, name="中心中学", kind=SchoolKind.CENTRAL_MIDDLE,
                           establishment=3)
    primary = SchoolFactory(township=township, name="夏庄完小", establishment=3)
    remote = SchoolFactory(township=township, name="北赵完小", remote=True, establishment=3)
    cycle = adopted_cycle(office=office_user, township=township, first_step=[middle])
    heads = {s: principal_of(s, s.name) for s in (middle, primary, remote)}

    def posts(school, *numbers):
        made = [
            posts_services.post_save(
                by=heads[school],
                cycle=cycle,
                school=school,
                fields=rules.PostFields(
                    number=n,
                    kind="teaching",
                    grade_class="七年级",
                    subject="语文",
                    weekly_lessons=12,
                ),
            )
            for n in numbers
        ]
        made.append(posts_services.post_save(by=heads[school], cycle=cycle, school=school,
                                  fields=rules.PostFields(number=9, kind="auxiliary",
                                                        duties="值班", seats=3)))
        posts_services.posts_publish(by=office_user, cycle=cycle, school=school)
        return made

    m1, m2, m_aux = posts(middle, 1, 2)
    p1, p_aux = posts(primary, 1)
    r1, r_aux = posts(remote, 1)

    vice = person(middle, "副校长甲")
    Position.objects.create(staff=vice, school=middle, title="副校长", start_date=date(2021, 9, 1))
    star = person(primary, "骨干乙")  # a primary teacher the middle school recruits
    mover = person(primary, "青年丙", born=date(1999, 3, 1))  # moves to the remote school
    keeper = person(primary, "本校丁")
    trainee = person(middle, "落聘戊")

    apply(vice, cycle, middle, m1, m_aux)
    apply(star, cycle, middle, m1, m_aux)
    apply(mover, cycle, remote, r1, r_aux)
    apply(keeper, cycle, primary, p1, p_aux)
    apply(trainee, cycle, middle, m2, m_aux)
    to_selection(cycle, office_user)

    # The centre recruits township-wide: it prefers the primary's backbone teacher.
    selection_services.ranking_record(
        by=heads[middle], post=m1, staff=star, rank=1, decision="hire"
    )
    selection_services.ranking_record(
        by=heads[middle], post=m1, staff=vice, rank=2, decision="not_hire"
    )
    selection_services.ranking_record(
        by=heads[middle], post=m2, staff=trainee, rank=1, decision="not_hire"
    )
    selection_services.hire_confirm(by=heads[middle], post=m1, staff=star)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    selection_services.ranking_record(
        by=heads[primary], post=p1, staff=keeper, rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=heads[primary], post=p1, staff=keeper)

    # Cross-school: the remote school would take the young teacher; the office allocates.
    selection_services.ranking_record(
        by=heads[remote], post=r1, staff=mover, rank=1, decision="hire"
    )
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle, own_staff_first=True)
    allocation_services.allocation_send(by=office_user, run=run)
    proposal = Proposal.objects.get(staff=mover)
    allocation_services.proposal_decide(by=heads[remote], proposal=proposal, confirm=True)

    # The vice principal, not hired at their own unit, lost the position (R3) — when the
    # selection closes with them unhired at their school.
    selection_services.positions_end(by=office_user, cycle=cycle)
    lost = Position.objects.get(staff=vice)
    assert lost.end_date is not None and lost.end_reason == rules.R3_REASON

    close_phase(cycle, office_user, SELECTION)
    open_phase(cycle, office_user, UNHIRED)
    assert {s.name for s in unhired_selectors.unhired(cycle)} >= {"副校长甲", "落聘戊"}
    enrolment = unhired_services.training_enrol(by=office_user, cycle=cycle, staff=trainee)
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=75)
    unhired_services.trainee_assign(by=office_user, enrolment=enrolment, post=m2)
    vice_training = unhired_services.training_enrol(by=office_user, cycle=cycle, staff=vice)
    unhired_services.training_score(by=office_user, enrolment=vice_training, score=88)
    unhired_services.trainee_assign(by=office_user, enrolment=vice_training, post=p_aux)

    result = outcome_selectors.outcome(cycle)
    rows = {r.school.name: r for r in result.schools}
    assert (rows["中心中学"].moved_in, rows["中心中学"].own_kept) == (1, 1)
    assert rows["中心中学"].cadres_lost == 1
    assert (rows["北赵完小"].moved_in, rows["夏庄完小"].moved_out) == (1, 2)
    assert rows["夏庄完小"].moved_in == 1  # the former vice principal, after training
    assert rows["北赵完小"].ages_after["<30"] == 1
    assert outcome_selectors.result_of(cycle, mover).hire.post == r1
    assert outcome_selectors.result_of(cycle, trainee).hire.source == "training"
    sheets = outcome_selectors.outcome_sheets(result)
    assert [s.name for s in sheets] == ["结果", "人数", "人员"]
