from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("arbeitsbereiche/<slug:slug>/dokumente/", views.workspace_documents, name="workspace"),
    path("arbeitsbereiche/<slug:slug>/dokumente/hochladen/", views.upload, name="upload"),
    path("arbeitsbereiche/<slug:slug>/dokumente/ordner/neu/", views.create_folder, name="create_folder"),
    path("arbeitsbereiche/<slug:slug>/dokumente/papierkorb/", views.trash_list, name="trash"),
    path("dokumente/<int:pk>/", views.document_detail, name="detail"),
    path("dokumente/<int:pk>/herunterladen/", views.download, name="download"),
    path("dokumente/<int:pk>/neue-fassung/", views.new_version, name="new_version"),
    path("dokumente/<int:pk>/fassungen/<int:number>/herunterladen/", views.download_version, name="download_version"),
    path("dokumente/<int:pk>/fassungen/<int:number>/wiederherstellen/", views.restore_version, name="restore_version"),
    path("dokumente/<int:pk>/veroeffentlichen/", views.publish, name="publish"),
    path("dokumente/<int:pk>/papierkorb/", views.trash, name="trash_document"),
    path("dokumente/<int:pk>/wiederherstellen/", views.restore, name="restore"),
    path("dokumente/<int:pk>/loeschen/", views.delete, name="delete"),
    path("veroeffentlichungen/", views.public_list, name="public"),
]
