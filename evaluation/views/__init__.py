"""evaluation.views: one module per part (ballots, letters, exams, recommendations,
researchers)."""
