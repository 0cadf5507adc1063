from django.urls import path

from .views import dashboards, exports, manage, survey

app_name = "monitoring"
urlpatterns = [
    # The anonymous survey: never logged (ops.middleware), never sets a cookie.
    path("umfrage/", survey.start, name="survey_start"),
    path("umfrage/fragebogen/", survey.questionnaire, name="survey_questionnaire"),
    path("umfrage/offen/<str:token>/", survey.open_link, name="survey_open"),
    path("umfrage/danke/", survey.thanks, name="survey_thanks"),
    # Results: public, comparison (Regiegruppe), city detail (the city's HR and integration staff)
    path("monitoring/", dashboards.overview, name="overview"),
    path("monitoring/ergebnisse/<slug:round_slug>/", dashboards.public_round, name="public_round"),
    path("monitoring/ergebnisse/<slug:round_slug>/daten.<str:fmt>", exports.public_export, name="public_export"),
    path("monitoring/ergebnisse/<slug:round_slug>/<slug:city_slug>/", dashboards.public_city, name="public_city"),
    path(
        "monitoring/ergebnisse/<slug:round_slug>/<slug:city_slug>/daten.<str:fmt>",
        exports.public_city_export,
        name="public_city_export",
    ),
    path("monitoring/offene-daten/katalog.jsonld", exports.catalog, name="catalog"),
    path("monitoring/runden/<slug:round_slug>/vergleich/", dashboards.comparison, name="comparison"),
    path("monitoring/runden/<slug:round_slug>/vergleich/daten.<str:fmt>", exports.comparison_export, name="comparison_export"),
    path("monitoring/runden/<slug:round_slug>/bericht.pdf", exports.report_pdf, name="report_pdf"),
    path("monitoring/runden/<slug:round_slug>/<slug:city_slug>/", dashboards.city, name="city"),
    path("monitoring/runden/<slug:round_slug>/<slug:city_slug>/daten.<str:fmt>", exports.city_export, name="city_export"),
    # The managing office runs the survey
    path("monitoring/verwaltung/", manage.manage, name="manage"),
    path("monitoring/verwaltung/runden/neu/", manage.round_create, name="round_create"),
    path("monitoring/verwaltung/runden/<slug:round_slug>/", manage.round_manage, name="round_manage"),
    path("monitoring/verwaltung/runden/<slug:round_slug>/auswerten/", manage.round_finalise, name="round_finalise"),
    path("monitoring/verwaltung/runden/<slug:round_slug>/wellen/neu/", manage.wave_create, name="wave_create"),
    path("monitoring/verwaltung/wellen/<int:pk>/bearbeiten/", manage.wave_edit, name="wave_edit"),
    path("monitoring/verwaltung/wellen/<int:pk>/status/", manage.wave_status, name="wave_status"),
    path("monitoring/verwaltung/wellen/<int:pk>/codes/", manage.wave_codes, name="wave_codes"),
    path("monitoring/verwaltung/bevoelkerung/", manage.population, name="population"),
    path("monitoring/verwaltung/beschaeftigte/", manage.headcounts, name="headcounts"),
    path("monitoring/verwaltung/zugriffe/", manage.access_list, name="access_list"),
    path("monitoring/verwaltung/zugriffe/<int:pk>/entfernen/", manage.access_revoke, name="access_revoke"),
]
