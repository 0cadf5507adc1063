from django.urls import path

from . import views

app_name = "funding"

P = "projekte/<slug:slug>/foerderung/"

urlpatterns = [
    path("foerderung/programme/", views.programmes, name="programmes"),
    path("foerderung/regeln/", views.rule_list, name="rules"),
    path(P, views.overview, name="overview"),
    path(P + "antrag/", views.create_application, name="apply"),
    path(P + "finanzierungsplan/", views.new_plan, name="plan"),
    path(P + "bescheid/", views.record_notice, name="notice"),
    path(P + "auflagen/<int:pk>/erfuellt/", views.fulfil_obligation, name="obligation_done"),
    path(P + "zahlungsplan/", views.expected_payments, name="expected"),
    path(P + "mittelabruf/", views.payment_request, name="request"),
    path(P + "mittelabruf/<int:pk>/eingang/", views.payment_received, name="received"),
    path(P + "weiterleitung/", views.forwarding, name="forward"),
    path(P + "ausgaben/", views.expenses, name="expenses"),
    path(P + "ausgaben/<int:pk>/pruefen/", views.check_expense, name="check_expense"),
    path(P + "nachweise/<int:pk>/", views.proof, name="proof"),
    path(P + "nachweise/<int:pk>/stand/", views.proof_status, name="proof_status"),
    path(P + "nachweise/<int:pk>/belegliste.xlsx", views.receipts_xlsx, name="receipts_xlsx"),
    path(P + "nachweise/<int:pk>/nachweis.pdf", views.proof_pdf, name="proof_pdf"),
]
