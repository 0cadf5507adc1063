from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.admin_site import secure_admin
from ops import views as ops_views

secure_admin(admin.site)

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("healthz/live", ops_views.healthz_live, name="healthz_live"),
    path("healthz/ready", ops_views.healthz, name="healthz_ready"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path(".well-known/security.txt", ops_views.security_txt, name="security_txt"),
    path("entwicklung/postfach/", ops_views.dev_mailbox, name="dev_mailbox"),
    path("entwicklung/postfach/<str:mail_id>/", ops_views.dev_mailbox_message, name="dev_mailbox_message"),
    path("entwicklung/postfach/<str:mail_id>/html/", ops_views.dev_mailbox_html, name="dev_mailbox_html"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("konto/", include("accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("", include("members.urls")),
    path("", include("workspaces.urls")),
    path("", include("monitoring.urls")),
    path("", include("notifications.urls")),
    path("", include("tasks.urls")),
    path("", include("news.urls")),
    path("", include("calendar_events.urls")),
    path("", include("polls.urls")),
    path("", include("documents.urls")),
    path("", include("search.urls")),
    path("", include("meetings.urls")),
    path("", include("oparl.urls")),
    path("", include("selfcheck.urls")),
    path("", include("annualreport.urls")),
    path("", include("costshares.urls")),
    path("", include("projects.urls")),
    path("", include("funding.urls")),
    path("", include("privacy.urls")),
    path("", include("scanning.urls")),
    path("", include("events.urls")),
    path("", include("knowledge.urls")),
    path("", include("website.urls")),
]

handler404 = "website.views.not_found"
handler500 = "ops.faults.server_error"
