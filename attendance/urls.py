"""attendance's pages, under /attendance/. Each part adds its paths."""

from django.urls import path

from attendance.views import month

app_name = "attendance"

urlpatterns: list = [
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
]
