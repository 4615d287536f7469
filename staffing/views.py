"""The home page: one URL, a section for each role the login holds."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from recruitment.selectors import cycle as recruitment_selectors_cycle
from schools import access, selectors


@login_required
@require_GET
def home(request):
    user = request.user
    scope = access.scope_of(user)
    context = {}
    if scope.is_office:
        context["townships"] = list(selectors.township_overview(user))
    if scope.is_liaison:
        context["liaison_schools"] = selectors.liaison_schools(user)
    if scope.is_principal:
        context["principal_schools"] = selectors.principal_schools(user)
    if scope.is_teacher:
        context["own_staff"] = selectors.own_staff(user)
    cycle = recruitment_selectors_cycle.cycle_current(user)
    if cycle is not None:
        context.update(cycle=cycle, todos=recruitment_selectors_cycle.todos_for(user, cycle))
    return render(request, "home.html", context)
