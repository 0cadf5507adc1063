from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("aktuelles/", views.public_news, name="public"),
    path("neuigkeiten/", views.news_list, name="list"),
    path("neuigkeiten/neu/", views.post_create, name="create"),
    path("neuigkeiten/<int:pk>/", views.post_detail, name="detail"),
    path("neuigkeiten/<int:pk>/bearbeiten/", views.post_edit, name="edit"),
    path("neuigkeiten/<int:pk>/loeschen/", views.post_delete, name="delete"),
    path("neuigkeiten/<int:pk>/bild/", views.post_image, name="image"),
    path("neuigkeiten/<int:pk>/kommentieren/", views.comment_create, name="comment"),
    path("neuigkeiten/kommentare/<int:pk>/loeschen/", views.comment_delete, name="comment_delete"),
    path("arbeitsbereiche/<slug:slug>/neuigkeiten/", views.workspace_news, name="workspace"),
    path("arbeitsbereiche/<slug:slug>/neuigkeiten/neu/", views.workspace_post_create, name="workspace_create"),
]
