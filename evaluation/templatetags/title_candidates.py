"""How the title pages show an exact score: two decimals at least, every further decimal
it has (T = 0.7 × Q + 0.3 × L may have four; rounding it on the page would show two
candidates ranked apart as equal)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def exact(value):
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    two = value.quantize(Decimal("0.01"))
    if two == value:
        return f"{two}"
    return f"{value.normalize():f}"
