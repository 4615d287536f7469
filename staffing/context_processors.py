"""What every page's navigation needs: the login's scope (roles)."""

from schools.access import scope_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": scope_of(user)}
