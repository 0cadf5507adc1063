from django.urls import path

from . import views

app_name = "workspaces"
urlpatterns = [
    path("arbeitsbereiche/", views.workspace_list, name="list"),
    path("arbeitsbereiche/neu/", views.workspace_create, name="create"),
    path("arbeitsbereiche/<slug:slug>/", views.workspace_detail, name="detail"),
    path("arbeitsbereiche/<slug:slug>/bearbeiten/", views.workspace_edit, name="edit"),
    path("arbeitsbereiche/<slug:slug>/archivieren/", views.workspace_archive, name="archive"),
    path("arbeitsbereiche/<slug:slug>/mitglieder/", views.workspace_members, name="members"),
    path("arbeitsbereiche/<slug:slug>/beitreten/", views.workspace_join, name="join"),
    path("arbeitsbereiche/<slug:slug>/verlassen/", views.workspace_leave, name="leave"),
    path("arbeitsbereiche/<slug:slug>/anfragen/<int:pk>/entscheiden/", views.join_request_decide, name="decide"),
]
