from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("aufgaben/", views.my_tasks, name="mine"),
    path("aufgaben/ueberfaellig/", views.overdue_tasks, name="overdue"),
    path("aufgaben/<int:pk>/", views.task_detail, name="detail"),
    path("aufgaben/<int:pk>/bearbeiten/", views.task_edit, name="edit"),
    path("aufgaben/<int:pk>/status/", views.task_status, name="status"),
    path("aufgaben/<int:pk>/loeschen/", views.task_delete, name="delete"),
    path("arbeitsbereiche/<slug:slug>/aufgaben/", views.workspace_tasks, name="workspace"),
    path("arbeitsbereiche/<slug:slug>/aufgaben/neu/", views.task_create, name="create"),
]
