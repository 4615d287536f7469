"""attendance's status flows (leave, contract copies, publications' attendance side): each
flow's transitions in one place; a page asks the same function whether an action is
allowed, to show a disabled button with its reason."""
