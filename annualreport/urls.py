from django.urls import path

from . import views

app_name = "annualreport"
urlpatterns = [
    path("jahresberichte/", views.report_list, name="list"),
    path("jahresberichte/<int:pk>/", views.detail, name="detail"),
    path("jahresberichte/<int:pk>/texte/<slug:block_key>/", views.edit_text, name="edit_text"),
    path("jahresberichte/<int:pk>/einfrieren/", views.freeze, name="freeze"),
    path("jahresberichte/<int:pk>/berichtigen/", views.correct, name="correct"),
    path("jahresberichte/<int:pk>/beschluss/", views.approval, name="approval"),
    path("jahresberichte/<int:pk>/freigeben/", views.release, name="release"),
    path("jahresberichte/<int:pk>/bericht.pdf", views.report_pdf, name="pdf"),
    path("jahresberichte/<int:pk>/bericht.odt", views.report_odt, name="odt"),
    path("jahresberichte/<int:pk>/landesinitiative/", views.partner, name="partner"),
    path("jahresberichte/<int:pk>/landesinitiative/zuordnen/", views.partner_assign, name="partner_assign"),
    path("jahresbericht/", views.public_index, name="public_index"),
    path("jahresbericht/<int:year>/", views.public, name="public"),
    path("jahresbericht/<int:year>/bericht.pdf", views.public_pdf, name="public_pdf"),
    path("jahresbericht/<int:year>/bericht.odt", views.public_odt, name="public_odt"),
]
