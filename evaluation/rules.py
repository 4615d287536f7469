"""evaluation's rules as pure functions over plain values (no ORM). Each part adds its
section; R9's award computation is the pure core ``evaluation.awards``."""

from __future__ import annotations

# ---- exams (shared/spec/exam-scores.md) ----------------------------------------------

GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级",
          "九年级")
