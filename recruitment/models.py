"""The yearly cycle: models arrive with issue 4."""
