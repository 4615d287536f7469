"""The publication mechanism (staffing/publication.py) on its own, with a kind of no app:
publish, the objection window open and closed, answers, the lock refused while the
window is open or an objection stands, the recorded reopening."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from staffing import publication
from staffing.models import Objection, Publication, PublicationEvent

pytestmark = pytest.mark.usefixtures("english")

KIND = "test.list"
CLOSES = date(2026, 10, 12)


@pytest.fixture
def pub(township, office_user):
    return publication.publication_publish(by=office_user, kind=KIND, township_id=township.pk,
                                           key="list-1", window_closes=CLOSES)


def test_publishing_records_who_and_when_and_publishing_again_keeps_one(pub, office_user,
                                                                        township):
    again = publication.publication_publish(by=office_user, kind=KIND,
                                            township_id=township.pk, key="list-1",
                                            window_closes=date(2026, 10, 20))

    assert again.pk == pub.pk and Publication.objects.count() == 1
    assert again.window_closes == date(2026, 10, 20)
    assert list(pub.events.values_list("action", flat=True)) == ["published", "published"]
    assert pub.history.first().history_user == office_user


def test_an_objection_is_taken_on_the_window_s_last_day_and_refused_after(pub, teacher,
                                                                          teacher_user):
    objection = publication.objection_raise(by=teacher_user, publication=pub,
                                            staff_id=teacher.pk, item="2026-09-14",
                                            reason="I was there", on=CLOSES)
    assert objection.status == Objection.Status.OPEN
    with pytest.raises(ValidationError, match="closed on 2026-10-12"):
        publication.objection_raise(by=teacher_user, publication=pub, staff_id=teacher.pk,
                                    item="2026-09-15", reason="late?",
                                    on=date(2026, 10, 13))


def test_an_objection_needs_a_reason_and_comes_once_while_it_stands(pub, teacher, teacher_user):
    with pytest.raises(ValidationError, match="Give a reason"):
        publication.objection_raise(by=teacher_user, publication=pub, staff_id=teacher.pk,
                                    item="2026-09-14", reason="  ", on=CLOSES)
    publication.objection_raise(by=teacher_user, publication=pub, staff_id=teacher.pk,
                                item="2026-09-14", reason="x", on=CLOSES)
    with pytest.raises(ValidationError, match="already objected"):
        publication.objection_raise(by=teacher_user, publication=pub, staff_id=teacher.pk,
                                    item="2026-09-14", reason="x", on=CLOSES)
    assert Objection.objects.count() == 1


def test_a_publication_without_a_window_takes_no_objection(township, office_user, teacher,
                                                           teacher_user):
    week = publication.publication_publish(by=office_user, kind=KIND, township_id=township.pk,
                                           key="week")
    with pytest.raises(ValidationError, match="takes no objections"):
        publication.objection_raise(by=teacher_user, publication=week, staff_id=teacher.pk,
                                    item="x", reason="x", on=date(2026, 1, 1))


def test_the_lock_waits_for_the_window_and_for_every_answer(pub, teacher, teacher_user,
                                                            principal_user, office_user):
    objection = publication.objection_raise(by=teacher_user, publication=pub,
                                            staff_id=teacher.pk, item="2026-09-14",
                                            reason="I was there", on=CLOSES)
    with pytest.raises(ValidationError, match="open until 2026-10-12"):
        publication.publication_lock(by=office_user, publication=pub, on=CLOSES)
    after = date(2026, 10, 13)
    with pytest.raises(ValidationError, match="1 objections are waiting"):
        publication.publication_lock(by=office_user, publication=pub, on=after)
    with pytest.raises(ValidationError, match="reason for declining"):
        publication.objection_answer(by=principal_user, objection=objection, corrected=False,
                                     answer=" ")
    publication.objection_answer(by=principal_user, objection=objection, corrected=False,
                                 answer="The register says absent")
    with pytest.raises(ValidationError, match="has been answered"):
        publication.objection_answer(by=principal_user, objection=objection, corrected=True,
                                     answer="")

    locked = publication.publication_lock(by=office_user, publication=pub, on=after)

    assert locked.state == Publication.State.LOCKED and locked.locked_by == office_user
    with pytest.raises(ValidationError, match="already locked"):
        publication.publication_lock(by=office_user, publication=pub, on=after)
    with pytest.raises(ValidationError, match="locked"):
        publication.publication_publish(by=office_user, kind=KIND, township_id=pub.township_id,
                                        key="list-1", window_closes=CLOSES)


def test_a_reopening_needs_a_reason_and_is_recorded(pub, office_user, township):
    with pytest.raises(ValidationError, match="Only a locked"):
        publication.publication_reopen(by=office_user, publication=pub, reason="why")
    publication.publication_lock(by=office_user, publication=pub, on=date(2026, 10, 13))
    assert publication.locked_keys(KIND, [township.pk], ["list-1"]) == {(township.pk, "list-1")}
    with pytest.raises(ValidationError, match="reason for reopening"):
        publication.publication_reopen(by=office_user, publication=pub, reason="")

    publication.publication_reopen(by=office_user, publication=pub, reason="payroll typo")

    pub.refresh_from_db()
    assert pub.state == Publication.State.REOPENED
    assert publication.locked_keys(KIND, [township.pk], ["list-1"]) == set()
    event = pub.events.get(action=PublicationEvent.Action.REOPENED)
    assert (event.by, event.reason) == (office_user, "payroll typo")


def test_a_school_s_publication_and_the_township_s_are_apart(township, school, office_user,
                                                             principal_user):
    publication.publication_publish(by=office_user, kind=KIND, township_id=township.pk, key="k")
    publication.publication_publish(by=principal_user, kind=KIND, township_id=township.pk,
                                    key="k", school_id=school.pk)

    assert Publication.objects.count() == 2
    assert set(publication.school_publications(KIND, township.pk, ["k"])) == {(school.pk, "k")}
