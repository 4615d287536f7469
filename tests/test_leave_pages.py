"""R8's pages: asking on one's own page, the approver's queue (several at once, the days
this term, no button on one's own), the office's settings; each role's access, bad
input, double submits, bounded queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from attendance import rules
from attendance.models import LeaveAuthority, LeaveRequest
from attendance.services import leave as leave_services
from schools.models import Role

from .factories import SchoolFactory, StaffFactory, UserFactory, membership
from .helpers import messages_of, text
from .leave_world import ask, monday
from .page_text import english_words

MINE, QUEUE, DECIDE = (reverse("attendance:leave_mine"), reverse("attendance:leave_queue"),
                       reverse("attendance:leave_decide"))


def authority(township):
    return reverse("attendance:leave_authority", args=[township.pk])


@pytest.fixture
def client_en(english_pages, login):
    return login


def test_a_teacher_asks_and_sees_the_request(client_en, teacher_user):
    client = client_en(teacher_user)
    response = client.post(reverse("attendance:leave_ask"), {
        "kind": "sick_leave", "start_date": monday(1).isoformat(),
        "end_date": (monday(1) + timedelta(days=3)).isoformat(), "reason": "发烧"}, follow=True)
    leave = LeaveRequest.objects.get()
    assert messages_of(response) == [
        "Your leave of 4 working days is asked: it waits for the school's principal."]
    page = text(response)
    assert f'id="leave-{leave.pk}"' in page and "waiting for the school's principal" in page


@pytest.mark.parametrize("data, error", [
    ({"kind": "holiday"}, "Select a valid choice"),
    ({"start_date": "2026-13-01"}, "Enter a valid date"),
    ({"end_date": "x"}, "Enter a valid date"),
    ({"reason": ""}, "This field is required"),
    ({"end_date": "2020-01-01"}, "ends before it starts"),
    ({"end_date": "2099-01-01"}, "at most a year"),
])
def test_bad_input_keeps_what_was_typed(client_en, teacher_user, data, error):
    good = {"kind": "personal_leave", "start_date": monday(1).isoformat(),
            "end_date": monday(1).isoformat(), "reason": "回老家办事"}
    response = client_en(teacher_user).post(reverse("attendance:leave_ask"), {**good, **data})
    assert response.status_code == 400 and error in text(response)
    if "reason" not in data:
        assert "回老家办事" in text(response)
    assert not LeaveRequest.objects.exists()


def test_an_overlap_is_refused_with_a_clear_message(client_en, teacher, teacher_user):
    ask(teacher, monday(1), 3)
    response = client_en(teacher_user).post(reverse("attendance:leave_ask"), {
        "kind": "personal_leave", "start_date": (monday(1) + timedelta(days=2)).isoformat(),
        "end_date": (monday(1) + timedelta(days=2)).isoformat(), "reason": "x"})
    assert response.status_code == 400
    assert "may not share a day with it" in text(response)
    assert LeaveRequest.objects.count() == 1


def test_the_rejection_reason_and_cancel_on_ones_page(client_en, teacher, principal_user):
    rejected = leave_services.leave_decide(by=principal_user, leave=ask(teacher, monday(1), 1),
                                           approve=False, reason="期中考试")
    pending = ask(teacher, monday(2), 1)
    page = text(client_en(teacher.user).get(MINE))
    assert "Why it was rejected: 期中考试" in page
    cancel = reverse("attendance:leave_cancel", args=[pending.pk])
    assert cancel in page
    assert reverse("attendance:leave_cancel", args=[rejected.pk]) not in page


def test_cancel_asks_first_then_cancels(client_en, teacher, principal_user):
    leave = leave_services.leave_decide(by=principal_user, leave=ask(teacher, monday(1), 2),
                                        approve=True)
    client = client_en(teacher.user)
    url = reverse("attendance:leave_cancel", args=[leave.pk])
    confirm = client.get(url)
    assert "Yes, cancel this leave" in text(confirm) and "go back to what they were" in text(
        confirm)
    assert LeaveRequest.objects.get(pk=leave.pk).status == "approved"
    response = client.post(url, follow=True)
    assert messages_of(response)[0].endswith("is cancelled.")
    again = client.post(url, follow=True)  # a double submit
    assert "nothing to cancel" in messages_of(again)[0]


def test_anothers_request_is_not_found(client_en, teacher, principal_user, school):
    leave = ask(teacher, monday(1), 1)
    other = StaffFactory(school=school, user=UserFactory(username="t3"))
    for user in (other.user, principal_user):
        client = client_en(user)
        url = reverse("attendance:leave_cancel", args=[leave.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert client.get(reverse("attendance:leave_cancel", args=["1e9"])).status_code == 404
    assert LeaveRequest.objects.get(pk=leave.pk).status == "pending"


def test_the_queue_shows_the_days_this_term(client_en, teacher, principal_user, school):
    taken = leave_services.leave_decide(by=principal_user, leave=ask(teacher, monday(1), 2),
                                        approve=True)
    waiting = ask(teacher, monday(2), 3)
    response = client_en(principal_user).get(QUEUE)
    page = text(response)
    assert f'value="{waiting.pk}"' in page and f'value="{taken.pk}"' not in page
    same_term = rules.term_of(taken.start_date) == rules.term_of(waiting.start_date)
    assert (f"This term: {2 if same_term else 0} days taken, 3 days waiting") in page


def test_approve_several_and_a_double_submit(client_en, teacher, principal_user, school):
    other = StaffFactory(school=school, name="教师丁", user=UserFactory(username="t4"))
    a, b = ask(teacher, monday(1), 1), ask(other, monday(1), 1)
    client = client_en(principal_user)
    data = {"leave": [a.pk, b.pk], "decision": "approve"}
    response = client.post(DECIDE, data, follow=True)
    assert messages_of(response) == ["2 requests approved: 教师乙、教师丁."]
    again = client.post(DECIDE, data, follow=True)
    assert [m for m in messages_of(again)] == [
        "教师乙: This request has already been decided (approved).",
        "教师丁: This request has already been decided (approved)."]
    assert LeaveRequest.objects.filter(status="approved").count() == 2


def test_reject_several_needs_a_reason(client_en, teacher, principal_user):
    leave = ask(teacher, monday(1), 1)
    client = client_en(principal_user)
    response = client.post(DECIDE, {"leave": [leave.pk], "decision": "reject"}, follow=True)
    assert messages_of(response) == ["Say why the leave is rejected."]
    response = client.post(DECIDE, {"leave": [leave.pk], "decision": "reject",
                                    "reason": "人手不够"}, follow=True)
    assert messages_of(response) == ["1 request rejected: 教师乙."]
    assert leave.decisions.get().reason == "人手不够"


@pytest.mark.parametrize("ids", [[], ["abc"], ["1e5"], ["-1"], ["9" * 30]])
def test_bad_ids_decide_nothing(client_en, teacher, principal_user, ids):
    ask(teacher, monday(1), 1)
    response = client_en(principal_user).post(DECIDE, {"leave": ids, "decision": "approve"},
                                              follow=True)
    assert messages_of(response) == ["Tick one or more requests."]
    assert LeaveRequest.objects.get().status == "pending"


def test_anothers_schools_request_is_not_decided(client_en, teacher, other_principal):
    leave = ask(teacher, monday(1), 1)
    response = client_en(other_principal).post(
        DECIDE, {"leave": [leave.pk], "decision": "approve"}, follow=True)
    assert messages_of(response) == [f"#{leave.pk}: This request is not waiting for you."]
    assert LeaveRequest.objects.get().status == "pending"


def test_a_principal_sees_no_button_on_their_own(client_en, principal_user, office_user):
    own = ask(principal_user.staff_profile, monday(1), 1)
    assert f'value="{own.pk}"' not in text(client_en(principal_user).get(QUEUE))
    assert f'value="{own.pk}"' in text(client_en(office_user).get(QUEUE))


def test_an_office_login_sees_no_button_on_its_own(client_en, township, school,
                                                   principal_user):
    clerk = UserFactory(username="clerk")
    membership(clerk, Role.TOWNSHIP_OFFICE, township)
    leave = leave_services.leave_decide(
        by=principal_user, approve=True,
        leave=ask(StaffFactory(school=school, user=clerk), monday(1), 4))
    assert f'value="{leave.pk}"' not in text(client_en(clerk).get(QUEUE))


@pytest.mark.parametrize("who, mine, queue, office_page", [
    ("teacher_user", 200, 403, 404),
    ("principal_user", 200, 200, 404),
    ("liaison_user", 403, 403, 404),
    ("office_user", 403, 200, 200),
    ("foreign_office", 403, 200, 404),
])
def test_each_role_on_each_page(request, client_en, township, who, mine, queue, office_page):
    client = client_en(request.getfixturevalue(who))
    assert client.get(MINE).status_code == mine
    assert client.get(QUEUE).status_code == queue
    assert client.get(authority(township)).status_code == office_page
    assert client.post(reverse("attendance:authority_set", args=[township.pk]), {
        "step_1": "principal"}).status_code == (404 if office_page == 404 else 302)
    assert LeaveAuthority.objects.exists() == (office_page == 200)


def test_anonymous_goes_to_the_login(client, township):
    for url in (MINE, QUEUE, DECIDE, reverse("attendance:leave_ask"), authority(township)):
        response = client.get(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


def test_the_office_sets_and_removes_a_row(client_en, office_user, township, school):
    client = client_en(office_user)
    page = text(client.get(authority(township)))
    assert "The default, until you save a row" in page
    response = client.post(reverse("attendance:authority_set", args=[township.pk]), {
        "school": school.pk, "up_to_days": "2", "step_1": "township_office",
        "step_2": "principal"}, follow=True)
    assert messages_of(response) == ["The leave approval settings are saved."]
    row = LeaveAuthority.objects.get(school=school)
    assert row.steps == ["township_office", "principal"]
    assert "The default, until you save a row" not in text(response)
    bad = client.post(reverse("attendance:authority_set", args=[township.pk]), {
        "up_to_days": "0", "step_1": "principal", "step_2": "principal"})
    assert bad.status_code == 400
    assert "An approver appears twice." in text(bad)
    foreign = client.post(reverse("attendance:authority_set", args=[township.pk]), {
        "school": SchoolFactory().pk, "step_1": "principal"})
    assert foreign.status_code == 404
    response = client.post(reverse("attendance:authority_remove", args=[township.pk]),
                           {"authority": row.pk}, follow=True)
    assert messages_of(response) == ["The row is removed."]
    assert not LeaveAuthority.objects.filter(pk=row.pk).exists()
    junk = client.post(reverse("attendance:authority_remove", args=[township.pk]),
                       {"authority": "x"}, follow=True)
    assert messages_of(junk) == ["Choose a row to remove."]


def test_another_townships_row_is_not_removed(client_en, foreign_office, office_user,
                                              township):
    row = leave_services.authority_set(by=office_user, township=township, school=None,
                                       up_to_days=2, steps=["principal"])
    foreign_township = foreign_office.memberships.get().township
    response = client_en(foreign_office).post(
        reverse("attendance:authority_remove", args=[foreign_township.pk]),
        {"authority": row.pk})
    assert response.status_code == 404
    assert LeaveAuthority.objects.filter(pk=row.pk).exists()


@pytest.fixture
def hundreds(township, office_user):
    """300 staff over 6 schools, each with a request waiting for the office."""
    people = []
    for _school in range(6):
        school = SchoolFactory(township=township)
        for _ in range(50):
            people.append(StaffFactory(school=school))
    leaves = [LeaveRequest(staff=p, school=p.school, kind="personal_leave",
                           start_date=monday(1), end_date=monday(1), reason="事",
                           working_days=1, steps=["township_office"],
                           waiting_for="township_office") for p in people]
    LeaveRequest.objects.bulk_create(leaves)
    return people


def test_the_queue_is_bounded_with_hundreds(client_en, office_user, hundreds,
                                            django_assert_max_num_queries):
    client = client_en(office_user)
    with django_assert_max_num_queries(14):
        response = client.get(QUEUE)
    assert response.status_code == 200 and text(response).count('name="leave"') == 50
    with django_assert_max_num_queries(14):
        client.get(QUEUE + "?page=6")


def test_deciding_a_page_is_bounded_per_request(client_en, office_user, hundreds,
                                                django_assert_max_num_queries):
    ids = list(LeaveRequest.objects.values_list("pk", flat=True)[:50])
    client = client_en(office_user)
    # A fixed cost per request decided (its step, its status, its days through records_put
    # with the month-lock check), whatever the number of requests.
    with django_assert_max_num_queries(50 * 18 + 20):
        response = client.post(DECIDE, {"leave": ids, "decision": "approve"}, follow=True)
    assert messages_of(response)[0].startswith("50 requests approved")


def test_ones_own_list_is_bounded(client_en, teacher, django_assert_max_num_queries):
    LeaveRequest.objects.bulk_create([LeaveRequest(
        staff=teacher, school=teacher.school, kind="sick_leave",
        start_date=monday(1) + timedelta(days=7 * i), end_date=monday(1) + timedelta(days=7 * i),
        reason="病", working_days=1, steps=["principal"], waiting_for="principal")
        for i in range(200)])
    client = client_en(teacher.user)
    with django_assert_max_num_queries(12):
        response = client.get(MINE)
    assert text(response).count("leave-item") == 50


def test_the_leave_pages_in_chinese(login, teacher, principal_user, office_user, township):
    rejected = leave_services.leave_decide(by=principal_user, leave=ask(teacher, monday(1), 1),
                                           approve=False, reason="考试")
    ask(teacher, monday(2), 4)
    leave_services.authority_set(by=office_user, township=township, school=None,
                                 up_to_days=2, steps=["principal", "township_office"])
    pages = [(teacher.user, MINE), (teacher.user, reverse(
        "attendance:leave_cancel", args=[rejected.pk])), (principal_user, QUEUE),
        (office_user, authority(township)), (office_user, "/"), (principal_user, "/")]
    for user, url in pages:
        response = login(user).get(url)
        assert response.status_code == 200
        assert english_words(response.content.decode()) == set(), url
