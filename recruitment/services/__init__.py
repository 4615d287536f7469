"""State changes of a staffing cycle, one module per part of the cycle.

Services lock, check (through the selectors' ``*_check`` and ``rules``) and change rows
with history. Arrows: services → selectors, rules, access, workflow, sheets, models.
"""
