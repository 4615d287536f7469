"""The pure core of R9 (shared/spec/exam-scores.md): from class results to awards, with no ORM.

Plain values in, awards out:

- ``exam_awards(exam, margin=…)``: one exam's awards. Per grade and subject the township
  average is the mean of the township's class averages weighted by 参考人数, the county
  average the one given (where given), a teacher's score the mean of their class averages
  weighted by 参考人数. With A the averages available: 教学达标奖 when the score is above
  some average in A, 教学优胜奖 instead when it is at least ``margin`` above some average
  in A. At most one award per teacher, exam, grade and subject.
- ``count_excellence(awards, exam_dates)``: 累计优胜次数 and 教学标兵: every excellence
  award a teacher holds, in the order of the exams' dates (then the exam's key, the
  grade's place and the subject, so the order never depends on the order of import); the
  sixth makes the teacher a model teacher.
- ``awards(exams, margin=…)``: both, over several exams.

Every average is a ``Fraction``: nothing is rounded before it is compared (a score of
79.995 is not 80). Pages and the workbook show them rounded.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

STANDARD = "教学达标奖"
EXCELLENCE = "教学优胜奖"
MARGIN = 10  # points above an average for 教学优胜奖 (a township setting; this is its default)
MODEL_TEACHER_AT = 6  # the sixth excellence award makes a 教学标兵

GRADE_ORDER = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级",
               "九年级")


@dataclass(frozen=True)
class ClassResult:
    """One row of sheet 成绩: a class's average in one grade and subject."""

    grade: str
    subject: str
    teacher: Hashable  # the teacher's id
    takers: int  # 参考人数, > 0
    average: Decimal | Fraction | int  # 平均分, exact


@dataclass(frozen=True)
class ExamInput:
    """One exam's results and the county averages published for it."""

    key: Hashable  # the exam's id
    date: date
    results: Sequence[ClassResult]
    county: Mapping[tuple[str, str], Decimal | Fraction | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Award:
    exam: Hashable
    teacher: Hashable
    grade: str
    subject: str
    kind: str  # STANDARD or EXCELLENCE
    teacher_score: Fraction
    township_average: Fraction
    county_average: Fraction | None
    excellence_count: int = 0  # the teacher's excellence awards up to and including this
    model_teacher: bool = False  # this is the sixth excellence award


def weighted_mean(pairs: Iterable[tuple[int, Decimal | Fraction | int]]) -> Fraction:
    """Σ takers × average / Σ takers, exactly. ``pairs`` is (takers, average)."""
    total = Fraction(0)
    takers = 0
    for n, average in pairs:
        if n <= 0:
            raise ValueError("参考人数 must be greater than 0")
        total += n * Fraction(average)
        takers += n
    if not takers:
        raise ValueError("no class results")
    return total / takers


def award_kind(score: Fraction, averages: Sequence[Fraction], margin) -> str | None:
    """The award a score earns against the averages available (A): excellence when at
    least ``margin`` above some average, standard when above some, else none."""
    if not averages:
        return None
    lowest = min(averages)  # "some average in A": the easiest one to beat
    if score - lowest >= Fraction(margin):
        return EXCELLENCE
    if score > lowest:
        return STANDARD
    return None


def subject_key(grade: str, subject: str) -> tuple:
    place = GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)
    return (place, grade, subject)


@dataclass(frozen=True)
class SubjectAverages:
    grade: str
    subject: str
    township: Fraction
    county: Fraction | None
    teachers: dict  # teacher → score (Fraction)


def subject_averages(exam: ExamInput) -> list[SubjectAverages]:
    """Per grade and subject of one exam: the averages and every teacher's score."""
    groups: dict[tuple[str, str], list[ClassResult]] = {}
    for result in exam.results:
        groups.setdefault((result.grade, result.subject), []).append(result)
    found = []
    for (grade, subject), rows in sorted(groups.items(), key=lambda kv: subject_key(*kv[0])):
        by_teacher: dict = {}
        for row in rows:
            by_teacher.setdefault(row.teacher, []).append((row.takers, row.average))
        county = exam.county.get((grade, subject))
        found.append(SubjectAverages(
            grade=grade, subject=subject,
            township=weighted_mean((r.takers, r.average) for r in rows),
            county=None if county is None else Fraction(county),
            teachers={teacher: weighted_mean(pairs) for teacher, pairs in by_teacher.items()}))
    return found


def exam_awards(exam: ExamInput, *, margin=MARGIN) -> list[Award]:
    """One exam's awards (their excellence counts not yet set: ``count_excellence``)."""
    found = []
    for group in subject_averages(exam):
        available = [group.township] + ([group.county] if group.county is not None else [])
        for teacher, score in group.teachers.items():
            kind = award_kind(score, available, margin)
            if kind is not None:
                found.append(Award(exam=exam.key, teacher=teacher, grade=group.grade,
                                   subject=group.subject, kind=kind, teacher_score=score,
                                   township_average=group.township,
                                   county_average=group.county))
    return found


def award_order(award: Award, exam_dates: Mapping[Hashable, date]) -> tuple:
    return (exam_dates[award.exam], _sortable(award.exam), *subject_key(award.grade,
                                                                        award.subject))


def _sortable(key: Hashable) -> tuple:
    return (0, key, "") if isinstance(key, int | float) else (1, 0, str(key))


def count_excellence(awards: Iterable[Award], exam_dates: Mapping[Hashable, date]) -> list[Award]:
    """Every award with its teacher's 累计优胜次数 and the 教学标兵 flag, in the order of
    the exams' dates. ``awards`` must hold all of each teacher's awards."""
    ordered = sorted(awards, key=lambda a: award_order(a, exam_dates))
    counts: dict = {}
    done = []
    for award in ordered:
        count = counts.get(award.teacher, 0)
        if award.kind == EXCELLENCE:
            count += 1
            counts[award.teacher] = count
        done.append(replace(award, excellence_count=count,
                            model_teacher=award.kind == EXCELLENCE and count == MODEL_TEACHER_AT))
    return done


def awards(exams: Iterable[ExamInput], *, margin=MARGIN) -> list[Award]:
    """Several exams' awards, counted across them in the order of their dates."""
    exams = list(exams)
    dates = {exam.key: exam.date for exam in exams}
    found = [award for exam in exams for award in exam_awards(exam, margin=margin)]
    return count_excellence(found, dates)


def still_needed(excellence_count: int) -> int:
    """还差 N 次: excellence awards still needed to become a model teacher (0 once one)."""
    return max(MODEL_TEACHER_AT - excellence_count, 0)
