from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("staff/", views.staff_search, name="staff_search"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/full-id/", views.staff_full_id, name="staff_full_id"),
    path("id-reveals/", views.id_reveals, name="id_reveals"),
    path("logins/locked/", views.lockouts, name="lockouts"),
    path("logins/locked/<str:username>/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/<int:pk>/", views.roster_preview, name="roster_preview"),
    path("roster/import/<int:pk>/confirm/", views.roster_confirm, name="roster_confirm"),
    path("roster/import/<int:pk>/errors.xlsx", views.roster_errors, name="roster_errors"),
    path("roster/export/<int:township_pk>/", views.roster_export, name="roster_export"),
    path("roster/template/", views.roster_template, name="roster_template"),
]
