"""Reads of a staffing cycle, one module per part, and the ``*_check`` functions that a
page and its service both ask. Arrows: selectors → rules, workflow, access, sheets, models.
"""
