"""Build small roster workbooks for tests, row by row, as a clerk would type them."""

from datetime import date

from schools import resident_id
from schools.roster import SCHOOL_COLUMNS, STAFF_COLUMNS
from staffing.workbook import SheetSpec, workbook_bytes

SCHOOL_HEADERS = list(SCHOOL_COLUMNS.values())
STAFF_HEADERS = list(STAFF_COLUMNS.values())


def an_id(n: int = 1, *, sex: str = resident_id.MALE, born: date = date(1985, 3, 7)) -> str:
    return resident_id.make("370921", born, n, sex)


def school_row(name="夏庄完小", kind="完小", remote="否", establishment=20):
    return [name, kind, remote, establishment]


def staff_row(name="张伟", rid=None, sex=None, birth=None, school="夏庄完小", subject="语文",
              education="本科", title="一级教师", work_start="2008-09", position="",
              phone="13812345678"):
    rid = an_id(1) if rid is None else rid
    if sex is None and rid:
        sex = "男" if resident_id.parse(rid).sex == resident_id.MALE else "女"
    return [name, rid, sex, birth, school, subject, education, title, work_start, position,
            phone]


def roster(schools=None, staff=None, *, school_headers=None, staff_headers=None,
           sheets=("学校", "教职工")) -> bytes:
    specs = []
    if "学校" in sheets:
        specs.append(SheetSpec("学校", school_headers or SCHOOL_HEADERS,
                               schools if schools is not None else [school_row()]))
    if "教职工" in sheets:
        specs.append(SheetSpec("教职工", staff_headers or STAFF_HEADERS,
                               staff if staff is not None else [staff_row()],
                               text_columns=frozenset({"身份证号"})))
    return workbook_bytes(specs)


def bad_id(n=2):
    """A resident ID whose checksum digit is wrong."""
    good = an_id(n)
    return good[:-1] + ("0" if good[-1] != "0" else "1")
