"""Template tags of evaluation, loaded by the templates of other apps."""
