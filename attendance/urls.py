"""attendance's pages, under /attendance/. Each part adds its paths."""


from django.urls import path

from attendance.views import contracts as contract_views
from attendance.views import days, month

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
    # month (周公示、月兑现): the office, a school, a teacher
    path("month/<int:township_pk>/", month.office_now, name="month_now"),
    path("month/<int:township_pk>/weeks/", month.office_weeks, name="month_weeks"),
    path("month/<int:township_pk>/settings/", month.office_settings, name="month_settings"),
    path("month/<int:township_pk>/absence/", month.office_absence, name="month_absence"),
    path("month/<int:township_pk>/<str:month>/", month.office_month, name="month_office"),
    path("month/<int:township_pk>/<str:month>/publish/", month.office_publish,
         name="month_publish"),
    path("month/<int:township_pk>/<str:month>/lock/", month.office_lock, name="month_lock"),
    path("month/<int:township_pk>/<str:month>/reopen/", month.office_reopen,
         name="month_reopen"),
    path("month/<int:township_pk>/<str:month>/export.xlsx", month.office_export,
         name="month_export"),
    path("school/<int:school_pk>/weeks/", month.school_weeks, name="school_weeks"),
    path("school/<int:school_pk>/month/<str:month>/objections/", month.school_objections,
         name="school_objections"),
    path("school/<int:school_pk>/month/<str:month>/objections/<int:pk>/", month.school_answer,
         name="school_answer"),
    path("my/week/", month.my_week, name="my_week"),
    path("my/month/", month.my_month_now, name="my_month_now"),
    path("my/month/<str:month>/", month.my_month, name="my_month"),
    *contract_views.urlpatterns,
]
