"""evaluation.selectors: one module per part (ballots, letters, exams, recommendations,
researchers)."""
