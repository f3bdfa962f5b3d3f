from django.urls import path

from scorecards import calibration, views

app_name = "scorecards"

urlpatterns: list = [
    path("calibration/", calibration.calibration, name="calibration"),
    path("interviews/<int:pk>/", views.fill, name="fill"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
