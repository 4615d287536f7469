"""Pages of the cycle: ``plan`` (dashboard, phases 1–2, report) and ``consult``
(phases 3–4: staff opinions, representatives, the congress vote)."""
