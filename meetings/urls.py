from django.urls import path

from . import cycle_views, views

app_name = "meetings"
urlpatterns = [
    path("sitzungen/", views.meeting_list, name="list"),
    path("sitzungen/beschluesse/", views.decision_register, name="register"),
    path("sitzungen/gremium/<slug:slug>/", views.body_meetings, name="body"),
    path("sitzungen/gremium/<slug:slug>/neu/", views.meeting_create, name="create"),
    path("sitzungen/gremium/<slug:slug>/vorschlagen/", views.proposal_create, name="propose"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="detail"),
    path("sitzungen/<int:pk>/bearbeiten/", views.meeting_edit, name="edit"),
    path("sitzungen/<int:pk>/ort/", views.location_create, name="location"),
    path("sitzungen/<int:pk>/gastgeber-absage/", views.host_decline, name="host_decline"),
    path("sitzungen/<int:pk>/tagesordnung/", views.agenda_manage, name="agenda"),
    path("sitzungen/<int:pk>/tagesordnung/neu/", cycle_views.agenda_item_create, name="agenda_item_create"),
    path("sitzungen/<int:pk>/tagesordnung/<int:item>/bearbeiten/", cycle_views.agenda_item_edit, name="agenda_item_edit"),
    path("sitzungen/<int:pk>/durchgefuehrt/", cycle_views.minutes_step, {"step": "durchgefuehrt"}, name="held"),
    path("sitzungen/<int:pk>/einladung/", views.invitation_send, name="invite"),
    path("sitzungen/<int:pk>/einladung.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("sitzungen/<int:pk>/kalender.ics", views.meeting_ics, name="ics"),
    path("sitzungen/<int:pk>/absagen/", views.meeting_cancel, name="cancel"),
    path("sitzungen/<int:pk>/rueckmeldung/", views.meeting_reply, name="reply"),
    path("sitzungen/<int:pk>/protokoll/", views.minutes_page, name="minutes"),
    path("sitzungen/<int:pk>/protokoll/schritt/<slug:step>/", cycle_views.minutes_step, name="minutes_step"),
    path("sitzungen/<int:pk>/protokoll/berichtigung/", cycle_views.minutes_correction, name="minutes_correction"),
    path("sitzungen/<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("sitzungen/aufgaben/<int:pk>/erledigt/", views.action_complete, name="action_done"),
    path("sitzungen/dokumente/<int:pk>/", views.document, name="file"),
    path("sitzungen/vorlagen/", views.paper_list, name="papers"),
    path("sitzungen/vorlagen/neu/", views.paper_create, name="paper_create"),
    path("sitzungen/vorlagen/<int:pk>/", views.paper_detail, name="paper"),
    path("sitzungen/vorlagen/<int:pk>/bearbeiten/", views.paper_edit, name="paper_edit"),
    path("sitzungen/vorlagen/<int:pk>/loeschen/", views.paper_delete, name="paper_delete"),
    path("sitzungen/vorlagen/<int:pk>/beratungsfolge/", views.paper_sequence, name="paper_sequence"),
    path("sitzungen/vorlagen/<int:pk>/beratungsfolge/<int:step>/", views.consultation_edit, name="consultation_edit"),
    path("sitzungen/vorlagen/<int:pk>/dateien/", views.paper_files, name="paper_files"),
]
