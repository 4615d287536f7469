"""The cycle dashboard and the pages of phases 1–2 as each role uses them: the cycles,
the phases opened and closed, the plan written and compared, the collective review,
and the report.

The rules are tested at the service level (test_cycle_services.py); here the wiring:
who may do what through which page, the refusals shown, the messages, the history,
and the query counts."""

import io
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from recruitment import sheets
from recruitment.models import (
    Cycle,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Representative,
    ReviewComment,
)
from recruitment.phases import DRAFT, OPINIONS, REVIEW
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from schools.models import SchoolKind

from .factories import SchoolFactory, StaffFactory
from .helpers import TEXT, at_once, messages_of, phase, run, url

pytestmark = pytest.mark.usefixtures("english_pages")


# --- the world ------------------------------------------------------------------------


def plan_post(cycle, *, based_on, text=TEXT, note="", schools=None, **settings):
    """The plan form as a browser sends it, for every school of the township."""
    data = {
        "based_on": based_on, "text": text, "note": note,
        "teaching_load_threshold": 8, "own_share_num": 2, "own_share_den": 3,
        "max_applications": 3, "training_pass_mark": 60, **settings,
    }
    for school in cycle.township.schools.all():
        posts, first = (schools or {}).get(school.name, (school.post_count, False))
        data[f"posts_{school.pk}"] = posts
        if first:
            data[f"first_{school.pk}"] = "on"
    return data


# --- the cycles -----------------------------------------------------------------------


def test_the_office_creates_a_cycle_and_lands_on_its_dashboard(login, office_user, township,
                                                                school):
    client = login(office_user)
    assert client.get(reverse("recruitment:cycle_list")).context["form"] is not None

    response = client.post(reverse("recruitment:cycle_list"),
                           {"township": township.pk, "school_year": 2026}, follow=True)

    created = Cycle.objects.get()
    assert response.redirect_chain[-1][0] == url("dashboard", created)
    assert messages_of(response) == [
        "The cycle 葛石镇 2026–2027 has been created with its ten phases on the usual calendar."]
    assert created.phases.count() == 10


def test_a_second_cycle_for_the_same_year_is_refused_with_the_reason(login, office_user,
                                                                     cycle, township):
    response = login(office_user).post(reverse("recruitment:cycle_list"),
                                       {"township": township.pk, "school_year": 2026})

    assert response.status_code == 200
    assert messages_of(response) == ["This township already has a cycle for that school year."]
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize("role_user", ["teacher_user", "principal_user", "liaison_user"])
def test_only_the_office_creates_cycles(request, login, role_user, cycle, township):
    client = login(request.getfixturevalue(role_user))

    listed = client.get(reverse("recruitment:cycle_list"))
    response = client.post(reverse("recruitment:cycle_list"),
                           {"township": township.pk, "school_year": 2027})

    assert [c.pk for c in listed.context["cycles"]] == [cycle.pk]
    assert listed.context["form"] is None
    assert response.status_code == 403
    assert Cycle.objects.count() == 1


def test_an_office_of_another_township_neither_sees_nor_creates_our_cycle(
    login, foreign_office, cycle, township
):
    client = login(foreign_office)

    listed = client.get(reverse("recruitment:cycle_list"))
    response = client.post(reverse("recruitment:cycle_list"),
                           {"township": township.pk, "school_year": 2027})

    assert list(listed.context["cycles"]) == []
    assert messages_of(response) == ["The cycle was not created; see the reason below."]
    assert Cycle.objects.count() == 1
    assert client.get(url("dashboard", cycle)).status_code == 404


# --- the dashboard: phases opened and closed ------------------------------------------


def test_the_office_sees_ten_phases_and_why_a_phase_cannot_open(login, office_user, cycle):
    response = login(office_user).get(url("dashboard", cycle))

    rows = response.context["board"].phases
    assert [row.phase.number for row in rows] == list(range(1, 11))
    assert rows[DRAFT - 1].open_refusal is None
    text = response.text
    assert re.search(r'<tr id="phase-1">.*?<button type="submit" class="primary" name="open">',
                     text, re.S)
    assert re.search(
        r'<tr id="phase-2">.*?name="open" disabled aria-describedby="open-reason-2">.*?'
        r'<span class="reason" id="open-reason-2">phase 1 \(Draft the plan\) must be closed '
        r"first.</span>", text, re.S)
    assert "2026-08-20" in text and "2026-08-22" in text  # phase 5 on the seeds' calendar


def test_opening_a_phase_out_of_order_shows_the_reason_and_changes_nothing(login, office_user,
                                                                           cycle):
    response = login(office_user).post(url("phase_open", cycle, REVIEW), follow=True)

    assert messages_of(response) == ["phase 1 (Draft the plan) must be closed first."]
    assert phase(cycle, REVIEW).state == PhaseState.NOT_STARTED
    assert phase(cycle, REVIEW).history.count() == 1  # only its creation


def test_the_office_opens_phase_1_and_the_change_is_recorded(login, office_user, cycle):
    client = login(office_user)

    response = client.post(url("phase_open", cycle, DRAFT), follow=True)

    assert messages_of(response) == ["Phase 1 (Draft the plan) is open."]
    assert phase(cycle, DRAFT).state == PhaseState.OPEN
    [change] = response.context["phase_changes"]
    assert (change.who, change.number) == ("office", DRAFT)
    assert [(c.old, c.new) for c in change.changes] == [("not started", "open")]
    history = client.get(url("phase_history", cycle))
    assert "not started" in history.text and "office" in history.text


def test_phase_1_cannot_close_without_a_draft_the_button_says_why(login, office_user, cycle):
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    client = login(office_user)

    page = client.get(url("dashboard", cycle))
    response = client.post(url("phase_close", cycle, DRAFT), follow=True)

    assert re.search(r'name="close" disabled aria-describedby="close-reason-1">', page.text)
    assert "Save a first draft of the plan before closing this phase." in page.text
    assert messages_of(response) == ["Save a first draft of the plan before closing this phase."]
    assert phase(cycle, DRAFT).state == PhaseState.OPEN


def test_the_office_closes_phase_1_once_drafted(login, office_user, drafted):
    response = login(office_user).post(url("phase_close", drafted, DRAFT), follow=True)

    assert messages_of(response) == ["Phase 1 (Draft the plan) is closed."]
    assert phase(drafted, DRAFT).state == PhaseState.CLOSED
    assert response.context["board"].phases[REVIEW - 1].open_refusal is None


def test_the_review_cannot_close_while_a_comment_waits_and_the_button_says_why(
    login, office_user, principal_user, reviewing
):
    plan_services.review_comment_add(by=principal_user, revision=reviewing.revisions.get(),
                                section=1, body="x")
    client = login(office_user)

    page = client.get(url("dashboard", reviewing))
    response = client.post(url("phase_close", reviewing, REVIEW), follow=True)

    reason = "1 review comment is still waiting for an answer."
    assert f'<span class="reason" id="close-reason-2">{reason}</span>' in page.text
    assert messages_of(response) == [reason]
    assert phase(reviewing, REVIEW).state == PhaseState.OPEN


def test_the_office_moves_a_phases_dates_but_not_backwards(login, office_user, cycle):
    client = login(office_user)

    moved = client.post(url("phase_dates", cycle, DRAFT),
                        {"start_date": "2026-06-25", "deadline": "2026-07-15"}, follow=True)
    reversed_ = client.post(url("phase_dates", cycle, DRAFT),
                            {"start_date": "2026-07-15", "deadline": "2026-07-01"}, follow=True)
    empty = client.post(url("phase_dates", cycle, DRAFT), {"start_date": ""}, follow=True)

    assert messages_of(moved) == ["The dates of Phase 1 (Draft the plan) have been changed."]
    assert messages_of(reversed_) == ["The deadline cannot be before the start."]
    assert messages_of(empty) == [
        "The dates of Phase 1 (Draft the plan) were not changed: enter both dates."]
    p = phase(cycle, DRAFT)
    assert (p.start_date, p.deadline) == (date(2026, 6, 25), date(2026, 7, 15))
    [change] = cycle_selectors.phase_changes(cycle)
    assert [(c.old, c.new) for c in change.changes] == [("2026-07-01", "2026-06-25"),
                                                        ("2026-07-20", "2026-07-15")]


def test_an_unknown_phase_number_is_not_found(login, office_user, cycle):
    assert login(office_user).post(url("phase_open", cycle, 11)).status_code == 404


# --- who may do what --------------------------------------------------------------------


OFFICE_POSTS = [
    ("phase_open", (DRAFT,), {}),
    ("phase_close", (DRAFT,), {}),
    ("phase_dates", (DRAFT,), {"start_date": "2026-06-01", "deadline": "2026-06-30"}),
    ("plan_edit", (), None),  # the plan form: filled in by the test
]
OFFICE_GETS = [("plan_edit", ()), ("report", ()), ("phase_history", ())]


@pytest.mark.parametrize("role_user", ["teacher_user", "principal_user", "liaison_user"])
def test_school_roles_may_not_run_the_cycle(request, login, role_user, drafted):
    client = login(request.getfixturevalue(role_user))

    for name, args in OFFICE_GETS:
        assert client.get(url(name, drafted, *args)).status_code == 403, name
    for name, args, data in OFFICE_POSTS:
        data = plan_post(drafted, based_on=1, text="改") if data is None else data
        assert client.post(url(name, drafted, *args), data).status_code == 403, name
    assert phase(drafted, DRAFT).state == PhaseState.OPEN
    assert phase(drafted, DRAFT).start_date == date(2026, 7, 1)
    assert drafted.revisions.count() == 1


def test_an_office_of_another_township_finds_none_of_our_pages(login, foreign_office, drafted):
    client = login(foreign_office)

    for name in ("dashboard", "plan", "plan_edit", "revisions", "revision_compare", "review",
                 "report", "phase_history"):
        assert client.get(url(name, drafted)).status_code == 404, name
    for name, args, data in OFFICE_POSTS:
        data = plan_post(drafted, based_on=1, text="改") if data is None else data
        assert client.post(url(name, drafted, *args), data).status_code == 404, name
    assert phase(drafted, DRAFT).state == PhaseState.OPEN
    assert drafted.revisions.count() == 1


def test_an_office_of_another_township_may_not_comment_or_answer(login, foreign_office,
                                                                 reviewing, principal_user):
    comment = plan_services.review_comment_add(by=principal_user,
                                          revision=reviewing.revisions.get(), section=1,
                                          body="x")
    client = login(foreign_office)

    commented = client.post(url("review_comment", reviewing),
                            {"revision": 1, "section": 1, "body": "外镇意见"})
    answered = client.post(url("review_answer", reviewing, comment.pk),
                           {"answer": "adopted", "reason": "r"})

    assert (commented.status_code, answered.status_code) == (404, 404)
    assert ReviewComment.objects.get().status == ReviewComment.Status.PENDING


def test_the_admin_shows_the_office_its_cycles_and_changes_nothing(login, office_user,
                                                                   foreign_office, drafted):
    phase_url = reverse("admin:recruitment_phase_change", args=[phase(drafted, DRAFT).pk])
    client = login(office_user)

    listed = client.get(reverse("admin:recruitment_cycle_changelist"))
    shown = client.get(phase_url)
    posted = client.post(phase_url, {"state": "closed"})

    assert listed.status_code == 200 and "葛石镇" in listed.text
    assert shown.status_code == 200 and 'name="state"' not in shown.text
    assert posted.status_code == 403
    assert phase(drafted, DRAFT).state == PhaseState.OPEN
    assert client.get(reverse("admin:recruitment_cycle_add")).status_code == 403
    foreign = login(foreign_office).get(reverse("admin:recruitment_cycle_changelist"))
    assert "葛石镇" not in foreign.text


def test_every_cycle_page_sends_an_anonymous_visitor_to_login(client, drafted):
    for name in ("dashboard", "plan", "plan_edit", "revisions", "review", "report"):
        response = client.get(url(name, drafted))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(url("phase_open", drafted, REVIEW)).status_code == 302
    assert client.get(reverse("recruitment:cycle_list")).status_code == 302


def test_a_teacher_sees_the_three_steps_and_their_to_dos_but_no_buttons(login, teacher_user,
                                                                        drafted, office_user):
    run(drafted, office_user, DRAFT, REVIEW)
    cycle_services.phase_open(by=office_user, phase=phase(drafted, OPINIONS))

    response = login(teacher_user).get(url("dashboard", drafted))

    assert [[p.number for p in step.phases] for step in response.context["phases"]] == [
        [1, 2, 3, 4], [5, 6, 7], [8, 9, 10]]
    assert "board" not in response.context
    assert 'name="open"' not in response.text and 'name="close"' not in response.text
    assert "Who is awaited" not in response.text
    assert url("report", drafted) not in response.text
    assert f'href="{url("opinions", drafted)}">Read the draft plan and send your opinion' in (
        response.text)
    assert url("plan", drafted) in response.text  # drafts are shared from phase 3


def test_a_teacher_may_not_read_the_draft_before_staff_opinions_open(login, teacher_user,
                                                                     drafted):
    client = login(teacher_user)

    dashboard = client.get(url("dashboard", drafted))

    assert url("plan", drafted) not in dashboard.text
    for name in ("plan", "revisions", "review"):
        assert client.get(url(name, drafted)).status_code == 403, name


def test_a_principal_sees_the_comment_to_do_during_the_review(login, principal_user, reviewing,
                                                              school):
    response = login(principal_user).get(url("dashboard", reviewing))

    assert [t.kind for t in response.context["todos"]] == ["comment_draft"]
    assert (f'href="{url("review", reviewing)}">Comment on the draft plan for 夏庄完小'
            in response.text)
    assert "Who is awaited" not in response.text


# --- phase 1: writing the plan ---------------------------------------------------------


def test_the_plan_form_starts_from_the_schools_with_the_centres_first(login, office_user, cycle,
                                                                      township):
    centre = SchoolFactory(township=township, name="葛石镇中心小学",
                           kind=SchoolKind.CENTRAL_PRIMARY, post_count=40)
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))

    response = login(office_user).get(url("plan_edit", cycle))

    form = response.context["form"]
    assert form["based_on"].value() == 0
    assert [(s.name, p.value(), f.value()) for s, p, f in form.school_rows()] == [
        ("葛石镇中心小学", 40, True), ("东张完小", 20, False), ("夏庄完小", 20, False)]
    assert f'name="first_{centre.pk}"' in response.text
    assert "saving makes revision 1" in response.text


def test_the_office_saves_revision_1_and_sees_it_on_the_plan_page(login, office_user, cycle,
                                                                  school, other_school):
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    client = login(office_user)

    response = client.post(
        url("plan_edit", cycle),
        plan_post(cycle, based_on=0, note="初稿", training_pass_mark=70,
                  schools={"夏庄完小": (18, True)}),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("plan", cycle)
    assert messages_of(response) == ["Revision 1 of the plan has been saved."]
    revision = cycle.revisions.get()
    assert (revision.number, revision.note, revision.training_pass_mark,
            revision.created_by) == (1, "初稿", 70, office_user)
    assert {(r.school, r.post_count, r.first_step) for r in revision.schools.all()} == {
        (school, 18, True), (other_school, 20, False)}
    assert [s.title for s in response.context["sections"]] == [
        "Preamble", "一、指导思想", "二、岗位设置"]
    assert "Revision 1, saved by office at" in response.text
    assert response.context["total_posts"] == 18 + other_school.post_count


def test_the_form_reopens_on_the_latest_revision(login, office_user, drafted):
    plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "三、纪律\n严禁说情。",
                         settings={"teaching_load_threshold": 10})

    form = login(office_user).get(url("plan_edit", drafted)).context["form"]

    assert form["based_on"].value() == 2
    assert "三、纪律" in form["text"].value()
    assert form["teaching_load_threshold"].value() == 10
    assert form["note"].value() in (None, "")


def test_a_double_submit_makes_one_revision(login, office_user, drafted):
    client = login(office_user)
    data = plan_post(drafted, based_on=1, text=TEXT + "三、纪律\n严禁说情。", note="加纪律")

    first = client.post(url("plan_edit", drafted), data, follow=True)
    second = client.post(url("plan_edit", drafted), data, follow=True)

    assert messages_of(first) == ["Revision 2 of the plan has been saved."]
    assert messages_of(second) == ["Revision 2 already holds these changes."]
    assert second.redirect_chain[-1][0] == url("plan", drafted)
    assert drafted.revisions.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_clicks_racing_make_one_revision_and_both_land_on_the_plan(office_user, drafted):
    from django.test import Client

    data = plan_post(drafted, based_on=1, text=TEXT + "三、纪律\n严禁说情。")

    def click():
        client = Client()
        client.force_login(office_user)
        return client.post(url("plan_edit", drafted), data)

    outcomes = at_once(click, click)

    assert [getattr(o, "status_code", o) for o in outcomes] == [302, 302]
    assert {o["Location"] for o in outcomes} == {url("plan", drafted)}
    assert drafted.revisions.count() == 2


def test_a_stale_form_with_other_changes_is_refused_and_kept(login, office_user, drafted):
    plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "同事的修改")
    client = login(office_user)

    response = client.post(url("plan_edit", drafted),
                           plan_post(drafted, based_on=1, text=TEXT + "我的修改"))

    assert response.status_code == 200
    assert messages_of(response) == [
        "Nothing was saved: this form was opened on revision 1, and revision 2 has been saved "
        "since (by office).",
        "Your text is kept below. Compare it with revision 2 before saving again: saving now "
        "makes it the next revision.",
    ]
    assert drafted.revisions.count() == 2
    form = response.context["form"]
    assert 'name="based_on" value="2"' in response.text
    assert "我的修改" in form["text"].value()


def test_the_plan_form_refuses_a_share_above_one_and_saves_nothing(login, office_user, drafted):
    response = login(office_user).post(
        url("plan_edit", drafted),
        plan_post(drafted, based_on=1, own_share_num=4, own_share_den=3))

    assert messages_of(response) == ["The plan was not saved; see the reasons below."]
    assert response.context["form"].errors["own_share_num"] == [
        "The share cannot be more than the whole."]
    assert drafted.revisions.count() == 1


def test_the_plan_cannot_be_written_before_phase_1_opens(login, office_user, cycle):
    client = login(office_user)

    page = client.get(url("plan_edit", cycle))
    response = client.post(url("plan_edit", cycle), plan_post(cycle, based_on=0))

    reason = "The plan can be written only while phase 1, 2 or 3 is open."
    assert page.context["refusal"] == reason
    assert re.search(r'<button type="submit" class="primary" disabled aria-describedby="refusal">',
                     page.text)
    assert messages_of(response) == [reason]
    assert not cycle.revisions.exists()


def test_the_plan_page_shows_why_the_office_cannot_edit(login, office_user, drafted):
    run(drafted, office_user, DRAFT)  # phase 1 closed, phase 2 not open

    response = login(office_user).get(url("plan", drafted))

    assert re.search(r"<button type=\"button\" disabled aria-describedby=\"revise-refusal\">"
                     r"Edit the plan</button>", response.text)
    assert "The plan can be written only while phase 1, 2 or 3 is open." in response.text


# --- revisions and their comparison ----------------------------------------------------


def test_the_revision_list_shows_who_saved_what_when(login, office_user, drafted, principal_user):
    plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "x", note="第二稿")

    response = login(principal_user).get(url("revisions", drafted))

    rows = list(response.context["page"])
    assert [(r.number, r.note, r.created_by.username) for r in rows] == [
        (2, "第二稿", "office"), (1, "", "office")]
    assert 'name="a" value="1"' in response.text and 'name="b" value="2"' in response.text
    assert (response.context["default_old"], response.context["default_new"]) == (1, 2)


def test_two_revisions_side_by_side_old_left_new_right(login, office_user, drafted, school):
    plan_services.plan_revise(
        by=office_user, cycle=drafted, text=TEXT.replace("公开公平。", "公开、公平、公正。"),
        settings={"training_pass_mark": 75}, schools=[(school, 18, True)],
    )

    response = login(office_user).get(url("revision_compare", drafted), {"a": 2, "b": 1})

    diff = response.context["diff"]
    assert (diff.old.number, diff.new.number) == (1, 2)
    [changed] = [line for line in diff.lines if line.kind != "same"]
    assert (changed.kind, changed.left, changed.right) == (
        "changed", "公开公平。", "公开、公平、公正。")
    assert '<td class="old"><del>公开公平。</del></td>' in response.text
    assert '<td class="new"><ins>公开、公平、公正。</ins></td>' in response.text
    assert [(s.old, s.new) for s in diff.settings if s.changed] == [("60", "75")]
    assert [(name, p.old, p.new, f.old, f.new) for name, p, f in diff.schools] == [
        ("东张完小", "20", "—", "no", "—"), ("夏庄完小", "20", "18", "no", "yes")]


def test_comparing_without_choosing_shows_the_latest_two(login, office_user, drafted):
    client = login(office_user)
    alone = client.get(url("revision_compare", drafted), follow=True)
    plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "x")

    both = client.get(url("revision_compare", drafted))

    assert messages_of(alone) == [
        "There is nothing to compare yet: the plan has fewer than two revisions."]
    assert (both.context["diff"].old.number, both.context["diff"].new.number) == (1, 2)
    assert client.get(url("revision_compare", drafted), {"a": 1, "b": 9}).status_code == 404


def test_an_older_revision_can_be_read_and_says_it_is_not_the_latest(login, office_user,
                                                                     drafted):
    plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "x")

    response = login(office_user).get(url("plan", drafted), {"revision": 1})

    assert response.context["revision"].number == 1
    assert "This is not the latest revision: revision 2 is." in response.text


# --- phase 2: the collective review ----------------------------------------------------


def test_a_principal_comments_and_the_office_answers_through_the_pages(
    login, client, principal_user, office_user, reviewing
):
    login(principal_user)
    page = client.get(url("review", reviewing))
    assert 'id="comment-body-2"' in page.text  # one comment form per section

    commented = client.post(url("review_comment", reviewing),
                            {"revision": 1, "section": 2, "body": "岗位数偏少"}, follow=True)

    assert messages_of(commented) == [
        "Your comment has been saved. The office answers it on this page."]
    comment = ReviewComment.objects.get()
    assert (comment.section_title, comment.author, comment.body) == (
        "二、岗位设置", principal_user, "岗位数偏少")
    assert "answer-form" not in commented.text  # principals do not answer

    login(office_user)
    office_page = client.get(url("review", reviewing))
    assert url("review_answer", reviewing, comment.pk) in office_page.text
    assert 'id="comment-body-' not in office_page.text  # the office does not comment
    answered = client.post(url("review_answer", reviewing, comment.pk),
                           {"answer": "adopted", "reason": "增加两个岗位"}, follow=True)
    changed = client.post(url("review_answer", reviewing, comment.pk),
                          {"answer": "not_adopted", "reason": "编制不足"}, follow=True)

    assert messages_of(answered) == ["Your answer to the comment on “二、岗位设置” has been saved."]
    comment.refresh_from_db()
    assert (comment.status, comment.reason, comment.answered_by) == (
        ReviewComment.Status.NOT_ADOPTED, "编制不足", office_user)
    [shown] = changed.context["board"].sections[2].comments
    assert [(a.status, a.reason, a.who) for a in shown.answers] == [
        ("adopted", "增加两个岗位", "office"), ("not_adopted", "编制不足", "office")]
    assert "answered by office at" in changed.text


def test_a_comment_on_a_replaced_draft_is_refused(login, principal_user, office_user,
                                                  reviewing):
    plan_services.plan_revise(by=office_user, cycle=reviewing, text=TEXT + "改")

    response = login(principal_user).post(url("review_comment", reviewing),
                                          {"revision": 1, "section": 1, "body": "x"},
                                          follow=True)

    assert messages_of(response) == ["Comment on the current draft; this revision was replaced."]
    assert not ReviewComment.objects.exists()


def test_comments_of_a_replaced_draft_stay_on_the_page_to_be_answered(login, principal_user,
                                                                      office_user, reviewing):
    plan_services.review_comment_add(by=principal_user, revision=reviewing.revisions.get(),
                                section=1, body="旧稿意见")
    plan_services.plan_revise(by=office_user, cycle=reviewing, text=TEXT + "改")

    response = login(office_user).get(url("review", reviewing))

    board = response.context["board"]
    assert board.revision.number == 2
    assert [c.body for c in board.earlier] == ["旧稿意见"]
    assert board.pending == 1
    assert "Comments on earlier drafts" in response.text


def test_an_empty_comment_or_answer_is_refused_and_saves_nothing(login, client, principal_user,
                                                                 office_user, reviewing):
    comment = plan_services.review_comment_add(by=principal_user,
                                          revision=reviewing.revisions.get(), section=1,
                                          body="x")
    empty_comment = login(principal_user).post(url("review_comment", reviewing),
                                                {"revision": 1, "section": 1, "body": " "},
                                                follow=True)
    login(office_user)
    no_reason = client.post(url("review_answer", reviewing, comment.pk),
                            {"answer": "adopted", "reason": ""}, follow=True)
    no_choice = client.post(url("review_answer", reviewing, comment.pk), {"reason": "好"},
                            follow=True)

    assert messages_of(empty_comment) == ["The comment is empty."]
    assert messages_of(no_reason) == ["Give a reason with the answer."]
    assert messages_of(no_choice) == ["The answer was not saved: choose adopted or not adopted."]
    assert ReviewComment.objects.get().status == ReviewComment.Status.PENDING


def test_no_comment_while_the_review_is_not_open(login, principal_user, drafted):
    client = login(principal_user)

    page = client.get(url("review", drafted))
    response = client.post(url("review_comment", drafted),
                           {"revision": 1, "section": 1, "body": "提前评论"}, follow=True)

    assert page.context["refusal"] == "phase 2 (Collective review) has not opened yet."
    assert 'id="comment-body-' not in page.text
    assert messages_of(response) == ["phase 2 (Collective review) has not opened yet."]
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("role_user", ["teacher_user", "liaison_user", "office_user"])
def test_only_principals_comment(request, login, role_user, reviewing):
    response = login(request.getfixturevalue(role_user)).post(
        url("review_comment", reviewing), {"revision": 1, "section": 1, "body": "x"})

    assert response.status_code == 403
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("role_user", ["teacher_user", "liaison_user", "principal_user"])
def test_only_the_office_answers(request, login, role_user, reviewing, principal_user):
    comment = plan_services.review_comment_add(by=principal_user,
                                          revision=reviewing.revisions.get(), section=1,
                                          body="x")

    response = login(request.getfixturevalue(role_user)).post(
        url("review_answer", reviewing, comment.pk), {"answer": "adopted", "reason": "自己批准"})

    assert response.status_code == 403
    assert ReviewComment.objects.get().status == ReviewComment.Status.PENDING


def test_a_comment_of_another_cycle_is_not_found(login, office_user, reviewing, foreign_school,
                                                 foreign_office, principal_user):
    comment = plan_services.review_comment_add(by=principal_user,
                                          revision=reviewing.revisions.get(), section=1,
                                          body="x")
    other = cycle_services.cycle_create(
        by=office_user, township=reviewing.township, school_year=2027
    )

    response = login(office_user).post(url("review_answer", other, comment.pk),
                                       {"answer": "adopted", "reason": "r"})

    assert response.status_code == 404


def test_the_liaison_reads_the_review_but_a_teacher_may_not(login, liaison_user, teacher_user,
                                                            reviewing):
    assert login(liaison_user).get(url("review", reviewing)).status_code == 200
    assert login(teacher_user).get(url("review", reviewing)).status_code == 403


# --- the report ------------------------------------------------------------------------


@pytest.fixture
def voting(voting, reps):
    """The vote open, one of three representatives has voted."""
    consultation_services.vote_cast(by=reps[0].user, cycle=voting, choice="for")
    return voting


def test_the_report_download_matches_the_dashboard(login, office_user, voting):
    client = login(office_user)
    board = client.get(url("dashboard", voting)).context["board"]

    response = client.get(url("report", voting))

    assert response["Content-Disposition"] == (
        'attachment; filename="cycle-2026.xlsx"; '
        f"filename*=UTF-8''{quote('竞聘周期-葛石镇-2026.xlsx')}"
    )
    book = load_workbook(io.BytesIO(response.content))
    phases = [[c.value for c in row] for row in book["环节"].iter_rows(min_row=2)]
    assert [(row[0], row[4].date(), row[5]) for row in phases] == [
        (r.phase.number, r.phase.deadline, sheets.STATE_WORDS[r.phase.state])
        for r in board.phases
    ]
    [vote] = [[c.value for c in row] for row in book["表决"].iter_rows(min_row=2)]
    assert vote[1:4] == [board.vote.revision.number, board.representatives, board.ballots]
    assert vote[4:] == [None, None, None, "表决中"]  # no count before the close
    assert "1 of 3 representatives have voted" in client.get(url("dashboard", voting)).text


def test_the_dashboard_lists_who_is_awaited(login, office_user, voting, school, other_school):
    response = login(office_user).get(url("dashboard", voting))

    board = response.context["board"]
    assert sorted(r.staff.name for r in board.reps_not_voted) == ["代表1", "代表2"]
    awaited = re.search(r'<ul class="awaited" id="reps-not-voted">(.*?)</ul>', response.text)
    assert re.findall(r"<li>(\S+) ", awaited.group(1)) == ["代表2", "代表1"]
    assert {s.name for s in board.schools_not_reported} == {school.name, other_school.name}
    assert "2 schools have not reported their staff's opinions:" in response.text
    assert "0 comments await the office's answer." in response.text
    assert "3 representatives named." in response.text
    assert "This phase closes when the office closes the congress vote." in response.text


# --- home and navigation ---------------------------------------------------------------


def test_home_shows_the_cycle_to_dos_and_the_navigation_links_the_dashboard(
    login, principal_user, reviewing
):
    response = login(principal_user).get(reverse("home"))

    assert [t.kind for t in response.context["todos"]] == ["comment_draft"]
    assert "Staffing cycle 葛石镇 2026–2027" in response.text
    assert f'<a href="{url("dashboard", reviewing)}">Staffing cycle</a>' in response.text


def test_an_office_without_a_cycle_is_offered_to_start_one(login, office_user, township):
    response = login(office_user).get(reverse("home"))

    assert "No staffing cycle yet." in response.text
    assert f'<a href="{reverse("recruitment:cycle_list")}">Staffing cycle</a>' in response.text


def test_a_login_without_a_cycle_gets_no_cycle_link(login, teacher_user):
    response = login(teacher_user).get(reverse("home"))

    assert "Staffing cycle" not in response.text


# --- query counts with a few hundred rows ----------------------------------------------


@pytest.fixture
def busy(reviewing, office_user, principal_user, school, other_school):
    """300 staff, 50 revisions, 100 comments, 30 representatives, many phase changes."""
    for target in (school, other_school):
        StaffFactory.create_batch(150, school=target)
    revision = reviewing.revisions.get()
    PlanRevision.objects.bulk_create(
        PlanRevision(cycle=reviewing, number=n, text=TEXT + f"第{n}稿", created_by=office_user)
        for n in range(2, 51)
    )
    latest = reviewing.revisions.order_by("-number").first()
    PlanSchool.objects.bulk_create(
        PlanSchool(revision=latest, school=s, post_count=20) for s in (school, other_school))
    ReviewComment.objects.bulk_create(
        ReviewComment(revision=revision if n % 2 else latest, section=n % 3,
                      section_title="一、指导思想", author=principal_user, school=school,
                      body=f"意见{n}")
        for n in range(100)
    )
    Representative.objects.bulk_create(
        Representative(cycle=reviewing, staff=s, named_by=office_user)
        for s in school.staff.all()[:30]
    )
    for day in range(1, 21):
        cycle_services.phase_dates_set(by=office_user, phase=phase(reviewing, 5),
                                 start_date=date(2026, 8, day), deadline=date(2026, 8, 25))
    return reviewing


def test_the_dashboard_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                           django_assert_max_num_queries):
    client = login(office_user)

    with django_assert_max_num_queries(25):
        response = client.get(url("dashboard", busy))

    assert response.context["board"].pending_comments == 100
    assert len(response.context["phase_changes"]) == 10


def test_the_revision_list_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                               django_assert_max_num_queries):
    client = login(office_user)

    with django_assert_max_num_queries(12):
        response = client.get(url("revisions", busy))

    assert len(response.context["page"]) == 50


def test_the_review_page_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                             django_assert_max_num_queries):
    client = login(office_user)

    with django_assert_max_num_queries(15):
        response = client.get(url("review", busy))

    board = response.context["board"]
    assert len(board.earlier) + sum(len(s.comments) for s in board.sections) == 100


def test_the_plan_pages_query_counts_do_not_grow_with_rows(login, office_user, busy, township,
                                                           django_assert_max_num_queries):
    SchoolFactory.create_batch(30, township=township)
    client = login(office_user)

    with django_assert_max_num_queries(15):
        client.get(url("plan", busy))
    with django_assert_max_num_queries(15):
        edit = client.get(url("plan_edit", busy))
    with django_assert_max_num_queries(15):
        client.get(url("revision_compare", busy), {"a": 1, "b": 50})

    assert len(edit.context["form"].rows) == 32


# --- the services and selectors these pages added --------------------------------------


@pytest.mark.usefixtures("english")
def test_plan_revise_refuses_a_stale_based_on(office_user, drafted):
    with pytest.raises(ValidationError, match="opened on revision 0") as refused:
        plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT, based_on=0)

    assert refused.value.code == plan_services.PLAN_CHANGED
    revision = plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "x", based_on=1)
    assert revision.number == 2 and drafted.revisions.count() == 2


@pytest.mark.usefixtures("english")
def test_plan_revise_check_gives_the_workflow_reason(office_user, cycle):
    assert plan_selectors.plan_revise_check(cycle) == (
        "The plan can be written only while phase 1, 2 or 3 is open.")
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    assert plan_selectors.plan_revise_check(cycle) is None


def test_plan_revise_keeps_the_settings_it_is_not_given(office_user, drafted):
    plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT,
                         settings={"max_applications": 5, "teaching_load_threshold": 10})

    third = plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT + "x",
                                 settings={"training_pass_mark": 70})

    assert (third.max_applications, third.teaching_load_threshold,
            third.training_pass_mark) == (5, 10, 70)


def test_the_office_finds_step_3s_pages_from_the_dashboard(login, office_user, cycle):
    """Phases 8–10 link to the pages issues 11 and 12 built (they said "pages to come")."""
    text = login(office_user).get(url("dashboard", cycle)).text
    township = cycle.township_id
    for number, targets in {
            8: [reverse("attendance:contracts", args=[cycle.pk])],
            9: [reverse("attendance:month_now", args=[township]),
                reverse("attendance:leave_authority", args=[township])],
            10: [reverse("evaluation:exams_office", args=[township]),
                 reverse("evaluation:letters_home", args=[township]),
                 reverse("evaluation:ballots_office", args=[township]),
                 reverse("evaluation:rec_lists", args=[township])]}.items():
        row = re.search(rf'<tr id="phase-{number}">.*?</tr>', text, re.S).group(0)
        for target in targets:
            assert f'href="{target}"' in row, (number, target)
    assert "Pages to come" not in text
