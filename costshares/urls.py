from django.urls import path

from . import views

app_name = "costshares"

urlpatterns = [
    path("kostenverteilung/", views.index, name="index"),
    path("kostenverteilung/neu/", views.create_setting_view, name="create"),
    path("kostenverteilung/uebersicht/", views.overview, name="overview"),
    path("kostenverteilung/<int:year>/", views.sheet, name="sheet"),
    path("kostenverteilung/<int:year>/rechenblatt.csv", views.sheet_csv, name="sheet_csv"),
    path("kostenverteilung/<int:year>/rechenblatt.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("kostenverteilung/anteil/<int:pk>/", views.share_detail, name="share"),
    path("kostenverteilung/anteil/<int:pk>/bescheid.pdf", views.share_pdf, name="share_pdf"),
    path("kostenverteilung/anteil/<int:pk>/xrechnung.xml", views.share_xrechnung, name="share_xrechnung"),
    path("kostenverteilung/anteil/<int:pk>/zahlung/", views.record_payment_view, name="payment"),
    path("kostenverteilung/staedte/<slug:slug>/", views.city_billing, name="city"),
]
