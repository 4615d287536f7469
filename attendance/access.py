"""Who may see and do what in attendance: every predicate and scoped getter. Pages and
services ask here; nothing else reads memberships."""
