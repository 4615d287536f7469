"""attendance's models, one module per part (Step 3's supervision of posts: phases 8–9).

- ``days``: the township's settings, its working-day calendar, and the one record per
  staff member and day (the spec's seven states).
- ``leave``: leave requests and their approval steps (R8).
- ``contracts``: a hire's contract, its template and its three copies (phase 8).
- ``month``: the weekly and monthly publications' attendance side.

Each part adds its module here; other code imports from ``attendance.models``.
"""

from .contracts import Contract, ContractCopy, ContractTemplate, CopyKind
from .days import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceSettings,
    AttendanceStatus,
    CalendarDay,
)
from .leave import Approver, LeaveAuthority, LeaveDecision, LeaveRequest

__all__ = [
    "Approver",
    "AttendanceImport",
    "AttendanceRecord",
    "AttendanceSettings",
    "AttendanceStatus",
    "CalendarDay",
    "Contract",
    "ContractCopy",
    "ContractTemplate",
    "CopyKind",
    "LeaveAuthority",
    "LeaveDecision",
    "LeaveRequest",
]
