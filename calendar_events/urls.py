from django.urls import path

from . import views

app_name = "calendar_events"
urlpatterns = [
    path("arbeitsbereiche/<slug:slug>/termine/", views.workspace_calendar, name="workspace"),
    path("arbeitsbereiche/<slug:slug>/termine/neu/", views.event_create, name="create"),
    path("arbeitsbereiche/<slug:slug>/termine/monat/", views.workspace_month, name="workspace_month"),
    path("termine/<int:pk>/", views.event_detail, name="detail"),
    path("termine/<int:pk>/termin.ics", views.event_ics, name="ics"),
    path("termine/<int:pk>/bearbeiten/", views.event_edit, name="edit"),
    path("termine/<int:pk>/loeschen/", views.event_delete, name="delete"),
    path("mein-kalender/", views.my_calendar, name="mine"),
    path("mein-kalender/monat/", views.my_month, name="my_month"),
    path("mein-kalender/abonnement/", views.feed_create, name="feed_create"),
    path("mein-kalender/abonnement/widerrufen/", views.feed_revoke, name="feed_revoke"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
]
