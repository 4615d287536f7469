"""seed_demo: the county's title evaluation, part ``title_candidates``. Once title_years'
seed has made the county's year with its table and quotas: about twenty declarations at
four of the demo township's schools (teacher01's first), at 一级教师 and 高级教师; most
found eligible, two refused with their reasons, one exceptional (破格); item scores with
their evidence and lesson scores, so that the rankings show 是 and 否 and one tie at the
quota's edge (待定) settled by the unit's committee with a reason. Does nothing when the
county has no open year with a table, or when the demo township has candidates already."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from evaluation.models import (
    CandidateState,
    TieDecision,
    TitleCandidate,
    TitleLevel,
    TitleQuota,
    TitleYear,
    YearState,
)
from evaluation.selectors import title_candidates as selectors
from evaluation.selectors import titles as title_selectors
from evaluation.services import titles as title_services
from schools.models import Membership, Position, Role, Staff, Township
from staffing import changes

TEACHER = "teacher01"
SCHOOLS = 4
PER_SCHOOL = 5
NEXT_LEVEL = {"二级教师": TitleLevel.FIRST, "一级教师": TitleLevel.SENIOR}
# The share of every item's cap a candidate scores, best first; equal shares and equal
# lesson scores make the tie.
SHARES = ["0.95", "0.88", "0.80", "0.72", "0.65", "0.58"]
LESSONS = ["92.50", "88.00", "84.50", "80.00", "76.50", "71.00"]
EXCEPTIONAL_REASON = "任现职3年，获市级优质课一等奖、省级教学能手称号，申请破格"
TIE_REASON = "两人总分、量化分、说课分均相同；单位评委会投票：7票对4票，推荐任现职年限较长者"


def _principal(school_id: int):
    member = (Membership.objects.filter(role=Role.PRINCIPAL, school_id=school_id)
              .select_related("user").first())
    return member.user if member else None


def seed(township: Township) -> list:
    """Returns the demo logins it made (none: teacher01 and the principals exist)."""
    year = (TitleYear.objects.filter(county_id=township.county_id, state=YearState.OPEN)
            .order_by("-year").first())
    if year is None:
        return []
    table = title_selectors.current_table(year)
    if table is None or TitleCandidate.objects.filter(
            year=year, school__township=township).exists():
        return []
    items = title_selectors.items_of(table)
    quotas = {(q.school_id, q.level): q for q in TitleQuota.objects.filter(
        year=year, school__township=township, level__in=list(NEXT_LEVEL.values()))}
    teacher = Staff.objects.filter(user__username=TEACHER).select_related("school").first()
    school_ids = sorted({school_id for school_id, _level in quotas},
                        key=lambda pk: (teacher is None or pk != teacher.school_id, pk))
    leaders = Position.objects.filter(end_date__isnull=True).values("staff_id")
    on = selectors.reference_date(year)
    now = timezone.now()
    tie_done = refused = exceptional = 0
    for school_id in school_ids[:SCHOOLS]:
        principal = _principal(school_id)
        pool = list(Staff.objects.filter(school_id=school_id, title__in=list(NEXT_LEVEL))
                    .exclude(pk__in=leaders).order_by("resident_id"))
        if teacher is not None and teacher.school_id == school_id:
            pool = [teacher] + [s for s in pool if s.pk != teacher.pk]
            if teacher.title not in NEXT_LEVEL:
                Staff.objects.filter(pk=teacher.pk).update(title="一级教师")
                teacher.title = "一级教师"
        chosen = [s for s in pool if (school_id, NEXT_LEVEL[s.title]) in quotas][:PER_SCHOOL]
        ranked: dict[str, list[TitleCandidate]] = {}
        for index, staff in enumerate(chosen):
            level = NEXT_LEVEL[staff.title]
            candidate = TitleCandidate(
                year=year, staff=staff, school_id=school_id, level=level,
                current_title=staff.title, title_since=date(on.year - 7 - index % 3, 9, 1),
                declared_by=staff.user, state=CandidateState.ELIGIBLE, checked_by=principal,
                checked_at=now)
            if refused < 2 and index == len(chosen) - 1 and staff != teacher:
                candidate.title_since = date(on.year - 2, 9, 1)
                candidate.state = CandidateState.REFUSED
                with translation.override(settings.LANGUAGE_CODE):  # the unit writes 中文
                    candidate.refusal = (selectors.check_rows(year, [candidate])[0].refusal
                                         or "材料不全")
                refused += 1
            elif not exceptional and index == 1 and staff != teacher:
                candidate.exceptional = True
                candidate.exceptional_reason = EXCEPTIONAL_REASON
                candidate.title_since = date(on.year - 3, 9, 1)
                exceptional += 1
            changes.save(candidate, principal)
            if candidate.state == CandidateState.ELIGIBLE:
                ranked.setdefault(level, []).append(candidate)
        for level, candidates in ranked.items():
            quota = quotas[(school_id, level)]
            seats = quota.recommended
            # A tie at the edge once: the candidates at places ``seats`` and ``seats + 1``
            # score the same.
            tie_at = seats if (not tie_done and 1 <= seats < len(candidates)) else None
            for place, candidate in enumerate(candidates, start=1):
                step = place - 1
                if tie_at is not None and place == tie_at + 1:
                    step = place - 2
                share = Decimal(SHARES[min(step, len(SHARES) - 1)])
                for n, item in enumerate(items, start=1):
                    score = (item.item_cap * share).quantize(Decimal("0.01"))
                    title_services.score_set(
                        by=principal, candidate=candidate, item=item, score=score,
                        evidence=f"{item.text}：证书、文件复印件第{n}页（原件已核）")
                title_services.lesson_set(by=principal, candidate=candidate,
                                          score=Decimal(LESSONS[min(step, len(LESSONS) - 1)]))
            if tie_at is not None:
                ranking = selectors.ranking_of(year, candidates[0])
                tied = [r for r in ranking.rows if r.verdict == "待定"]
                for n, row in enumerate(tied):
                    row.candidate.tie_decision = (TieDecision.RECOMMEND if n == 0
                                                  else TieDecision.NOT_RECOMMEND)
                    row.candidate.tie_reason = TIE_REASON
                    changes.save(row.candidate, principal, ["tie_decision", "tie_reason"])
                tie_done = 1 if tied else 0
    if teacher is not None and not TitleCandidate.objects.filter(year=year,
                                                                 staff=teacher).exists():
        # teacher01's school has no quota for their level: their declaration waits.
        changes.save(TitleCandidate(
            year=year, staff=teacher, school_id=teacher.school_id,
            level=NEXT_LEVEL.get(teacher.title, TitleLevel.SENIOR),
            current_title=teacher.title, title_since=date(on.year - 8, 9, 1),
            declared_by=teacher.user), teacher.user)
    for school_id in school_ids[:2]:
        # One declaration left for each of two principals to check.
        staff = (Staff.objects.filter(school_id=school_id, title__in=list(NEXT_LEVEL))
                 .exclude(pk__in=leaders).exclude(title_candidacies__year=year)
                 .order_by("resident_id").first())
        if staff is not None:
            changes.save(TitleCandidate(
                year=year, staff=staff, school_id=school_id, level=NEXT_LEVEL[staff.title],
                current_title=staff.title, title_since=date(on.year - 6, 3, 1)), None)
    return []
