from django.urls import path

from . import views

app_name = "polls"
urlpatterns = [
    path("arbeitsbereiche/<slug:slug>/terminabstimmungen/", views.poll_list, name="list"),
    path("arbeitsbereiche/<slug:slug>/terminabstimmungen/neu/", views.poll_create, name="create"),
    path("terminabstimmungen/<int:pk>/", views.poll_detail, name="detail"),
    path("terminabstimmungen/<int:pk>/einladen/", views.poll_invite, name="invite"),
    path("terminabstimmungen/<int:pk>/bestaetigen/", views.poll_confirm, name="confirm"),
    path("terminabstimmungen/<int:pk>/loeschen/", views.poll_delete, name="delete"),
    path("terminabstimmung/<str:token>/", views.external_answer, name="external"),
]
