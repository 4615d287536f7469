"""Step 3, phases 8–9 (强化岗位监督管理): contracts, the daily attendance, leave and the
monthly pay link. Laid out as recruitment/ is (see docs/layout.md): urls → views, admin,
demo, management → services → selectors → access → forms, sheets → rules → workflow →
models. It reads the cycle only through ``recruitment.selectors``."""
