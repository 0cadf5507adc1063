from django.urls import path, re_path

from . import views

app_name = "oparl"
B = "oparl/v1.1/"
# Every object type of views.KINDS has its list under the body and its own URL, served by the same two views.
_KIND_URLS = [
    url
    for kind, spec in views.KINDS.items()
    for url in (
        path(B + f"body/<str:pk>/{spec.list_path}", views.object_list, {"kind": kind}, name=spec.list_path.replace("-", "_")),
        path(B + f"{kind}/<str:pk>", views.object_detail, {"kind": kind}, name=kind.replace("-", "_")),
    )
]
urlpatterns = [
    path(B + "system", views.system, name="system"),
    path(B + "bodies", views.body_list, name="bodies"),
    path(B + "body/<str:pk>", views.body_detail, name="body"),
    path(B + "body/<str:pk>/organizations", views.organization_list, name="organizations"),
    *_KIND_URLS,
    path(B + "body/<str:pk>/legislative-terms", views.legislative_term_list, name="legislative_terms"),
    path(B + "organization/<str:key>", views.organization_detail, name="organization"),
    path(B + "organization/<str:key>/meetings", views.organization_meetings, name="organization_meetings"),
    path(B + "organization/<str:key>/consultations", views.organization_consultations, name="organization_consultations"),
    path(B + "file/<str:pk>/access", views.file_access, name="file_access"),
    path(B + "file/<str:pk>/download", views.file_download, name="file_download"),
    path(B + "legislative-term/<str:pk>", views.legislative_term_detail, name="legislative_term"),
    re_path(r"^oparl/v1\.1/(?P<rest>.+)/$", views.strip_slash, name="strip_slash"),
    re_path(r"^oparl(?:/(?P<rest>.*))?$", views.not_found, name="not_found"),
]
