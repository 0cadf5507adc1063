from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("meine-daten/", views.my_data, name="my_data"),
    path("datenschutz/", views.office_index, name="index"),
    path("datenschutz/verzeichnis/", views.record_page, name="record"),
    path("datenschutz/verzeichnis.md", views.record_markdown, name="record_markdown"),
    path("datenschutz/personen/<int:pk>/", views.person_page, name="person"),
    path("datenschutz/auskuenfte/<int:pk>/datei/", views.export_download, name="download"),
    path("datenschutz/archiv/<int:pk>/datei/", views.offer_download, name="offer_download"),
    path("datenschutz/archiv/<int:pk>/antwort/", views.answer_offer, name="answer_offer"),
]
