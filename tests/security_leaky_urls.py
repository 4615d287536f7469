"""A URLconf for tests/test_security_url_walk.py: the project's URLs plus a careless page
(an unscoped lookup by id, as STYLE.md warns) and a page whose parameter names no record,
so the test shows the walk fails on both."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from schools.models import Staff
from staffing.urls import urlpatterns as project_urlpatterns


@login_required
def leaky_staff(request, staff_pk):
    staff = Staff.objects.get(pk=staff_pk)  # the leak: no access check
    return HttpResponse(f"<p>{staff.name}</p>")


urlpatterns = [
    *project_urlpatterns,
    path("leaky/<int:staff_pk>/", leaky_staff, name="leaky_staff"),
    path("leakier/<int:widget_pk>/", leaky_staff, name="leakier"),
]
