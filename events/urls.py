from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("veranstaltungen/", views.event_list, name="list"),
    path("veranstaltungen/verwaltung/", views.manage_list, name="manage_list"),
    path("veranstaltungen/verwaltung/neu/", views.event_create, name="create"),
    path("veranstaltungen/anmeldung/<str:token>/", views.registration_page, name="registration"),
    path("veranstaltungen/anmeldung/<str:token>/stornieren/", views.registration_cancel, name="cancel"),
    path("veranstaltungen/anmeldung/<str:token>/platz-annehmen/", views.registration_accept, name="accept"),
    path("veranstaltungen/anmeldung/<str:token>/rueckmeldung/", views.registration_feedback, name="feedback"),
    path("veranstaltungen/anmeldung/<str:token>/bescheinigung.pdf", views.registration_certificate, name="certificate"),
    path("veranstaltungen/anmeldung/<str:token>/termin.ics", views.registration_ics, name="ics"),
    path("veranstaltungen/kontingent/<str:token>/", views.contingent_page, name="contingent"),
    path("veranstaltungen/kontingent/<str:token>/absagen/<int:pk>/", views.contingent_cancel, name="contingent_cancel"),
    path("veranstaltungen/<slug:slug>/", views.event_public, name="public"),
    path("veranstaltungen/<slug:slug>/dokumentation/", views.documentation, name="documentation"),
    path("veranstaltungen/<slug:slug>/dokumentation/dateien/<int:pk>/", views.documentation_file, name="documentation_file"),
    path("veranstaltungen/<slug:slug>/verwaltung/", views.manage, name="manage"),
    path("veranstaltungen/<slug:slug>/verwaltung/dokumentation/", views.documentation_manage, name="documentation_manage"),
    path(
        "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/",
        views.documentation_item_add,
        name="documentation_item_add",
    ),
    path(
        "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/<int:pk>/freigeben/",
        views.documentation_item_release,
        name="documentation_item_release",
    ),
    path(
        "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/<int:pk>/entfernen/",
        views.documentation_item_remove,
        name="documentation_item_remove",
    ),
    path(
        "veranstaltungen/<slug:slug>/verwaltung/dokumentation/veroeffentlichen/",
        views.documentation_publish,
        name="documentation_publish",
    ),
    path("veranstaltungen/<slug:slug>/verwaltung/bearbeiten/", views.event_edit, name="edit"),
    path("veranstaltungen/<slug:slug>/verwaltung/programm/", views.session_add, name="session_add"),
    path("veranstaltungen/<slug:slug>/verwaltung/kontingente/", views.contingent_add, name="contingent_add"),
    path("veranstaltungen/<slug:slug>/verwaltung/einladen/", views.invite, name="invite"),
    path("veranstaltungen/<slug:slug>/verwaltung/anmeldungen/<int:pk>/entscheiden/", views.decide, name="decide"),
    path("veranstaltungen/<slug:slug>/verwaltung/barrierefreiheit/", views.needs_detail, name="needs"),
    path("veranstaltungen/<slug:slug>/verwaltung/einlass/", views.checkin, name="checkin"),
    path("veranstaltungen/<slug:slug>/verwaltung/einlass/vor-ort/", views.walk_in, name="walk_in"),
    path("veranstaltungen/<slug:slug>/verwaltung/namensschilder.pdf", views.badges, name="badges"),
    path("veranstaltungen/<slug:slug>/verwaltung/unterschriften.pdf", views.signatures, name="signatures"),
]
