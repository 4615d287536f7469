"""Part-time researchers (R11): a round of subject central teaching-research groups;
schools apply; the office selects one application per subject, at most the configured
number of groups per school; the leader shown on the school and staff pages."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import ResearchApplication
from evaluation.selectors import researchers as selectors
from evaluation.services import researchers as services
from schools.models import SchoolKind

from . import recs_world
from .factories import SchoolFactory, StaffFactory
from .helpers import at_once, messages_of, text
from .recs_world import many_staff, research_round

pytestmark = pytest.mark.django_db

third_school = recs_world.third_school


@pytest.fixture
def the_round(office_user, township, school, other_school, third_school):
    return research_round(office_user, township, hosts=[school, other_school, third_school])


def apply(round_, school, subject, *, name=None, teaches=None, by):
    staff = StaffFactory(school=school, name=name or f"{school.name}{subject}",
                         subject=teaches or subject)
    return services.application_submit(by=by, research_round=round_, school=school,
                                       subject=subject, candidate=staff)


def test_default_hosts_are_complete_primaries_and_central_schools(office_user, township,
                                                                  school, centre):
    SchoolFactory(township=township, kind=SchoolKind.TEACHING_POINT, name="某教学点")
    r = services.round_open(by=office_user, township=township, school_year=2026,
                            subjects=["语文"])
    assert set(r.hosts.values_list("name", flat=True)) == {"夏庄完小", "中心小学"}


def test_one_group_per_subject_and_per_school(office_user, the_round, school, other_school,
                                              english):
    a = apply(the_round, school, "语文", by=office_user)
    b = apply(the_round, other_school, "语文", by=office_user)
    c = apply(the_round, school, "数学", by=office_user)

    done, refused = services.applications_select(by=office_user, research_round=the_round,
                                                 application_ids=[a.pk, b.pk, c.pk])

    assert done == [a]
    assert [reason for _a, reason in refused] == [
        "语文 already has its group.",
        "夏庄完小 already hosts 1 group(s), the most a school may host."]


def test_two_groups_per_school_when_the_setting_says_so(office_user, township, school,
                                                        other_school):
    r = research_round(office_user, township, hosts=[school], max_groups=2)
    ids = [apply(r, school, s, by=office_user).pk for s in ("语文", "数学", "英语")]
    done, refused = services.applications_select(by=office_user, research_round=r,
                                                 application_ids=ids)
    assert len(done) == 2 and len(refused) == 1


def test_the_database_keeps_one_group_per_subject(office_user, the_round, school,
                                                  other_school):
    a = apply(the_round, school, "语文", by=office_user)
    b = apply(the_round, other_school, "语文", by=office_user)
    ResearchApplication.objects.filter(pk=a.pk).update(selected=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResearchApplication.objects.filter(pk=b.pk).update(selected=True)


@pytest.mark.django_db(transaction=True)
def test_two_selections_at_a_schools_limit_at_once_select_one(office_user, township, school):
    r = research_round(office_user, township, hosts=[school])
    a = apply(r, school, "语文", by=office_user)
    b = apply(r, school, "数学", by=office_user)

    outcomes = at_once(*(lambda pk=pk: services.applications_select(
        by=office_user, research_round=r, application_ids=[pk]) for pk in (a.pk, b.pk)))

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert ResearchApplication.objects.filter(selected=True).count() == 1


def test_only_hosts_apply_and_only_offered_subjects(office_user, township, the_round,
                                                    centre, school, english):
    with pytest.raises(ValidationError, match="not among the schools"):
        apply(the_round, centre, "语文", by=office_user)
    with pytest.raises(ValidationError, match="not offered"):
        apply(the_round, school, "书法", by=office_user)


def test_a_closed_round_refuses_every_change(office_user, the_round, school, english):
    a = apply(the_round, school, "语文", by=office_user)
    services.round_close(by=office_user, research_round=the_round)
    with pytest.raises(ValidationError, match="closed"):
        services.applications_select(by=office_user, research_round=the_round,
                                     application_ids=[a.pk])
    with pytest.raises(ValidationError, match="closed"):
        apply(the_round, school, "数学", by=office_user)


def test_a_principal_applies_and_a_subject_mismatch_is_warned(login, principal_user,
                                                              the_round, school):
    maths = StaffFactory(school=school, name="数学老师", subject="数学")
    response = login(principal_user).post(
        reverse("evaluation:research_apply", args=[the_round.pk, school.pk]),
        {"subject": "语文", "candidate": maths.pk}, follow=True)
    shown = " ".join(messages_of(response))
    assert "申报语文" in shown and "该人选任教数学，不是语文" in shown


def test_the_office_selects_in_bulk_and_the_leader_shows_on_school_and_staff_pages(
        login, office_user, the_round, school, other_school):
    a = apply(the_round, school, "语文", name="组长甲", by=office_user)
    b = apply(the_round, other_school, "数学", name="组长乙", by=office_user)
    client = login(office_user)
    client.post(reverse("evaluation:research_select", args=[the_round.pk]),
                {"subject-1": a.pk, "subject-2": b.pk})
    assert ResearchApplication.objects.filter(selected=True).count() == 2
    client.post(reverse("evaluation:research_close", args=[the_round.pk]))

    staff_page = text(client.get(reverse("schools:staff_detail", args=[a.candidate.pk])))
    assert "语文学科中心教研组组长" in staff_page
    school_page = text(client.get(reverse("schools:school_detail", args=[school.pk])))
    assert "组长组长甲（兼职教研员）" in school_page
    leaders = text(client.get(reverse("evaluation:research_leaders", args=[the_round.pk])))
    assert "组长甲" in leaders and "组长乙" in leaders
    sheet = load_workbook(io.BytesIO(client.get(
        reverse("evaluation:research_export", args=[the_round.pk])).content)).active
    assert sorted(r[2] for r in list(sheet.values)[1:]) == ["组长乙", "组长甲"]


def test_the_staff_line_costs_one_query(office_user, the_round, school,
                                        django_assert_num_queries):
    a = apply(the_round, school, "语文", by=office_user)
    with django_assert_num_queries(1):
        selectors.groups_led_by(a.candidate)


@pytest.mark.parametrize("who", ["teacher_user", "other_principal", "foreign_office",
                                 "principal_user"])
def test_the_round_page_is_the_offices(request, login, who, the_round):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("evaluation:research_round", args=[the_round.pk])).status_code == 403
    assert client.post(reverse("evaluation:research_close",
                               args=[the_round.pk])).status_code == 403


def test_another_schools_principal_may_not_apply_for_this_school(login, other_principal,
                                                                 the_round, school):
    url = reverse("evaluation:research_apply", args=[the_round.pk, school.pk])
    assert login(other_principal).get(url).status_code == 403


def test_anonymous_and_other_townships(client, login, foreign_office, teacher_user,
                                       the_round):
    url = reverse("evaluation:research_leaders", args=[the_round.pk])
    assert client.get(url).status_code == 302
    assert login(foreign_office).get(url).status_code == 403
    assert login(teacher_user).get(url).status_code == 200
    assert login(teacher_user).get(reverse("evaluation:research_leaders",
                                           args=["x"])).status_code == 404


def test_the_round_page_makes_a_bounded_number_of_queries(login, office_user, township,
                                                          django_assert_max_num_queries):
    schools = [SchoolFactory(township=township) for _ in range(20)]
    r = research_round(office_user, township, hosts=schools,
                       subjects=[f"学科{i}" for i in range(10)])
    people = many_staff(schools[0], 10)
    rows = [ResearchApplication(round=r, school=s, subject=f"学科{i}", candidate=people[i],
                                applied_by=office_user)
            for s in schools for i in range(10)]
    ResearchApplication.objects.bulk_create(rows)
    client = login(office_user)
    for name in ("research_round", "research_leaders", "research_close"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(f"evaluation:{name}", args=[r.pk])).status_code == 200
