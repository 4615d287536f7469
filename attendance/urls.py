"""attendance's pages, under /attendance/. Each part adds its paths."""

from django.urls import path  # noqa: F401

app_name = "attendance"

urlpatterns: list = []
