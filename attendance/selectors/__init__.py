"""attendance.selectors: one module per part (days, leave, contracts, month)."""
