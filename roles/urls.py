from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("", views.role_list, name="list"),
    path("import/", views.import_blueprint, name="import"),
    path("weight-total/", views.weight_total, name="weight_total"),
    path("<slug:slug>/", views.role_detail, name="detail"),
    path("<slug:slug>/r<int:number>/edit/", views.edit_revision, name="edit"),
    path("<slug:slug>/r<int:number>/publish/", views.publish_revision, name="publish"),
    path("<slug:slug>/r<int:number>/export.json", views.export_revision, name="export"),
]
