"""Pages of the cycle, one module per part: ``plan`` (the cycle list, dashboard, phases
1–2, report), ``consultation`` (phases 3–4), ``posts`` (5), ``selection`` (6),
``allocation`` (the allocation runs, proposals, the dispatch meeting), ``unhired`` (phase
7), ``outcome`` (the outcome, its workbook, a person's result), and ``common`` (how a
refusal is shown, the Step-2 pages' navigation).

Views → forms, access, services, selectors (and models, phases, rules, workflow for
constants and labels); nothing imports a view but urls.py."""
