"""attendance's pages, under /attendance/. Each part adds its paths."""

from django.urls import path  # noqa: F401

from .views import leave

app_name = "attendance"

urlpatterns: list = [
    *leave.urlpatterns,  # R8: leave, its approval and the authority settings
]
