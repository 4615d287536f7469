"""R12's public scoring and exceptional review at the service level: a ranking valid only
once every candidate acknowledged, an acknowledgement lost when a score changes, an
objection whose answer changes a score with its history, the three steps of an
exceptional review strictly in order, double submits."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from evaluation import rules
from evaluation.models import (
    ObjectionState,
    ReviewOutcome,
    ReviewStep,
    TitleAcknowledgement,
    TitleObjection,
    TitleScore,
    TitleScoreChange,
    YearState,
)
from evaluation.selectors import title_review as review_selectors
from evaluation.selectors import titles as title_selectors
from evaluation.services import title_review as services
from evaluation.services import titles as title_services
from staffing.history import history_of

from . import titles_world
from .titles_world import acknowledge, candidate_login, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def world(year, school, principal_user):
    the_table = table(year)
    group = quota(year, school, recommended=1)
    first = candidate_login(year, school, "cand-a", name="甲老师", lesson="90")
    second = candidate_login(year, school, "cand-b", name="乙老师", lesson="80")
    scores(first, the_table, A1="10", B1="20", B2="15")
    scores(second, the_table, A1="8", B1="12")
    return {"table": the_table, "group": group, "first": first, "second": second,
            "items": {i.code: i for i in the_table.items.all()}}


def ranking_of(year):
    [ranking] = title_selectors.rankings(year)
    return ranking


def test_a_ranking_is_invalid_until_every_candidate_acknowledges(world, year):
    group = world["group"]
    assert not ranking_of(year).valid
    services.acknowledgement_give(by=world["first"].staff.user, candidate=world["first"],
                                  seen_revision=group.revision)
    ranking = ranking_of(year)
    assert not ranking.valid
    assert ranking.waiting == [world["second"]]
    services.acknowledgement_give(by=world["second"].staff.user, candidate=world["second"],
                                  seen_revision=group.revision)
    assert ranking_of(year).valid


def test_an_acknowledgement_is_lost_when_a_score_changes(world, year, principal_user):
    acknowledge([world["first"], world["second"]], world["group"])
    assert ranking_of(year).valid
    title_services.score_set(by=principal_user, candidate=world["second"],
                             item=world["items"]["B2"], score=D("5"))
    ranking = ranking_of(year)
    assert not ranking.valid
    assert set(ranking.waiting) == {world["first"], world["second"]}
    board = review_selectors.public_scoring(world["first"])
    assert board.acknowledged_before and not board.acknowledged


def test_acknowledging_scores_seen_before_a_change_is_refused(world, principal_user):
    seen = world["group"].revision
    title_services.lesson_set(by=principal_user, candidate=world["second"], score=D("81"))
    with pytest.raises(ValidationError, match="changed since you opened"):
        services.acknowledgement_give(by=world["first"].staff.user, candidate=world["first"],
                                      seen_revision=seen)
    assert not TitleAcknowledgement.objects.exists()


def test_a_double_submit_acknowledges_once(world):
    user, first = world["first"].staff.user, world["first"]
    revision = world["group"].revision
    _ack, created = services.acknowledgement_give(by=user, candidate=first,
                                                  seen_revision=revision)
    _again, created_again = services.acknowledgement_give(by=user, candidate=first,
                                                          seen_revision=revision)
    assert (created, created_again) == (True, False)
    assert TitleAcknowledgement.objects.filter(candidate=first).count() == 1


def test_an_open_objection_holds_back_the_objectors_acknowledgement(world):
    first = world["first"]
    services.objection_raise(by=first.staff.user, candidate=first, item=None,
                             reason="B1 应为 15 分")
    with pytest.raises(ValidationError, match="waits for the unit's answer"):
        services.acknowledgement_give(by=first.staff.user, candidate=first,
                                      seen_revision=world["group"].revision)


def test_the_same_objection_sent_twice_is_kept_once(world):
    first = world["first"]
    one, made = services.objection_raise(by=first.staff.user, candidate=first,
                                         item=world["items"]["B1"], reason="证书漏计")
    two, made_again = services.objection_raise(by=first.staff.user, candidate=first,
                                               item=world["items"]["B1"], reason=" 证书漏计 ")
    assert (made, made_again, one.pk) == (True, False, two.pk)
    assert TitleObjection.objects.count() == 1


def test_an_objection_without_a_reason_is_refused(world):
    with pytest.raises(ValidationError, match="Say why"):
        services.objection_raise(by=world["first"].staff.user, candidate=world["first"],
                                 item=None, reason="   ")


def test_an_answer_changing_scores_keeps_their_history_and_asks_everyone_again(
        world, year, principal_user):
    first, second, items = world["first"], world["second"], world["items"]
    acknowledge([second], world["group"])
    objection, _made = services.objection_raise(by=first.staff.user, candidate=first,
                                                item=items["B2"], reason="公开课证书漏计")
    before = world["group"].revision
    made = services.objection_answer(
        by=principal_user, objection=objection, answer="核实后 B2 改为 18 分，说课改为 92 分",
        new_scores=[services.NewScore(first, items["B2"], D("18")),
                    services.NewScore(first, None, D("92")),
                    services.NewScore(second, items["A1"], D("8"))])  # unchanged: not kept
    assert [(c.item, c.old, c.new) for c in made] == [(items["B2"], D("15"), D("18")),
                                                      (None, D("90"), D("92"))]
    assert TitleScoreChange.objects.filter(objection=objection).count() == 2
    objection.refresh_from_db()
    assert objection.state == ObjectionState.ANSWERED
    assert objection.answered_by == principal_user and objection.answered_at
    score = TitleScore.objects.get(candidate=first, item=items["B2"])
    assert score.score == D("18")
    latest = score.history.latest()  # the world wrote 15 in bulk, without history
    assert (latest.score, latest.history_user) == (D("18"), principal_user)
    world["group"].refresh_from_db()
    assert world["group"].revision > before
    ranking = ranking_of(year)
    assert second in ranking.waiting  # their acknowledgement was of the old scores
    row = next(r for r in ranking.rows if r.candidate == first)
    assert row.q == D("10") + D("30") and row.lesson == D("92")  # B1 20 + B2 18, capped 30
    [answered, raised] = history_of(objection)
    assert raised.action == "created" and answered.action == "changed"
    assert "answered" in {change.new for change in answered.changes}


def test_an_answer_is_given_once_and_keeps_scores_in_range(world, principal_user):
    first, items = world["first"], world["items"]
    objection, _made = services.objection_raise(by=first.staff.user, candidate=first,
                                                item=None, reason="理由")
    with pytest.raises(ValidationError, match="from 0 to 20"):
        services.objection_answer(by=principal_user, objection=objection, answer="改",
                                  new_scores=[services.NewScore(first, items["B1"], D("21"))])
    assert TitleScore.objects.get(candidate=first, item=items["B1"]).score == D("20")
    services.objection_answer(by=principal_user, objection=objection, answer="维持原分")
    with pytest.raises(ValidationError, match="answered already"):
        services.objection_answer(by=principal_user, objection=objection, answer="再答")


def test_an_answer_cannot_change_another_units_scores(world, year, other_school,
                                                      principal_user):
    quota(year, other_school)
    stranger = candidate_login(year, other_school, "cand-x")
    scores(stranger, world["table"], A1="1")
    objection, _made = services.objection_raise(by=world["first"].staff.user,
                                                candidate=world["first"], item=None,
                                                reason="理由")
    with pytest.raises(ValidationError, match="another unit"):
        services.objection_answer(
            by=principal_user, objection=objection, answer="改",
            new_scores=[services.NewScore(stranger, world["items"]["A1"], D("2"))])


def test_nothing_changes_once_the_year_is_closed(world, year):
    year.state = YearState.CLOSED
    year.save()
    with pytest.raises(ValidationError, match="closed"):
        services.acknowledgement_give(by=world["first"].staff.user, candidate=world["first"],
                                      seen_revision=world["group"].revision)


# ---- the exceptional review --------------------------------------------------------------


@pytest.fixture
def exceptional(year, school):
    quota(year, school)
    return candidate_login(year, school, "cand-e", name="丙老师", exceptional=True)


@pytest.mark.parametrize(("step", "done", "refused"), [
    (1, 0, False), (2, 0, True), (3, 0, True), (3, 1, True), (2, 1, False), (1, 1, False),
    (3, 2, False), (1, 2, True), (2, 2, False), (1, 3, True), (2, 3, True), (3, 3, True),
])
def test_the_review_steps_go_strictly_in_order(step, done, refused):
    assert bool(rules.exceptional_step_refusal(step, done)) is refused


def test_each_step_is_refused_before_the_previous_one(exceptional, county_user):
    with pytest.raises(ValidationError, match="unit's evaluation comes first"):
        services.review_presentation_record(by=county_user, candidate=exceptional,
                                            notes="", evidence="证书", claimed_score=D("80"))
    with pytest.raises(ValidationError, match="presentation comes before"):
        services.review_final_record(by=county_user, candidate=exceptional,
                                     final_score=D("80"), passed=True)
    assert not services.review_of(exceptional)
    services.review_unit_record(by=county_user, candidate=exceptional, opinion="教学突出",
                                score=D("88"))
    with pytest.raises(ValidationError, match="presentation comes before"):
        services.review_final_record(by=county_user, candidate=exceptional,
                                     final_score=D("80"), passed=True)
    services.review_presentation_record(by=county_user, candidate=exceptional,
                                        notes="B1 市级优质课", evidence="获奖证书三件",
                                        claimed_score=D("82.5"))
    with pytest.raises(ValidationError, match="later step is recorded"):
        services.review_unit_record(by=county_user, candidate=exceptional, opinion="改",
                                    score=None)
    review = services.review_final_record(by=county_user, candidate=exceptional,
                                          final_score=D("80.5"), passed=True, note="通过")
    assert (review.step, review.outcome, review.final_by) == (
        ReviewStep.FINAL, ReviewOutcome.PASSED, county_user)
    assert review.unit_at <= review.presented_at <= review.final_at
    with pytest.raises(ValidationError, match="final score is fixed"):
        services.review_final_record(by=county_user, candidate=exceptional,
                                     final_score=D("90"), passed=True)
    review.refresh_from_db()
    assert review.final_score == D("80.5")
    assert [h.step for h in review.history.order_by("history_id")] == [1, 2, 3]
    assert {h.history_user for h in review.history.all()} == {county_user}


def test_a_candidate_who_is_not_exceptional_is_not_reviewed(year, school, county_user):
    quota(year, school)
    plain = candidate_login(year, school, "cand-p")
    with pytest.raises(ValidationError, match="Not an exceptional"):
        services.review_unit_record(by=county_user, candidate=plain, opinion="好",
                                    score=None)
