"""Root URLs: authentication, the admin, and the three apps."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hiring_site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("roles/", include("roles.urls")),
    path("hiring/", include("hiring.urls")),
    path("scorecards/", include("scorecards.urls")),
]
