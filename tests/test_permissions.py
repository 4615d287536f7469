"""Every page refuses every role that may not use it: 403 for a page the role never
has, 404 for an object outside the login's scope (its existence is not confirmed)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from schools.demo import roster_workbook
from schools.models import FullIdView, RosterImport, School, Staff

from .factories import StaffFactory, UserFactory
from .rosters import an_id, bad_id, roster, school_row, staff_row

pytestmark = pytest.mark.usefixtures("english_pages", "media_root")


@pytest.fixture
def foreign_staff(foreign_school):
    return StaffFactory(school=foreign_school, name="外镇教师")


@pytest.fixture
def other_staff(other_school):
    return StaffFactory(school=other_school, name="东张教师")


def _upload(township, by, data, status=RosterImport.Status.PREVIEWED):
    record = RosterImport(
        township=township, original_name="roster.xlsx", status=status, uploaded_by=by
    )
    record.file.save("roster.xlsx", ContentFile(data), save=False)
    record.save()
    return record


@pytest.fixture
def own_upload(township, office_user):
    return _upload(township, office_user, roster())


@pytest.fixture
def foreign_upload(foreign_school, foreign_office):
    """A rejected upload of the other township: its preview and error workbook exist."""
    data = roster(
        schools=[school_row(name=foreign_school.name)],
        staff=[staff_row(rid=bad_id(), sex="男", school=foreign_school.name)],
    )
    return _upload(foreign_school.township, foreign_office, data, RosterImport.Status.REJECTED)


OFFICE_PAGES = ["roster_import", "roster_template"]
UPLOAD_PAGES = ["roster_preview", "roster_errors"]


# --- anonymous ------------------------------------------------------------------------


def test_every_page_sends_an_anonymous_visitor_to_login(client, school, teacher, own_upload):
    urls = [
        reverse("home"),
        reverse("schools:school_list"),
        reverse("schools:school_detail", args=[school.pk]),
        reverse("schools:staff_detail", args=[teacher.pk]),
        reverse("schools:roster_import"),
        reverse("schools:roster_preview", args=[own_upload.pk]),
        reverse("schools:roster_errors", args=[own_upload.pk]),
        reverse("schools:roster_export", args=[school.township_id]),
        reverse("schools:roster_template"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for url in (
        reverse("schools:staff_full_id", args=[teacher.pk]),
        reverse("schools:roster_confirm", args=[own_upload.pk]),
    ):
        assert client.post(url).status_code == 302, url
    assert not FullIdView.objects.exists()
    assert RosterImport.objects.get().status == RosterImport.Status.PREVIEWED


# --- teacher --------------------------------------------------------------------------


def test_teacher_may_not_list_or_open_schools(login, teacher_user, school):
    client = login(teacher_user)

    assert client.get(reverse("schools:school_list")).status_code == 403
    assert client.get(reverse("schools:school_detail", args=[school.pk])).status_code == 404


def test_teacher_may_not_open_another_staff_record(login, teacher_user, principal_user):
    other = Staff.objects.get(user=principal_user)
    client = login(teacher_user)

    assert client.get(reverse("schools:staff_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("schools:staff_full_id", args=[other.pk])).status_code == 404
    assert not FullIdView.objects.exists()


@pytest.mark.parametrize("role_user", ["teacher_user", "principal_user", "liaison_user"])
def test_only_the_office_may_import_export_or_download_the_template(
    request, login, role_user, township, own_upload
):
    client = login(request.getfixturevalue(role_user))

    for name in OFFICE_PAGES:
        assert client.get(reverse(f"schools:{name}")).status_code == 403, name
    for name in UPLOAD_PAGES:
        assert client.get(reverse(f"schools:{name}", args=[own_upload.pk])).status_code == 403
    assert client.get(reverse("schools:roster_export", args=[township.pk])).status_code == 403
    upload = ContentFile(roster_workbook(), name="roster.xlsx")
    assert (
        client.post(
            reverse("schools:roster_import"), {"township": township.pk, "workbook": upload}
        ).status_code
        == 403
    )
    assert client.post(reverse("schools:roster_confirm", args=[own_upload.pk])).status_code == 403
    assert RosterImport.objects.count() == 1
    assert RosterImport.objects.get().status == RosterImport.Status.PREVIEWED


# --- principal and liaison ------------------------------------------------------------


@pytest.mark.parametrize("role_user", ["principal_user", "liaison_user"])
def test_principal_and_liaison_see_only_their_school(
    request, login, role_user, school, other_school, other_staff, foreign_school, foreign_staff
):
    client = login(request.getfixturevalue(role_user))

    listed = client.get(reverse("schools:school_list"))
    assert [s.name for s in listed.context["page"]] == [school.name]
    assert client.get(reverse("schools:school_detail", args=[school.pk])).status_code == 200
    for outside in (other_school, foreign_school):
        response = client.get(reverse("schools:school_detail", args=[outside.pk]))
        assert response.status_code == 404
    for staff in (other_staff, foreign_staff):
        assert client.get(reverse("schools:staff_detail", args=[staff.pk])).status_code == 404


# --- office of another township -------------------------------------------------------


def test_office_may_not_open_another_townships_school_or_staff(
    login, office_user, foreign_school, foreign_staff
):
    client = login(office_user)

    assert client.get(reverse("schools:school_detail", args=[foreign_school.pk])).status_code == 404
    assert client.get(reverse("schools:staff_detail", args=[foreign_staff.pk])).status_code == 404
    assert client.post(reverse("schools:staff_full_id", args=[foreign_staff.pk])).status_code == 404
    assert not FullIdView.objects.exists()


def test_office_may_not_touch_another_townships_uploads_or_roster(
    login, office_user, foreign_office, foreign_upload, foreign_school
):
    for name in UPLOAD_PAGES:  # they exist, for the office they belong to
        url = reverse(f"schools:{name}", args=[foreign_upload.pk])
        assert login(foreign_office).get(url).status_code == 200
    client = login(office_user)

    for name in UPLOAD_PAGES:
        assert client.get(reverse(f"schools:{name}", args=[foreign_upload.pk])).status_code == 404
    assert (
        client.post(reverse("schools:roster_confirm", args=[foreign_upload.pk])).status_code == 404
    )
    export = client.get(reverse("schools:roster_export", args=[foreign_school.township_id]))
    assert export.status_code == 404
    imports = client.get(reverse("schools:roster_import"))
    assert list(imports.context["imports"]) == []


def test_office_may_not_upload_into_another_township(login, office_user, foreign_school):
    upload = ContentFile(roster_workbook(), name="roster.xlsx")

    response = login(office_user).post(
        reverse("schools:roster_import"),
        {"township": foreign_school.township_id, "workbook": upload},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert RosterImport.objects.count() == 0
    assert not School.objects.exclude(pk=foreign_school.pk).exists()


# --- admin ----------------------------------------------------------------------------


@pytest.mark.parametrize("role_user", ["teacher_user", "principal_user", "liaison_user"])
def test_admin_is_closed_to_everyone_but_office_staff(request, login, role_user):
    user = request.getfixturevalue(role_user)
    user.is_staff = True  # even with the staff flag, a school role is not office work
    user.save()

    response = login(user).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_office_admin_lists_only_its_township(
    login, office_user, school, foreign_school, teacher, foreign_staff
):
    client = login(office_user)

    index = client.get(reverse("admin:index"))
    schools = client.get(reverse("admin:schools_school_changelist"))
    staff = client.get(reverse("admin:schools_staff_changelist"))

    assert index.status_code == 200
    assert school.name in schools.text and foreign_school.name not in schools.text
    assert teacher.name in staff.text and foreign_staff.name not in staff.text
    assert teacher.masked_id in staff.text and teacher.resident_id not in staff.text


def test_office_admin_refuses_another_townships_objects(
    login, office_user, foreign_school, foreign_staff
):
    client = login(office_user)

    change = client.get(reverse("admin:schools_school_change", args=[foreign_school.pk]))
    history = client.get(reverse("admin:schools_staff_history", args=[foreign_staff.pk]))

    assert change.status_code == 302  # the admin's "does not exist" redirect
    assert change["Location"] == reverse("admin:index")
    assert history.status_code == 403
    assert not FullIdView.objects.exists()


def test_office_admin_may_not_delete_or_grant_access(login, office_user, school):
    client = login(office_user)

    assert client.get(reverse("admin:schools_school_delete", args=[school.pk])).status_code == 403
    assert client.get(reverse("admin:schools_membership_add")).status_code == 403


def test_opening_a_staff_record_in_the_admin_records_the_full_id_view(login, office_user, teacher):
    response = login(office_user).get(reverse("admin:schools_staff_change", args=[teacher.pk]))

    assert response.status_code == 200
    assert FullIdView.objects.filter(staff=teacher, viewer=office_user).count() == 1


def test_roster_uploads_are_read_only_in_the_admin(login, office_user, own_upload, db):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    for user in (office_user, superuser):
        client = login(user)
        url = reverse("admin:schools_rosterimport_change", args=[own_upload.pk])

        page = client.get(url)
        posted = client.post(url, {"status": RosterImport.Status.COMMITTED})

        assert page.status_code == 200
        assert 'name="status"' not in page.text
        assert posted.status_code == 403
        assert client.get(reverse("admin:schools_rosterimport_add")).status_code == 403
    assert RosterImport.objects.get().status == RosterImport.Status.PREVIEWED


def test_superuser_admin_sees_every_township(login, school, foreign_school):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)

    response = login(superuser).get(reverse("admin:schools_school_changelist"))

    assert school.name in response.text and foreign_school.name in response.text


def test_office_admin_adds_staff_only_to_its_own_schools_with_a_valid_id(
    login, office_user, school, foreign_school
):
    client = login(office_user)
    url = reverse("admin:schools_staff_add")
    person = {"name": "新教师", "sex": "M", "birth_date": "1985-03-07", "subject": "语文"}
    valid_id = an_id(1)

    form = client.get(url)
    foreign = client.post(url, {**person, "resident_id": valid_id, "school": foreign_school.pk})
    bad_checksum = client.post(url, {**person, "resident_id": bad_id(1), "school": school.pk})
    added = client.post(url, {**person, "resident_id": valid_id, "school": school.pk})

    assert school.name in form.text and foreign_school.name not in form.text
    assert "Select a valid choice" in foreign.text
    assert "checksum digit is wrong" in bad_checksum.text
    assert added.status_code == 302
    assert Staff.objects.get(resident_id=valid_id).school == school
