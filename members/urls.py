from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("verzeichnis/", views.directory, name="directory"),
    path("verzeichnis/export.<str:fmt>", views.directory_export, name="directory_export"),
    path("verzeichnis/personen/<int:pk>/", views.person_detail, name="person"),
    path("verzeichnis/personen/<int:pk>/vcard/", views.person_vcard_view, name="person_vcard"),
    path("gremien/", views.body_list, name="bodies"),
    path("gremien/<slug:slug>/", views.body_detail, name="body"),
    path("mein-bereich/", views.dashboard, name="dashboard"),
    path("profil/", views.profile, name="profile"),
    path("profil/bearbeiten/", views.profile_edit, name="profile_edit"),
    path("verwaltung/", views.office, name="office"),
    path("verwaltung/kommunen/", views.municipality_list, name="municipality_list"),
    path("verwaltung/kommunen/neu/", views.municipality_create, name="municipality_create"),
    path("verwaltung/kommunen/<slug:slug>/bearbeiten/", views.municipality_edit, name="municipality_edit"),
    path("verwaltung/personen/neu/", views.person_create, name="person_create"),
    path("verwaltung/personen/<int:pk>/bearbeiten/", views.person_edit, name="person_edit"),
    path("verwaltung/personen/<int:pk>/mitgliedschaften/neu/", views.membership_create, name="membership_create"),
    path("verwaltung/mitgliedschaften/<int:pk>/beenden/", views.membership_end, name="membership_end"),
    path("verwaltung/protokoll/", views.audit_log, name="audit_log"),
]
