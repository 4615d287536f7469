"""The home page: one URL, a section for each role the login holds; and the page where a
login changes its own password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from evaluation.selectors import home as evaluation_home
from recruitment import access as recruitment_access
from recruitment.selectors import cycle as recruitment_selectors_cycle
from recruitment.selectors import outcome as recruitment_selectors_outcome
from schools import access, selectors
from staffing.history import display_name


@login_required
@require_GET
def home(request):
    user = request.user
    scope = access.scope_of(user)
    own = getattr(user, "staff_profile", None)
    context = {"welcome_name": own.name if own is not None else display_name(user)}
    if scope.is_office:
        context["townships"] = list(selectors.township_overview(user))
    if scope.is_liaison:
        context["liaison_schools"] = selectors.liaison_schools(user)
    if scope.is_principal:
        context["principal_schools"] = selectors.principal_schools(user)
    if scope.is_teacher:
        context["own_staff"] = selectors.own_staff(user)
    context["evaluation"] = evaluation_home.home_context(user)
    cycle = recruitment_selectors_cycle.cycle_current(user)
    if cycle is not None:
        context.update(cycle=cycle, todos=recruitment_selectors_cycle.todos_for(user, cycle))
        staff = recruitment_access.own_staff(user, cycle)
        if staff is not None:
            context["own"] = recruitment_selectors_outcome.own_result(cycle, staff)
    return render(request, "home.html", context)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change (the old password, the new one twice, every validator of
    ``AUTH_PASSWORD_VALIDATORS`` with its message), back home with a message."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response
