from django.urls import path

from hiring import people_views, review_views, views

app_name = "hiring"

urlpatterns = [
    path("candidates/", views.candidates, name="candidates"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("interviews/", views.my_interviews, name="my_interviews"),
    path("candidates/new/", views.candidate_add, name="candidate_add"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("candidates/<int:pk>/erase/", views.candidate_erase, name="candidate_erase"),
    path("candidates/<int:pk>/apply/", views.application_add, name="application_add"),
    path("applications/<int:pk>/interviews/", views.interview_add, name="interview_add"),
    path("applications/<int:pk>/loop/", views.loop_assign, name="loop_assign"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/delete/", views.interview_delete, name="interview_delete"),
    path("people/", people_views.people_search, name="people_search"),
    path(
        "applications/<int:pk>/reviews/",
        review_views.performance_reviews,
        name="performance_reviews",
    ),
]
