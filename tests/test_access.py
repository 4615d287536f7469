"""schools.access: each role's scope, the one place every page asks."""

import pytest
from django.core.exceptions import PermissionDenied

from schools import access
from schools.models import FullIdView, Role
from schools.services import full_id_reveal

from .factories import StaffFactory, UserFactory, membership


def test_the_township_office_sees_every_school_and_staff_member_of_its_township(
    office_user, school, other_school, foreign_school
):
    assert set(access.schools_reviewed(office_user)) == {school, other_school}
    StaffFactory(school=foreign_school)
    mine = StaffFactory(school=other_school)
    assert list(access.staff_visible(office_user)) == [mine]
    assert list(access.townships_managed(office_user)) == [school.township]


def test_a_county_office_sees_every_township_of_its_county(school, foreign_school):
    user = UserFactory()
    membership(user, Role.COUNTY_OFFICE, school.township.county)
    assert set(access.schools_reviewed(user)) == {school, foreign_school}


def test_a_liaison_sees_only_the_schools_assigned(liaison_user, school, other_school):
    assert list(access.schools_reviewed(liaison_user)) == [school]
    assert not access.townships_managed(liaison_user).exists()


def test_a_principal_sees_only_their_own_school(principal_user, school, other_school):
    StaffFactory(school=other_school)
    assert list(access.schools_reviewed(principal_user)) == [school]
    assert {s.school for s in access.staff_visible(principal_user)} == {school}


def test_a_teacher_sees_only_their_own_record(teacher, school):
    StaffFactory(school=school)
    assert list(access.staff_visible(teacher.user)) == [teacher]
    assert not access.schools_reviewed(teacher.user).exists()


def test_a_login_without_role_sees_nothing(db, school):
    StaffFactory(school=school)
    user = UserFactory()
    assert not access.staff_visible(user).exists()
    assert not access.schools_reviewed(user).exists()


@pytest.mark.parametrize("role", ["liaison_user", "principal_user"])
def test_the_full_id_is_for_the_office_only(request, role, teacher):
    with pytest.raises(PermissionDenied):
        full_id_reveal(by=request.getfixturevalue(role), staff=teacher)


def test_an_office_look_at_a_full_id_is_recorded(office_user, teacher):
    assert full_id_reveal(by=office_user, staff=teacher) == teacher.resident_id
    assert FullIdView.objects.get().viewer == office_user


def test_a_teacher_sees_their_own_full_id_without_a_record(teacher):
    assert full_id_reveal(by=teacher.user, staff=teacher) == teacher.resident_id
    assert not FullIdView.objects.exists()


def test_the_admin_is_for_office_staff_only(office_user, principal_user):
    assert access.may_use_admin(office_user)
    principal_user.is_staff = True
    assert not access.may_use_admin(principal_user)
