"""attendance's rules as pure functions over plain values (no ORM): working days, leave
authority, the month's figures and deductions. Each part adds its section."""
