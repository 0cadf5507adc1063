from django.urls import path

from .agenda import views as agenda_views
from .core import views as core_views
from .invitations import views as invitations_views
from .minutes import views as minutes_views
from .papers import views as papers_views

app_name = "meetings"
urlpatterns = [
    path("sitzungen/", core_views.meeting_list, name="list"),
    path("sitzungen/beschluesse/", minutes_views.decision_register, name="register"),
    path("sitzungen/gremium/<slug:slug>/", core_views.body_meetings, name="body"),
    path("sitzungen/gremium/<slug:slug>/neu/", core_views.meeting_create, name="create"),
    path("sitzungen/gremium/<slug:slug>/vorschlagen/", agenda_views.proposal_create, name="propose"),
    path("sitzungen/<int:pk>/", core_views.meeting_detail, name="detail"),
    path("sitzungen/<int:pk>/bearbeiten/", core_views.meeting_edit, name="edit"),
    path("sitzungen/<int:pk>/ort/", core_views.location_create, name="location"),
    path("sitzungen/<int:pk>/gastgeber-absage/", core_views.host_decline, name="host_decline"),
    path("sitzungen/<int:pk>/tagesordnung/", agenda_views.agenda_manage, name="agenda"),
    path("sitzungen/<int:pk>/tagesordnung/neu/", agenda_views.agenda_item_create, name="agenda_item_create"),
    path("sitzungen/<int:pk>/tagesordnung/<int:item>/bearbeiten/", agenda_views.agenda_item_edit, name="agenda_item_edit"),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item>/dateien/<int:file>/entfernen/",
        agenda_views.agenda_item_file_remove,
        name="agenda_item_file_remove",
    ),
    path("sitzungen/<int:pk>/durchgefuehrt/", minutes_views.minutes_step, {"step": "durchgefuehrt"}, name="held"),
    path("sitzungen/<int:pk>/einladung/", invitations_views.invitation_send, name="invite"),
    path("sitzungen/<int:pk>/einladung/vorschau.pdf", invitations_views.invitation_preview_pdf, name="invite_preview_pdf"),
    path("sitzungen/<int:pk>/einladung/senden/", invitations_views.invitation_dispatch, name="invite_send"),
    path("sitzungen/<int:pk>/einladung/gaeste/", invitations_views.guest_add, name="guest_add"),
    path("sitzungen/<int:pk>/einladung/gaeste/<int:guest>/entfernen/", invitations_views.guest_remove, name="guest_remove"),
    path("sitzungen/<int:pk>/rueckmeldungen/erinnern/", invitations_views.reply_reminder, name="reply_reminder"),
    path("sitzungen/antwort/<str:token>/", invitations_views.reply_by_link, name="reply_link"),
    path("sitzungen/<int:pk>/einladung.pdf", invitations_views.invitation_pdf, name="invitation_pdf"),
    path("sitzungen/<int:pk>/kalender.ics", core_views.meeting_ics, name="ics"),
    path("sitzungen/<int:pk>/absagen/", core_views.meeting_cancel, name="cancel"),
    path("sitzungen/<int:pk>/rueckmeldung/", invitations_views.meeting_reply, name="reply"),
    path("sitzungen/<int:pk>/protokoll/", minutes_views.minutes_page, name="minutes"),
    path("sitzungen/<int:pk>/protokoll/schritt/<slug:step>/", minutes_views.minutes_step, name="minutes_step"),
    path("sitzungen/<int:pk>/protokoll/berichtigung/", minutes_views.minutes_correction, name="minutes_correction"),
    path("sitzungen/<int:pk>/protokoll.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
    path("sitzungen/aufgaben/<int:pk>/erledigt/", minutes_views.action_complete, name="action_done"),
    path("sitzungen/dokumente/<int:pk>/", core_views.document, name="file"),
    path("sitzungen/vorlagen/", papers_views.paper_list, name="papers"),
    path("sitzungen/vorlagen/neu/", papers_views.paper_create, name="paper_create"),
    path("sitzungen/vorlagen/<int:pk>/", papers_views.paper_detail, name="paper"),
    path("sitzungen/vorlagen/<int:pk>/bearbeiten/", papers_views.paper_edit, name="paper_edit"),
    path("sitzungen/vorlagen/<int:pk>/loeschen/", papers_views.paper_delete, name="paper_delete"),
    path("sitzungen/vorlagen/<int:pk>/beratungsfolge/", papers_views.paper_sequence, name="paper_sequence"),
    path("sitzungen/vorlagen/<int:pk>/beratungsfolge/<int:step>/", papers_views.consultation_edit, name="consultation_edit"),
    path("sitzungen/vorlagen/<int:pk>/dateien/", papers_views.paper_files, name="paper_files"),
]
