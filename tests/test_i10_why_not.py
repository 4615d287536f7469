"""Issue 10, item 20: for each choice a staff member ranked and did not get, they see why
in plain words; the office sees each post's last admitted rank and, on an allocation run,
the reason for every unmet preference; a recorded run re-run on its stored input gives
the same assignment.

The world: 夏庄完小's post 1 (语文, one seat). Its committee ranks 青年丙 of 东张完小 first,
its own 本校丁 second (hired), 本校戊 third, and does not accept 本校己."""

import pytest

from recruitment import allocation as engine
from recruitment import rules
from recruitment.models import AllocationRun
from recruitment.phases import SELECTION
from recruitment.services import allocation as allocation_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services

from .factories import adopted_cycle
from .helpers import (
    apply,
    auxiliary,
    close_phase,
    person,
    published,
    school_url,
    section,
    teaching,
    to_selection,
    url,
)


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def world(cycle, office_user, principal_user, posts, school, other_school):
    here = posts["here"]
    people = {"mover": person(other_school, "青年丙"), "kept": person(school, "本校丁"),
              "third": person(school, "本校戊"), "refused": person(school, "本校己")}
    for staff in people.values():
        apply(staff, cycle, school, here[0], here[1])
    to_selection(cycle, office_user)
    for name, rank, decision in (("mover", 1, "hire"), ("kept", 2, "hire"),
                                 ("third", 3, "hire"), ("refused", None, "not_hire")):
        selection_services.ranking_record(by=principal_user, post=here[0],
                                          staff=people[name], rank=rank, decision=decision)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    selection_services.hire_confirm(by=principal_user, post=here[0], staff=people["kept"])
    return people


def why_not(client, cycle) -> str:
    return section(client.get(url("my_result", cycle)), "why-not")


def test_each_unmet_choice_says_why_in_plain_words(login, office_user, cycle, world):
    before_close = why_not(login(world["third"].user), cycle)
    close_phase(cycle, office_user, SELECTION)

    assert "第1志愿，夏庄完小 1号岗位：" in before_close
    assert "名额已由聘任委员会排序更靠前的1名应聘人员占满" in before_close
    assert "本校人员优先：名额留给了夏庄完小的原有人员" in why_not(
        login(world["mover"].user), cycle)
    assert "夏庄完小聘任委员会未聘用您" in why_not(login(world["refused"].user), cycle)
    for shown in (before_close,):
        assert "R5" not in shown and "R7" not in shown


def test_a_hired_person_has_no_unmet_choice(login, cycle, world):
    page = login(world["kept"].user).get(url("my_result", cycle)).text

    assert 'id="why-not"' not in page


def test_the_committee_page_shows_each_posts_last_admitted_rank(login, office_user, cycle,
                                                               world, school, posts):
    page = login(office_user).get(school_url(cycle, school)).text

    post = page.split(f'id="post-{posts["here"][0].pk}"')[1].split("</article>")[0]
    assert "末位录取名次：2" in post
    assert "末位录取名次" not in page.split(f'id="post-{posts["here"][1].pk}"')[1].split(
        "</article>")[0]


@pytest.fixture
def run(cycle, office_user, principal_user, posts, school, other_school, other_principal):
    """Three cross-school applicants for 夏庄完小's post 1 (one seat) and 东张完小's post 1
    (one seat): the committee of 夏庄完小 ranks 甲 over 乙 and does not list 丙."""
    here, there = posts["here"], posts["there"]
    first, second, third = (person(other_school, "调配甲"), person(other_school, "调配乙"),
                            person(other_school, "调配丙"))
    stranger = person(school, "调配丁")
    for staff in (first, second, third):
        apply(staff, cycle, school, here[0], here[1])
    apply(stranger, cycle, other_school, there[0], there[1])
    to_selection(cycle, office_user)
    for staff, rank in ((first, 1), (second, 2)):
        selection_services.ranking_record(by=principal_user, post=here[0], staff=staff,
                                          rank=rank, decision="hire")
    selection_services.ranking_record(by=other_principal, post=there[0], staff=stranger,
                                      rank=1, decision="hire")
    return allocation_services.allocation_preview(by=office_user, cycle=cycle,
                                                  own_staff_first=True)


def test_the_run_page_gives_the_reason_for_every_unmet_preference(login, office_user, cycle,
                                                                  run):
    page = section(login(office_user).get(url("allocation_run", cycle, run.pk)), "unmet")

    rows = {row.split("</th>")[0].split(">", 1)[1].split(" <")[0]: row
            for row in page.split("<tr>")[2:]}
    assert set(rows) == {"调配乙", "调配丙"}
    assert "名额已由聘任委员会排序更靠前的1名应聘人员占满" in rows["调配乙"]
    assert "该岗位的聘任委员会未对其排序，或决定不聘" in rows["调配丙"]
    assert "2项志愿未满足" in page


def test_a_recorded_run_rerun_on_its_stored_input_gives_the_same_assignment(run):
    stored = AllocationRun.objects.get(pk=run.pk)

    again = engine.allocate(engine.parse(stored.input))

    assert again.assignment == stored.result["assignment"]
    assert again.as_json() == stored.result
    assert sum(1 for post in again.assignment.values() if post) == 2


def test_the_engine_explains_own_staff_first():
    problem = engine.Problem(
        posts=(engine.Post("P1", "S1", 1),),
        teachers=(engine.Teacher("T1", "S2", ("P1",)), engine.Teacher("T2", "S1", ("P1",))),
        priorities={"P1": ("T1", "T2")}, own_staff_first=True)

    result = engine.allocate(problem)

    assert result.assignment == {"T1": None, "T2": "P1"}
    assert engine.unmet_preferences(problem, result) == [
        engine.Unmet("T1", "P1", engine.OWN_STAFF_FIRST, 1)]
    plain = engine.Problem(problem.posts, problem.teachers, problem.priorities, False)
    assert engine.unmet_preferences(plain, engine.allocate(plain)) == [
        engine.Unmet("T2", "P1", engine.RANKED_HIGHER, 1)]


def test_a_choice_lost_to_the_centres_layer_says_so(login, office_user, principal_user,
                                                     other_principal, township, school,
                                                     other_school):
    """东张完小 is a centre (the first layer): it hires 青年丁 of 夏庄完小, whose first
    choice was 夏庄完小's post 1, before the other schools select."""
    cycle = adopted_cycle(office=office_user, township=township, first_step=[other_school])
    here = published(cycle, office_user, principal_user, school, teaching(1), auxiliary(2))
    there = published(cycle, office_user, other_principal, other_school, teaching(1),
                      auxiliary(2))
    staff = person(school, "青年丁")
    posts_services.intention_submit(by=staff.user, cycle=cycle, choices=[
        rules.Choice(school, here[0], [here[1]]), rules.Choice(other_school, there[0], [there[1]])])
    to_selection(cycle, office_user)
    selection_services.ranking_record(by=other_principal, post=there[0], staff=staff, rank=1,
                                      decision="hire")
    selection_services.hire_confirm(by=other_principal, post=there[0], staff=staff)

    shown = why_not(login(staff.user), cycle)

    assert "第1志愿，夏庄完小 1号岗位：" in shown
    assert "中心学校先行选聘：您在其他学校选聘之前已被东张完小聘用" in shown
    assert "第2志愿" not in shown  # the post they hold
