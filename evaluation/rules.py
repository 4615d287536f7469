"""evaluation's rules as pure functions over plain values (no ORM). Each part adds its
section; R9's award computation is the pure core ``evaluation.awards``."""

from __future__ import annotations

# ---- exams (shared/spec/exam-scores.md) ----------------------------------------------

GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级",
          "九年级")
LEVELS = ("县统考", "县抽考", "镇统考", "镇抽考")  # 考试级别, as the spec spells them

# The workbook (shared/spec/exam-scores.md), its sheets and headers exactly.
SCORES_SHEET = "成绩"
SCORES_COLUMNS = {
    "exam": "考试名称", "date": "考试日期", "level": "考试级别", "grade": "年级",
    "subject": "学科", "school": "学校", "class_name": "班级",
    "resident_id": "任课教师身份证号", "takers": "参考人数", "average": "平均分",
}
SCORES_REQUIRED = tuple(SCORES_COLUMNS)
COUNTY_SHEET = "参照平均分"
COUNTY_COLUMNS = {"exam": "考试名称", "grade": "年级", "subject": "学科", "average": "县平均分"}
COUNTY_REQUIRED = tuple(COUNTY_COLUMNS)
AWARDS_SHEET = "奖励"
AWARDS_COLUMNS = ("考试名称", "身份证号", "姓名", "年级", "学科", "教师平均分", "镇平均分",
                  "县平均分", "奖项", "累计优胜次数", "教学标兵")
ERROR_HEADER = "错误"
TEXT_HEADERS = frozenset({"任课教师身份证号", "身份证号", "班级"})

MAX_TAKERS = 500  # 参考人数 of one class
MAX_SCORE = 150  # 平均分: the highest full mark of an exam subject (中考 语文/数学/英语)
NAME_MAX, SUBJECT_MAX, CLASS_MAX = 100, 30, 20


def score_places_ok(text: str) -> bool:
    """At most two decimals: ``85``, ``85.5``, ``85.50``."""
    whole, _dot, places = text.partition(".")
    return len(places) <= 2

