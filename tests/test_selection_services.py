"""Step 2 at the service level: posts (R1), intentions (R2), selection (R3–R6),
allocation and dispatch, and no one left without a post (R7)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recruitment import rules
from recruitment.models import Hire, Post, PostKind, Proposal
from recruitment.phases import INTENTIONS, SELECTION, UNHIRED
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services
from schools.models import Position, Role

from .factories import (
    HireFactory,
    SchoolFactory,
    StaffFactory,
    UserFactory,
    adopted_cycle,
    applied,
    membership,
)
from .helpers import auxiliary, close_phase, open_phase, person, principal_of, published, teaching

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cycle(office_user, township, school, other_school, centre):
    return adopted_cycle(office=office_user, township=township, first_step=[centre],
                         quotas={school.pk: 4})


# --- R1 ------------------------------------------------------------------------------


def test_a_school_sets_posts_within_its_quota(cycle, principal_user, school):
    posts_services.post_save(
        by=principal_user, cycle=cycle, school=school, fields=teaching(1, seats=3)
    )
    with pytest.raises(ValidationError, match="may set 4 seats; this would make 5"):
        posts_services.post_save(
            by=principal_user, cycle=cycle, school=school, fields=auxiliary(2, seats=2)
        )
    posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=auxiliary(2))


def test_post_rules_are_named(cycle, principal_user, school):
    bad = rules.PostFields(number=1, kind=PostKind.TEACHING)
    with pytest.raises(ValidationError) as caught:
        posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=bad)
    assert any("subject" in m for m in caught.value.messages)
    posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=teaching(1))
    with pytest.raises(ValidationError, match="already used"):
        posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=auxiliary(1))


def test_only_the_schools_principal_or_the_office_sets_posts(cycle, principal_user, other_school,
                                                             teacher_user):
    with pytest.raises(PermissionDenied):
        posts_services.post_save(
            by=principal_user, cycle=cycle, school=other_school, fields=teaching(1)
        )
    with pytest.raises(PermissionDenied):
        posts_services.post_save(
            by=teacher_user, cycle=cycle, school=other_school, fields=teaching(1)
        )


def test_a_published_post_no_longer_changes(cycle, office_user, principal_user, school):
    [post] = published(cycle, office_user, principal_user, school, teaching(1))
    assert post.history.first().history_user == office_user  # who published it
    with pytest.raises(ValidationError, match="published"):
        posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=teaching(1),
                      post=post)
    with pytest.raises(PermissionDenied):
        posts_services.posts_publish(by=principal_user, cycle=cycle, school=school)


# --- R2 ------------------------------------------------------------------------------


@pytest.fixture
def posts(cycle, office_user, principal_user, school):
    return published(cycle, office_user, principal_user, school, teaching(1), auxiliary(2),
                     teaching(3, lessons=6))


def test_one_teaching_post_plus_auxiliary_posts(cycle, teacher_user, school, posts):
    intention = posts_services.intention_submit(by=teacher_user, cycle=cycle, choices=[
        rules.Choice(school, posts[0], [posts[1]])])
    assert not intention.support_staff
    assert intention.applications.get().teaching_post == posts[0]


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (lambda s, p: [rules.Choice(s, p[0], [])], "one or more auxiliary posts"),
        (lambda s, p: [rules.Choice(s, p[1], [p[1]])], "not a teaching post"),
        (lambda s, p: [rules.Choice(s, p[0], [p[0]])], "only auxiliary posts"),
        (lambda s, p: [rules.Choice(s, None, [p[1]]), rules.Choice(s, p[0], [p[1]])],
         "already chosen above"),
        (lambda s, p: [], "at least one school"),
    ],
)
def test_each_intention_rule_is_named(cycle, teacher_user, school, posts, choice, message):
    with pytest.raises(ValidationError) as caught:
        posts_services.intention_submit(by=teacher_user, cycle=cycle, choices=choice(school, posts))
    assert any(message in m for m in caught.value.messages)


def test_more_schools_than_the_plan_allows_are_refused(cycle, teacher_user, posts, school):
    other_schools = [SchoolFactory(township=school.township) for _ in range(3)]
    choices = [rules.Choice(s, None, [posts[1]]) for s in [school, *other_schools]]
    with pytest.raises(ValidationError) as caught:
        posts_services.intention_submit(by=teacher_user, cycle=cycle, choices=choices)
    assert any("at most 3 schools" in m for m in caught.value.messages)


def test_under_the_teaching_load_threshold_is_support_staff(cycle, teacher_user, school, posts):
    few = posts_services.intention_submit(by=teacher_user, cycle=cycle,
                               choices=[rules.Choice(school, posts[2], [posts[1]])])
    assert few.support_staff
    only_aux = posts_services.intention_submit(by=teacher_user, cycle=cycle,
                                    choices=[rules.Choice(school, None, [posts[1]])])
    assert only_aux.support_staff


def test_an_intention_changes_until_the_deadline_with_its_history(cycle, teacher_user, school,
                                                                  posts, office_user):
    posts_services.intention_submit(by=teacher_user, cycle=cycle,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    intention = posts_services.intention_submit(by=teacher_user, cycle=cycle,
                                     choices=[rules.Choice(school, None, [posts[1]])])
    assert intention.applications.count() == 1
    assert intention.history.count() == 2
    close_phase(cycle, office_user, INTENTIONS)
    with pytest.raises(ValidationError, match="closed"):
        posts_services.intention_submit(by=teacher_user, cycle=cycle,
                             choices=[rules.Choice(school, posts[0], [posts[1]])])


def test_unpublished_posts_cannot_be_chosen(cycle, principal_user, teacher_user, school):
    post = posts_services.post_save(
        by=principal_user, cycle=cycle, school=school, fields=auxiliary(9)
    )
    with pytest.raises(ValidationError) as caught:
        posts_services.intention_submit(by=teacher_user, cycle=cycle,
                             choices=[rules.Choice(school, None, [post])])
    assert any("not published" in m for m in caught.value.messages)


# --- R3–R6: selection ---------------------------------------------------------------


@pytest.fixture
def selecting(cycle, office_user, posts, teacher_user, school):
    posts_services.intention_submit(by=teacher_user, cycle=cycle,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.first_layer_close(by=office_user, cycle=cycle)  # the centres have selected
    return cycle


def test_the_committee_decides_and_the_principal_confirms(selecting, principal_user, teacher,
                                                          posts):
    with pytest.raises(ValidationError, match="has not decided to hire"):
        selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    hire = selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    assert hire.source == "selection" and list(hire.extra_posts.all()) == [posts[1]]
    assert hire.history.first().history_user == principal_user


def test_nobody_is_hired_twice_and_no_post_is_overfilled(selecting, principal_user, teacher,
                                                        posts, school):
    other = person(school, "乙")  # on the staff, but applied for nothing
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    with pytest.raises(ValidationError, match="already hired"):
        selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    assert Hire.objects.count() == 1
    with pytest.raises(ValidationError, match="did not apply"):
        selection_services.ranking_record(by=principal_user, post=posts[0], staff=other, rank=2,
                           decision="hire")


def test_a_full_post_is_refused(selecting, principal_user, teacher, posts, office_user):
    HireFactory(post=posts[0], confirmed_by=office_user)  # its only seat, taken
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    with pytest.raises(ValidationError, match="is full"):
        selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)


@pytest.mark.parametrize("who", ["teacher_user", "liaison_user", "office_user"])
def test_only_the_principal_confirms(request, selecting, principal_user, teacher, posts, who):
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    with pytest.raises(PermissionDenied):
        selection_services.hire_confirm(
            by=request.getfixturevalue(who), post=posts[0], staff=teacher
        )


def test_the_centres_select_first(cycle, office_user, other_school, centre):
    boss = principal_of(other_school, "东张")
    centre_boss = principal_of(centre, "中心")
    [other_post, other_aux] = published(cycle, office_user, boss, other_school, teaching(1),
                                        auxiliary(2))
    [centre_post, centre_aux] = published(cycle, office_user, centre_boss, centre, teaching(1),
                                          auxiliary(2))
    own = person(other_school, "本校")
    mover = person(other_school, "进城")
    posts_services.intention_submit(by=own.user, cycle=cycle,
                         choices=[rules.Choice(other_school, other_post, [other_aux])])
    posts_services.intention_submit(by=mover.user, cycle=cycle,
                         choices=[rules.Choice(centre, centre_post, [centre_aux])])
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.ranking_record(by=boss, post=other_post, staff=own, rank=1, decision="hire")
    with pytest.raises(ValidationError, match="centres select first"):
        selection_services.hire_confirm(by=boss, post=other_post, staff=own)
    # A centre recruits township-wide: another school's staff member is hired directly.
    selection_services.ranking_record(
        by=centre_boss, post=centre_post, staff=mover, rank=1, decision="hire"
    )
    assert (
        selection_services.hire_confirm(by=centre_boss, post=centre_post, staff=mover).post
        == centre_post
    )
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    assert selection_services.hire_confirm(by=boss, post=other_post, staff=own).post == other_post


def test_cross_school_applicants_go_to_the_office(cycle, office_user, principal_user, school,
                                                  other_school, posts):
    outsider = person(other_school, "外校")
    posts_services.intention_submit(by=outsider.user, cycle=cycle,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=outsider, rank=1, decision="hire"
    )
    with pytest.raises(ValidationError, match="allocated by the office"):
        selection_services.hire_confirm(by=principal_user, post=posts[0], staff=outsider)
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle, own_staff_first=False)
    allocation_services.allocation_send(by=office_user, run=run)
    proposal = Proposal.objects.get(run=run)
    assert (proposal.staff, proposal.post) == (outsider, posts[0])
    with pytest.raises(PermissionDenied):
        allocation_services.proposal_decide(by=office_user, proposal=proposal, confirm=True)
    allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)
    assert Hire.objects.get(staff=outsider).source == "allocation"
    with pytest.raises(ValidationError, match="already answered"):
        allocation_services.proposal_decide(
            by=principal_user, proposal=proposal, confirm=False, reason="x"
        )


def test_r3_a_cadre_hired_elsewhere_loses_the_position_that_day(cycle, office_user, centre,
                                                                other_school):
    vice = person(other_school, "副校长")
    Position.objects.create(staff=vice, school=other_school, title="副校长",
                            start_date=date(2020, 9, 1))
    centre_boss = principal_of(centre, "中心")
    [post, aux] = published(cycle, office_user, centre_boss, centre, teaching(1), auxiliary(2))
    posts_services.intention_submit(
        by=vice.user, cycle=cycle, choices=[rules.Choice(centre, post, [aux])]
    )
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.ranking_record(
        by=centre_boss, post=post, staff=vice, rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=centre_boss, post=post, staff=vice)
    position = Position.objects.get(staff=vice)
    assert position.end_date is not None
    assert position.end_reason == rules.R3_REASON


def test_r3_post_before_position_and_cadres_first(selecting, principal_user, office_user,
                                                  teacher, posts, school):
    with pytest.raises(ValidationError, match="post before position"):
        selection_services.cadre_propose(
            by=principal_user, cycle=selecting, staff=teacher, title="教导主任"
        )
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    proposal = selection_services.cadre_propose(by=principal_user, cycle=selecting, staff=teacher,
                                 title="教导主任")
    assert selection_selectors.cadre_refusal(selecting, school) is not None
    selection_services.cadre_decide(by=office_user, proposal=proposal, approve=True)
    position = Position.objects.get(staff=teacher, end_date__isnull=True)
    assert (position.title, position.school) == ("教导主任", school)
    assert selection_selectors.cadre_refusal(selecting, school) is None


def test_r4_a_vice_principal_removed_opens_a_township_wide_vacancy(cycle, principal_user,
                                                                  school):
    long_serving = StaffFactory(school=school)
    recent = StaffFactory(school=school)
    old = Position.objects.create(staff=long_serving, school=school, title="副校长",
                                  start_date=date(2022, 9, 1))
    Position.objects.create(staff=recent, school=school, title="副校长",
                            start_date=date(2024, 9, 1))
    assert list(selection_selectors.vices_due(cycle, school)) == [old]
    with pytest.raises(ValidationError, match="reason"):
        selection_services.vice_assess(by=principal_user, cycle=cycle, position=old, keep=False)
    assessment = selection_services.vice_assess(
        by=principal_user, cycle=cycle, position=old, keep=False, reason="考核不合格"
    )
    old.refresh_from_db()
    assert old.end_date is not None and old.end_reason == rules.R4_REASON
    assert assessment.vacancy.township_wide and assessment.vacancy.kind == "leadership"
    assert not selection_selectors.vices_due(cycle, school).exists()


def test_r5_the_own_staff_share_is_shown_per_school(selecting, principal_user, teacher, posts,
                                                   school):
    selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    row = next(r for r in selection_selectors.own_staff_shares(selecting) if r.school == school)
    assert (row.hired, row.own_staff, row.needed) == (1, 1, 14)  # ⌈2/3 × 20⌉
    assert row.below


def test_r7_training_and_assignment_of_those_who_pass(selecting, office_user, school, posts):
    idle = StaffFactory(school=school)
    close_phase(selecting, office_user, SELECTION)
    open_phase(selecting, office_user, UNHIRED)
    assert idle in unhired_selectors.unhired(selecting)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=selecting, staff=idle)
    with pytest.raises(ValidationError, match="already enrolled"):
        unhired_services.training_enrol(by=office_user, cycle=selecting, staff=idle)
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=59)
    with pytest.raises(ValidationError, match="passed the test"):
        unhired_services.trainee_assign(by=office_user, enrolment=enrolment, post=posts[2])
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=60)
    hire = unhired_services.trainee_assign(by=office_user, enrolment=enrolment, post=posts[2])
    assert hire.source == "training"
    assert idle not in unhired_selectors.unhired(selecting)
    retiring = StaffFactory(school=school)
    unhired_services.unhired_explain(
        by=office_user, cycle=selecting, staff=retiring, reason="年底退休"
    )
    assert retiring not in unhired_selectors.unhired(selecting)


# --- the 岗位 sheet ----------------------------------------------------------------------


def post_sheet(*rows, headers=None):
    from staffing.workbook import SheetSpec, workbook_bytes

    headers = headers or ["岗位序号", "类别", "年级班级", "学科", "周课时", "职责", "任职条件"]
    return workbook_bytes([SheetSpec("岗位", headers, list(rows))])


def test_posts_import_creates_and_updates_by_number(cycle, principal_user, school):
    data = post_sheet([1, "教学岗", "三年级1班", "语文", 14, "", "一级教师以上"],
                      [2, "辅助岗", "", "", "", "图书室管理", ""])
    result = posts_services.posts_import(by=principal_user, cycle=cycle, school=school, data=data)
    assert (result.created, result.updated, result.errors) == (2, 0, [])
    again = posts_services.posts_import(by=principal_user, cycle=cycle, school=school,
                             data=post_sheet([1, "教学岗", "三年级1班", "数学", 12, "", ""]))
    assert (again.created, again.updated) == (0, 1)
    post = Post.objects.get(cycle=cycle, school=school, number=1)
    assert (post.subject, post.weekly_lessons) == ("数学", 12)
    assert post.history.first().history_user == principal_user


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ([1, "主岗", "三年级", "语文", 12, "", ""], "类别", "教学岗 or 辅助岗"),
        (["一", "教学岗", "三年级", "语文", 12, "", ""], "岗位序号", "whole number"),
        ([1, "教学岗", "三年级", "", 12, "", ""], "学科", "subject"),
        ([1, "辅助岗", "", "", "", "", ""], "职责", "duty"),
        ([1, "教学岗", "三年级", "语文", "很多", "", ""], "周课时", "whole number"),
    ],
)
def test_each_wrong_post_row_is_named_and_nothing_written(cycle, principal_user, school, row,
                                                          column, reason):
    result = posts_services.posts_import(by=principal_user, cycle=cycle, school=school,
                              data=post_sheet([2, "辅助岗", "", "", "", "门卫", ""], row))
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert reason in result.errors[0].reason
    assert not Post.objects.exists()


def test_posts_import_keeps_the_quota(cycle, principal_user, school):
    rows = [[n, "辅助岗", "", "", "", "值班", ""] for n in range(1, 6)]
    result = posts_services.posts_import(by=principal_user, cycle=cycle, school=school,
                              data=post_sheet(*rows))
    assert "may set 4 seats" in result.errors[0].reason
    assert not Post.objects.exists()


# --- to-dos of Step 2 ----------------------------------------------------------------------


def test_step_2_to_dos_follow_the_phases(cycle, office_user, principal_user, teacher_user,
                                        school, posts):

    kinds = {t.kind for t in cycle_selectors.todos_for(principal_user, cycle)}
    assert "set_posts" in kinds
    assert "submit_intention" in {t.kind for t in cycle_selectors.todos_for(teacher_user, cycle)}
    posts_services.intention_submit(by=teacher_user, cycle=cycle,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    assert "submit_intention" not in {
        t.kind for t in cycle_selectors.todos_for(teacher_user, cycle)
    }
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    assert [
        t.school for t in cycle_selectors.todos_for(principal_user, cycle) if t.kind == "select"
    ] == [school]


def test_nobody_ranks_or_confirms_their_own_hire(selecting, office_user, principal_user,
                                                 posts, school):
    me = principal_user.staff_profile
    applied(selecting, me, school, posts[0], posts[1])
    with pytest.raises(ValidationError, match="own application"):
        selection_services.ranking_record(
            by=principal_user, post=posts[0], staff=me, rank=1, decision="hire"
        )
    liaison = UserFactory(username="liaison-2")
    membership(liaison, Role.LIAISON, school)
    ranking = selection_services.ranking_record(
        by=liaison, post=posts[0], staff=me, rank=1, decision="hire"
    )
    assert ranking.history.count() == 1
    with pytest.raises(ValidationError, match="office confirms the principal's"):
        selection_services.hire_confirm(by=principal_user, post=posts[0], staff=me)
    assert selection_services.hire_confirm(by=office_user, post=posts[0], staff=me).staff == me


def test_a_decision_outside_the_choices_is_refused(selecting, principal_user, teacher, posts):
    with pytest.raises(ValidationError, match="Choose hire"):
        selection_services.ranking_record(by=principal_user, post=posts[0], staff=teacher, rank=1,
                           decision="maybe")
