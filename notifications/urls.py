from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("benachrichtigungen/", views.notification_list, name="list"),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="open"),
    path("benachrichtigungen/gelesen/", views.mark_read, name="mark_read"),
    path("benachrichtigungen/einstellungen/", views.notification_settings, name="settings"),
    path("benachrichtigungen/abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("benachrichtigungen/postausgang/", views.mail_log, name="mail_log"),
]
