"""The audit page (issue 14, item 4): the history of changes across the apps and the
full-ID showings, searched by person, kind of record, record and date; read-only; a
township office reads its own township's records, the county office its county's; a
bounded number of queries; pages by a cursor that loses and repeats no row."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from schools import services as school_services
from schools.models import FullIdView, Role
from staffing import audit

from .factories import CountyFactory, StaffFactory, TownshipFactory, UserFactory, membership

URL = reverse("audit")


@pytest.fixture
def client_as(english_pages):
    def _as(user):
        english_pages.force_login(user)
        return english_pages
    return _as


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def changed(staff, by, **fields):
    """Change a staff record as a page would: the history names who did it."""
    for name, value in fields.items():
        setattr(staff, name, value)
    staff._history_user = by
    staff.save()
    return staff


@pytest.fixture
def county_user(township):
    user = UserFactory(username="county-office")
    membership(user, Role.COUNTY_OFFICE, township.county)
    return user


def test_the_office_reads_who_changed_what_when_before_and_after(client_as, office_user,
                                                                 school):
    staff = StaffFactory(school=school, name="王芳")
    old_id = staff.resident_id
    changed(staff, office_user, title="高级教师", resident_id=StaffFactory.build().resident_id)

    page = body(client_as(office_user).get(URL))
    row = next(r for r in page.split('id="audit"')[1].split("</tr>") if "高级教师" in r)
    assert f'data-label="Who">{office_user.username}</td>' in row, row
    assert f'data-label="Record no.">{staff.pk}</td>' in row
    assert "一级教师</del> → <ins>高级教师" in row
    assert old_id not in page and staff.resident_id not in page  # masked, both sides
    assert f"{old_id[:6]}********{old_id[-4:]}" in row


def test_the_full_id_showings_are_in_it(client_as, office_user, school):
    staff = StaffFactory(school=school)
    client = client_as(office_user)
    client.post(reverse("schools:staff_full_id", args=[staff.pk]))
    school_services.full_id_export_record(by=office_user, township=school.township,
                                          export="花名册.xlsx", rows=12)

    page = body(client.get(URL, {"kind": "schools.fullidview"}))
    assert "full ID shown" in page and "full IDs exported" in page
    assert "花名册.xlsx, 12 rows" in page
    assert FullIdView.objects.count() == 2
    assert body(client.get(URL, {"kind": "schools.fullidview", "record": staff.pk})
                ).count("full ID shown") == 1


def test_a_township_office_reads_only_its_townships_records(client_as, office_user,
                                                           foreign_office, school,
                                                           foreign_school):
    ours = changed(StaffFactory(school=school, name="本镇教师"), office_user, title="高级教师")
    theirs = changed(StaffFactory(school=foreign_school, name="别镇教师"), foreign_office,
                     title="高级教师")
    client_as(foreign_office).post(reverse("schools:staff_full_id", args=[theirs.pk]))

    page = body(client_as(office_user).get(URL))
    assert f">{ours.pk}<" in page and "foreign-office" not in page
    other = body(client_as(foreign_office).get(URL))
    assert "foreign-office" in other and f">{theirs.pk}<" in other
    assert "office</td>" not in other.replace("foreign-office</td>", "")


def test_the_county_office_reads_its_countys_townships_not_another_county(
        client_as, county_user, office_user, school):
    changed(StaffFactory(school=school), office_user, title="高级教师")
    stranger = UserFactory(username="stranger")
    far = TownshipFactory(county=CountyFactory(name="汶上县"), name="远镇")
    membership(stranger, Role.TOWNSHIP_OFFICE, far)
    far_staff = StaffFactory(school__township=far)
    changed(far_staff, stranger, title="高级教师")

    page = body(client_as(county_user).get(URL))
    assert "高级教师" in page and "stranger" not in page


@pytest.mark.parametrize("who", [None, "teacher_user", "principal_user", "liaison_user"])
def test_no_one_but_an_office_reads_it(request, client, who):
    if who is None:
        response = client.get(URL)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_the_menu_links_it_for_the_office(client_as, office_user):
    assert 'href="/audit/"' in body(client_as(office_user).get("/"))


def test_it_searches_by_person_kind_record_and_date(client_as, office_user, principal_user,
                                                    school):
    a = changed(StaffFactory(school=school, name="甲"), office_user, title="高级教师")
    b = changed(StaffFactory(school=school, name="乙"), principal_user, title="二级教师")
    client = client_as(office_user)

    by_principal = body(client.get(URL, {"who": principal_user.username}))
    assert "二级教师" in by_principal and "高级教师" not in by_principal
    one = body(client.get(URL, {"kind": "schools.staff", "record": a.pk}))
    assert f">{a.pk}<" in one and f">{b.pk}<" not in one
    today = timezone.localdate()
    assert "高级教师" in body(client.get(URL, {"since": today.isoformat(),
                                            "until": today.isoformat()}))
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "Nothing recorded matches." in body(client.get(URL, {"since": tomorrow}))


@pytest.mark.parametrize("query", [
    {"kind": "auth.user"}, {"kind": "x" * 5000}, {"record": "9" * 30, "kind": "schools.staff"},
    {"since": "2026-02-30"}, {"until": "abc"}, {"who": "\x00"}, {"before": "x|y|z"},
    {"before": "2026-01-01T00:00:00|schools.staff|1"},  # naive: no time zone
    {"before": "9999-99-99T00:00:00+08:00|schools.staff|1"}, {"record": "-1"},
])
def test_junk_in_any_filter_is_no_filter_never_an_error(client_as, office_user, school, query):
    changed(StaffFactory(school=school), office_user, title="高级教师")
    assert "高级教师" in body(client_as(office_user).get(URL, query))


def test_pages_go_back_by_a_cursor_losing_and_repeating_no_row(client_as, office_user, school):
    staff = StaffFactory(school=school, phone="")
    for n in range(130):
        changed(staff, office_user, phone=f"1380000{n:04d}")
    client = client_as(office_user)
    phones, query, pages = [], {"kind": "schools.staff"}, 0
    while True:
        page = body(client.get(URL, query))
        pages += 1
        phones += [cell.split("</ins>")[0] for cell in page.split("<ins>")[1:]]
        if 'id="older"' not in page:
            break
        older = page.split('id="older"')[0].rsplit('href="?', 1)[1].split('"')[0]
        query = QueryDict(older.replace("&amp;", "&"))
    assert pages == 3  # 131 rows (created, then 130 changes) at 50 a page
    assert phones == [f"1380000{n:04d}" for n in reversed(range(130))]


def test_the_page_has_a_bounded_number_of_queries(client_as, office_user, school,
                                                  django_assert_max_num_queries):
    staff = [StaffFactory(school=school) for _ in range(40)]
    for n in range(300):
        changed(staff[n % 40], office_user, phone=str(n))
    client = client_as(office_user)
    kinds = len(audit.visible_sources(office_user))
    with django_assert_max_num_queries(kinds + audit.PER_PAGE + 15):
        page = body(client.get(URL))
    assert page.count("<time datetime") == audit.PER_PAGE


def test_every_history_of_the_project_is_searched_and_belongs_somewhere():
    """A model given a history later is on the page without anyone adding it; each kind
    of record reaches a township or a county, so an office can read it."""
    historical = {m.instance_type._meta.label_lower for m in apps.get_models()
                  if issubclass(m, HistoricalChanges)
                  and "history_date" in {f.name for f in m._meta.fields}}
    keys = {s.key for s in audit.sources()}
    assert historical <= keys
    assert {"schools.fullidview", "evaluation.qualificationidview"} <= keys
    assert [s.key for s in audit.sources() if not (s.township or s.county)] == []


def test_the_page_is_in_chinese(client, english_pages, office_user, school):
    english_pages.force_login(office_user)
    english_pages.get(URL)  # the kinds' names read once in English first
    client.cookies.clear()
    changed(StaffFactory(school=school), office_user, title="高级教师")
    client.force_login(office_user)
    page = body(client.get(URL))
    for words in ("审计：变更记录与完整身份证号查看记录", "记录类别", "变更前 → 变更后", "操作人"):
        assert words in page
    for english in ("Kind of record", "Before → after", "Nothing recorded", "changed",
                    "staff members", "full ID views"):
        assert english not in page
