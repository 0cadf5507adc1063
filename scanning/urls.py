from django.urls import path

from . import views

app_name = "scanning"

urlpatterns = [
    path("verwaltung/quarantaene/", views.quarantine, name="quarantine"),
    path("verwaltung/quarantaene/<int:pk>/loeschen/", views.delete, name="delete"),
]
