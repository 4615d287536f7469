"""seed_demo: the county's title evaluation, part ``title_review`` (R12): the public
scoring and the exceptional review over the candidates and scores the title_years and
title_candidates parts seeded before. In the county's latest year:

- one unit and level: its last-ranked candidate objects to the first item's score, the
  unit's principal answers and changes that score (its history, the revision up), then
  every candidate acknowledges the scores as they stand: a valid ranking;
- another unit and level: its first candidate acknowledges, the others not yet (a
  candidate with a demo login is left to acknowledge on the phone): a ranking waiting;
- the first exceptional candidate reviewed through all three steps, the second at step 1.

Through the services, so every record has its history. Does nothing when the year has an
acknowledgement or an objection already, or has no scored candidates."""

from __future__ import annotations

from decimal import Decimal

from evaluation.models import (
    CandidateState,
    TitleAcknowledgement,
    TitleCandidate,
    TitleObjection,
    TitleScore,
    TitleYear,
)
from evaluation.selectors import title_review as review_selectors
from evaluation.selectors import titles as title_selectors
from evaluation.services import title_review as services
from schools.models import Membership, Role, Township

OBJECTION = "{code}项证书未计入，请核实。"
ANSWER = "经单位评审小组核实，{code}项补计证书，得分由{old}改为{new}。"


def _county_user(year: TitleYear):
    member = (Membership.objects.filter(role=Role.COUNTY_OFFICE, county=year.county)
              .select_related("user").order_by("pk").first())
    return member.user if member is not None else year.created_by


def _principal_of(school_id: int, fallback):
    member = (Membership.objects.filter(role=Role.PRINCIPAL, school_id=school_id)
              .select_related("user").order_by("pk").first())
    return member.user if member is not None else fallback


def _acknowledge(rows, by_unit) -> None:
    """Each candidate of ``rows`` acknowledges the scores as they stand (a candidate
    without a login: recorded by the unit from their signed sheet)."""
    for row in rows:
        candidate = row.candidate
        services.acknowledgement_give(by=candidate.staff.user or by_unit, candidate=candidate,
                                      seen_revision=review_selectors.quota_of(candidate).revision)


def seed(township: Township) -> list:
    """Returns the demo logins it made (none: it uses those of the parts before)."""
    year = (TitleYear.objects.filter(county_id=township.county_id)
            .order_by("-year").first())
    if year is None or not year.is_open:
        return []
    if (TitleAcknowledgement.objects.filter(candidate__year=year).exists()
            or TitleObjection.objects.filter(candidate__year=year).exists()
            or not TitleScore.objects.filter(candidate__year=year).exists()):
        return []
    county_user = _county_user(year)
    groups = [r for r in title_selectors.rankings(year) if len(r.rows) >= 2]
    if groups:
        # The group left waiting holds a demo login if any (to acknowledge on the phone).
        waiting = next((r for r in groups if any(row.candidate.staff.user_id
                                                 for row in r.rows[1:])), groups[-1])
        valid = next((r for r in groups if r is not waiting), None)
        if valid is not None:
            _seed_valid(valid, county_user)
        first = waiting.rows[0]
        _acknowledge([first], _principal_of(first.candidate.school_id, county_user))
    _seed_reviews(year, county_user)
    return []


def _seed_valid(ranking, county_user) -> None:
    """An objection answered with a changed score, then everyone acknowledges."""
    principal = _principal_of(ranking.quota.school_id, county_user)
    objector = ranking.rows[-1].candidate
    item = title_selectors.items_of(title_selectors.current_table(objector.year))[0]
    old = (TitleScore.objects.filter(candidate=objector, item=item)
           .values_list("score", flat=True).first() or Decimal("0"))
    new = min(old + Decimal("1"), item.item_cap)
    if new == old:
        new = max(old - Decimal("1"), Decimal("0"))
    objection, _made = services.objection_raise(
        by=objector.staff.user or principal, candidate=objector, item=item,
        reason=OBJECTION.format(code=item.code))
    services.objection_answer(by=principal, objection=objection,
                              answer=ANSWER.format(code=item.code, old=old, new=new),
                              new_scores=[services.NewScore(objector, item, new)])
    _acknowledge(ranking.rows, principal)


def _seed_reviews(year: TitleYear, county_user) -> None:
    exceptional = list(TitleCandidate.objects.filter(
        year=year, exceptional=True, state=CandidateState.ELIGIBLE)
        .select_related("year", "staff").order_by("school__name", "staff__name", "pk")[:2])
    for n, candidate in enumerate(exceptional):
        services.review_unit_record(
            by=_principal_of(candidate.school_id, county_user), candidate=candidate,
            opinion="师德高尚，教学业绩突出，所任学科成绩连续三年居全镇前列，同意破格推荐。",
            score=Decimal("92"))
        if n:
            continue
        services.review_presentation_record(
            by=county_user, candidate=candidate,
            evidence="县级优质课一等奖证书、市级教学能手证书、近三年考核优秀登记表",
            notes="对照量化表逐项说明：教学业绩项按县级一等奖计满分，荣誉项按市级计。",
            claimed_score=Decimal("86.50"))
        services.review_final_record(by=county_user, candidate=candidate,
                                     final_score=Decimal("84.00"), passed=True,
                                     note="证件齐全，核定分数低于自评 2.5 分（一项证书为复印件）。")
