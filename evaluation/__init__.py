"""Phase 10 (考核问责、保持动力) and, later, the county's title evaluation: duty reports
and democratic evaluation (``ballots``), target-responsibility letters (``letters``, R10),
exam results and teaching-quality awards (``exams``, R9), recommendation lists with the
award as a threshold (``recommendations``), part-time researchers (``researchers``, R11).

Laid out as recruitment/ and attendance/ are: ``models``, ``services``, ``selectors``,
``views`` and ``forms`` are packages with one module per part; ``rules.py`` holds the rule
constants and pure checks, ``awards.py`` the pure core of R9; ``access.py`` every scoped
getter and "may this user" predicate. evaluation reads the cycle only through
recruitment's selectors and never imports attendance (pyproject.toml's contracts)."""
