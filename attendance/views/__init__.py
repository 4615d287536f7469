"""attendance.views: one module per part (days, leave, contracts, month)."""
