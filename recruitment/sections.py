"""A plan's text cut into sections, and two revisions compared side by side. Pure.

Offices write plans the way their documents look: headings numbered 一、二、三、… (or
lines starting with ``#``). Text before the first heading is the preamble section.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_NUMERAL = "[一二三四五六七八九十百]+"
_HEADING = re.compile(
    rf"^\s*(#+\s*\S.*|{_NUMERAL}[、.．]\s*\S.*|第{_NUMERAL}[章部分条].*)$"
)


@dataclass(frozen=True)
class Section:
    title: str
    body: str


def plan_sections(text: str) -> list[Section]:
    sections: list[Section] = []
    title, lines = None, []
    for line in text.splitlines():
        if _HEADING.match(line):
            if title is not None or any(part.strip() for part in lines):
                sections.append(Section(title or _("Preamble"), "\n".join(lines).strip()))
            title, lines = line.strip().lstrip("#").strip(), []
        else:
            lines.append(line)
    if title is not None or any(part.strip() for part in lines):
        sections.append(Section(title or _("Preamble"), "\n".join(lines).strip()))
    return sections


@dataclass(frozen=True)
class DiffLine:
    left_number: int | None
    left: str
    right_number: int | None
    right: str
    kind: str  # "same", "changed", "removed", "added"


def compare(old: str, new: str) -> list[DiffLine]:
    """Line pairs for a side-by-side view of two texts."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(DiffLine(i + 1, a[i], j + 1, b[j], "same")
                        for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        left, right = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(left), len(right))):
            i = left[k] if k < len(left) else None
            j = right[k] if k < len(right) else None
            kind = "changed" if i is not None and j is not None else (
                "removed" if i is not None else "added")
            rows.append(DiffLine(None if i is None else i + 1, "" if i is None else a[i],
                                 None if j is None else j + 1, "" if j is None else b[j], kind))
    return rows
