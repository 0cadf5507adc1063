from django.urls import path

from . import views

app_name = "selfcheck"
urlpatterns = [
    path("selbstcheck/", views.index, name="index"),
    path("selbstcheck/runden/<int:pk>/", views.round_detail, name="round"),
    path("selbstcheck/runden/<int:pk>/ergebnisse/", views.round_results, name="results"),
    path("selbstcheck/runden/<int:pk>/zusammenfassung.pdf", views.round_pdf, name="pdf"),
    path("selbstcheck/runden/<int:pk>/tagesordnung/", views.round_agenda, name="agenda"),
    path("selbstcheck/runden/<int:pk>/aufgaben/", views.round_follow_ups, name="follow_ups"),
    path("selbstcheck/runden/<int:pk>/abschliessen/", views.round_close, name="close"),
    path("selbstcheck/runden/<int:pk>/veroeffentlichen/", views.round_release, name="release"),
    path("selbstcheck/verwaltung/", views.manage, name="manage"),
    path("selbstcheck/verwaltung/<slug:slug>/", views.checklist_manage, name="checklist"),
    path("selbstcheck/verwaltung/<slug:slug>/runde-eroeffnen/", views.round_open, name="open"),
    path("selbstcheck/verwaltung/pruffragen/<int:pk>/ausmustern/", views.item_retire, name="retire"),
    path("selbstcheck/ergebnisse/<int:pk>/", views.public_result, name="public"),
]
