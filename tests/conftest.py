"""The smallest world most tests need: one township with two schools, a school in a
second township, and a login for every role."""

from datetime import date

import pytest

from schools.models import Role

from .factories import SchoolFactory, StaffFactory, TownshipFactory, UserFactory, membership

PASSWORD = "pass-12345"


@pytest.fixture
def township(db):
    return TownshipFactory(name="葛石镇")


@pytest.fixture
def school(township):
    return SchoolFactory(township=township, name="夏庄完小")


@pytest.fixture
def other_school(township):
    return SchoolFactory(township=township, name="东张完小")


@pytest.fixture
def foreign_school(db):
    return SchoolFactory(township=TownshipFactory(name="别的镇"), name="别镇完小")


@pytest.fixture
def office_user(township):
    user = UserFactory(username="office", is_staff=True)
    membership(user, Role.TOWNSHIP_OFFICE, township)
    return user


@pytest.fixture
def liaison_user(school):
    user = UserFactory(username="liaison")
    membership(user, Role.LIAISON, school)
    return user


@pytest.fixture
def principal_user(school):
    user = UserFactory(username="principal")
    StaffFactory(school=school, name="校长甲", user=user)
    membership(user, Role.PRINCIPAL, school)
    return user


@pytest.fixture
def teacher(school):
    user = UserFactory(username="teacher")
    return StaffFactory(school=school, name="教师乙", user=user)


@pytest.fixture
def teacher_user(teacher):
    return teacher.user


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def english():
    """Messages in English, so assertions do not depend on the zh-hans catalogue."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english_pages(client, settings):
    """The test client's pages in English (the cookie Django's set_language view sets),
    so assertions do not depend on the zh-hans catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (roster workbooks) go to a directory of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The tests drive cycles of school year 2026 (and later) through their phases in one go,
# on whatever day they run. For them the deadlines' "today" is before every one of
# those deadlines; the tests of the deadline itself (tests/test_probe_deadlines.py) and
# of the demo pin the day they need.
BEFORE_THE_DEADLINES = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def before_the_deadlines(monkeypatch):
    monkeypatch.setattr("recruitment.workflow.today", lambda: BEFORE_THE_DEADLINES)
