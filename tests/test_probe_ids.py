"""Resident ID numbers under probing (issue 8, items 5–9): the birth date beside a
masked ID, searches by ID as an oracle, full IDs shown or exported without a record,
the roster telling an office an ID exists elsewhere, and personal pages cached.

The world is the outcome pages' (tests/outcome_world.py): a cycle of 葛石镇 with two schools'
posts; 青年丙 of 东张完小 applies at 夏庄完小, whose principal therefore sees them."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from schools import access, resident_id
from schools.models import FullIdView, Staff
from schools.services import full_id_reveal, roster_import

from . import outcome_world
from .factories import StaffFactory, UserFactory
from .helpers import apply, url
from .rosters import roster, school_row, staff_row

# The outcome world's fixtures (tests/outcome_world.py).
cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done

pytestmark = pytest.mark.usefixtures("english_pages")

BORN = date(1983, 5, 19)


def age_today(born: date) -> int:
    today = timezone.localdate()
    return today.year - born.year - (1 if (today.month, today.day) < (born.month, born.day) else 0)


@pytest.fixture
def born_1983(school):
    """A teacher of 夏庄完小 whose ID holds 1983-05-19, as in the issue."""
    number = resident_id.make("370921", BORN, 47, resident_id.MALE)
    return StaffFactory(school=school, name="王老师", resident_id=number)


@pytest.fixture
def applicant(cycle, posts, other_school, school):
    """青年丙 of 东张完小, applying at 夏庄完小: on its principal's intentions list."""
    person = StaffFactory(school=other_school, name="青年丙",
                          user=UserFactory(username="s-applicant"))
    apply(person, cycle, school, posts["here"][0], posts["here"][1])
    return person


# --- 5. age, not the birth date, for those who may not see the full ID ------------------


@pytest.mark.parametrize("who", ["principal_user", "liaison_user"])
def test_a_school_leader_sees_the_age_and_never_the_birth_date(request, login, who, born_1983,
                                                               school):
    # The birth date changed once (a corrected ID): the history must not show it either.
    corrected = resident_id.make("370921", date(1983, 5, 20), 47, resident_id.MALE)
    born_1983.resident_id, born_1983.birth_date = corrected, date(1983, 5, 20)
    born_1983.save()
    client = login(request.getfixturevalue(who))

    staff_page = client.get(reverse("schools:staff_detail", args=[born_1983.pk]))
    school_page = client.get(reverse("schools:school_detail", args=[school.pk]))

    age = age_today(date(1983, 5, 20))
    assert f'<dd id="age">{age} years</dd>' in staff_page.text
    assert born_1983.masked_id in staff_page.text
    for page in (staff_page, school_page):
        for shown in ("1983-05-19", "1983-05-20", "1983/05/19", "19830519", "1983年5月"):
            assert shown not in page.text
    assert "Birth date" not in staff_page.text


def test_the_office_and_the_teacher_still_see_the_birth_date(login, office_user, teacher):
    for user in (office_user, teacher.user):
        page = login(user).get(reverse("schools:staff_detail", args=[teacher.pk]))
        assert teacher.birth_date.isoformat() in page.text
        assert 'id="age"' not in page.text


# --- 6. searching by ID: exactly the last four, or the whole number for the office ------


def test_the_intentions_search_is_no_oracle_for_a_principal(login, principal_user, applicant,
                                                            cycle):
    client = login(principal_user)

    def found(query):
        response = client.get(url("intentions", cycle), {"q": query})
        return [row.intention.staff.name for row in response.context["rows"]]

    number = applicant.resident_id
    assert found(number[-4:]) == ["青年丙"]  # what the masked ID shows
    # The attack of the issue: a tail one digit longer each time spells out the ID.
    for length in range(5, 19):
        assert found(number[-length:]) == [], length
    assert found(number[-3:]) == []  # a shorter tail matches nothing either


def test_the_office_finds_a_whole_id_of_its_township(login, office_user, applicant, cycle):
    client = login(office_user)

    def found(query):
        response = client.get(url("intentions", cycle), {"q": query})
        return [row.intention.staff.name for row in response.context["rows"]]

    assert found(applicant.resident_id) == ["青年丙"]
    assert found(applicant.resident_id[-10:]) == []


def test_the_school_staff_search_takes_the_last_four_or_the_whole_id(login, principal_user,
                                                                     office_user, born_1983,
                                                                     school):
    def found(user, query):
        response = login(user).get(reverse("schools:school_detail", args=[school.pk]),
                                   {"q": query})
        return [staff.name for staff in response.context["page"]]

    number = born_1983.resident_id
    assert found(principal_user, number[-4:]) == ["王老师"]
    assert found(principal_user, number[-5:]) == []
    assert found(principal_user, number) == []
    assert found(office_user, number) == ["王老师"]
    assert found(office_user, number[-12:]) == []


def test_a_whole_id_matches_only_where_the_login_may_see_it(foreign_office, office_user,
                                                            principal_user, born_1983):
    number = born_1983.resident_id
    own = principal_user.staff_profile

    def matches(user, query):
        return list(Staff.objects.filter(access.id_search_q(user, query))
                    .values_list("name", flat=True))

    assert matches(office_user, number) == ["王老师"]
    assert matches(foreign_office, number) == []  # another township's office
    assert matches(principal_user, number) == []
    assert matches(principal_user, own.resident_id) == [own.name]  # one's own
    assert not access.id_search_q(principal_user, "王老师")  # no condition on the ID


def test_the_representatives_search_takes_the_last_four_only(login, office_user, cycle,
                                                             born_1983):
    client = login(office_user)
    page = reverse("recruitment:representatives", args=[cycle.pk])

    def found(query):
        return [s.name for s in client.get(page, {"q": query}).context["found"]]

    assert found(born_1983.resident_id[-4:]) == ["王老师"]
    assert found(born_1983.resident_id[-6:]) == []


# --- 7. every full ID shown or exported is recorded; the office lists the records ------


def test_a_staff_page_reveal_is_recorded_with_its_kind_and_township(login, office_user,
                                                                    born_1983, township):
    login(office_user).post(reverse("schools:staff_full_id", args=[born_1983.pk]))

    record = FullIdView.objects.get()
    assert (record.kind, record.staff, record.township, record.viewer) == (
        FullIdView.Kind.PAGE, born_1983, township, office_user)


def workbook_rows(response, sheet):
    return list(load_workbook(io.BytesIO(response.content))[sheet].iter_rows(values_only=True))


def test_the_intentions_export_with_full_ids_is_recorded_once(login, office_user, applicant,
                                                              cycle, township):
    response = login(office_user).get(url("intentions_export", cycle))

    rows = workbook_rows(response, "意向")
    assert applicant.resident_id in [row[1] for row in rows]
    record = FullIdView.objects.get()
    assert (record.kind, record.township, record.viewer, record.staff) == (
        FullIdView.Kind.EXPORT, township, office_user, None)
    assert record.rows == len(rows) - 1
    assert record.export == f"意向-{township.name}-{cycle.school_year}.xlsx"


def test_a_principals_masked_export_records_nothing(login, principal_user, applicant, cycle):
    response = login(principal_user).get(url("intentions_export", cycle))

    assert applicant.masked_id in [row[1] for row in workbook_rows(response, "意向")]
    assert not FullIdView.objects.exists()


def test_the_outcome_export_with_full_ids_is_recorded_once(login, office_user, done, township,
                                                           principal_user):
    response = login(office_user).get(url("outcome_export", done))
    login(principal_user).get(url("outcome_export", done))  # masked: not recorded

    people_rows = workbook_rows(response, "人员")[1:]
    assert people_rows and all("*" not in row[1] for row in people_rows)
    record = FullIdView.objects.get()
    assert (record.kind, record.township, record.viewer, record.rows) == (
        FullIdView.Kind.EXPORT, township, office_user, len(people_rows))
    assert record.export.startswith("竞聘结果-")


def test_the_roster_export_is_recorded_with_its_row_count(login, office_user, township, school,
                                                          born_1983, teacher):
    response = login(office_user).get(reverse("schools:roster_export", args=[township.pk]))

    staff_rows = workbook_rows(response, "教职工")[1:]
    record = FullIdView.objects.get()
    assert (record.kind, record.township, record.rows) == (
        FullIdView.Kind.EXPORT, township, len(staff_rows))
    assert len(staff_rows) == Staff.objects.filter(school__township=township).count()


@pytest.fixture
def corrected(born_1983, office_user):
    """王老师's ID corrected once in the admin, so the history holds two full numbers."""
    old = born_1983.resident_id
    born_1983.resident_id = resident_id.make("370921", BORN, 49, resident_id.MALE)
    born_1983._history_user = office_user
    born_1983.save()
    return old, born_1983


def test_the_admin_history_pages_show_the_id_masked_and_record_nothing(login, office_user,
                                                                       corrected):
    old, staff = corrected
    client = login(office_user)
    history = client.get(reverse("admin:schools_staff_history", args=[staff.pk]))
    version = staff.history.order_by("history_date").first()
    past = client.get(reverse("admin:schools_staff_simple_history",
                              args=[staff.pk, version.history_id]))

    assert history.status_code == past.status_code == 200
    for page in (history, past):
        assert old not in page.text and staff.resident_id not in page.text
    assert resident_id.mask(old) in past.text
    assert staff.masked_id in history.text and resident_id.mask(old) in history.text
    assert not FullIdView.objects.exists()


def test_the_admin_change_form_records_an_admin_reveal(login, office_user, born_1983):
    response = login(office_user).get(reverse("admin:schools_staff_change", args=[born_1983.pk]))

    assert born_1983.resident_id in response.text
    assert FullIdView.objects.get().kind == FullIdView.Kind.ADMIN


@pytest.fixture
def records(office_user, foreign_office, born_1983, township, foreign_school):
    """Two reveals in 葛石镇 and one export of 别的镇 by its own office."""
    full_id_reveal(by=office_user, staff=born_1983)
    FullIdView.objects.create(kind=FullIdView.Kind.EXPORT, township=township,
                              export="花名册-葛石镇.xlsx", rows=271, viewer=office_user)
    FullIdView.objects.create(kind=FullIdView.Kind.EXPORT, township=foreign_school.township,
                              export="花名册-别的镇.xlsx", rows=5, viewer=foreign_office)


def test_the_office_lists_the_records_of_its_own_township(login, office_user, records,
                                                          born_1983):
    response = login(office_user).get(reverse("schools:id_reveals"))

    table = response.text.split('id="id-reveals"')[1]
    assert "花名册-葛石镇.xlsx" in table and "271" in table
    assert born_1983.name in table and born_1983.masked_id in table
    assert born_1983.resident_id not in table
    assert "别的镇" not in table
    assert [v.kind for v in response.context["page"]] == ["export", "page"]  # newest first


def test_the_office_home_links_to_the_records(login, office_user):
    home = login(office_user).get(reverse("home"))

    assert reverse("schools:id_reveals") in home.text


@pytest.mark.parametrize("who", ["principal_user", "liaison_user", "teacher_user"])
def test_only_the_office_sees_the_records(request, login, records, who):
    response = login(request.getfixturevalue(who)).get(reverse("schools:id_reveals"))

    assert response.status_code == 403


def test_the_records_list_is_paginated_with_bounded_queries(login, office_user, township,
                                                            school, django_assert_max_num_queries):
    staff = StaffFactory.create_batch(60, school=school)
    FullIdView.objects.bulk_create(
        [FullIdView(kind="page", township=township, staff=s, viewer=office_user) for s in staff]
        + [FullIdView(kind="export", township=township, export=f"{n}.xlsx", rows=n,
                      viewer=office_user) for n in range(60)])
    client = login(office_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("schools:id_reveals"), {"page": 2})

    assert response.context["page"].paginator.count == 120
    assert len(response.context["page"].object_list) == 50


# --- 8. the roster does not say an ID is on another township's roster -------------------


def test_an_id_of_another_township_says_only_it_cannot_be_imported(township, foreign_school,
                                                                   english):
    elsewhere = StaffFactory(school=foreign_school)
    data = roster([school_row()], staff=[staff_row(rid=elsewhere.resident_id)])

    plan = roster_import(by=None, township=township, data=data, dry_run=True).plan

    [error] = plan.errors
    assert (error.column, error.reason) == ("身份证号", "cannot be imported into this township")


# --- 9. no cache keeps a personal page or download --------------------------------------


def test_pages_and_downloads_for_a_login_are_not_cached(login, office_user, township, teacher):
    client = login(office_user)

    page = client.get(reverse("schools:staff_detail", args=[teacher.pk]))
    download = client.get(reverse("schools:roster_export", args=[township.pk]))
    revealed = client.post(reverse("schools:staff_full_id", args=[teacher.pk]))

    assert page["Cache-Control"] == "private, no-store"
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["Cache-Control"] == "private, no-store"
    # A view that says more about caching (never_cache) keeps its own header.
    assert "must-revalidate" in revealed["Cache-Control"]


def test_static_files_and_anonymous_pages_are_left_alone(client, login, office_user):
    anonymous = client.get(reverse("login"))
    static = login(office_user).get("/static/css/app.css")

    assert anonymous.get("Cache-Control", "") != "private, no-store"
    assert static.status_code == 200
    assert static.get("Cache-Control", "") != "private, no-store"

