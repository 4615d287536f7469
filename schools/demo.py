"""A realistic township roster, generated deterministically from a seed.

Used by ``seed_demo``, by tests that need hundreds of staff, and by the benchmark.
Modelled on the seeds: 葛石镇 with its three centres, six complete primaries (夏庄完小
among them, some remote), a primary and an independent kindergarten.
"""

import random
from dataclasses import dataclass
from datetime import date

from staffing.workbook import SheetSpec, workbook_bytes

from . import resident_id
from .roster import SCHOOL_COLUMNS, SCHOOL_SHEET, STAFF_COLUMNS, STAFF_SHEET

COUNTY = "宁阳县"
TOWNSHIP = "葛石镇"
REGION = "370921"  # the county's six-digit region code, for resident IDs

# name, roster kind, remote, establishment
SCHOOLS = [
    ("葛石镇中心中学", "中心中学", False, 72),
    ("葛石镇中心小学", "中心小学", False, 48),
    ("葛石镇成人教育中心", "成教中心", False, 8),
    ("夏庄完小", "完小", False, 26),
    ("东张完小", "完小", False, 22),
    ("西故城完小", "完小", True, 18),
    ("南石完小", "完小", False, 20),
    ("北赵完小", "完小", True, 16),
    ("柳沟完小", "完小", True, 15),
    ("后山小学", "小学", True, 8),
    ("葛石镇中心幼儿园", "独立园", False, 14),
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程"
    "曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅"
    "玉兰志强海燕春梅晓东文博雪梅立新丽娟俊峰凤霞宏伟"
)
MIDDLE_SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治",
                   "信息技术", "体育", "音乐", "美术"]
PRIMARY_SUBJECTS = ["语文", "语文", "数学", "数学", "英语", "科学", "道德与法治", "信息技术",
                    "体育", "音乐", "美术"]
TITLES = ["三级教师", "二级教师", "二级教师", "一级教师", "一级教师", "一级教师", "高级教师",
          "未定级"]
EDUCATION = ["中专", "大专", "本科", "本科", "本科", "硕士研究生"]


@dataclass
class DemoStaff:
    name: str
    resident_id: str
    sex: str
    birth_date: date
    school: str
    subject: str
    education: str
    title: str
    work_start: date
    position: str
    phone: str


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def staff_for(schools=SCHOOLS, *, seed: int = 2026, per_school_extra: int = 0,
              count: int | None = None, used: set[str] | None = None) -> list[DemoStaff]:
    """Staff for ``schools``: about their establishment each (or ``count`` in all).
    ``used``: resident IDs taken already (by other townships' calls), added to."""
    rng = random.Random(seed)
    people: list[DemoStaff] = []
    used = set() if used is None else used
    plan = []
    for name, kind, _remote, establishment in schools:
        plan.extend([(name, kind)] * (establishment + per_school_extra))
    if count is not None:
        plan = [plan[i % len(plan)] for i in range(count)]
    leaders: dict[str, list[str]] = {}
    for index, (school, kind) in enumerate(plan):
        sex = rng.choice((resident_id.MALE, resident_id.FEMALE))
        # Remote schools skew older (the seeds: ageing staff at remote schools).
        oldest = 1966
        youngest = 2001 if kind != "完小" else 1998
        born = date(rng.randint(oldest, youngest), rng.randint(1, 12), rng.randint(1, 28))
        number = resident_id.make(REGION, born, index, sex)
        while number in used:
            index += 7919
            number = resident_id.make(REGION, born, index, sex)
        used.add(number)
        if kind == "独立园":
            subject = "学前教育"
        elif kind == "中心中学":
            subject = rng.choice(MIDDLE_SUBJECTS)
        elif kind == "成教中心":
            subject = rng.choice(["职业培训", "计算机", "农业技术"])
        else:
            subject = rng.choice(PRIMARY_SUBJECTS)
        work_year = max(born.year + 19 + rng.randint(0, 4), 1985)
        work_start = date(min(work_year, 2025), 9, 1)
        held = leaders.setdefault(school, [])
        head, deputy = ("园长", "副园长") if kind == "独立园" else ("校长", "副校长")
        titles = [head, "书记", deputy] if kind in ("中心中学", "中心小学") else [head, deputy]
        pending = [t for t in (*titles, "教导主任", "总务主任") if t not in held]
        position = ""
        if pending and (born.year <= 1985 or pending[0] in ("教导主任", "总务主任")):
            position = pending[0]
            held.append(position)
        people.append(
            DemoStaff(
                name=_name(rng),
                resident_id=number,
                sex=sex,
                birth_date=born,
                school=school,
                subject=subject,
                education=rng.choice(EDUCATION),
                title=rng.choice(TITLES) if work_start.year < 2023 else "未定级",
                work_start=work_start,
                position=position,
                phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
            )
        )
    return people


# seed_demo --county: a county of townships shaped like the demo township.
COUNTY_DEMO = "汶阳县"
COUNTY_TOWNSHIPS = [
    "东平镇", "西城镇", "南湖镇", "北山镇", "石门镇", "柳河镇", "桃园镇", "青龙镇", "白马镇",
    "黄山镇", "凤凰镇", "金沙镇", "龙泉镇", "双井镇", "三河镇", "马庄镇", "杨集镇", "高桥镇",
    "新华镇", "长安镇",
]
VILLAGES = ["夏庄", "东张", "西故城", "南石", "北赵", "柳沟", "后山", "王楼", "李庄", "孙集",
            "刘营", "陈堡", "周村", "吴店", "郑桥", "冯寨"]
HEAD_TITLES = {"独立园": "园长"}


def county_schools(index: int, township: str, staff: int) -> list[tuple]:
    """The demo township's eleven schools for the ``index``-th county township (from 0),
    named after it and its villages, with establishments scaled to about ``staff`` in
    all (at least three each)."""
    scale = staff / sum(establishment for *_rest, establishment in SCHOOLS)
    villages = iter(VILLAGES[(index * 3 + i) % len(VILLAGES)] for i in range(len(VILLAGES)))
    schools = []
    for name, kind, remote, establishment in SCHOOLS:
        if name.startswith(TOWNSHIP):
            name = township + name.removeprefix(TOWNSHIP)
        else:
            name = next(villages) + name.removeprefix(name[:-2])
        schools.append((name, kind, remote, max(3, round(establishment * scale))))
    return schools


def county_staff(schools, *, seed: int, used: set[str]) -> list[DemoStaff]:
    """``staff_for`` these schools, where a small school whose staff are all young still
    gets its head (校长/园长): its first member."""
    people = staff_for(schools, seed=seed, used=used)
    headed = {p.school for p in people if p.position in ("校长", "园长")}
    kinds = {name: kind for name, kind, *_rest in schools}
    for person in people:
        if person.school not in headed:
            person.position = HEAD_TITLES.get(kinds[person.school], "校长")
            headed.add(person.school)
    return people


def roster_workbook(schools=SCHOOLS, staff: list[DemoStaff] | None = None) -> bytes:
    """The roster workbook of spec/roster.md for these schools and staff."""
    staff = staff_for(schools) if staff is None else staff
    sex_label = {resident_id.MALE: "男", resident_id.FEMALE: "女"}
    return workbook_bytes([
        SheetSpec(SCHOOL_SHEET, list(SCHOOL_COLUMNS.values()),
                  [[n, k, "是" if r else "否", e] for n, k, r, e in schools]),
        SheetSpec(STAFF_SHEET, list(STAFF_COLUMNS.values()),
                  [[p.name, p.resident_id, sex_label[p.sex], p.birth_date, p.school, p.subject,
                    p.education, p.title, f"{p.work_start:%Y-%m}", p.position, p.phone]
                   for p in staff],
                  text_columns=frozenset({"身份证号", "联系电话"})),
    ])
