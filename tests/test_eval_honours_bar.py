"""R10 read by R9's lists: a principal whose responsibility letter ended below target (or
with a veto clause triggered) loses the school year's honours, so an honours list vetoes
them with the reason even when they hold the award; a title-promotion list does not."""

import pytest

from evaluation.models import CandidateStatus, ListKind, OutcomeResult
from evaluation.services import letters as letter_services
from evaluation.services import recommendations as rec_services

from . import letters_world
from .letters_world import YEAR
from .recs_world import AS_OF, award, honours_list
from .recs_world import exam as exam_of

pytestmark = pytest.mark.usefixtures("english")

heads, exam, drafted, sent, signed = (letters_world.heads, letters_world.exam,
                                      letters_world.drafted, letters_world.sent,
                                      letters_world.signed)


def nominate_principal(office_user, township, school, principal, kind):
    award(principal, exam_of(township, name="2027春季统考"))
    if kind == ListKind.HONOURS:
        rec_list = honours_list(office_user, township)
    else:
        rec_list = rec_services.list_create(by=office_user, township=township,
                                            school_year=YEAR, kind=kind, title="中级职称推荐",
                                            quota=3, as_of=AS_OF)
    rec_services.nominate(by=office_user, rec_list=rec_list, school=school,
                          staff_ids=[principal.pk], by_office=True)
    return rec_list.candidates.get()


@pytest.mark.parametrize("result, vetoes", [(OutcomeResult.BELOW, {}),
                                            (OutcomeResult.MET, {4: "有偿家教"})])
def test_a_barred_principal_is_vetoed_on_an_honours_list(signed, office_user, township,
                                                         result, vetoes):
    letter_services.outcome_record(by=office_user, letter=signed, result=result,
                                   vetoes=vetoes)

    candidate = nominate_principal(office_user, township, signed.school, signed.principal,
                                   ListKind.HONOURS)

    assert candidate.status == CandidateStatus.VETOED
    assert candidate.reason == ("Barred from this school year's honours by the "
                                "responsibility letter")


def test_a_met_target_bars_nothing(signed, office_user, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.MET,
                                   vetoes={})

    candidate = nominate_principal(office_user, township, signed.school, signed.principal,
                                   ListKind.HONOURS)

    assert candidate.status == CandidateStatus.RECOMMENDED


def test_the_bar_is_for_honours_not_title_promotion(signed, office_user, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.BELOW,
                                   vetoes={})

    candidate = nominate_principal(office_user, township, signed.school, signed.principal,
                                   ListKind.TITLE)

    assert candidate.status == CandidateStatus.RECOMMENDED
