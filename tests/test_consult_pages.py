"""The pages of phases 3–4 as each role uses them: staff opinions, the principals'
reports, the office's decisions, the representatives and the congress vote.

The rules are tested at the service level (test_cycle_services.py); here the wiring:
who may do what through which page, the refusals shown, the messages, the history."""

from urllib.parse import quote

import pytest

from recruitment.models import (
    Ballot,
    OpinionReport,
    PhaseState,
    Representative,
    StaffOpinion,
    Vote,
)
from recruitment.phases import DRAFT, OPINIONS, REVIEW, VOTE
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services

from .factories import StaffFactory
from .helpers import TEXT, messages_of, person, phase, run, url

pytestmark = pytest.mark.usefixtures("english_pages")


def opinion_by(user, cycle, body="请增加英语岗"):
    return consultation_services.opinion_submit(by=user, cycle=cycle, body=body)


# --- phase 3: a staff member ------------------------------------------------------------


def test_a_teacher_reads_the_draft_and_sends_an_opinion(login, teacher, consulting):
    client = login(teacher.user)

    page = client.get(url("opinions", consulting))
    response = client.post(url("opinions", consulting), {"body": "  请增加英语岗  "}, follow=True)

    assert url("plan", consulting) in page.text
    assert "Send my opinion" in page.text
    assert response.redirect_chain[-1][0] == url("opinions", consulting)
    assert "Your opinion has been sent" in messages_of(response)[0]
    opinion = StaffOpinion.objects.get()
    assert (opinion.staff, opinion.body, opinion.revision.number) == (teacher, "请增加英语岗", 1)
    assert "请增加英语岗" in response.text and "not yet reported by your school" in response.text


def test_a_teacher_sees_what_became_of_their_opinion(login, teacher, consulting, principal_user,
                                                     office_user, school):
    opinion = opinion_by(teacher.user, consulting)
    consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)
    consultation_services.opinion_decide(
        by=office_user, opinion=opinion, adopted=False, reason="编制不足"
    )

    response = login(teacher.user).get(url("opinions", consulting))

    own = response.text.split('id="own"')[1].split("</section>")[0]
    assert "declined" in own and "编制不足" in own and "reported to the office" in own


def test_an_opinion_before_phase_3_opens_is_refused_with_the_reason(login, teacher, drafted):
    client = login(teacher.user)

    page = client.get(url("opinions", drafted))
    response = client.post(url("opinions", drafted), {"body": "太早了"})

    reason = "Phase 3 (Staff opinions) has not opened yet."
    assert reason in page.text and "disabled" in page.text
    assert response.status_code == 200
    assert messages_of(response) == [reason]
    assert "太早了" in response.text  # the text typed is kept to send later
    assert not StaffOpinion.objects.exists()


def test_an_empty_opinion_is_refused(login, teacher, consulting):
    response = login(teacher.user).post(url("opinions", consulting), {"body": "   "})

    assert messages_of(response) == ["This field is required."]
    assert not StaffOpinion.objects.exists()


@pytest.mark.parametrize("user", ["liaison_user", "office_user"])
def test_a_login_that_is_not_on_the_staff_cannot_send_an_opinion(request, login, consulting,
                                                                  user):
    response = login(request.getfixturevalue(user)).post(url("opinions", consulting),
                                                         {"body": "x"})

    assert response.status_code == 403
    assert not StaffOpinion.objects.exists()


def test_another_townships_office_and_staff_do_not_find_the_cycle(login, consulting,
                                                                  foreign_office, foreign_school):
    stranger = person(foreign_school, "外镇教师")
    for user in (foreign_office, stranger.user):
        client = login(user)
        assert client.get(url("opinions", consulting)).status_code == 404
        assert client.post(url("opinions", consulting), {"body": "x"}).status_code == 404
    assert not StaffOpinion.objects.exists()


# --- phase 3: a principal ---------------------------------------------------------------


def test_a_principal_sees_only_their_schools_opinions_and_reports_them_in_one_step(
    login, principal_user, teacher, consulting, other_school, school
):
    opinion_by(teacher.user, consulting, "本校意见")
    opinion_by(person(other_school, "东张教师").user, consulting, "外校意见")
    client = login(principal_user)

    page = client.get(url("opinions", consulting))
    response = client.post(url("opinions_report", consulting), {"school": school.pk},
                           follow=True)

    principal_part = page.text.split('id="principal"')[1]
    assert "本校意见" in principal_part and "外校意见" not in page.text
    assert "1 opinion not yet reported." in principal_part
    assert messages_of(response) == ["夏庄完小: 1 opinion reported to the office."]
    report = OpinionReport.objects.get()
    assert (report.school, report.reported_by, report.count) == (school, principal_user, 1)
    assert StaffOpinion.objects.get(body="本校意见").report == report
    assert StaffOpinion.objects.get(body="外校意见").report is None
    assert "校长甲" in response.text.split("Your reports")[1]  # who reported, and when


def test_a_second_report_with_nothing_new_is_refused(login, principal_user, teacher, consulting,
                                                     school):
    opinion_by(teacher.user, consulting)
    client = login(principal_user)
    client.post(url("opinions_report", consulting), {"school": school.pk}, follow=True)

    response = client.post(url("opinions_report", consulting), {"school": school.pk},
                           follow=True)

    assert messages_of(response) == ["Already reported: there are no new opinions since."]
    assert OpinionReport.objects.count() == 1
    assert 'aria-describedby="report-refusal"' in response.text  # the button shows why


def test_a_principal_cannot_report_another_schools_opinions(login, principal_user, consulting,
                                                            other_school, other_principal):
    opinion_by(person(other_school, "东张教师").user, consulting)

    response = login(principal_user).post(url("opinions_report", consulting),
                                          {"school": other_school.pk})

    assert response.status_code == 403
    assert not OpinionReport.objects.exists()


@pytest.mark.parametrize("user", ["teacher_user", "liaison_user", "office_user"])
def test_only_the_principal_reports_a_schools_opinions(request, login, consulting, school,
                                                       principal_user, user):
    response = login(request.getfixturevalue(user)).post(url("opinions_report", consulting),
                                                          {"school": school.pk})

    assert response.status_code == 403
    assert not OpinionReport.objects.exists()


def test_reporting_a_school_of_another_township_is_not_found(login, principal_user, consulting,
                                                             foreign_school, foreign_office):
    assert login(principal_user).post(url("opinions_report", consulting),
                                      {"school": foreign_school.pk}).status_code == 404
    assert login(foreign_office).post(url("opinions_report", consulting),
                                      {"school": foreign_school.pk}).status_code == 404
    assert not OpinionReport.objects.exists()


def test_a_report_before_phase_3_opens_is_refused_with_the_reason(login, principal_user, drafted,
                                                                  school):
    response = login(principal_user).post(url("opinions_report", drafted), {"school": school.pk},
                                          follow=True)

    assert messages_of(response) == ["Phase 3 (Staff opinions) has not opened yet."]
    assert not OpinionReport.objects.exists()


# --- phase 3: the office ----------------------------------------------------------------


@pytest.fixture
def reported(consulting, teacher, principal_user, school, other_school):
    """Two reported opinions of 夏庄完小 and one unreported of 东张完小."""
    opinion_by(teacher.user, consulting, "请增加英语岗")
    opinion_by(principal_user, consulting, "骨干教师标准不清")
    opinion_by(person(other_school, "东张教师").user, consulting, "尚未上报的意见")
    consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)
    return consulting


def test_the_office_sees_which_schools_reported_and_the_reported_opinions(login, office_user,
                                                                         reported):
    response = login(office_user).get(url("opinions", reported))

    rows = {row.school.name: row for row in response.context["report_rows"]}
    assert (rows["夏庄完小"].awaited, rows["夏庄完小"].reported) == (False, 2)
    assert (rows["东张完小"].awaited, rows["东张完小"].reported) == (True, 0)
    listed = [o.body for o in response.context["office_page"]]
    assert sorted(listed) == ["请增加英语岗", "骨干教师标准不清"]
    assert "尚未上报的意见" not in response.text
    assert "new opinions not reported" not in response.text and "not reported" in response.text


def test_the_office_filters_the_opinions_by_school_decision_and_text(login, office_user,
                                                                     reported, school,
                                                                     other_school):
    client = login(office_user)
    first = StaffOpinion.objects.get(body="请增加英语岗")
    consultation_services.opinion_decide(by=office_user, opinion=first, adopted=True, reason="合理")

    def shown(**query):
        response = client.get(url("opinions", reported), query)
        return sorted(o.body for o in response.context["office_page"])

    assert shown(q="英语") == ["请增加英语岗"]
    assert shown(q="校长甲") == ["骨干教师标准不清"]  # the author's name
    assert shown(status="adopted") == ["请增加英语岗"]
    assert shown(status="pending") == ["骨干教师标准不清"]
    assert shown(school=other_school.pk) == []
    assert len(shown(school=school.pk, status="")) == 2


def test_the_office_adopts_and_declines_with_a_reason_and_the_page_says_who(login, office_user,
                                                                           reported):
    client = login(office_user)
    first = StaffOpinion.objects.get(body="请增加英语岗")
    second = StaffOpinion.objects.get(body="骨干教师标准不清")

    response = client.post(url("opinion_decide", reported, first.pk),
                           {"decision": "adopt", "reason": "增加一个英语岗",
                            "list_query": "q=英语&page=1&evil=x"}, follow=True)
    client.post(url("opinion_decide", reported, second.pk),
                {"decision": "decline", "reason": "已有标准"})

    assert response.redirect_chain[0][0] == (
        url("opinions", reported) + f"?q={quote('英语')}&page=1#opinion-{first.pk}")
    assert messages_of(response) == ["Opinion of 教师乙 adopted."]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.reason, first.decided_by) == ("adopted", "增加一个英语岗",
                                                              office_user)
    assert (second.status, second.reason) == ("declined", "已有标准")
    assert first.history.first().history_user == office_user
    assert "by office at" in response.text


def test_a_decision_without_a_reason_is_refused(login, office_user, reported):
    opinion = StaffOpinion.objects.get(body="请增加英语岗")

    response = login(office_user).post(url("opinion_decide", reported, opinion.pk),
                                       {"decision": "adopt", "reason": " "}, follow=True)

    assert messages_of(response) == ["This field is required."]
    opinion.refresh_from_db()
    assert opinion.status == StaffOpinion.Status.PENDING


def test_an_unreported_opinion_cannot_be_decided(login, office_user, reported):
    opinion = StaffOpinion.objects.get(body="尚未上报的意见")

    response = login(office_user).post(url("opinion_decide", reported, opinion.pk),
                                       {"decision": "adopt", "reason": "好"}, follow=True)

    assert messages_of(response) == ["The school has not reported this opinion yet."]
    opinion.refresh_from_db()
    assert opinion.status == StaffOpinion.Status.PENDING


def test_no_decision_once_phase_3_has_closed(login, office_user, reported):
    for opinion in StaffOpinion.objects.filter(report__isnull=False):
        consultation_services.opinion_decide(
            by=office_user, opinion=opinion, adopted=True, reason="好"
        )
    cycle_services.phase_close(by=office_user, phase=phase(reported, OPINIONS))
    opinion = StaffOpinion.objects.get(body="请增加英语岗")
    client = login(office_user)

    page = client.get(url("opinions", reported))
    response = client.post(url("opinion_decide", reported, opinion.pk),
                           {"decision": "decline", "reason": "改主意"}, follow=True)

    assert "Phase 3 (Staff opinions) is closed." in page.text
    assert "Change the decision" not in page.text
    assert messages_of(response) == ["Phase 3 (Staff opinions) is closed."]
    opinion.refresh_from_db()
    assert (opinion.status, opinion.reason) == ("adopted", "好")


@pytest.mark.parametrize("user", ["teacher_user", "principal_user", "liaison_user"])
def test_only_the_office_decides(request, login, reported, user):
    opinion = StaffOpinion.objects.get(body="请增加英语岗")

    response = login(request.getfixturevalue(user)).post(
        url("opinion_decide", reported, opinion.pk), {"decision": "adopt", "reason": "好"})

    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.status == StaffOpinion.Status.PENDING


def test_an_opinion_of_another_cycle_or_township_is_not_found(login, office_user, reported,
                                                             township, teacher, foreign_office):
    later = cycle_services.cycle_create(by=office_user, township=township, school_year=2027)
    cycle_services.phase_open(by=office_user, phase=phase(later, DRAFT))
    plan_services.plan_revise(by=office_user, cycle=later, text=TEXT)
    run(later, office_user, DRAFT, REVIEW)
    cycle_services.phase_open(by=office_user, phase=phase(later, OPINIONS))
    elsewhere = opinion_by(teacher.user, later, "下一年的意见")
    mine = StaffOpinion.objects.get(body="请增加英语岗")
    data = {"decision": "adopt", "reason": "好"}

    assert login(office_user).post(url("opinion_decide", reported, elsewhere.pk),
                                   data).status_code == 404
    assert login(foreign_office).post(url("opinion_decide", reported, mine.pk),
                                      data).status_code == 404
    assert not StaffOpinion.objects.exclude(status=StaffOpinion.Status.PENDING).exists()


def test_a_liaison_sees_the_phase_but_no_opinions(login, liaison_user, reported):
    response = login(liaison_user).get(url("opinions", reported))

    assert response.status_code == 200
    assert "nothing for you to do here" in response.text
    assert "请增加英语岗" not in response.text


# --- phase 3: lists with hundreds of rows ------------------------------------------------


def _many_opinions(cycle, school, n, reported_by=None):
    """``n`` opinions of ``school`` in bulk (the services write one at a time)."""
    people = StaffFactory.create_batch(n, school=school)
    revision = cycle.revisions.get()
    StaffOpinion.objects.bulk_create(
        StaffOpinion(cycle=cycle, revision=revision, staff=p, school=school, body=f"意见{i}")
        for i, p in enumerate(people)
    )
    if reported_by is not None:
        consultation_services.opinions_report(by=reported_by, cycle=cycle, school=school)


def test_the_offices_opinion_list_has_a_bounded_query_count(
    login, office_user, consulting, principal_user, other_principal, school, other_school,
    django_assert_max_num_queries,
):
    _many_opinions(consulting, school, 200, reported_by=principal_user)
    _many_opinions(consulting, other_school, 150, reported_by=other_principal)
    for opinion in StaffOpinion.objects.all()[:40]:
        consultation_services.opinion_decide(
            by=office_user, opinion=opinion, adopted=True, reason="好"
        )
    client = login(office_user)

    with django_assert_max_num_queries(18):
        response = client.get(url("opinions", consulting), {"page": 2})

    assert response.context["office_page"].paginator.count == 350
    assert len(response.context["office_page"].object_list) == 50


def test_the_principals_opinion_list_has_a_bounded_query_count(
    login, principal_user, consulting, school, django_assert_max_num_queries
):
    _many_opinions(consulting, school, 150, reported_by=principal_user)
    _many_opinions(consulting, school, 150)
    client = login(principal_user)

    with django_assert_max_num_queries(20):
        response = client.get(url("opinions", consulting))

    assert response.context["school_page"].paginator.count == 300
    assert "150 opinions not yet reported." in response.text


# --- phase 4: representatives ------------------------------------------------------------


def test_the_office_finds_staff_by_name_or_school_and_names_them(login, office_user, drafted,
                                                                 teacher, other_school):
    StaffFactory(school=other_school, name="东张老师")
    client = login(office_user)

    by_name = client.get(url("representatives", drafted), {"q": "教师乙"})
    by_school = client.get(url("representatives", drafted), {"q": "东张"})
    response = client.post(url("representative_add", drafted), {"staff": teacher.pk,
                                                                 "q": "教师乙"}, follow=True)

    assert [s.name for s in by_name.context["found"]] == ["教师乙"]
    assert [s.name for s in by_school.context["found"]] == ["东张老师"]
    assert response.redirect_chain[0][0] == f"{url('representatives', drafted)}?q={quote('教师乙')}"
    assert messages_of(response) == ["教师乙 (夏庄完小) is now a representative."]
    representative = Representative.objects.get()
    assert (representative.staff, representative.named_by) == (teacher, office_user)
    listed = response.text.split('id="list"')[1]
    assert "教师乙" in listed and "office" in listed  # named by whom
    assert "already a representative" in response.text
    assert "named 教师乙 (夏庄完小)" in response.text


def test_naming_someone_twice_is_refused(login, office_user, drafted, teacher):
    client = login(office_user)
    client.post(url("representative_add", drafted), {"staff": teacher.pk}, follow=True)

    response = client.post(url("representative_add", drafted), {"staff": teacher.pk},
                           follow=True)

    assert messages_of(response) == ["教师乙 is already a representative."]
    assert Representative.objects.count() == 1


def test_staff_of_another_township_cannot_be_named(login, office_user, drafted, foreign_school):
    stranger = StaffFactory(school=foreign_school)

    response = login(office_user).post(url("representative_add", drafted),
                                       {"staff": stranger.pk})

    assert response.status_code == 404
    assert not Representative.objects.exists()


def test_removal_asks_for_a_confirmation_and_is_recorded(login, office_user, drafted, reps):
    representative = Representative.objects.get(staff=reps[0])
    client = login(office_user)

    confirm = client.get(url("representative_remove", drafted, representative.pk))
    response = client.post(url("representative_remove", drafted, representative.pk),
                           follow=True)

    assert "Remove 代表0 (夏庄完小) from the congress representatives?" in confirm.text
    assert Representative.objects.count() == 2
    assert messages_of(response) == ["代表0 is no longer a representative."]
    changes = response.text.split('id="changes"')[1]
    assert "removed 代表0 (夏庄完小)" in changes and "office" in changes


def test_representatives_cannot_change_while_the_vote_is_open(login, office_user, voting, reps,
                                                              teacher):
    representative = Representative.objects.get(staff=reps[0])
    client = login(office_user)

    page = client.get(url("representatives", voting), {"q": "教师"})
    added = client.post(url("representative_add", voting), {"staff": teacher.pk}, follow=True)
    removed = client.post(url("representative_remove", voting, representative.pk), follow=True)

    reason = "The representatives cannot change while a vote is open."
    assert reason in page.text
    assert url("representative_remove", voting, representative.pk) not in page.text
    assert messages_of(added) == [reason] and messages_of(removed) == [reason]
    assert Representative.objects.count() == 3


def test_a_representative_who_voted_in_a_past_vote_stays_on_the_list(login, office_user, voting,
                                                                     reps):
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="against")
    consultation_services.vote_close(by=office_user, cycle=voting)  # rejected: back to phase 1
    representative = Representative.objects.get(staff=reps[0])

    response = login(office_user).post(url("representative_remove", voting, representative.pk),
                                       follow=True)

    assert messages_of(response) == [
        "代表0 voted in a past vote of this cycle and stays on the list."]
    assert Representative.objects.filter(pk=representative.pk).exists()


@pytest.mark.parametrize("user", ["teacher_user", "principal_user", "liaison_user"])
def test_others_see_the_representatives_but_only_the_office_changes_them(request, login, drafted,
                                                                        reps, teacher, user):
    representative = Representative.objects.get(staff=reps[0])
    client = login(request.getfixturevalue(user))

    page = client.get(url("representatives", drafted), {"q": "教师"})

    assert page.status_code == 200 and "代表0" in page.text
    assert "Name a representative" not in page.text
    assert client.post(url("representative_add", drafted),
                       {"staff": teacher.pk}).status_code == 403
    assert client.get(url("representative_remove", drafted,
                          representative.pk)).status_code == 403
    assert client.post(url("representative_remove", drafted,
                           representative.pk)).status_code == 403
    assert Representative.objects.count() == 3


def test_another_townships_office_does_not_find_the_representatives(login, foreign_office,
                                                                    drafted, reps):
    representative = Representative.objects.get(staff=reps[0])
    client = login(foreign_office)

    assert client.get(url("representatives", drafted)).status_code == 404
    assert client.post(url("representative_add", drafted),
                       {"staff": reps[0].pk}).status_code == 404
    assert client.post(url("representative_remove", drafted,
                           representative.pk)).status_code == 404
    assert Representative.objects.count() == 3


def test_a_representative_of_another_cycle_is_not_found(login, office_user, drafted, township,
                                                        teacher):
    later = cycle_services.cycle_create(by=office_user, township=township, school_year=2027)
    elsewhere = consultation_services.representative_add(by=office_user, cycle=later, staff=teacher)

    response = login(office_user).post(url("representative_remove", drafted, elsewhere.pk))

    assert response.status_code == 404
    assert Representative.objects.filter(pk=elsewhere.pk).exists()


def test_the_representatives_list_has_a_bounded_query_count(login, office_user, drafted, school,
                                                            django_assert_max_num_queries):
    for staff in StaffFactory.create_batch(300, school=school):
        consultation_services.representative_add(by=office_user, cycle=drafted, staff=staff)
    client = login(office_user)

    with django_assert_max_num_queries(15):
        response = client.get(url("representatives", drafted), {"page": 3, "q": "教师"})

    assert response.context["page"].paginator.count == 300
    assert len(response.context["page"].object_list) == 50


# --- phase 4: the vote -------------------------------------------------------------------


def cast(client, cycle, choice):
    """Choose on the vote page, then confirm: the two steps a representative takes."""
    confirm = client.get(url("vote_confirm", cycle), {"choice": choice})
    form = confirm.context["vote"] if confirm.context else None
    data = {"choice": choice, "vote": form.pk if form else ""}
    return confirm, client.post(url("vote_cast", cycle), data, follow=True)


def test_a_representative_votes_for_with_a_confirmation(login, voting, reps):
    client = login(reps[0].user)

    page = client.get(url("vote", voting))
    confirm, response = cast(client, voting, "for")

    assert 'value="for"' in page.text and 'value="against"' in page.text
    assert 'value="abstain"' in page.text and url("plan", voting) in page.text
    assert "You vote FOR revision 1. This cannot be changed." in confirm.text
    assert messages_of(response)[0].startswith("Your vote has been cast at ")
    ballot = Ballot.objects.get()
    assert (ballot.representative.staff, ballot.choice) == (reps[0], "for")
    assert "You voted at" in response.text
    assert 'name="choice"' not in response.text  # no buttons left, no choice shown
    assert "Turnout so far: 1 of 3 representatives have voted." in response.text


def test_voting_twice_through_the_page_is_refused(login, voting, reps):
    client = login(reps[0].user)
    cast(client, voting, "for")

    again = client.post(url("vote_cast", voting), {"choice": "against"}, follow=True)
    confirm = client.get(url("vote_confirm", voting), {"choice": "against"}, follow=True)

    assert messages_of(again) == ["You have voted."]
    assert messages_of(confirm) == ["You have voted."]
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["for"]


def test_a_non_representative_cannot_vote(login, voting, teacher_user):
    client = login(teacher_user)

    page = client.get(url("vote", voting))
    response = client.post(url("vote_cast", voting), {"choice": "for"}, follow=True)

    reason = "Only the congress representatives vote."
    assert reason in page.text and 'name="choice"' not in page.text
    assert messages_of(response) == [reason]
    assert not Ballot.objects.exists()


def test_no_vote_after_the_close(login, voting, reps, office_user):
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="for")
    consultation_services.vote_cast(by=reps[1].user, cycle=voting, choice="for")
    consultation_services.vote_close(by=office_user, cycle=voting)
    client = login(reps[2].user)

    response = client.post(url("vote_cast", voting), {"choice": "against"}, follow=True)

    assert messages_of(response) == ["Phase 4 (Congress vote) is closed."]
    assert Ballot.objects.count() == 2
    assert 'id="refusal"' in response.text


def test_a_confirmation_of_a_vote_closed_since_is_refused(login, voting, reps, office_user):
    client = login(reps[2].user)
    confirm = client.get(url("vote_confirm", voting), {"choice": "for"})
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="against")
    consultation_services.vote_close(by=office_user, cycle=voting)  # rejected: back to phase 1 …
    run(voting, office_user, DRAFT, REVIEW, OPINIONS)
    cycle_services.phase_open(by=office_user, phase=phase(voting, VOTE))  # … and a new vote

    response = client.post(url("vote_cast", voting),
                           {"choice": "for", "vote": confirm.context["vote"].pk}, follow=True)

    assert messages_of(response) == [
        "The vote you confirmed has closed; your vote was not cast."]
    assert Ballot.objects.count() == 1


def test_no_vote_before_phase_4_opens(login, drafted, reps):
    client = login(reps[0].user)

    page = client.get(url("vote", drafted))
    response = client.post(url("vote_cast", drafted), {"choice": "for"}, follow=True)

    assert "No vote has been opened in this cycle yet." in page.text
    assert messages_of(response) == ["Phase 4 (Congress vote) has not opened yet."]
    assert not Ballot.objects.exists()


def test_a_choice_that_is_not_for_against_or_abstain_is_refused(login, voting, reps):
    client = login(reps[0].user)

    response = client.post(url("vote_cast", voting), {"choice": "maybe"}, follow=True)

    assert messages_of(response) == ["Choose for, against or abstain."]
    assert not Ballot.objects.exists()


def test_the_office_sees_who_has_voted_but_never_how(login, office_user, voting, reps,
                                                     teacher_user):
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="against")

    office_page = login(office_user).get(url("vote", voting))
    teacher_page = login(teacher_user).get(url("vote", voting))

    names = {r.staff.name: r.has_voted for r in office_page.context["board"].turnout_names}
    assert names == {"代表0": True, "代表1": False, "代表2": False}
    assert "代表0 · 夏庄完小 — voted" in office_page.text
    assert "against" not in office_page.text.lower().split('id="votes"')[0].replace(
        "against or abstain", "")
    assert "Turnout so far: 1 of 3" in teacher_page.text
    assert "代表0" not in teacher_page.text
    assert url("vote_close", voting) in office_page.text
    assert url("vote_close", voting) not in teacher_page.text


def test_the_office_closes_the_vote_and_a_teacher_sees_the_result_at_once(
    login, office_user, voting, reps, teacher_user
):
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="for")
    consultation_services.vote_cast(by=reps[1].user, cycle=voting, choice="for")
    consultation_services.vote_cast(by=reps[2].user, cycle=voting, choice="abstain")
    office = login(office_user)

    confirm = office.get(url("vote_close", voting))
    closed = office.post(url("vote_close", voting), follow=True)
    seen = login(teacher_user).get(url("vote", voting))

    assert "3 of 3 representatives have voted on revision 1." in confirm.text
    assert messages_of(closed) == ["The vote is closed: revision 1 is adopted."]
    result = seen.text.split('id="current"')[1].split("</section>")[0]
    assert '<p class="result result-adopted" id="result">Adopted</p>' in result
    for label, number in (("Representatives", 3), ("Took part", 3), ("For", 2), ("Against", 0),
                          ("Abstain", 1)):
        assert f"<dt>{label}</dt><dd>{number}</dd>" in result
    assert "Closed by office at" in result
    voting.refresh_from_db()
    assert voting.adopted_revision.number == 1


def test_a_rejected_plan_is_announced_and_goes_back_to_phase_1(login, office_user, voting, reps):
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="against")

    response = login(office_user).post(url("vote_close", voting), follow=True)

    assert messages_of(response) == [
        "The vote is closed: revision 1 is rejected. The plan goes back to phase 1."]
    assert "Rejected" in response.text
    assert phase(voting, DRAFT).state == PhaseState.OPEN
    assert phase(voting, VOTE).state == PhaseState.NOT_STARTED


def test_closing_twice_is_refused(login, office_user, voting):
    client = login(office_user)
    client.post(url("vote_close", voting))

    page = client.get(url("vote_close", voting))
    response = client.post(url("vote_close", voting), follow=True)

    assert "No vote is open." in page.text
    assert messages_of(response) == ["No vote is open."]
    assert Vote.objects.get().closed_at is not None


@pytest.mark.parametrize("user", ["teacher_user", "principal_user", "liaison_user"])
def test_only_the_office_closes_the_vote(request, login, voting, reps, user):
    for forbidden in (request.getfixturevalue(user), reps[0].user):
        client = login(forbidden)
        assert client.get(url("vote_close", voting)).status_code == 403
        assert client.post(url("vote_close", voting)).status_code == 403
    assert Vote.objects.get().closed_at is None


def test_another_townships_office_does_not_find_the_vote(login, foreign_office, voting):
    client = login(foreign_office)

    for name in ("vote", "vote_close"):
        assert client.get(url(name, voting)).status_code == 404
    assert client.post(url("vote_close", voting)).status_code == 404
    assert client.post(url("vote_cast", voting), {"choice": "for"}).status_code == 404
    assert Vote.objects.get().closed_at is None


def test_every_vote_of_the_cycle_is_listed_with_who_opened_and_closed_it(login, office_user,
                                                                         voting, reps,
                                                                         teacher_user):
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="against")
    consultation_services.vote_close(by=office_user, cycle=voting)
    plan_services.plan_revise(by=office_user, cycle=voting, text=TEXT + "修改")
    run(voting, office_user, DRAFT, REVIEW, OPINIONS)
    cycle_services.phase_open(by=office_user, phase=phase(voting, VOTE))

    response = login(teacher_user).get(url("vote", voting))

    rows = response.text.split('id="votes"')[1].split("<tbody>")[1].split("</tr>")[:2]
    assert ">1</th>" in rows[0] and "Rejected".lower() in rows[0] and rows[0].count("office") == 2
    assert ">2</th>" in rows[1] and "voting" in rows[1]
    assert "Revision 2 is being voted" in response.text


# The congress rule at its edges, through the pages: each representative votes on their
# own login, the office closes, a teacher reads the result.
@pytest.mark.parametrize(
    ("size", "for_", "against", "result"),
    [
        (6, 4, 0, "Adopted"),  # turnout 4/6 = 2/3 exactly, for 4 > 3
        (6, 3, 1, "Rejected"),  # for 3 = half of all, not more
        (9, 5, 0, "Rejected"),  # for 5 > 4.5, turnout 5 < 6
        (9, 5, 1, "Adopted"),  # turnout 6 = 2/3 exactly
    ],
)
def test_the_adoption_rule_at_its_edges_through_the_pages(login, office_user, drafted, school,
                                                          teacher_user, size, for_, against,
                                                          result):
    people = [person(school, f"r{i}") for i in range(size)]
    for rep in people:
        consultation_services.representative_add(by=office_user, cycle=drafted, staff=rep)
    run(drafted, office_user, DRAFT, REVIEW, OPINIONS)
    cycle_services.phase_open(by=office_user, phase=phase(drafted, VOTE))
    for rep, choice in zip(people, ["for"] * for_ + ["against"] * against, strict=False):
        cast(login(rep.user), drafted, choice)

    login(office_user).post(url("vote_close", drafted))
    seen = login(teacher_user).get(url("vote", drafted))

    assert f'id="result">{result}</p>' in seen.text
    assert f"<dt>Took part</dt><dd>{for_ + against}</dd>" in seen.text
