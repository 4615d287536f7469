"""evaluation.services: one module per part (ballots, letters, exams, recommendations,
researchers)."""
