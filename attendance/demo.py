"""The demo township carried into September (seed_demo): contracts, two weeks of
attendance, leave requests."""
