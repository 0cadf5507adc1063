from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sicherheit/", views.security, name="security"),
    path("sicherheit/ueberall-abmelden/", views.logout_everywhere, name="logout_everywhere"),
    path("einladungen/", views.invitation_list, name="invitation_list"),
    path("einladungen/neu/", views.invitation_create, name="invitation_create"),
    path("einladungen/<int:pk>/zurueckziehen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
