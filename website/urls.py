from django.urls import path

from . import views

app_name = "website"
urlpatterns = [
    path("", views.start, name="start"),
    path("mitgliedsstaedte/", views.municipalities, name="municipalities"),
    path("mitgliedsstaedte/<slug:slug>/", views.municipality, name="municipality"),
    path("barrierefreiheit/rueckmeldungen/", views.feedback_list, name="feedback_list"),
    path("barrierefreiheit/rueckmeldungen/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("barrierefreiheit/rueckmeldungen/<int:pk>/antworten/", views.feedback_answer, name="feedback_answer"),
    path("barrierefreiheit/rueckmeldungen/<int:pk>/status/", views.feedback_status, name="feedback_status"),
    path("seiten/<slug:slug>/bearbeiten/", views.page_edit, name="page_edit"),
    path("<slug:slug>/", views.page, name="page"),
]
