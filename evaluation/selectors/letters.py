"""Selectors of target-responsibility letters (目标责任书, R10): the township's template, each
school's standing in the latest exam (its baseline) and principal, the office's overview,
the refusals, the letter's text filled, the workbook, the PDF, and the honours a year's
outcomes bar."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from evaluation import access, rules
from evaluation.models import (
    Exam,
    Letter,
    LetterOutcome,
    LetterState,
    LetterTemplate,
    Resignation,
)
from evaluation.selectors import exams as exam_selectors
from recruitment.models import Cycle
from schools import access as school_access
from schools.models import Position, School, Township
from staffing import pdf
from staffing.workbook import SheetSpec

PER_PAGE = 100
HEAD_TITLES = ("校长", "园长")  # the position whose holder signs the school's letter


def template_of(township: Township) -> LetterTemplate:
    """The township's template, or the default (unsaved) before the office edits it."""
    return (LetterTemplate.objects.filter(township=township).first()
            or LetterTemplate(township=township, **rules.DEFAULT_LETTER_TEXT))


def tier_rule_of(template: LetterTemplate) -> rules.TierRule:
    return rules.TierRule(margin=template.tier_margin,
                          gap_share_percent=template.gap_share_percent)


def current_school_year(township: Township) -> int:
    """The township's latest cycle's school year, else the one under way today (a school
    year starts in September)."""
    year = (Cycle.objects.filter(township=township).order_by("-school_year")
            .values_list("school_year", flat=True).first())
    if year is not None:
        return year
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


# ---- standing in the latest exam ---------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """A school's standing in ``exam``: the mean difference of its class averages to the
    township average of the same grade and subject, weighted by the pupils who sat it."""

    exam: Exam
    difference: Decimal
    takers: int


def school_baselines(township_id: int) -> dict[int, Baseline]:
    """Per school id, its standing in the township's latest exam with results (by date),
    as the exams part computes it (``exams.school_standings``), rounded to two decimals
    for the letter; schools without results in it are absent. Three queries."""
    standings = exam_selectors.school_standings(township_id)
    if not standings:
        return {}
    exam = Exam.objects.get(pk=next(iter(standings.values())).exam_id)
    return {school_id: Baseline(exam, standing.difference.quantize(Decimal("0.01")),
                                standing.takers)
            for school_id, standing in standings.items()}


def principals_of(township_id: int) -> dict[int, Position]:
    """Per school id, the open 校长/园长 position (the latest begun, if two), with its staff."""
    found: dict[int, Position] = {}
    for position in (Position.objects.filter(school__township_id=township_id,
                                             title__in=HEAD_TITLES, end_date__isnull=True)
                     .select_related("staff").order_by("school_id", "-start_date", "-pk")):
        found.setdefault(position.school_id, position)
    return found


def letter_values(school: School, principal_name: str, school_year: int,
                  township_name: str) -> dict[str, str]:
    """What the placeholders become at drafting ({目标} waits for the letter's target)."""
    return {"学校": school.name, "校长": principal_name, "学年": rules.school_year_words(
        school_year), "乡镇": township_name}


# ---- a letter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    heading: str
    text: str


SECTION_HEADINGS = {"standard_operation": "一、规范办学", "curriculum": "二、课程开设",
                    "safety": "三、安全管理", "quality": "四、教学质量目标"}


def filled(letter: Letter, text: str) -> str:
    return rules.letter_fill(text, {rules.TARGET_PLACEHOLDER: letter.target or "（待定）"})


def sections_of(letter: Letter) -> list[Clause]:
    """The letter's four sections as printed, {目标} filled with its target."""
    return [Clause(SECTION_HEADINGS[name], filled(letter, getattr(letter, name)))
            for name in rules.SECTION_FIELDS]


def vetoes_of(letter: Letter) -> list[Clause]:
    return [Clause(str(n), filled(letter, getattr(letter, f"veto_{n}")))
            for n in rules.VETO_CLAUSES]


def letter_of_page(letter_pk: int) -> Letter | None:
    return (Letter.objects.select_related("school", "township", "principal", "exam",
                                          "drafted_by", "sent_by", "answered_by")
            .prefetch_related(Prefetch("outcome__vetoes"))
            .filter(pk=letter_pk).first())


def outcome_of(letter: Letter) -> LetterOutcome | None:
    try:
        return letter.outcome
    except LetterOutcome.DoesNotExist:
        return None


def consequences_of(outcome: LetterOutcome | None) -> rules.Consequences | None:
    if outcome is None:
        return None
    return rules.letter_consequences(outcome.result,
                                     {veto.clause for veto in outcome.vetoes.all()})


# ---- the office's overview -----------------------------------------------------------------


@dataclass
class OverviewRow:
    school: School
    letter: Letter | None
    principal_name: str
    consequences: rules.Consequences | None


@dataclass
class Overview:
    page: Page
    rows: list[OverviewRow]
    counts: dict[str, int]
    undrafted: int
    resignations: list[Resignation]


def letters_of(township_id: int, school_year: int) -> QuerySet[Letter]:
    return (Letter.objects.filter(township_id=township_id, school_year=school_year)
            .select_related("school", "principal")
            .prefetch_related(Prefetch("outcome__vetoes")))


def overview(township: Township, school_year: int, *, search: str = "", page=None) -> Overview:
    """Every school of the township (paginated, searched by name) with its letter, state,
    tier, target and outcome; the counts per state and the refusals. A handful of
    queries however many schools."""
    schools = School.objects.filter(township=township).order_by("name", "pk")
    if search:
        schools = schools.filter(name__contains=search)
    paged = Paginator(schools, PER_PAGE).get_page(page)
    ids = [school.pk for school in paged]
    letters = {letter.school_id: letter for letter in
               letters_of(township.pk, school_year).filter(school_id__in=ids)}
    heads = principals_of(township.pk)
    rows = []
    for school in paged:
        letter = letters.get(school.pk)
        if letter is not None:
            name = letter.principal.name
            consequences = consequences_of(outcome_of(letter))
        else:
            head = heads.get(school.pk)
            name, consequences = (head.staff.name if head else ""), None
        rows.append(OverviewRow(school, letter, name, consequences))
    counts = dict(Letter.objects.filter(township=township, school_year=school_year)
                  .values_list("state").annotate(n=Count("pk")))
    drafted = sum(counts.values())
    return Overview(page=paged, rows=rows,
                    counts={state: counts.get(state, 0) for state in LetterState.values},
                    undrafted=max(School.objects.filter(township=township).count() - drafted,
                                  0),
                    resignations=list(resignations_of(township.pk, school_year)))


def resignations_of(township_id: int, school_year: int) -> QuerySet[Resignation]:
    return (Resignation.objects.filter(letter__township_id=township_id,
                                       letter__school_year=school_year)
            .select_related("staff", "school", "letter", "recorded_by"))


# ---- the principal's own ---------------------------------------------------------------------


def own_letters(user) -> QuerySet[Letter]:
    staff = access.own_staff(user)
    if staff is None:
        return Letter.objects.none()
    return (Letter.objects.filter(principal=staff).select_related("school", "township")
            .order_by("-school_year", "pk"))


def home_of(user) -> dict:
    """The home page's entry: the office's letters overview per township with the
    principals who refused to sign (it counts as resigning); a principal's letter waiting
    for their signature, or their latest letter."""
    scope = school_access.scope_of(user)
    townships = []
    if scope.is_office:
        for township in school_access.townships_managed(user).order_by("name")[:20]:
            year = current_school_year(township)
            townships.append((township, year, resignations_of(township.pk, year).count()))
    mine = list(own_letters(user)[:5]) if scope.is_principal else []
    waiting = [letter for letter in mine if letter.state == LetterState.SENT]
    if not townships and not mine:
        return {}
    return {"townships": townships, "waiting": waiting, "latest": mine[0] if mine else None}


# ---- year-end: the honours barred ----------------------------------------------------------


def honours_barred(township_id: int, school_year: int) -> tuple[set[int], set[int]]:
    """The school ids and staff ids (the letters' principals) that lose the school year's
    honours (评先评优) by their letter's outcome (R10): below target or a veto clause
    triggered. Two queries."""
    schools, staff = set(), set()
    for outcome in (LetterOutcome.objects
                    .filter(letter__township_id=township_id, letter__school_year=school_year)
                    .select_related("letter").prefetch_related("vetoes")):
        if consequences_of(outcome).honours_lost:
            schools.add(outcome.letter.school_id)
            staff.add(outcome.letter.principal_id)
    return schools, staff


# ---- the workbook ----------------------------------------------------------------------------

SHEET = "目标责任书"
COLUMNS = ("学校", "校长", "学年", "档次", "与全镇平均分之差", "目标", "状态", "签订或拒签时间",
           "拒签理由", "年终结果", "一票否决", "问责", "取消评先评优")


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def letters_sheet(township: Township, school_year: int) -> SheetSpec:
    rows = []
    for letter in letters_of(township.pk, school_year).order_by("school__name", "pk"):
        outcome = outcome_of(letter)
        consequences = consequences_of(outcome)
        vetoes = "；".join(f"第{veto.clause}条：{veto.reason}"
                          for veto in outcome.vetoes.all()) if outcome else ""
        rows.append([
            letter.school.name, letter.principal.name, rules.school_year_words(school_year),
            rules.TIER_NAMES.get(letter.tier, ""),
            "" if letter.baseline is None else float(letter.baseline), letter.target,
            letter.get_state_display(), _moment(letter.answered_at), letter.refusal_reason,
            outcome.get_result_display() if outcome else "", vetoes,
            "" if consequences is None else ("是" if consequences.accountable else "否"),
            "" if consequences is None else ("是" if consequences.honours_lost else "否"),
        ])
    return SheetSpec(SHEET, COLUMNS, rows)


# ---- the PDF ---------------------------------------------------------------------------------
# As the contracts' PDF: WeasyPrint with the system's Noto CJK fonts, fetching nothing.


def letters_pdf(letters: list[Letter]) -> bytes:
    pages = [{"letter": letter, "sections": sections_of(letter), "vetoes": vetoes_of(letter)}
             for letter in letters]
    return pdf.render_pdf("evaluation/letters/pdf.html", {"pages": pages})
