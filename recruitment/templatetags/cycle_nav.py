"""``{% current_cycle_id as cycle_id %}``: the navigation's link to the cycle dashboard.

One query per request at most (cached on the login by the selector), so every page
can afford it.
"""

from django import template

from ..selectors import current_cycle_id as _current_cycle_id

register = template.Library()


@register.simple_tag(takes_context=True)
def current_cycle_id(context) -> int | None:
    request = context.get("request")
    if request is None:
        return None
    return _current_cycle_id(request.user)
