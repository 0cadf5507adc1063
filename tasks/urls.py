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
    path("aufgaben/<int:pk>/staedte/<int:row_pk>/", views.task_city_status, name="city_status"),
    path("aufgaben/<int:pk>/kommentieren/", views.task_comment, name="comment"),
    path("aufgaben/<int:pk>/anhaenge/", views.task_attach, name="attach"),
    path("aufgaben/<int:pk>/anhaenge/<int:attachment_pk>/", views.task_attachment, name="attachment"),
    path("aufgaben/<int:pk>/anhaenge/<int:attachment_pk>/loeschen/", views.task_attachment_delete, name="attachment_delete"),
    path("arbeitsbereiche/<slug:slug>/aufgaben/", views.workspace_tasks, name="workspace"),
    path("arbeitsbereiche/<slug:slug>/aufgaben/neu/", views.task_create, name="create"),
]
