"""``person_name``: a login as pages name it, by the person's name (issue 10)."""

from django import template

from staffing.history import display_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """The staff member's name for a login linked to one, else the login's full name,
    else its username; "" for none. Select ``<user>__staff_profile`` with the user, or
    each name costs a query."""
    return display_name(user)
