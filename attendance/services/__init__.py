"""attendance.services: one module per part (days, leave, contracts, month)."""
