"""Recommendation lists with the award as a threshold (R9): the veto and its reason, the
quota and what stays unfilled, the seeds' case (quota 8, 5 recommended), publication,
the pages and who may see them."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import rules
from evaluation.models import AwardKind, Candidate, CandidateStatus, RequiredAward
from evaluation.selectors import recommendations as selectors
from evaluation.services import recommendations as services
from staffing.models import Publication

from . import recs_world
from .factories import StaffFactory
from .helpers import at_once, messages_of, text
from .recs_world import AS_OF, award, exam, honours_list, many_staff, seeds_case

pytestmark = pytest.mark.django_db

rec_list = recs_world.rec_list


# ---- the rule -------------------------------------------------------------------------


def held(kind, day, model=False):
    return rules.HeldAward(kind, day, model)


def test_the_window_starts_on_1_september_of_the_school_year_n_minus_1_before():
    assert rules.window_start(date(2027, 5, 1), 3) == date(2024, 9, 1)
    assert rules.window_start(date(2026, 9, 1), 3) == date(2024, 9, 1)
    assert rules.window_start(date(2026, 8, 31), 1) == date(2025, 9, 1)


def test_an_excellence_award_in_the_window_meets_the_default_threshold(english):
    refusal = rules.award_threshold_refusal(
        rules.Threshold(), [held(rules.AWARD_EXCELLENCE, date(2024, 9, 1))], AS_OF)
    assert refusal is None


def test_an_excellence_award_a_day_before_the_window_does_not(english):
    refusal = rules.award_threshold_refusal(
        rules.Threshold(), [held(rules.AWARD_EXCELLENCE, date(2024, 8, 31))], AS_OF)
    assert refusal == ("No teaching excellence award (last 3 years); holds no award in "
                       "that time")


def test_an_award_after_the_day_counted_is_not_counted(english):
    refusal = rules.award_threshold_refusal(
        rules.Threshold(), [held(rules.AWARD_EXCELLENCE, AS_OF + timedelta(days=1))], AS_OF)
    assert refusal is not None


def test_the_reason_names_what_they_do_hold(english):
    refusal = rules.award_threshold_refusal(
        rules.Threshold(), [held(rules.AWARD_STANDARD, date(2025, 1, 1)),
                            held(rules.AWARD_STANDARD, date(2026, 1, 1))], AS_OF)
    assert refusal == ("No teaching excellence award (last 3 years); holds: teaching "
                       "standard award ×2")


def test_the_reason_in_chinese():
    refusal = rules.award_threshold_refusal(rules.Threshold(), [], AS_OF)
    assert refusal.startswith("无教学优胜奖 (近3年)")


def test_any_award_and_model_teacher_thresholds(english):
    standard = [held(rules.AWARD_STANDARD, date(2025, 1, 1))]
    assert rules.award_threshold_refusal(rules.Threshold(rules.REQUIRE_ANY), standard,
                                         AS_OF) is None
    excellence = [held(rules.AWARD_EXCELLENCE, date(2025, 1, 1))]
    assert rules.award_threshold_refusal(rules.Threshold(rules.REQUIRE_MODEL), excellence,
                                         AS_OF).startswith("No model teacher")
    model = [held(rules.AWARD_EXCELLENCE, date(2025, 1, 1), True)]
    assert rules.award_threshold_refusal(rules.Threshold(rules.REQUIRE_MODEL), model,
                                         AS_OF) is None


def test_a_one_year_window(english):
    awards = [held(rules.AWARD_EXCELLENCE, date(2026, 6, 1))]
    assert rules.award_threshold_refusal(rules.Threshold(years=1), awards, AS_OF) is not None
    assert rules.award_threshold_refusal(rules.Threshold(years=2), awards, AS_OF) is None


def test_threshold_of_reads_the_award_table_in_one_query(township, school,
                                                         django_assert_num_queries):
    people = seeds_case(township, school)
    with django_assert_num_queries(1):
        found = selectors.threshold_of([p.pk for p in people], rules.Threshold(), AS_OF)
    assert [found[p.pk] is None for p in people] == [True] * 5 + [False] * 5


# ---- the seeds' case --------------------------------------------------------------------


def test_the_seeds_case_ten_nominated_five_recommended_three_unfilled(
        office_user, principal_user, township, school, rec_list, english):
    people = seeds_case(township, school)

    result = services.nominate(by=principal_user, rec_list=rec_list, school=school,
                               staff_ids=[p.pk for p in people])

    assert [p.name for p in result.recommended] == [f"候选{i}" for i in range(5)]
    assert len(result.vetoed) == 5 and not result.refused
    reasons = dict(Candidate.objects.filter(status=CandidateStatus.VETOED)
                   .values_list("staff__name", "reason"))
    assert reasons["候选5"] == ("No teaching excellence award (last 3 years); holds: "
                                "teaching standard award ×1")
    assert reasons["候选9"] == ("No teaching excellence award (last 3 years); holds no award "
                                "in that time")
    figures = selectors.figures_of(rec_list)
    assert (figures.quota, figures.recommended, figures.vetoed, figures.unfilled) == (8, 5, 5, 3)


def test_the_list_page_shows_the_quota_the_vetoes_and_the_unfilled_places(
        login, office_user, principal_user, township, school, rec_list):
    people = seeds_case(township, school)
    services.nominate(by=principal_user, rec_list=rec_list, school=school,
                      staff_ids=[p.pk for p in people])

    page = text(login(office_user).get(reverse("evaluation:rec_list", args=[rec_list.pk])))

    assert "3 名额空缺" in page
    assert "无教学优胜奖 (近3年)" in page
    assert page.count("否决") >= 5


def test_the_quota_is_never_exceeded(office_user, township, school, english):
    rec_list = honours_list(office_user, township, quota=3)
    people = seeds_case(township, school)

    result = services.nominate(by=office_user, rec_list=rec_list, school=school,
                               staff_ids=[p.pk for p in people[:5]])

    assert len(result.recommended) == 3
    assert [reason for _p, reason in result.refused] == [
        "The quota of 3 is full (3 recommended)."] * 2
    assert Candidate.objects.filter(rec_list=rec_list).count() == 3


def test_a_candidate_is_nominated_once(office_user, township, school, rec_list, english):
    people = seeds_case(township, school)
    services.nominate(by=office_user, rec_list=rec_list, school=school, staff_ids=[people[0].pk])

    result = services.nominate(by=office_user, rec_list=rec_list, school=school,
                               staff_ids=[people[0].pk])

    assert result.refused[0][1] == "already on the list"
    assert Candidate.objects.count() == 1


def test_staff_of_another_school_are_refused(office_user, township, school, other_school,
                                             rec_list, english):
    there = StaffFactory(school=other_school)
    with pytest.raises(ValidationError, match="Only staff of"):
        services.nominate(by=office_user, rec_list=rec_list, school=school,
                          staff_ids=[there.pk])


@pytest.mark.parametrize("quota", [0, -1])
def test_a_quota_is_above_zero(office_user, township, quota):
    with pytest.raises(ValidationError):
        honours_list(office_user, township, quota=quota)


@pytest.mark.django_db(transaction=True)
def test_two_nominations_at_the_quota_edge_at_once_recommend_one(office_user, township,
                                                                 school):
    rec_list = honours_list(office_user, township, quota=1)
    the_exam = exam(township)
    people = [StaffFactory(school=school, name=f"并发{i}") for i in range(2)]
    for person in people:
        award(person, the_exam)

    outcomes = at_once(*(
        lambda who=who: services.nominate(by=office_user, rec_list=rec_list, school=school,
                                          staff_ids=[who.pk])
        for who in people))

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert sorted(len(o.recommended) for o in outcomes) == [0, 1]
    assert Candidate.objects.filter(status=CandidateStatus.RECOMMENDED).count() == 1


def test_removing_a_candidate_frees_the_place_and_is_in_the_history(
        office_user, township, school, rec_list):
    people = seeds_case(township, school)
    services.nominate(by=office_user, rec_list=rec_list, school=school, staff_ids=[people[0].pk])
    candidate = Candidate.objects.get()

    services.candidate_remove(by=office_user, candidate=candidate)

    assert selectors.figures_of(rec_list).recommended == 0
    changes = selectors.candidate_changes(rec_list)
    assert [c.history_type for c in changes] == ["-", "+"]
    assert all(c.history_user == office_user for c in changes)


def test_model_teacher_list_vetoes_an_excellence_award(office_user, township, school,
                                                      english):
    rec_list = honours_list(office_user, township, required=RequiredAward.MODEL)
    person = StaffFactory(school=school)
    award(person, exam(township))

    result = services.nominate(by=office_user, rec_list=rec_list, school=school,
                               staff_ids=[person.pk])

    assert result.vetoed[0][1].startswith("No model teacher")


# ---- publication ------------------------------------------------------------------------


def _published(office_user, principal_user, township, school, rec_list):
    people = seeds_case(township, school)
    services.nominate(by=principal_user, rec_list=rec_list, school=school,
                      staff_ids=[p.pk for p in people])
    return services.list_publish(by=office_user, rec_list=rec_list)


def test_publication_goes_through_the_mechanism_with_the_lists_key(
        office_user, principal_user, township, school, rec_list):
    pub = _published(office_user, principal_user, township, school, rec_list)

    assert (pub.kind, pub.key, pub.township_id) == ("evaluation.recommendations",
                                                    str(rec_list.pk), township.pk)
    assert pub.window_closes is not None


def test_an_empty_list_is_not_published(office_user, rec_list):
    with pytest.raises(ValidationError):
        services.list_publish(by=office_user, rec_list=rec_list)


def test_a_teacher_objects_the_office_answers_locks_and_reopens(
        login, office_user, principal_user, teacher_user, township, school, rec_list):
    pub = _published(office_user, principal_user, township, school, rec_list)
    candidate = Candidate.objects.filter(status=CandidateStatus.VETOED).first()

    client = login(teacher_user)
    response = client.post(reverse("evaluation:rec_public", args=[rec_list.pk]),
                           {"candidate": candidate.pk, "reason": "他有优胜奖"})
    assert response.status_code == 302
    objection = pub.objections.get()
    assert objection.item == str(candidate.staff_id)

    office = login(office_user)
    office.post(reverse("evaluation:rec_answer", args=[rec_list.pk, objection.pk]),
                {"answer": "已核实，无优胜奖"})
    objection.refresh_from_db()
    assert objection.status == "declined"

    services.list_lock(by=office_user, pub=pub, on=pub.window_closes + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.nominate(by=office_user, rec_list=rec_list, school=school,
                          staff_ids=[StaffFactory(school=school).pk])
    response = office.post(reverse("evaluation:rec_reopen", args=[rec_list.pk]),
                           {"reason": "补报"})
    assert response.status_code == 302
    pub.refresh_from_db()
    assert pub.state == Publication.State.REOPENED


def test_the_export_lists_every_candidate(login, office_user, principal_user, township,
                                          school, rec_list):
    _published(office_user, principal_user, township, school, rec_list)

    response = login(office_user).get(reverse("evaluation:rec_export", args=[rec_list.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("学校", "姓名")
    assert len(rows) == 11


# ---- pages and permissions --------------------------------------------------------------


def test_the_office_creates_a_list(login, office_user, township):
    response = login(office_user).post(reverse("evaluation:rec_lists", args=[township.pk]), {
        "kind": "honours", "title": "评优", "school_year": 2026, "quota": 8,
        "required": "excellence", "window_years": 3, "as_of": "2027-05-01"}, follow=True)
    assert "名单“评优”已创建" in " ".join(messages_of(response))
    assert response.context["rec_list"].quota == 8


def test_the_form_refuses_a_zero_quota(login, office_user, township):
    response = login(office_user).post(reverse("evaluation:rec_lists", args=[township.pk]), {
        "kind": "honours", "title": "评优", "school_year": 2026, "quota": 0,
        "required": "excellence", "window_years": 3})
    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_a_principal_nominates_in_bulk_from_the_page(login, principal_user, township, school,
                                                     rec_list):
    people = seeds_case(township, school)
    client = login(principal_user)
    url = reverse("evaluation:rec_nominate", args=[rec_list.pk, school.pk])

    page = text(client.get(url))
    assert "教学优胜奖 ×1" in page

    response = client.post(url, {"staff": [p.pk for p in people]})
    assert response.status_code == 302
    assert Candidate.objects.count() == 10


def test_bad_ids_are_refused_with_a_message(login, principal_user, school, rec_list):
    client = login(principal_user)
    response = client.post(reverse("evaluation:rec_nominate", args=[rec_list.pk, school.pk]),
                           {"staff": ["x1"]}, follow=True)
    assert response.status_code == 200
    assert not Candidate.objects.exists()
    assert reverse("evaluation:rec_nominate", args=[rec_list.pk, "abc"]).endswith("abc/")
    assert client.get(reverse("evaluation:rec_nominate",
                              args=[rec_list.pk, "abc"])).status_code == 404


def test_another_schools_principal_may_not_nominate_here(login, other_principal, school,
                                                         rec_list):
    url = reverse("evaluation:rec_nominate", args=[rec_list.pk, school.pk])
    assert login(other_principal).get(url).status_code == 403


@pytest.mark.parametrize("who", ["teacher_user", "foreign_office", "principal_user"])
def test_office_pages_are_refused_to_other_roles(request, login, who, rec_list):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("evaluation:rec_export", args=[rec_list.pk])).status_code == 403
    assert client.post(reverse("evaluation:rec_publish", args=[rec_list.pk])).status_code == 403


def test_anonymous_is_sent_to_log_in(client, rec_list):
    response = client.get(reverse("evaluation:rec_list", args=[rec_list.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_teacher_and_another_township_do_not_see_the_list(login, teacher_user,
                                                            foreign_office, rec_list):
    url = reverse("evaluation:rec_list", args=[rec_list.pk])
    assert login(teacher_user).get(url).status_code == 403
    assert login(foreign_office).get(url).status_code == 403
    assert login(foreign_office).get(
        reverse("evaluation:rec_lists", args=[rec_list.township_id])).status_code == 403


def test_an_unpublished_list_is_not_public(login, teacher_user, rec_list):
    response = login(teacher_user).get(reverse("evaluation:rec_public", args=[rec_list.pk]))
    assert response.status_code == 404


def test_not_an_id_is_404(login, office_user):
    assert login(office_user).get(reverse("evaluation:rec_list",
                                          args=["9" * 25])).status_code == 404


def test_the_home_page_links_the_office_to_its_lists(login, office_user, township):
    page = login(office_user).get("/").content.decode()
    assert reverse("evaluation:rec_lists", args=[township.pk]) in page


# ---- bounded queries --------------------------------------------------------------------


def test_the_pages_make_a_bounded_number_of_queries(login, office_user, township, school,
                                                    rec_list, django_assert_max_num_queries):
    people = many_staff(school, 300)
    the_exam = exam(township)
    for person in people[:100]:
        award(person, the_exam, AwardKind.STANDARD)
    rec_list.quota = 1000
    rec_list.save()
    services.nominate(by=office_user, rec_list=rec_list, school=school,
                      staff_ids=[p.pk for p in people])
    services.list_publish(by=office_user, rec_list=rec_list)
    client = login(office_user)
    for name, args in [("rec_list", [rec_list.pk]),
                       ("rec_nominate", [rec_list.pk, school.pk]),
                       ("rec_public", [rec_list.pk]),
                       ("rec_lists", [township.pk])]:
        with django_assert_max_num_queries(30):
            assert client.get(reverse(f"evaluation:{name}", args=args)).status_code == 200
