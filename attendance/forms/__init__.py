"""attendance.forms: one module per part (days, leave, contracts, month)."""
