"""``{% current_cycle_id as cycle_id %}``: the navigation's link to the cycle dashboard.

One query per request at most (cached on the login by the selector), so every page
can afford it.
"""

from django import template

from recruitment.selectors import cycle as cycle_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def current_cycle_id(context) -> int | None:
    request = context.get("request")
    if request is None:
        return None
    return cycle_selectors.current_cycle_id(request.user)
