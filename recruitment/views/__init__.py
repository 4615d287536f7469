"""Pages of the cycle, one module per part: ``plan`` (the cycle list, dashboard, phases
1–2, report), ``consultation`` (phases 3–4), ``posts`` (5), ``selection`` (6), ``allocation``
(allocation, dispatch, phase 7, the outcome), and ``common`` (how a refusal is shown).

Views → forms, access, services, selectors (and models, phases, rules, workflow for
constants and labels); nothing imports a view but urls.py."""
