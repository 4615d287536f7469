"""Workbook contracts: the 岗位 sheet (headers, words, template), the 意向 export, the
report's 环节/表决 sheets, the outcome's 结果/人员 sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

from recruitment import rules
from recruitment.models import (
    Decision,
    HireSource,
    PhaseState,
    PostKind,
    Vote,
)
from staffing import workbook as wb

POST_SHEET = "岗位"
POST_COLUMNS = {
    "number": "岗位序号",
    "kind": "类别",
    "grade_class": "年级班级",
    "subject": "学科",
    "weekly_lessons": "周课时",
    "duties": "职责",
    "conditions": "任职条件",
    "seats": "岗位数",
}


POST_REQUIRED = ("number", "kind")
# The same bounds as the post form: (smallest, largest) of each number column.
POST_NUMBER_RANGES = {
    "number": (1, rules.MAX_POST_NUMBER),
    "weekly_lessons": (0, rules.MAX_WEEKLY_LESSONS),
    "seats": (1, rules.MAX_SEATS),
}
ERROR_HEADER = "错误"  # the error workbook's column, as the roster import's
KIND_BY_WORD = {"教学岗": PostKind.TEACHING, "辅助岗": PostKind.AUXILIARY}


@dataclass
class PostImport:
    rows: list[tuple[int, rules.PostFields]]
    errors: list
    sheet: object  # staffing.workbook.SheetRows, for the error workbook
    created: int = 0
    updated: int = 0
    stopped: str = ""  # the notice when checking stopped at the error cap


def posts_template_sheets() -> list[wb.SheetSpec]:
    """An empty 岗位 sheet to fill in, the required headers marked."""
    columns = POST_COLUMNS
    return [wb.SheetSpec(
        POST_SHEET, list(columns.values()), [],
        required=frozenset(columns[key] for key in POST_REQUIRED),
        widths={columns["duties"]: 30, columns["conditions"]: 30},
    )]


WORD_BY_KIND = {kind: word for word, kind in KIND_BY_WORD.items()}


def sheet_value(key: str, value) -> str:
    if key == "kind":
        return WORD_BY_KIND.get(value, value)
    return "—" if value in ("", None) else str(value)


INTENTION_SHEET = "意向"
INTENTION_HEADERS = ["姓名", "身份证号", "所在学校", "人员类别", "志愿", "意向学校", "教学岗序号",
                     "年级班级", "学科", "周课时", "辅助岗序号", "辅助岗职责", "填报时间"]


STAFF_WORDS = {False: "教学人员", True: "教辅人员"}
EXPORT_MAX_ROWS = 50_000


# Fixed Chinese words for exports (a data contract, whatever the interface language).
STATE_WORDS = {
    PhaseState.NOT_STARTED: "未开始",
    PhaseState.OPEN: "进行中",
    PhaseState.CLOSED: "已结束",
}


RESULT_WORDS = {Vote.Result.ADOPTED: "通过", Vote.Result.REJECTED: "未通过", "": "表决中"}
PHASE_SHEET = "环节"
VOTE_SHEET = "表决"
PHASE_HEADERS = ["序号", "步骤", "环节", "开始", "截止", "状态"]
VOTE_HEADERS = ["轮次", "方案版本", "代表人数", "参加人数", "赞成", "反对", "弃权", "结果"]
# The outcome's columns, in selectors.outcome.COUNTED's order. One word for those left
# without a post or an explained status, on the page (its translation) and here: 落聘.
OUTCOME_HEADERS = ["学校", "教职工", "岗位数", "已聘", "其中培训合格后分配", "本校留任", "调入",
                   "调出", "新任中层干部", "失去职务", "任命", "情况说明", "落聘"]
HEADCOUNT_HEADERS = ["类别", "人数"]
UNHIRED_WORD = "落聘"
EXPLAINED_WORD = "情况说明：%(reason)s"
APPOINTED_WORD = "任命"  # a head the county bureau appoints, kept in post (rules.APPOINTED_TITLES)


PEOPLE_HEADERS = ["姓名", "身份证号", "原学校", "聘任学校", "岗位序号", "岗位", "方式"]
# The zh-hans translations of HireSource's labels, so the page and the workbook agree.
SOURCE_WORDS = {HireSource.SELECTION: "学校选聘", HireSource.ALLOCATION: "镇教办统一调配",
                HireSource.DISPATCH: "调度会调配", HireSource.TRAINING: "培训合格后分配"}


def post_words(post) -> str:
    """A post as the roster and the staff page write an assignment's post, in the
    offices' words: ``3号 七年级(2)班 语文 12节/周``, an auxiliary post ``5号 实验室管理``."""
    if post.kind == PostKind.TEACHING:
        parts = [f"{post.number}号", post.grade_class, post.subject,
                 f"{post.weekly_lessons}节/周"]
    else:
        parts = [f"{post.number}号", post.duties or post.subject]
    return " ".join(part for part in parts if part)


def duties_words(posts) -> str:
    """A hire's auxiliary duties (R2's "+X"), by number: ``5号 实验室管理；7号 门卫``."""
    return "；".join(post_words(p) for p in sorted(posts, key=lambda p: p.number))


# R7: the training test's scores, imported by the office (sheet 测试成绩).
SCORE_SHEET = "测试成绩"
SCORE_COLUMNS = {"resident_id": "身份证号", "name": "姓名", "score": "成绩"}
SCORE_REQUIRED = ("resident_id", "score")
SCORE_MAX = 100


@dataclass
class ScoreRow:
    line: int
    enrolment: object  # recruitment.models.TrainingEnrolment
    score: int


@dataclass
class ScoreImport:
    rows: list[ScoreRow]
    errors: list
    sheet: object  # staffing.workbook.SheetRows, for the error workbook
    stopped: str = ""


def scores_template_sheets(trainees) -> list[wb.SheetSpec]:
    """Sheet 测试成绩 with the cycle's trainees listed (full ID as text, name), the
    score to fill in; 姓名 is only a reminder and is not read."""
    columns = SCORE_COLUMNS
    return [wb.SheetSpec(
        SCORE_SHEET, list(columns.values()),
        [[e.staff.resident_id, e.staff.name, e.score] for e in trainees],
        text_columns=frozenset({columns["resident_id"]}),
        required=frozenset(columns[key] for key in SCORE_REQUIRED),
    )]


RANKING_SHEET = "排序"
RANKING_HEADERS = ["岗位序号", "岗位", "姓名", "身份证号", "所在学校", "学科", "职称", "年龄",
                   "志愿", "名次", "决定", "决定人", "决定时间", "聘用"]
DECISION_WORDS = {Decision.HIRE: "聘用", Decision.NOT_HIRE: "不聘", Decision.PENDING: "未决定"}
UNHIRED_SHEET = "未聘人员"
UNHIRED_HEADERS = ["姓名", "身份证号", "所在学校", "学科", "职称", "年龄", "培训", "成绩",
                   "是否合格"]
