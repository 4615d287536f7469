"""The server-rendered pages as each role sees them: login, home, schools, staff."""

import pytest
from django.conf import settings
from django.urls import reverse

from schools.models import FullIdView, Position, Role
from schools.services import membership_grant

from .factories import (
    PASSWORD,
    SchoolFactory,
    StaffFactory,
    TownshipFactory,
    UserFactory,
    membership,
)

pytestmark = pytest.mark.usefixtures("english_pages")


# --- login, logout, language ----------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_form_logs_in_and_lands_on_home(client, teacher_user):
    response = client.post(
        reverse("login"), {"username": "teacher", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your record" in response.text


def test_logout_is_a_post_and_returns_to_login(login, teacher_user):
    client = login(teacher_user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, teacher_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "teacher", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})

    assert response.status_code == 429
    assert "Account locked" in response.text
    assert "This account is locked for 30 minutes" in response.text


def test_pages_are_in_simplified_chinese_unless_english_is_chosen(client, login, teacher_user):
    client = login(teacher_user)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]

    chinese = client.get(reverse("home"))
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )

    assert '<html lang="zh-hans">' in chinese.text
    assert 'value="en"' in chinese.text  # the header offers English
    assert '<html lang="en">' in switched.text
    assert 'value="zh-hans"' in switched.text


# --- home -----------------------------------------------------------------------------


def test_office_home_shows_the_township_overview(login, office_user, school, other_school):
    StaffFactory.create_batch(3, school=school)
    StaffFactory(school=other_school)

    response = login(office_user).get(reverse("home"))

    overview = response.context["townships"]
    assert [(t.name, t.school_count, t.establishment_total, t.staff_count) for t in overview] == [
        ("葛石镇", 2, 40, 4)
    ]
    assert "Township overview" in response.text
    for name in ("schools:school_list", "schools:roster_import", "schools:roster_template"):
        assert reverse(name) in response.text
    assert reverse("schools:roster_export", args=[overview[0].pk]) in response.text


def test_liaison_home_lists_only_the_schools_covered(login, liaison_user, school, other_school):
    response = login(liaison_user).get(reverse("home"))

    assert "Schools you liaise with" in response.text
    assert school.name in response.text
    assert other_school.name not in response.text
    assert "Township overview" not in response.text


def test_principal_home_shows_staff_against_establishment(login, principal_user, school):
    StaffFactory.create_batch(2, school=school)  # with the principal: 3 staff, 20 posts

    response = login(principal_user).get(reverse("home"))

    assert "Your school" in response.text
    [shown] = response.context["principal_schools"]
    assert (shown.name, shown.staff_count, shown.establishment, shown.difference) == (
        "夏庄完小",
        3,
        20,
        -17,
    )
    assert "-17" in response.text and "shortfall" in response.text


def test_teacher_home_shows_their_own_record(login, teacher):
    response = login(teacher.user).get(reverse("home"))

    assert "Your record" in response.text
    assert "教师乙" in response.text
    assert reverse("schools:staff_detail", args=[teacher.pk]) in response.text
    assert f'href="{reverse("schools:school_list")}"' not in response.text


def test_a_login_with_several_roles_sees_each_section(login, principal_user, other_school):
    membership(principal_user, Role.LIAISON, other_school)

    response = login(principal_user).get(reverse("home"))

    assert "Your school" in response.text
    assert "Schools you liaise with" in response.text
    assert "Your record" in response.text


def test_a_login_without_a_role_is_told_to_ask_the_office(login, db):
    response = login(UserFactory(username="nobody")).get(reverse("home"))

    assert "no role yet" in response.text


# --- school list and detail -----------------------------------------------------------


def test_school_list_shows_counts_and_highlights_shortfall_and_surplus(
    login, office_user, township, foreign_school
):
    short = SchoolFactory(township=township, name="后山小学", establishment=5, post_count=4)
    over = SchoolFactory(township=township, name="柳沟完小", establishment=1, post_count=1)
    StaffFactory.create_batch(2, school=short)
    StaffFactory.create_batch(3, school=over)

    response = login(office_user).get(reverse("schools:school_list"))

    rows = {
        s.name: (s.establishment, s.post_count, s.staff_count, s.difference)
        for s in response.context["page"]
    }
    assert rows == {"后山小学": (5, 4, 2, -3), "柳沟完小": (1, 1, 3, 2)}
    assert '<td class="num shortfall">-3' in response.text
    assert '<td class="num surplus">+2' in response.text
    assert foreign_school.name not in response.text


def test_school_list_query_count_does_not_grow_with_rows(
    login, office_user, township, django_assert_max_num_queries
):
    for _ in range(30):
        StaffFactory.create_batch(10, school=SchoolFactory(township=township))
    client = login(office_user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("schools:school_list"))

    assert len(response.context["page"]) == 30


def test_school_detail_lists_staff_with_masked_ids_and_positions(login, office_user, school):
    head = StaffFactory(school=school, name="王校长")
    Position.objects.create(staff=head, school=school, title="校长", start_date="2020-09-01")

    response = login(office_user).get(reverse("schools:school_detail", args=[school.pk]))

    assert "王校长" in response.text
    assert head.masked_id in response.text
    assert head.resident_id not in response.text
    assert "校长" in response.text


def test_school_detail_searches_name_subject_title_and_last_four_of_id(login, office_user, school):
    math = StaffFactory(school=school, name="李明", subject="数学", title="高级教师")
    StaffFactory(school=school, name="张芳", subject="语文", title="二级教师")
    client = login(office_user)
    url = reverse("schools:school_detail", args=[school.pk])

    def found(query):
        return [s.name for s in client.get(url, {"q": query}).context["page"]]

    assert found("李") == ["李明"]
    assert found("数学") == ["李明"]
    assert found("高级") == ["李明"]
    assert found(math.resident_id[-4:]) == ["李明"]
    # More of the ID than the masked form shows finds nothing.
    assert found(math.resident_id[-8:]) == []


def test_school_detail_paginates_fifty_staff_a_page(
    login, office_user, school, django_assert_max_num_queries
):
    staff = StaffFactory.create_batch(300, school=school)
    for person in staff[:40]:
        Position.objects.create(
            staff=person, school=school, title="教研组长", start_date="2024-09-01"
        )
    client = login(office_user)
    url = reverse("schools:school_detail", args=[school.pk])

    with django_assert_max_num_queries(12):
        response = client.get(url, {"page": 2})

    page = response.context["page"]
    assert len(page) == 50 and page.number == 2 and page.paginator.num_pages == 6
    assert "Page 2 of 6" in response.text
    assert "?page=3" in response.text


def test_school_detail_shows_its_change_history(login, office_user, school):
    school.establishment = 24
    school._history_user = office_user
    school.save()

    response = login(office_user).get(reverse("schools:school_detail", args=[school.pk]))

    [change, created] = response.context["history"]
    assert change.who == "office"
    assert [(c.old, c.new) for c in change.changes] == [("20", "24")]
    assert "<del>20</del> → <ins>24</ins>" in response.text


# --- staff detail ---------------------------------------------------------------------


def test_staff_detail_masks_the_id_and_offers_the_office_the_full_one(login, office_user, teacher):
    client = login(office_user)

    page = client.get(reverse("schools:staff_detail", args=[teacher.pk]))
    revealed = client.post(reverse("schools:staff_full_id", args=[teacher.pk]))

    assert teacher.masked_id in page.text
    assert teacher.resident_id not in page.text
    assert "Show full ID" in page.text
    assert revealed.status_code == 200
    assert teacher.resident_id in revealed.text
    assert "no-store" in revealed["Cache-Control"]
    assert FullIdView.objects.filter(staff=teacher, viewer=office_user).count() == 1


def test_the_office_sees_who_viewed_the_full_id(login, office_user, teacher, township):
    colleague = UserFactory(username="clerk2", first_name="二", last_name="刘")
    membership_grant(user=colleague, role=Role.TOWNSHIP_OFFICE, township=township)
    FullIdView.objects.create(staff=teacher, viewer=colleague, township=township)

    response = login(office_user).get(reverse("schools:staff_detail", args=[teacher.pk]))

    assert "Who viewed the full ID" in response.text
    assert "刘 二" in response.text or "二 刘" in response.text


def test_liaison_and_principal_see_only_the_masked_id(login, liaison_user, principal_user, teacher):
    for user in (liaison_user, principal_user):
        client = login(user)
        page = client.get(reverse("schools:staff_detail", args=[teacher.pk]))
        refused = client.post(reverse("schools:staff_full_id", args=[teacher.pk]))

        assert teacher.masked_id in page.text
        assert "Show full ID" not in page.text
        assert "Who viewed the full ID" not in page.text
        assert refused.status_code == 403
    assert not FullIdView.objects.exists()


def test_a_teacher_may_see_their_own_full_id_without_a_record(login, teacher):
    client = login(teacher.user)

    response = client.post(reverse("schools:staff_full_id", args=[teacher.pk]))

    assert teacher.resident_id in response.text
    assert not FullIdView.objects.exists()


def test_staff_detail_shows_positions_and_change_history_with_masked_ids(
    login, office_user, teacher, school, other_school
):
    Position.objects.create(
        staff=teacher,
        school=school,
        title="教导主任",
        start_date="2019-09-01",
        end_date="2023-08-31",
        end_reason="not hired at own school",
    )
    Position.objects.create(
        staff=teacher, school=other_school, title="副校长", start_date="2023-09-01"
    )
    teacher.title, teacher.school = "高级教师", other_school
    teacher._history_user = office_user
    teacher.save()

    response = login(office_user).get(reverse("schools:staff_detail", args=[teacher.pk]))

    assert [p.title for p in response.context["positions"]] == ["副校长", "教导主任"]
    assert "not hired at own school" in response.text
    [change, _created] = response.context["history"]
    assert change.who == "office"
    assert {(c.label, c.old, c.new) for c in change.changes} == {
        ("school", "夏庄完小", "东张完小"),
        ("professional title", "一级教师", "高级教师"),
    }
    assert teacher.resident_id not in response.text


def test_staff_detail_query_count_is_bounded(
    login, office_user, school, django_assert_max_num_queries
):
    StaffFactory.create_batch(300, school=school)
    person = StaffFactory(school=school)
    for year in range(2000, 2020):
        person.title = f"{year}级"
        person.save()
    client = login(office_user)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("schools:staff_detail", args=[person.pk]))

    assert response.status_code == 200
    assert len(response.context["history"]) == 20


def test_county_office_sees_every_township_of_its_county(login, township, foreign_school):
    county_user = UserFactory(username="county", is_staff=True)
    membership(county_user, Role.COUNTY_OFFICE, township.county)
    SchoolFactory(township=township, name="夏庄完小")
    elsewhere = SchoolFactory(township=TownshipFactory(name="外县镇", county__name="外县"))

    response = login(county_user).get(reverse("schools:school_list"))

    names = {s.name for s in response.context["page"]}
    assert names == {"夏庄完小", foreign_school.name}
    assert elsewhere.name not in response.text
    assert response.context["show_township"] is True
