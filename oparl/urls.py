from django.urls import path, re_path

from . import views

app_name = "oparl"
B = "oparl/v1.1/"
urlpatterns = [
    path(B + "system", views.system, name="system"),
    path(B + "bodies", views.body_list, name="bodies"),
    path(B + "body/<str:pk>", views.body_detail, name="body"),
    path(B + "body/<str:pk>/organizations", views.organization_list, name="organizations"),
    path(B + "body/<str:pk>/persons", views.person_list, name="persons"),
    path(B + "body/<str:pk>/meetings", views.meeting_list, name="meetings"),
    path(B + "body/<str:pk>/papers", views.paper_list, name="papers"),
    path(B + "body/<str:pk>/agenda-items", views.agenda_item_list, name="agenda_items"),
    path(B + "body/<str:pk>/consultations", views.consultation_list, name="consultations"),
    path(B + "body/<str:pk>/files", views.file_list, name="files"),
    path(B + "body/<str:pk>/locations", views.location_list, name="locations"),
    path(B + "body/<str:pk>/legislative-terms", views.legislative_term_list, name="legislative_terms"),
    path(B + "body/<str:pk>/memberships", views.membership_list, name="memberships"),
    path(B + "organization/<str:key>", views.organization_detail, name="organization"),
    path(B + "organization/<str:key>/meetings", views.organization_meetings, name="organization_meetings"),
    path(B + "organization/<str:key>/consultations", views.organization_consultations, name="organization_consultations"),
    path(B + "person/<str:pk>", views.person_detail, name="person"),
    path(B + "membership/<str:pk>", views.membership_detail, name="membership"),
    path(B + "meeting/<str:pk>", views.meeting_detail, name="meeting"),
    path(B + "agenda-item/<str:pk>", views.agenda_item_detail, name="agenda_item"),
    path(B + "paper/<str:pk>", views.paper_detail, name="paper"),
    path(B + "consultation/<str:pk>", views.consultation_detail, name="consultation"),
    path(B + "file/<str:pk>", views.file_detail, name="file"),
    path(B + "file/<str:pk>/access", views.file_access, name="file_access"),
    path(B + "file/<str:pk>/download", views.file_download, name="file_download"),
    path(B + "location/<str:pk>", views.location_detail, name="location"),
    path(B + "legislative-term/<str:pk>", views.legislative_term_detail, name="legislative_term"),
    re_path(r"^oparl/v1\.1/(?P<rest>.+)/$", views.strip_slash, name="strip_slash"),
    re_path(r"^oparl(?:/(?P<rest>.*))?$", views.not_found, name="not_found"),
]
