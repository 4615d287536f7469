"""The project's URLs: home, login, language, the admin, each app's pages, and the
health check of the load balancer."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import audit, health, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChange.as_view(), name="password_change"),
    path("audit/", audit.audit, name="audit"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("schools/", include("schools.urls")),
    path("cycle/", include("recruitment.urls")),
    path("attendance/", include("attendance.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
