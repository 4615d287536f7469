"""attendance's pages, under /attendance/. Each part adds its paths."""

from attendance.views import contracts as contract_views

app_name = "attendance"

urlpatterns: list = [
    *contract_views.urlpatterns,
]
