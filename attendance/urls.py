"""attendance's pages, under /attendance/. Each part adds its paths."""

from django.urls import path

from attendance.views import days

from .views import leave

app_name = "attendance"

urlpatterns: list = [
    *leave.urlpatterns,  # R8: leave, its approval and the authority settings
    # days (日清)
    path("school/<int:school_pk>/day/", days.school_today, name="school_today"),
    path("school/<int:school_pk>/day/<str:day>/", days.day, name="day"),
    path("record/<int:pk>/history/", days.record_history, name="record_history"),
    path("calendar/<int:township_pk>/", days.calendar_now, name="calendar_now"),
    path("calendar/<int:township_pk>/<int:year>/", days.calendar, name="calendar"),
    path("calendar/day/<int:pk>/delete/", days.calendar_delete, name="calendar_delete"),
    path("import/", days.import_upload, name="import"),
    path("import/template.xlsx", days.import_template, name="import_template"),
    path("import/<int:pk>/", days.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", days.import_confirm, name="import_confirm"),
    path("import/<int:pk>/errors.xlsx", days.import_errors, name="import_errors"),
    path("mine/", days.mine, name="mine"),
]
