"""Reads of phase 8 (签订聘约): the township's template, the values a contract is filled
with, the office's overview per school, a school's list, the workbook and the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from attendance import access, rules, workflow
from attendance.models import Contract, ContractCopy, ContractTemplate, CopyKind
from attendance.selectors import days as days_selectors
from recruitment.models import Cycle, Hire, PostKind
from recruitment.phases import CONTRACTS, UNHIRED
from recruitment.selectors import common as recruitment_common
from schools.models import School, Township
from staffing import pdf
from staffing.history import display_name
from staffing.workbook import SheetSpec

PER_PAGE = 50


def template_of(township: Township) -> ContractTemplate:
    """The township's template, or the default (unsaved) before the office edits it."""
    return (ContractTemplate.objects.filter(township=township).first()
            or ContractTemplate(township=township, title=rules.DEFAULT_TITLE,
                                clauses=rules.DEFAULT_CLAUSES))


def draw_refusal(cycle: Cycle) -> str | None:
    """May contracts be drawn up in ``cycle`` now (phase 7 closed, phase 8 not)?"""
    phases = recruitment_common.phases_by_number(cycle)
    return workflow.contracts_draw_refusal(phases[UNHIRED].state, phases[CONTRACTS].state)


def term_start_of(cycle: Cycle) -> date:
    """Term starts on phase 8's start date (the seeds: 1 September)."""
    return recruitment_common.phase_of(cycle, CONTRACTS).start_date


@dataclass(frozen=True)
class Term:
    start: date
    end: date
    deadline: date  # the office's copy filed by then
    filing_days: int


def term_of(cycle: Cycle) -> Term:
    """The contracts' term and filing deadline in ``cycle`` (``rules.contract_term``)."""
    start, end = rules.contract_term(term_start_of(cycle), cycle.school_year)
    days = days_selectors.settings_of(cycle.township).contract_filing_days
    return Term(start, end, rules.filing_deadline(start, days), days)


def post_words(post) -> str:
    """A post as the contract names it: number, kind, class and subject or duty."""
    if post.kind == PostKind.TEACHING:
        what = " ".join(part for part in (post.grade_class, post.subject) if part)
        return f"{post.number}号{rules.POST_KIND_WORDS[post.kind]} {what}".strip()
    return f"{post.number}号{rules.POST_KIND_WORDS[post.kind]} {post.duties}".strip()


def contract_values(hire: Hire, term_start: date, term_end: date) -> dict[str, str]:
    """What each placeholder of ``rules.PLACEHOLDERS`` becomes for ``hire`` (its post,
    the auxiliary duties it holds besides, the term)."""
    post = hire.post
    extras = list(hire.extra_posts.all())
    duties = [post.duties] if post.duties else []
    if post.kind == PostKind.TEACHING and not post.duties:
        duties.append(f"{post.grade_class}{post.subject}教学")
    duties += [f"兼{extra.duties or post_words(extra)}" for extra in extras]
    lessons = f"每周{post.weekly_lessons}课时" if post.weekly_lessons else "所聘岗位"
    return {
        "姓名": hire.staff.name,
        "学校": post.school.name,
        "乡镇": hire.cycle.township.name,
        "岗位": "；".join([post_words(post), *(post_words(extra) for extra in extras)]),
        "职责": "；".join(duties) or "按学校安排",
        "任职条件": post.conditions or "符合竞聘上岗方案规定的条件",
        "周课时": lessons,
        "聘期": rules.term_words(term_start, term_end),
        "学年": f"{hire.cycle.school_year}—{hire.cycle.school_year + 1}",
    }


# ---- the office's overview -------------------------------------------------------------------


@dataclass
class SchoolContracts:
    """One school's contracts: ``hires`` (contracts due), ``drawn_up``, ``signed`` (all
    three copies), ``filed`` (all three), ``overdue`` (the office's copy not filed and
    the deadline passed)."""

    school: School | None
    hires: int = 0
    drawn_up: int = 0
    signed: int = 0
    filed: int = 0
    overdue: int = 0

    @property
    def to_draw(self) -> int:
        return self.hires - self.drawn_up


@dataclass
class Overview:
    schools: list[SchoolContracts]
    total: SchoolContracts
    overdue: list[Contract] = field(default_factory=list)


def _counted(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    return contracts.annotate(
        signed_n=Count("copies", filter=Q(copies__signed_at__isnull=False)),
        filed_n=Count("copies", filter=Q(copies__filed_at__isnull=False)),
        office_filed=Count("copies", filter=Q(copies__kind=CopyKind.OFFICE,
                                              copies__filed_at__isnull=False)))


def overdue_of(contracts: QuerySet[Contract], today: date) -> QuerySet[Contract]:
    """Those whose office copy is not filed and whose deadline has passed."""
    filed = ContractCopy.objects.filter(kind=CopyKind.OFFICE, filed_at__isnull=False)
    return contracts.filter(filing_deadline__lt=today).exclude(
        pk__in=filed.values("contract_id"))


def overview(cycle: Cycle, today: date, *, overdue_limit: int = 200) -> Overview:
    """Per school of the township and in total; the overdue contracts (up to
    ``overdue_limit``, oldest deadline first). Four queries whatever the count."""
    rows = {s.pk: SchoolContracts(s) for s in
            School.objects.filter(township_id=cycle.township_id).order_by("name")}
    for school_id, n in (Hire.objects.filter(cycle=cycle).values_list("post__school_id")
                         .annotate(n=Count("pk"))):
        rows[school_id].hires = n
    kinds = len(CopyKind.values)
    for school_id, signed, filed, office_filed, deadline in _counted(
            Contract.objects.filter(cycle=cycle)).values_list(
            "school_id", "signed_n", "filed_n", "office_filed", "filing_deadline"):
        row = rows[school_id]
        row.drawn_up += 1
        row.signed += signed == kinds
        row.filed += filed == kinds
        row.overdue += not office_filed and deadline < today
    total = SchoolContracts(None)
    for row in rows.values():
        for name in ("hires", "drawn_up", "signed", "filed", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    late = list(overdue_of(Contract.objects.filter(cycle=cycle), today)
                .select_related("staff", "school").order_by("filing_deadline", "school__name",
                                                              "staff__name")[:overdue_limit])
    return Overview(schools=list(rows.values()), total=total, overdue=late)


# ---- a school's list ---------------------------------------------------------------------------


def school_contracts(cycle: Cycle, school: School, *, search: str = "") -> QuerySet[Contract]:
    contracts = Contract.objects.filter(cycle=cycle, school=school)
    if search:
        contracts = contracts.filter(staff__name__contains=search)
    return access.contracts_with_copies(contracts).order_by("staff__name", "pk")


def school_page(cycle: Cycle, school: School, *, search: str, page) -> Page:
    return Paginator(school_contracts(cycle, school, search=search), PER_PAGE).get_page(page)


def copies_in_order(contract: Contract) -> list:
    """The contract's copies (prefetched) in the order they are printed."""
    order = {kind: i for i, kind in enumerate(CopyKind.values)}
    return sorted(contract.copies.all(), key=lambda copy: order[copy.kind])


def is_frozen(contract: Contract) -> bool:
    return any(copy.signed_at is not None for copy in contract.copies.all())


# ---- the workbook ------------------------------------------------------------------------------

SHEET = "聘约"
COLUMNS = ("学校", "姓名", "岗位", "聘期开始", "聘期结束", "归档期限",
           *(f"{rules.COPY_HEADINGS[kind]}{what}" for kind in CopyKind.values
             for what in ("签订", "签订人", "归档", "归档人")),
           "逾期")


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def contracts_sheet(contracts: QuerySet[Contract], today: date) -> SheetSpec:
    """Sheet 聘约: one row per contract, each copy's signing and filing (who, when), and
    逾期 (是) where the office's copy is past its deadline."""
    rows = []
    for contract in access.contracts_with_copies(contracts).order_by("school__name",
                                                                      "staff__name", "pk"):
        cells = [contract.school.name, contract.staff.name, post_words(contract.hire.post),
                 contract.term_start, contract.term_end, contract.filing_deadline]
        office_filed = False
        for copy in copies_in_order(contract):
            cells += [_moment(copy.signed_at), display_name(copy.signed_by),
                      _moment(copy.filed_at), display_name(copy.filed_by)]
            office_filed |= copy.kind == CopyKind.OFFICE and copy.filed_at is not None
        cells.append("是" if not office_filed and contract.filing_deadline < today else "")
        rows.append(cells)
    return SheetSpec(SHEET, COLUMNS, rows)


# ---- the PDF -------------------------------------------------------------------------------------
# WeasyPrint renders the contracts' HTML with the system's Noto CJK fonts (Debian's
# fonts-noto-cjk, installed by bin/_setup); it fetches nothing: only data: URLs are
# allowed, and the stylesheet is read from the project's static files.


def contracts_pdf(contracts: list[Contract]) -> bytes:
    """Each contract three times, one copy after another, each page headed with its copy's
    name (``rules.COPY_HEADINGS``)."""
    pages = [(contract, rules.COPY_HEADINGS[kind]) for contract in contracts
             for kind in CopyKind.values]
    return pdf.render_pdf("attendance/contracts/pdf.html", {"pages": pages})
