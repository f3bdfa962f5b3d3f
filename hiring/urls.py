from django.urls import path

from hiring import views

app_name = "hiring"

urlpatterns = [
    path("candidates/", views.candidates, name="candidates"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("interviews/", views.my_interviews, name="my_interviews"),
]
