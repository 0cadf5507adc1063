from django.urls import path

from . import views
from .feeds import example_feed

app_name = "knowledge"
urlpatterns = [
    path("wissen/", views.example_list, name="list"),
    path("wissen/feed.atom", example_feed, name="feed"),
    path("wissen/neu/", views.example_create, name="create"),
    path("wissen/meine/", views.my_examples, name="mine"),
    path("wissen/pruefung/", views.review_queue, name="queue"),
    path("wissen/mitwirken/", views.contributor_signup, name="signup"),
    path("wissen/mitwirken/einladen/", views.contributor_invite, name="invite"),
    path("wissen/<int:pk>/", views.example_detail, name="detail"),
    path("wissen/<int:pk>/problem-melden/", views.report_problem, name="report"),
    path("wissen/<int:pk>/fassungen/", views.versions, name="versions"),
    path("wissen/<int:pk>/bearbeiten/", views.example_edit, name="edit"),
    path("wissen/<int:pk>/einreichen/", views.example_submit, name="submit"),
    path("wissen/<int:pk>/geprueft/", views.confirm_current, name="confirm"),
    path("wissen/<int:pk>/material/hinzufuegen/", views.material_add, name="material_add"),
    path("wissen/<int:pk>/material/<int:material_pk>/", views.material_download, name="material"),
    path("wissen/<int:pk>/material/<int:material_pk>/entfernen/", views.material_remove, name="material_remove"),
    path("wissen/<int:pk>/pruefung/", views.review, name="review"),
    path("wissen/<int:pk>/pruefung/zuweisen/", views.assign, name="assign"),
    path("wissen/<int:pk>/meldungen/<int:report_pk>/erledigt/", views.resolve_report, name="resolve_report"),
]
