"""The part-time researchers (R11) shown on the school and staff pages of ``schools``,
which may not import evaluation: its templates load this library. One query each."""

from django import template

from evaluation.selectors import researchers as selectors

register = template.Library()


@register.simple_tag
def groups_led_by(staff):
    """The subject groups ``staff`` leads, i.e. the years they are a part-time researcher."""
    return selectors.groups_led_by(staff) if staff is not None and staff.pk else []


@register.simple_tag
def groups_hosted_by(school):
    """The subject groups ``school`` hosts, with their leaders."""
    return selectors.groups_hosted_by(school) if school is not None and school.pk else []
