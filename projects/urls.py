from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projekte/", views.project_list, name="list"),
    path("projekte/neu/", views.project_create, name="create"),
    path("projekte/<slug:slug>/", views.project_detail, name="detail"),
    path("projekte/<slug:slug>/bearbeiten/", views.project_edit, name="edit"),
    path("projekte/<slug:slug>/stand/", views.project_status, name="status"),
    path("projekte/<slug:slug>/freigabe/", views.project_release, name="release"),
    path("projekte/<slug:slug>/partner/", views.partner_set, name="partner_set"),
    path("projekte/<slug:slug>/partner/<int:pk>/entfernen/", views.partner_remove, name="partner_remove"),
    path("projekte/<slug:slug>/meilensteine/", views.milestone_add, name="milestone_add"),
    path("projekte/<slug:slug>/meilensteine/<int:pk>/erreicht/", views.milestone_done, name="milestone_done"),
    path("projekte/<slug:slug>/meilensteine/<int:pk>/loeschen/", views.milestone_delete, name="milestone_delete"),
    path("projekte/<slug:slug>/beschluesse/", views.decision_link, name="decision_link"),
    path("projekte/<slug:slug>/beschluesse/<int:pk>/entfernen/", views.decision_unlink, name="decision_unlink"),
    path("gemeinschaftsprojekte/", views.public_list, name="public_list"),
    path("gemeinschaftsprojekte/<slug:slug>/", views.public_detail, name="public_detail"),
]
