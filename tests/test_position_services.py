"""The schools app's position services (R3, R4 and the roster's 现任职务): what recruitment
and the roster import call to end and open leadership positions."""

from datetime import timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schools.models import Position
from schools.services import position_change, positions_end, positions_open
from staffing.history import display_name, history_of

from .factories import StaffFactory, UserFactory

REASON = "not hired at their own unit"  # a caller's msgid, stored untranslated


def position(staff, title="教导主任", *, start_date=None):
    return Position.objects.create(staff=staff, school=staff.school, title=title,
                                   start_date=start_date or timezone.localdate()
                                   - timedelta(days=400))


def open_positions(count, school):
    return [position(StaffFactory(school=school)) for _n in range(count)]


def locked(positions):
    """The rows as a caller passes them: locked, inside its transaction."""
    return list(Position.objects.select_for_update().filter(pk__in=[p.pk for p in positions]))


def test_a_position_ends_today_with_its_reason(school, office_user):
    [held] = open_positions(1, school)
    with transaction.atomic():
        ended = positions_end(by=office_user, positions=locked([held]), reason=REASON)
    held.refresh_from_db()
    assert ended == 1
    assert (held.end_date, held.end_reason) == (timezone.localdate(), REASON)


def test_a_position_that_starts_in_the_future_ends_on_its_start_date(school, office_user):
    starts = timezone.localdate() + timedelta(days=10)
    held = position(StaffFactory(school=school), start_date=starts)
    with transaction.atomic():
        positions_end(by=office_user, positions=locked([held]), reason=REASON)
    held.refresh_from_db()
    assert held.end_date == starts  # never before it started (position_ends_after_start)


def test_ending_3_or_30_positions_takes_the_same_number_of_queries(school, office_user):
    few, many = locked(open_positions(3, school)), locked(open_positions(30, school))
    with CaptureQueriesContext(connection) as ending_few:
        assert positions_end(by=office_user, positions=few, reason=REASON) == 3
    with CaptureQueriesContext(connection) as ending_many:
        assert positions_end(by=office_user, positions=many, reason=REASON) == 30
    assert len(ending_many.captured_queries) == len(ending_few.captured_queries)
    assert not Position.objects.filter(end_date__isnull=True).exists()
    assert Position.history.filter(history_type="~", history_user=office_user).count() == 33


def test_ending_nothing_writes_nothing(office_user, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert positions_end(by=office_user, positions=[], reason=REASON) == 0


def test_the_history_of_an_ended_position_names_who_ended_it_and_why(school):
    office = UserFactory(username="clerk", first_name="芳", last_name="王")
    [held] = open_positions(1, school)
    with transaction.atomic():
        positions_end(by=office, positions=locked([held]), reason=REASON,
                      history_reason="roster import")
    [ended, _created] = held.history.order_by("-history_date", "-history_id")
    assert ended.history_user == office
    assert ended.history_change_reason == "roster import"
    assert history_of(held)[0].who == display_name(office) != ""


def test_without_a_history_reason_the_history_records_none(school, office_user):
    [held] = open_positions(1, school)
    with transaction.atomic():
        positions_end(by=office_user, positions=locked([held]), reason=REASON)
    assert held.history.latest("history_date").history_change_reason in (None, "")
    assert history_of(held)[0].reason == ""


def test_positions_open_today_at_each_holders_school_with_history(
    school, other_school, office_user
):
    here, there = StaffFactory(school=school), StaffFactory(school=other_school)
    opened = positions_open(by=office_user, holders=[(here, "校长"), (there, "副校长")],
                            history_reason="roster import")
    assert [(p.staff, p.school, p.title, p.start_date, p.end_date) for p in
            Position.objects.order_by("staff_id")] == [
        (here, school, "校长", timezone.localdate(), None),
        (there, other_school, "副校长", timezone.localdate(), None),
    ]
    assert {p.pk for p in opened} == set(Position.objects.values_list("pk", flat=True))
    assert [(h.history_user, h.history_change_reason) for h in Position.history.all()] == [
        (office_user, "roster import")] * 2


def test_opening_3_or_30_positions_takes_the_same_number_of_queries(school, office_user):
    few = [(StaffFactory(school=school), "教导主任") for _n in range(3)]
    many = [(StaffFactory(school=school), "总务主任") for _n in range(30)]
    with CaptureQueriesContext(connection) as opening_few:
        positions_open(by=office_user, holders=few)
    with CaptureQueriesContext(connection) as opening_many:
        positions_open(by=office_user, holders=many)
    assert len(opening_many.captured_queries) == len(opening_few.captured_queries)
    assert Position.objects.filter(end_date__isnull=True).count() == 33


def test_position_change_keeps_the_same_position(school, office_user):
    staff = StaffFactory(school=school)
    held = position(staff, "教导主任")
    kept = position_change(by=office_user, staff=staff, school=school, title="教导主任",
                           end_reason="appointed to a new position")
    held.refresh_from_db()
    assert kept == held
    assert held.end_date is None
    assert Position.objects.count() == 1
    assert held.history.count() == 1  # nothing written


def test_position_change_ends_a_different_position_with_its_reason(
    school, other_school, office_user
):
    staff = StaffFactory(school=school)
    held = position(staff, "教导主任")
    new = position_change(by=office_user, staff=staff, school=other_school, title="总务主任",
                          end_reason="appointed to a new position")
    held.refresh_from_db()
    assert (held.end_date, held.end_reason) == (timezone.localdate(),
                                                "appointed to a new position")
    assert (new.school, new.title, new.start_date, new.end_date) == (
        other_school, "总务主任", timezone.localdate(), None)
    assert staff.positions.get(end_date__isnull=True) == new
    assert held.history.latest("history_date").history_user == office_user
    assert new.history.get().history_user == office_user


def test_position_change_opens_a_first_position(school, office_user):
    staff = StaffFactory(school=school)
    new = position_change(by=office_user, staff=staff, school=school, title="教导主任",
                          end_reason="appointed to a new position")
    assert list(staff.positions.all()) == [new]
    assert new.history.get().history_user == office_user


def test_display_name_is_the_full_name_else_the_username_and_blank_for_none(db):
    named = UserFactory(username="wangfang", first_name="芳", last_name="王")
    assert display_name(named) == named.get_full_name() == "芳 王"
    assert display_name(UserFactory(username="clerk")) == "clerk"
    assert display_name(None) == ""
