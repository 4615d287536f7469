"""Selectors of exam results and teaching-quality awards (质量积分制, R9,
shared/spec/exam-scores.md).

Every page reads an exam's results in one query of plain values and works out the
averages in Python through ``evaluation.awards`` (exact fractions), so a page makes a
bounded number of queries whatever the number of result rows. ``school_standings`` is
the letters' reading of the current results (R10's tiered baseline)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from evaluation import access, awards, rules
from evaluation.models import (
    Award,
    AwardKind,
    CountyAverage,
    Exam,
    ExamImport,
    ExamResult,
    ExamSettings,
    OtherGround,
)
from schools.models import School, Staff, Township
from staffing import publication
from staffing import workbook as wb
from staffing.models import Objection, Publication

PER_PAGE = 50
HISTORY_SHOWN = 30
_PLACES = Decimal("0.01")


def shown(value: Fraction | Decimal | None) -> Decimal | None:
    """An exact average as a page shows it: two decimals (the rule never sees this)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(_PLACES)


def exact(value: Fraction) -> Decimal:
    """A fraction as a Decimal with 28 significant digits (for sums and standings)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def settings_of(township: Township) -> ExamSettings:
    return (ExamSettings.objects.filter(township=township).first()
            or ExamSettings(township=township))


def exams_of(township: Township) -> QuerySet[Exam]:
    """The township's exams, newest first, with their counts (one query)."""
    return (Exam.objects.filter(township=township)
            .annotate(result_n=Count("results", distinct=True),
                      excellence_n=Count("awards", distinct=True,
                                         filter=Q(awards__kind=AwardKind.EXCELLENCE)),
                      standard_n=Count("awards", distinct=True,
                                       filter=Q(awards__kind=AwardKind.STANDARD)))
            .order_by("-date", "-pk"))


def imports_of(township: Township, limit: int = 10) -> list[ExamImport]:
    return list(ExamImport.objects.filter(township=township)
                .select_related("uploaded_by", "committed_by")[:limit])


# ---- what the award computation reads ---------------------------------------------------


def exam_input(exam: Exam) -> awards.ExamInput:
    """One exam as the pure core takes it: two queries."""
    results = [awards.ClassResult(grade=g, subject=s, teacher=t, takers=n, average=a)
               for g, s, t, n, a in exam.results.values_list(
                   "grade", "subject", "teacher_id", "takers", "average")]
    county = {(g, s): a for g, s, a in exam.county_averages.values_list(
        "grade", "subject", "average")}
    return awards.ExamInput(key=exam.pk, date=exam.date, results=results, county=county)


def awards_of_staff(staff_ids: Iterable[int]) -> QuerySet[Award]:
    """Every award these teachers hold, in any exam (for counting them again)."""
    return Award.objects.filter(staff_id__in=list(staff_ids)).select_related("exam")


# ---- one exam's board: averages, schools ranked, teachers ------------------------------


@dataclass
class SchoolLine:
    school_id: int
    name: str
    takers: int
    score: Fraction
    difference: Fraction  # score − township average
    rank: int = 0

    @property
    def score_shown(self):
        return shown(self.score)

    @property
    def difference_shown(self):
        return shown(self.difference)


@dataclass
class TeacherLine:
    staff_id: int
    name: str
    school_name: str
    grade: str
    subject: str
    classes: int
    takers: int
    score: Fraction
    award: Award | None
    rank: int = 0

    @property
    def score_shown(self):
        return shown(self.score)


@dataclass
class SubjectBoard:
    grade: str
    subject: str
    township: Fraction
    county: Fraction | None
    schools: list[SchoolLine] = field(default_factory=list)
    teachers: list[TeacherLine] = field(default_factory=list)

    @property
    def township_shown(self):
        return shown(self.township)

    @property
    def county_shown(self):
        return shown(self.county)


@dataclass
class ExamBoard:
    exam: Exam
    subjects: list[SubjectBoard]
    rows: int
    awards: dict  # kind → count
    model_teachers: int
    schools: list[tuple[str, Decimal, int, int]]  # name, mean difference, excellence, standard

    def teachers(self) -> list[TeacherLine]:
        return [line for subject in self.subjects for line in subject.teachers]


def _rank(lines, key) -> None:
    """Competition ranking (1, 2, 2, 4) by ``key``, highest first; lines sorted in place."""
    lines.sort(key=lambda line: (-key(line), getattr(line, "name", "")))
    previous, rank = None, 0
    for index, line in enumerate(lines, start=1):
        if key(line) != previous:
            rank, previous = index, key(line)
        line.rank = rank


def exam_board(exam: Exam, *, school: School | None = None) -> ExamBoard:
    """The exam per grade and subject: the township and county averages, the schools
    ranked by their weighted mean, the teachers ranked with their awards; with ``school``
    only that school's teachers (the averages and the ranking of schools stay the
    township's). Four queries whatever the number of rows."""
    rows = list(exam.results.values_list(
        "grade", "subject", "school_id", "school__name", "teacher_id", "teacher__name",
        "takers", "average"))
    county = {(g, s): Fraction(a) for g, s, a in exam.county_averages.values_list(
        "grade", "subject", "average")}
    awards_by = {(a.staff_id, a.grade, a.subject): a for a in exam.awards.all()}
    groups: dict[tuple[str, str], list] = {}
    for row in rows:
        groups.setdefault((row[0], row[1]), []).append(row)
    subjects = []
    per_school: dict[int, list] = {}
    school_names = {}
    for (grade, subject), found in sorted(groups.items(),
                                          key=lambda kv: awards.subject_key(*kv[0])):
        township = awards.weighted_mean((r[6], r[7]) for r in found)
        board = SubjectBoard(grade, subject, township, county.get((grade, subject)))
        by_school: dict[int, list] = {}
        by_teacher: dict[int, list] = {}
        for row in found:
            by_school.setdefault(row[2], []).append(row)
            by_teacher.setdefault(row[4], []).append(row)
            school_names[row[2]] = row[3]
        for school_id, mine in by_school.items():
            score = awards.weighted_mean((r[6], r[7]) for r in mine)
            takers = sum(r[6] for r in mine)
            board.schools.append(SchoolLine(school_id, mine[0][3], takers, score,
                                            score - township))
            per_school.setdefault(school_id, []).append((takers, score - township))
        _rank(board.schools, lambda line: line.score)
        for teacher_id, mine in by_teacher.items():
            board.teachers.append(TeacherLine(
                teacher_id, mine[0][5], mine[0][3], grade, subject, len(mine),
                sum(r[6] for r in mine), awards.weighted_mean((r[6], r[7]) for r in mine),
                awards_by.get((teacher_id, grade, subject))))
        _rank(board.teachers, lambda line: line.score)
        if school is not None:
            board.teachers = [t for t in board.teachers
                              if any(r[2] == school.pk for r in by_teacher[t.staff_id])]
        subjects.append(board)
    kinds: dict[str, int] = {}
    excellence_at: dict[int, int] = {}
    standard_at: dict[int, int] = {}
    school_of_teacher = {row[4]: row[2] for row in rows}
    for award in awards_by.values():
        kinds[award.kind] = kinds.get(award.kind, 0) + 1
        target = excellence_at if award.kind == AwardKind.EXCELLENCE else standard_at
        school_id = school_of_teacher.get(award.staff_id)
        target[school_id] = target.get(school_id, 0) + 1
    schools = []
    for school_id, pairs in per_school.items():
        schools.append((school_names[school_id], shown(awards.weighted_mean(pairs)),
                        excellence_at.get(school_id, 0), standard_at.get(school_id, 0)))
    schools.sort(key=lambda s: (-s[1], s[0]))
    return ExamBoard(exam=exam, subjects=subjects, rows=len(rows), awards=kinds,
                     model_teachers=sum(1 for a in awards_by.values() if a.model_teacher),
                     schools=schools)


def teacher_page(lines: list[TeacherLine], *, query: str = "", page: str | int = 1) -> Page:
    """The board's teachers searched by name or school, 50 a page."""
    query = query.strip()
    if query:
        lines = [line for line in lines if query in line.name or query in line.school_name]
    return Paginator(lines, PER_PAGE).get_page(page)


# ---- standings (for the letters: R10's baseline) ------------------------------------------


@dataclass(frozen=True)
class SchoolStanding:
    """A school's place in the latest exam: its mean score difference against the
    township average over its grade and subject results, weighted by 参考人数 (exact,
    Decimal), and its rank among the township's schools (1 is best; equal differences
    share a rank)."""

    school_id: int
    exam_id: int
    difference: Decimal
    takers: int
    rank: int
    of: int  # schools ranked


def latest_exam(township_id: int, *, before: date | None = None) -> Exam | None:
    exams = Exam.objects.filter(township_id=township_id, results__isnull=False)
    if before is not None:
        exams = exams.filter(date__lte=before)
    return exams.order_by("-date", "-pk").first()


def school_standings(township_id: int, *, before: date | None = None) -> dict[int, SchoolStanding]:
    """school id → SchoolStanding, for the latest exam of the township dated on or
    before ``before`` (any date when None). For each grade and subject the school's class
    averages are combined (weighted by 参考人数) and set against the township average of
    that grade and subject; the school's differences are then averaged, each weighted by
    the school's 参考人数 in it. A school with no results in that exam has no entry;
    no exam gives {}. Two queries."""
    exam = latest_exam(township_id, before=before)
    if exam is None:
        return {}
    groups: dict[tuple[str, str], list] = {}
    for grade, subject, school_id, takers, average in exam.results.values_list(
            "grade", "subject", "school_id", "takers", "average"):
        groups.setdefault((grade, subject), []).append((school_id, takers, average))
    per_school: dict[int, list] = {}
    for found in groups.values():
        township = awards.weighted_mean((n, a) for _s, n, a in found)
        mine: dict[int, list] = {}
        for school_id, takers, average in found:
            mine.setdefault(school_id, []).append((takers, average))
        for school_id, pairs in mine.items():
            per_school.setdefault(school_id, []).append(
                (sum(n for n, _a in pairs), awards.weighted_mean(pairs) - township))
    differences = {school_id: awards.weighted_mean(pairs)
                   for school_id, pairs in per_school.items()}
    ordered = sorted(differences.items(), key=lambda kv: (-kv[1], kv[0]))
    standings, previous, rank = {}, None, 0
    for index, (school_id, difference) in enumerate(ordered, start=1):
        if difference != previous:
            rank, previous = index, difference
        standings[school_id] = SchoolStanding(
            school_id=school_id, exam_id=exam.pk, difference=exact(difference),
            takers=sum(n for n, _d in per_school[school_id]), rank=rank, of=len(ordered))
    return standings


# ---- one teacher ---------------------------------------------------------------------


@dataclass
class TeacherAwards:
    staff: Staff
    awards: list[Award]
    excellence: int
    model_teacher: Award | None
    needed: int  # 还差 N 次
    grounds: list[OtherGround]
    history: list


def teacher_awards(staff: Staff) -> TeacherAwards:
    """A teacher's awards in the order of the exams' dates (newest first), their
    excellence count toward 教学标兵, their further grounds for the standard award, and
    the awards' history (created, recomputed, withdrawn): four queries."""
    found = list(Award.objects.filter(staff=staff).select_related("exam")
                 .order_by("-exam__date", "-exam_id", "grade", "subject"))
    excellence = sum(1 for a in found if a.kind == AwardKind.EXCELLENCE)
    model = next((a for a in found if a.model_teacher), None)
    grounds = list(OtherGround.objects.filter(staff=staff).select_related("entered_by"))
    history = list(Award.history.filter(staff_id=staff.pk).select_related("history_user")
                   .order_by("-history_date", "-history_id")[:HISTORY_SHOWN])
    exam_names = dict(Exam.objects.filter(pk__in={h.exam_id for h in history})
                      .values_list("pk", "name"))
    for entry in history:
        entry.exam_name = exam_names.get(entry.exam_id, "—")
    return TeacherAwards(staff=staff, awards=found, excellence=excellence, model_teacher=model,
                         needed=awards.still_needed(excellence), grounds=grounds,
                         history=history)


# ---- the export ------------------------------------------------------------------------


def award_rows(township: Township, exam: Exam | None = None) -> list[list]:
    """The spec's sheet 奖励, one row per award (exams by date, then grade and subject,
    then name): one query."""
    found = (Award.objects.filter(exam__township=township)
             .select_related("exam", "staff"))
    if exam is not None:
        found = found.filter(exam=exam)
    ordered = sorted(found, key=lambda a: (a.exam.date, a.exam_id,
                                           *awards.subject_key(a.grade, a.subject),
                                           a.staff.name, a.staff_id))
    return [[a.exam.name, a.staff.resident_id, a.staff.name, a.grade, a.subject,
             shown(a.teacher_score), shown(a.township_average), shown(a.county_average),
             a.kind, a.excellence_count, "是" if a.model_teacher else "否"] for a in ordered]


# ---- grounds ------------------------------------------------------------------------------


def grounds_of(township: Township, *, query: str = "", page: str | int = 1) -> Page:
    found = (OtherGround.objects.filter(staff__school__township=township)
             .select_related("staff__school", "entered_by").order_by("-date", "-pk"))
    query = query.strip()
    if query:
        found = found.filter(Q(staff__name__contains=query) | Q(title__contains=query)
                             | Q(staff__school__name__contains=query))
    return Paginator(found, PER_PAGE).get_page(page)


def township_staff(township: Township) -> QuerySet[Staff]:
    return Staff.objects.filter(school__township=township).select_related("school").order_by(
        "school__name", "name")


# ---- publication (公示) ----------------------------------------------------------------


def award_publication(exam: Exam) -> Publication | None:
    return publication.publication_of(access.AWARDS_PUBLICATION, exam.township_id, str(exam.pk))


def is_locked(exam: Exam) -> bool:
    pub = award_publication(exam)
    return pub is not None and pub.state == Publication.State.LOCKED


def locked_exam_ids(township: Township, exam_ids: Iterable[int]) -> set[int]:
    return {int(key) for _t, key in publication.locked_keys(
        access.AWARDS_PUBLICATION, [township.pk], [str(pk) for pk in exam_ids])}


def published_awards(exam: Exam) -> list[Award]:
    """The published list: every award of the exam with the teacher and school."""
    return sorted(exam.awards.select_related("staff__school"),
                  key=lambda a: (*awards.subject_key(a.grade, a.subject), a.kind != "教学优胜奖",
                                 -a.teacher_score, a.staff.name))


def own_subjects(exam: Exam, staff: Staff) -> list[tuple[str, str]]:
    """The grades and subjects a teacher has results in (what they may object to)."""
    pairs = set(exam.results.filter(teacher=staff).values_list("grade", "subject"))
    return sorted(pairs, key=lambda p: awards.subject_key(*p))


def own_objections(pub: Publication | None, staff: Staff) -> list[Objection]:
    if pub is None:
        return []
    return list(pub.objections.filter(staff_id=staff.pk).select_related("answered_by")
                .order_by("-raised_at"))


def published_exams(township: Township) -> list[tuple[Exam, Publication]]:
    """The township's exams whose award list is published, newest first (two queries)."""
    exams = list(Exam.objects.filter(township=township).order_by("-date", "-pk"))
    pubs = {p.key: p for p in publication.publications_of(
        access.AWARDS_PUBLICATION, township.pk, [str(e.pk) for e in exams])}
    return [(exam, pubs[str(exam.pk)]) for exam in exams if str(exam.pk) in pubs]


def county_averages_of(exam: Exam) -> list[CountyAverage]:
    return list(exam.county_averages.all())


def results_of_school(exam: Exam, school: School) -> list[ExamResult]:
    return list(exam.results.filter(school=school).select_related("teacher")
                .order_by("grade", "subject", "class_name"))


def awards_workbook(township: Township, exam: Exam | None = None) -> tuple[bytes, int]:
    """The spec's workbook: sheet 奖励 with exactly its columns, in its order."""
    rows = award_rows(township, exam)
    spec = wb.SheetSpec(rules.AWARDS_SHEET, rules.AWARDS_COLUMNS, rows,
                        text_columns=frozenset({"身份证号"}))
    return wb.workbook_bytes([spec]), len(rows)


def home_of(user) -> dict | None:
    """The home page's line for a teacher: their excellence count toward 教学标兵."""
    staff = access.own_staff(user)
    if staff is None:
        return None
    excellence = Award.objects.filter(staff=staff, kind=AwardKind.EXCELLENCE).count()
    return {"excellence": excellence, "needed": awards.still_needed(excellence)}
