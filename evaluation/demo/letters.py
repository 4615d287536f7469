"""seed_demo's part: target-responsibility letters (目标责任书, R10): the township's template, a
letter per principal, signing or refusing, the year-end outcome."""
