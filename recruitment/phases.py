"""The ten phases (三步十环): names, steps, order and the seeds' calendar.

Pure data, no ORM. The transitions that use it live in ``recruitment/workflow.py``.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PhaseInfo:
    number: int
    step: int
    name: str  # the seeds' name, a data contract (cycle_report's 环节 column)
    label: str  # shown in the interface, translated
    step_name: str  # the seeds' name of the step
    after: int | None  # the phase that must be closed before this one opens
    start: tuple[int, int]  # (month, day) in the cycle's school year
    deadline: tuple[int, int]
    deadline_next_year: bool = False


STEPS = {1: "制定科学合理方案", 2: "双向选择竞聘上岗", 3: "强化岗位监督管理"}
# Each step's heading on the cycle's pages, translated.
STEP_HEADINGS = {1: _("Step 1: making the plan"), 2: _("Step 2: two-way selection"),
                 3: _("Step 3: supervising the posts")}

# The seeds' calendar: kickoff meeting 18 Aug; study and intentions 20–22 Aug; selection
# 22–25 Aug with the dispatch meeting on the 25th; selection closes 28 Aug; contracts
# filed within a week after term starts (1 Sep). Step 1 precedes the kickoff, where the
# congress votes. Phases 8–10 all follow phase 7 and run side by side through the year.
_PHASES = [
    PhaseInfo(1, 1, "充分酝酿、拟定草案", _("Draft the plan"), STEPS[1], None, (7, 1), (7, 20)),
    PhaseInfo(2, 1, "集体研究、修改草案", _("Collective review"), STEPS[1], 1, (7, 21), (7, 31)),
    PhaseInfo(3, 1, "征集意见、完善草案", _("Staff opinions"), STEPS[1], 2, (8, 1), (8, 12)),
    PhaseInfo(4, 1, "教代会表决、形成方案", _("Congress vote"), STEPS[1], 3, (8, 13), (8, 18)),
    PhaseInfo(5, 2, "学习方案、填报意向", _("Study the plan, submit intentions"), STEPS[2], 4,
              (8, 20), (8, 22)),
    PhaseInfo(6, 2, "双向选择、层层竞聘", _("Two-way selection"), STEPS[2], 5, (8, 22), (8, 28)),
    PhaseInfo(7, 2, "严格把关、合格上岗", _("Training and assignment of the unhired"), STEPS[2],
              6, (8, 28), (8, 31)),
    PhaseInfo(8, 3, "签订聘约、明确责权", _("Contracts"), STEPS[3], 7, (9, 1), (9, 8)),
    PhaseInfo(9, 3, "强化考勤、转变作风", _("Attendance"), STEPS[3], 7, (9, 1), (7, 10), True),
    PhaseInfo(10, 3, "考核问责、保持动力", _("Assessment and accountability"), STEPS[3], 7,
              (9, 1), (7, 10), True),
]
PHASES = {p.number: p for p in _PHASES}

DRAFT, REVIEW, OPINIONS, VOTE, INTENTIONS, SELECTION, UNHIRED = 1, 2, 3, 4, 5, 6, 7
CONTRACTS, ATTENDANCE, ASSESSMENT = 8, 9, 10


def default_dates(school_year: int) -> dict[int, tuple[date, date]]:
    """Each phase's (start, deadline): the seeds' calendar shifted to ``school_year``."""
    return {
        p.number: (
            date(school_year, *p.start),
            date(school_year + p.deadline_next_year, *p.deadline),
        )
        for p in _PHASES
    }
