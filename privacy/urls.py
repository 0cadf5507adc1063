from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("meine-daten/", views.my_data, name="my_data"),
    path("verwaltung/datenschutz/", views.office_index, name="index"),
    path("verwaltung/datenschutz/verzeichnis/", views.record_page, name="record"),
    path("verwaltung/datenschutz/verzeichnis.md", views.record_markdown, name="record_markdown"),
    path("verwaltung/datenschutz/personen/<int:pk>/", views.person_page, name="person"),
    path("verwaltung/datenschutz/auskuenfte/<int:pk>/datei/", views.export_download, name="download"),
    path("verwaltung/datenschutz/archiv/<int:pk>/datei/", views.offer_download, name="offer_download"),
    path("verwaltung/datenschutz/archiv/<int:pk>/antwort/", views.answer_offer, name="answer_offer"),
]
