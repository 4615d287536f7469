"""Teacher-qualification certification (R13) at the rule and service level: the three
checks in order, who/when/outcome recorded, a failure ending the application, bulk
recording, double submits, full-ID reveals recorded, the ID search rule."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import access, rules
from evaluation.models import (
    QualificationApplication,
    QualificationCheck,
    QualificationIdView,
    QualificationState,
)
from evaluation.services import qualifications as services
from schools.models import Role

from . import qualifications_world, titles_world
from .factories import CountyFactory, StaffFactory, TownshipFactory, UserFactory, membership
from .helpers import at_once
from .qualifications_world import applicant_id, application, data
from .titles_world import county_office

pytestmark = pytest.mark.usefixtures("english")
# The worlds' fixtures, used here by name.
county, county_user = titles_world.county, titles_world.county_user
applications = qualifications_world.applications


# ---- the pure rule ------------------------------------------------------------------------


@pytest.mark.parametrize(("state", "step", "refused"), [
    ("certificates", "certificates", None),
    ("certificates", "physical", "The earlier checks must pass first."),
    ("certificates", "decision", "The earlier checks must pass first."),
    ("physical", "certificates", "This check is already recorded."),
    ("physical", "physical", None),
    ("physical", "decision", "The earlier checks must pass first."),
    ("decision", "decision", None),
    ("failed", "physical", "The application has ended: a check failed."),
    ("certified", "decision", "The application is certified: every check is recorded."),
    ("certificates", "interview", "There is no such check."),
])
def test_checks_go_in_order(state, step, refused):
    assert rules.qualification_check_refusal(state, step) == refused


def test_a_fail_needs_its_reason():
    assert rules.qualification_outcome_refusal(False, "  ") == "Give the reason the check failed."
    assert rules.qualification_outcome_refusal(False, "体检不合格") is None
    assert rules.qualification_outcome_refusal(True, "") is None


@pytest.mark.parametrize(("query", "kind"), [
    ("1234", "tail"), ("123X", "tail"), ("12345", None), ("234", None),
    ("42112719950101001X", "full"), ("4211271995010100", None), ("abcd", None)])
def test_an_id_search_is_the_last_four_or_the_whole_number(query, kind):
    assert rules.id_search_kind(query) == kind


# ---- entering ------------------------------------------------------------------------------


def test_an_entered_application_waits_for_the_certificates_and_records_who(county,
                                                                          county_user):
    found = services.application_enter(by=county_user, county=county, data=data(1))
    assert found.state == QualificationState.CERTIFICATES
    assert found.entered_by == county_user
    assert found.history.first().history_user == county_user
    assert found.staff is None


def test_an_applicant_who_is_staff_of_the_county_is_linked(county, county_user, school):
    staff = StaffFactory(school=school)
    found = services.application_enter(by=county_user, county=county,
                                       data=data(1, resident_id=staff.resident_id))
    assert found.staff == staff


def test_a_bad_resident_id_is_refused(county, county_user):
    wrong = applicant_id(1)[:-1] + ("0" if applicant_id(1)[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        services.application_enter(by=county_user, county=county, data=data(1,
                                                                            resident_id=wrong))


def test_the_same_person_and_kind_twice_is_refused_until_the_first_fails(county, county_user):
    first = application(county, county_user, 1)
    with pytest.raises(ValidationError, match="already has a standing application"):
        services.application_enter(by=county_user, county=county, data=data(1))
    services.check_record(by=county_user, application=first, step="certificates",
                          passed=False, note="学历不符")
    again = services.application_enter(by=county_user, county=county, data=data(1))
    assert again.pk != first.pk


def test_only_the_county_office_enters(county, township, principal_user, office_user):
    for user in (principal_user, office_user):
        with pytest.raises(PermissionDenied):
            services.application_enter(by=user, county=county, data=data(1))


# ---- the three checks ------------------------------------------------------------------------


def test_three_passes_certify_and_each_records_who_when_and_the_outcome(county, county_user):
    found = application(county, county_user, 1)
    other = county_office(county, "county2")
    found = services.check_record(by=county_user, application=found, step="certificates",
                                  passed=True, note="学历、普通话证书齐全")
    assert found.state == QualificationState.PHYSICAL
    found = services.check_record(by=other, application=found, step="physical", passed=True)
    assert found.state == QualificationState.DECISION
    found = services.check_record(by=county_user, application=found, step="decision",
                                  passed=True, certificate_number="20264211270001")
    found.refresh_from_db()
    assert found.state == QualificationState.CERTIFIED
    assert found.certificate_number == "20264211270001"
    checks = list(found.checks.order_by("pk"))
    assert [(c.step, c.passed, c.checked_by) for c in checks] == [
        ("certificates", True, county_user), ("physical", True, other),
        ("decision", True, county_user)]
    assert checks[0].note == "学历、普通话证书齐全"
    assert all(c.checked_at is not None for c in checks)
    assert [h.state for h in found.history.order_by("history_id")] == [
        "certificates", "physical", "decision", "certified"]
    assert checks[1].history.first().history_user == other


def test_a_later_check_is_refused_before_the_earlier_passed(county, county_user):
    found = application(county, county_user, 1)
    for step in ("physical", "decision"):
        with pytest.raises(ValidationError, match="The earlier checks must pass first"):
            services.check_record(by=county_user, application=found, step=step, passed=True)
    found = services.check_record(by=county_user, application=found, step="certificates",
                                  passed=True)
    with pytest.raises(ValidationError, match="The earlier checks must pass first"):
        services.check_record(by=county_user, application=found, step="decision", passed=True)
    assert QualificationCheck.objects.count() == 1


def test_a_failed_check_ends_the_application_with_its_reason(county, county_user):
    found = application(county, county_user, 1, passed=1)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.check_record(by=county_user, application=found, step="physical",
                              passed=False)
    found = services.check_record(by=county_user, application=found, step="physical",
                                  passed=False, note="体检结论不合格")
    assert found.state == QualificationState.FAILED
    assert found.checks.get(step="physical").note == "体检结论不合格"
    with pytest.raises(ValidationError, match="has ended"):
        services.check_record(by=county_user, application=found, step="decision",
                              passed=True)


def test_a_certificate_number_only_with_the_decisions_pass(county, county_user):
    found = application(county, county_user, 1)
    with pytest.raises(ValidationError, match="certificate number"):
        services.check_record(by=county_user, application=found, step="certificates",
                              passed=True, certificate_number="X1")
    first = application(county, county_user, 2, passed=2)
    second = application(county, county_user, 3, passed=2)
    services.check_record(by=county_user, application=first, step="decision", passed=True,
                          certificate_number="N1")
    with pytest.raises(ValidationError, match="already given"):
        services.check_record(by=county_user, application=second, step="decision",
                              passed=True, certificate_number="N1")
    second.refresh_from_db()
    assert second.state == QualificationState.DECISION


def test_recording_the_same_check_twice_records_it_once(county, county_user):
    found = application(county, county_user, 1)
    services.check_record(by=county_user, application=found, step="certificates",
                          passed=True)
    with pytest.raises(ValidationError, match="already recorded"):
        services.check_record(by=county_user, application=found, step="certificates",
                              passed=True)
    assert found.checks.count() == 1


def test_another_county_office_records_nothing(county, county_user):
    found = application(county, county_user, 1)
    foreign = county_office(CountyFactory(name="别的县"), "foreign-county")
    with pytest.raises(PermissionDenied):
        services.check_record(by=foreign, application=found, step="certificates",
                              passed=True)


# ---- in bulk -------------------------------------------------------------------------------


def test_bulk_records_one_outcome_and_refuses_those_elsewhere(county, county_user,
                                                              applications):
    waiting, at_physical, at_decision = applications
    more = application(county, county_user, 7)
    result = services.checks_record(by=county_user, county=county, step="certificates",
                                    application_ids=[waiting.pk, more.pk, at_physical.pk],
                                    passed=True, note="材料齐全")
    assert {a.pk for a in result.done} == {waiting.pk, more.pk}
    assert [(a.pk, reason) for a, reason in result.refused] == [
        (at_physical.pk, "This check is already recorded.")]
    assert set(QualificationApplication.objects.filter(
        state=QualificationState.PHYSICAL).values_list("pk", flat=True)) == {
        waiting.pk, more.pk, at_physical.pk}
    assert QualificationCheck.objects.filter(step="certificates", note="材料齐全").count() == 2
    waiting.refresh_from_db()
    assert waiting.history.first().history_user == county_user


def test_bulk_fail_ends_them_all_with_the_reason(county, county_user):
    chosen = [application(county, county_user, n, passed=1) for n in range(4)]
    result = services.checks_record(by=county_user, county=county, step="physical",
                                    application_ids=[a.pk for a in chosen], passed=False,
                                    note="未参加体检")
    assert len(result.done) == 4
    assert set(QualificationApplication.objects.values_list("state", flat=True)) == {"failed"}


def test_bulk_refuses_applications_of_another_county(county, county_user):
    foreign_county = CountyFactory(name="别的县")
    boss = county_office(foreign_county, "foreign-county")
    theirs = application(foreign_county, boss, 1)
    with pytest.raises(ValidationError, match="Choose applications of this county"):
        services.checks_record(by=county_user, county=county, step="certificates",
                               application_ids=[theirs.pk], passed=True)


def test_bulk_in_a_bounded_number_of_queries(county, county_user,
                                            django_assert_max_num_queries):
    chosen = [application(county, county_user, n) for n in range(60)]
    with django_assert_max_num_queries(15):
        result = services.checks_record(by=county_user, county=county, step="certificates",
                                        application_ids=[a.pk for a in chosen], passed=True)
    assert len(result.done) == 60


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_record_the_check_once(county, county_user):
    found = application(county, county_user, 1)
    other = county_office(county, "county2")
    results = at_once(
        lambda: services.checks_record(by=county_user, county=county, step="certificates",
                                       application_ids=[found.pk], passed=True),
        lambda: services.checks_record(by=other, county=county, step="certificates",
                                       application_ids=[found.pk], passed=False,
                                       note="缺证书"))
    done = [r for r in results if not isinstance(r, Exception) and r.done]
    assert len(done) == 1
    assert QualificationCheck.objects.filter(application=found).count() == 1


# ---- full IDs --------------------------------------------------------------------------------


def test_a_reveal_is_recorded_and_only_for_the_county_office(county, county_user,
                                                             office_user):
    found = application(county, county_user, 1)
    assert services.full_id_reveal(by=county_user, application=found) == found.resident_id
    view = QualificationIdView.objects.get()
    assert (view.viewer, view.application, view.kind) == (county_user, found, "page")
    with pytest.raises(PermissionDenied):
        services.full_id_reveal(by=office_user, application=found)


def test_the_search_condition_on_ids(county, county_user, principal_user):
    number = applicant_id(1)
    assert str(access.applicant_id_q(county_user, county.pk, number[-4:])) == str(
        access.Q(resident_id__endswith=number[-4:]))
    assert str(access.applicant_id_q(county_user, county.pk, number)) == str(
        access.Q(resident_id=number))
    assert access.applicant_id_q(principal_user, county.pk, number) == access.Q()
    assert access.applicant_id_q(county_user, county.pk, number[-6:]) == access.Q()


def test_a_township_in_the_county_gives_no_county_office(county, township):
    user = UserFactory(username="t-office")
    membership(user, Role.TOWNSHIP_OFFICE, TownshipFactory(county=county))
    assert not access.is_county_office_of(user, county.pk)
